/**
 * Fuzzing the front end: seeded token-level mutations of every models/*.vae file (delete,
 * duplicate, swap adjacent tokens, insert a random token, truncate; one to three at a time).
 * For each mutant the checker must not throw and must either accept the program or report
 * diagnostics with known codes, spans inside their source, and clean rendered text (no
 * Chevrotain wording, no internal values, no stack traces).
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES, type Diagnostic } from '../../src/dsl/diagnostics';
import { checkText, type CheckOutcome } from '../../src/check';
import { renderDiagnostics } from '../../src/dsl/render-diagnostic';
import { vaeLexer } from '../../src/dsl/tokens';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const models = fs
  .readdirSync(path.join(root, 'models'))
  .filter((f) => f.endsWith('.vae'))
  .sort();

/** Mutants per model file; four models give 3200 mutants. */
const RUNS_PER_MODEL = 800;
const SEED = 20240611;

/** Tokens worth inserting: keywords, names the language knows, punctuation, odd numbers and lexer traps. */
const POOL = [
  'data', 'const', 'param', 'net', 'model', 'guide', 'train', 'let', 'extends',
  'x', 'y', 'z', 'q', 'Z', 'encoder', 'decoder', 'classifier', 'foo',
  'Real', 'Binary', 'Positive', 'Unit', 'Simplex', 'OneHot', 'Category', 'Int',
  'Normal', 'Bernoulli', 'Categorical', 'Laplace', 'Gamma', 'Gaussian', 'dist', 'torch',
  'mlp', 'linear', 'softplus', 'relu', 'onehot', 'uniform', 'zeros', 'ones', 'exp', 'log', 'concat', 'softmax', 'sample',
  'loc', 'scale', 'logits', 'probs', 'hidden', 'activation', 'batch', 'epochs', 'objective', 'iwae', 'elbo', 'adam', 'lr', 'anneal', 'weight',
  '@reparam', '@enumerate', '@score', '@stl', '@dreg', '@vimco', '@foo', '@',
  '~', '?', ':', ',', ';', '.', '=', '->', '-', '+', '*', '/', '(', ')', '[', ']', '{', '}',
  '0', '1', '-1', '0.5', '784', '50', '1e999', '0/0', '1/0', '2.5', '1e-3',
  '"vae.vae"', '"', '"unterminated', '#', '^', '$', "'", '\t', '\n', '//', '/*', '*/', '\r\n',
];

interface Tok {
  readonly start: number;
  readonly end: number;
}

function tokensOf(text: string): Tok[] {
  return vaeLexer.tokenize(text).tokens.map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length }));
}

type Mutation =
  | { kind: 'delete'; i: number }
  | { kind: 'duplicate'; i: number }
  | { kind: 'swap'; i: number }
  | { kind: 'insert'; i: number; tok: string; before: boolean }
  | { kind: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), i: fc.nat(), tok: fc.constantFrom(...POOL), before: fc.boolean() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const toks = tokensOf(text);
  if (m.kind === 'truncate') return text.slice(0, m.at % (text.length + 1));
  if (toks.length === 0) return m.kind === 'insert' ? `${m.tok} ${text}` : text;
  const t = toks[m.i % toks.length]!;
  const slice = text.slice(t.start, t.end);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, t.start) + text.slice(t.end);
    case 'duplicate':
      return `${text.slice(0, t.end)} ${slice}${text.slice(t.end)}`;
    case 'swap': {
      const u = toks[(m.i % toks.length) + 1];
      if (!u) return text;
      return text.slice(0, t.start) + text.slice(u.start, u.end) + text.slice(t.end, u.start) + slice + text.slice(u.end);
    }
    case 'insert':
      return m.before ? `${text.slice(0, t.start)}${m.tok} ${text.slice(t.start)}` : `${text.slice(0, t.end)} ${m.tok}${text.slice(t.end)}`;
  }
}

// '[object ' with a space: JS's "[object Object]" (a source line may well contain `[objective`).
const FORBIDDEN = ['Expecting token', '-->', 'undefined', 'NaN', '[object ', 'TypeError', 'Error:'];

function spanInside(r: CheckOutcome, span: Diagnostic['primary']['span']): boolean {
  const src = r.sources.get(span.file);
  if (!src) return false;
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= src.text.length;
}

/** Checks one mutant; returns a description of the first broken invariant, or undefined. */
function violation(text: string, file: string): string | undefined {
  let r: CheckOutcome;
  try {
    r = checkText(text, `models/${file}`, { readFile: (p) => fs.readFileSync(path.join(root, p.replace(/^\/+/, '')), 'utf8') });
  } catch (e) {
    return `checkText threw: ${(e as Error).stack ?? String(e)}`;
  }
  if (r.diagnostics.length === 0) return r.checked ? undefined : 'no diagnostics but no checked program';
  const seen = new Set<string>();
  for (const d of r.diagnostics) {
    if (!(d.code in CODES)) return `unknown code ${d.code}`;
    if (d.severity !== CODES[d.code].severity) return `${d.code} has severity ${d.severity}`;
    if (!spanInside(r, d.primary.span)) return `${d.code} span ${JSON.stringify(d.primary.span)} is outside its source`;
    for (const s of d.secondary) if (!spanInside(r, s.span)) return `${d.code} secondary span ${JSON.stringify(s.span)} is outside its source`;
    if (d.message.trim() === '') return `${d.code} has an empty message`;
    const key = `${d.code}|${d.primary.span.file}|${d.primary.span.start}|${d.primary.span.end}|${d.message}`;
    if (seen.has(key)) return `${d.code} reported twice: ${d.message}`;
    seen.add(key);
  }
  const out = renderDiagnostics(r.diagnostics, r.sources, { color: false });
  if (!/(error|warning)\[VAE\d{3}\]/.test(out)) return 'rendered text has no error[ or warning[';
  for (const bad of FORBIDDEN) if (out.includes(bad)) return `rendered text contains "${bad}":\n${out}`;
  if (/^ {4}at /m.test(out)) return `rendered text contains a stack trace:\n${out}`;
  return undefined;
}

describe('fuzzing the front end with mutated models', () => {
  it('mutation helpers change the text', () => {
    const text = 'data x: Real[3]';
    expect(mutate(text, { kind: 'delete', i: 0 })).toBe(' x: Real[3]');
    expect(mutate(text, { kind: 'swap', i: 0 })).toBe('x data: Real[3]');
    expect(mutate(text, { kind: 'duplicate', i: 1 })).toBe('data x x: Real[3]');
    expect(mutate(text, { kind: 'insert', i: 2, tok: '?', before: true })).toBe('data x? : Real[3]');
    expect(mutate(text, { kind: 'truncate', at: 6 })).toBe('data x');
  });

  it('the golden bad programs, mutated further, too', () => {
    const dir = path.join(root, 'test/golden/diagnostics');
    const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.vae')).sort();
    const texts = cases.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 2 }), (i, ms) => {
        const mutant = ms.reduce(mutate, texts[i]!);
        // Named as a models/ file so `extends` resolves (to a missing file, or to models/).
        const v = violation(mutant, 'golden.vae');
        if (v !== undefined) throw new Error(`${v}\n--- mutant of ${cases[i]} ---\n${mutant}`);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  for (const file of models) {
    it(`${file}: ${RUNS_PER_MODEL} mutants never crash the checker and get clean diagnostics`, () => {
      const text = fs.readFileSync(path.join(root, 'models', file), 'utf8');
      expect(violation(text, file)).toBeUndefined();
      fc.assert(
        fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (ms) => {
          const mutant = ms.reduce(mutate, text);
          const v = violation(mutant, file);
          if (v !== undefined) throw new Error(`${v}\n--- mutant of ${file} ---\n${mutant}`);
        }),
        { seed: SEED, numRuns: RUNS_PER_MODEL },
      );
    });
  }
});
