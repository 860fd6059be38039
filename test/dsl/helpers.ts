/** Shared helpers of the checker tests: run the checker on inline text, get {code, line, column}. */
import { checkText, type CheckOptions, type CheckOutcome } from '../../src/check';
import { diagnosticToJson } from '../../src/dsl/render-diagnostic';

export interface At {
  code: string;
  line: number;
  column: number;
}

/** Every diagnostic as {code, line, column} of its primary span (1-based). */
export function diagnose(text: string, opts: CheckOptions = {}, name = 'input.vae'): At[] {
  return positions(checkText(text, name, opts));
}

export function positions(r: CheckOutcome): At[] {
  return r.diagnostics.map((d) => {
    const j = diagnosticToJson(d, r.sources);
    return { code: j.code, line: j.line, column: j.column };
  });
}

export function codes(text: string, opts: CheckOptions = {}): string[] {
  return checkText(text, 'input.vae', opts).diagnostics.map((d) => d.code);
}

/** A readFile over an in-memory file set, keyed by path relative to `/`. */
export function memoryFiles(files: Record<string, string>): (p: string) => string {
  return (p: string) => {
    const t = files[p.replace(/^\/+/, '')];
    if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return t;
  };
}

/** The variational autoencoder of models/vae.vae, as lines to splice (line 1 = `data x`). */
export const VAE_HEAD = [
  'data x: Binary[784]',
  'const Z = 50',
  'net encoder: Real[784] -> (loc: Real[Z], scale: Positive[Z]) = mlp(hidden: [400], activation: softplus)',
  'net decoder: Real[Z] -> Real[784] = mlp(hidden: [400], activation: softplus)',
];

/** A VAE with the given model and guide bodies (each line indented by two spaces); the model starts on line 6. */
export function vae(model: string[], guide: string[], extra: string[] = []): string {
  return [...VAE_HEAD, 'model {', ...model.map((l) => `  ${l}`), '}', 'guide {', ...guide.map((l) => `  ${l}`), '}', ...extra, ''].join('\n');
}

export const MODEL = ['z: Real[Z] ~ Normal(0, 1)', 'x ~ Bernoulli(logits: decoder(z))'];
export const GUIDE = ['let q = encoder(x)', 'z ~ Normal(q.loc, q.scale)'];
