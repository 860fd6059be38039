/**
 * Estimator specifications of `vae estimators`: which objective, and which per-site gradient
 * estimator, each measured configuration uses.
 *
 *   reparam | score | score+baseline | stl | enumerate        the program's ELBO (or its expectation objective)
 *   iwae:K                                                    the IWAE bound, reparameterized (standard)
 *   iwae:K+dreg | iwae:K+score[+baseline] | iwae:K+vimco | iwae:K+enumerate | iwae:K+reparam
 *
 * `iwae` alone means `iwae:5`; `iwae:K` (a literal K) takes its K from `--sweep K=...`.
 * Sweeps: `K=1,5,10` (IWAE particles) or `N=1,10,100` (single-sample estimates averaged per
 * estimate, i.e. particles). Parse errors are CliErrors with a hint.
 */
import { UserError } from '../core/errors';
import { parseObjectiveText } from '../dsl/objectives';
import { ESTIMATOR_NAMES, findRule, RULES } from '../inference/estimators/index';

/** An estimator's name in the registry (src/inference/estimators/). */
export type SiteKind = string;

export interface EstimatorSpec {
  /** The spec as written, normalized (lower case, no spaces). */
  readonly text: string;
  /** True for the IWAE objective. */
  readonly iwae: boolean;
  /** IWAE particles: a number, 'K' (from the sweep), or null for the ELBO / expectation. */
  readonly k: number | 'K' | null;
  /** The estimator forced on every latent guide site that admits it. */
  readonly kind: SiteKind;
  /** A constant baseline for score-function sites, estimated from warm-up draws. */
  readonly baseline: boolean;
}

export interface Sweep {
  readonly axis: 'K' | 'N';
  readonly values: readonly number[];
}

/** The specs of one rule: `score`, `score+baseline` (moving-average rules) and their IWAE forms. */
function specsOf(name: string, iwae: boolean): string[] {
  const rule = findRule(name)!;
  const base = iwae ? (name === 'reparam' ? 'iwae:K' : `iwae:K+${name}`) : name;
  return rule.score?.baseline === 'moving-average' ? [base, `${base}+baseline`] : [base];
}

/** Every spec the registry allows, ELBO estimators first. */
export const SPECS: readonly string[] = [
  ...RULES.filter((r) => r.objectives.includes('elbo')).flatMap((r) => specsOf(r.name, false)),
  ...RULES.filter((r) => r.objectives.includes('iwae')).flatMap((r) => specsOf(r.name, true)),
];

export const SPEC_HELP = `the estimators are ${SPECS.join(', ')} (e.g. --estimators reparam,score,iwae:5+dreg)`;

function bad(v: string, why: string, hint = SPEC_HELP): never {
  throw new UserError(`invalid --estimators '${v}': ${why}`, hint);
}

/** Parses one spec such as `iwae:5+dreg` or `score+baseline`. */
export function parseSpec(raw: string): EstimatorSpec {
  const v = raw.trim().toLowerCase().replace(/\s+/g, '');
  if (v === '') bad(raw, 'an empty estimator');
  const parts = v.split('+');
  let iwae = false;
  let k: number | 'K' | null = null;
  // The objective: `iwae`, `iwae:5` (the objectives' short form, src/dsl/objectives.ts) or `iwae:K` (K from the sweep).
  const head = /^iwae[:=]k$/.test(parts[0]!) ? 'K' : parseObjectiveText(parts[0]!);
  if (head !== undefined && (head === 'K' || !head.ok || head.value.kind === 'iwae')) {
    iwae = true;
    if (head === 'K') k = 'K';
    else if (!head.ok) bad(raw, 'K must be a positive integer');
    else if (head.value.kind === 'iwae') k = head.value.k;
    parts.shift();
  }
  const known = ESTIMATOR_NAMES;
  const unknown = parts.find((p) => !known.includes(p) && p !== 'baseline');
  if (unknown !== undefined) bad(raw, unknown === '' ? 'an empty part' : `unknown estimator \`${unknown}\``);
  let baseline = false;
  if (parts.length > 0 && parts[parts.length - 1] === 'baseline') {
    baseline = true;
    parts.pop();
  }
  if (parts.length > 1) bad(raw, `one site estimator at a time, not ${parts.join(' and ')}`);
  const kindText = parts[0] ?? (iwae ? 'reparam' : '');
  const rule = findRule(kindText);
  if (!rule) bad(raw, kindText === '' ? 'a baseline of what? write score+baseline' : `unknown estimator \`${kindText}\``);
  const kind = rule.name;
  if (baseline && rule.score?.baseline !== 'moving-average') bad(raw, 'a baseline applies to the score-function estimator only (write score+baseline; vimco has its own leave-one-out baselines)');
  if (!iwae && !rule.objectives.includes('elbo')) bad(raw, `\`${kind}\` is ${rule.scope ?? 'an estimator of the IWAE bound'}`, `write iwae:5+${kind}`);
  if (iwae && !rule.objectives.includes('iwae')) {
    const cp = rule.counterpart !== undefined ? findRule(rule.counterpart) : undefined;
    bad(raw, `\`${kind}\` is ${rule.scope ?? 'an estimator of the ELBO'}`, cp ? `its IWAE counterpart is ${cp.title} (${cp.reference}): write iwae:5+${cp.name}` : SPEC_HELP);
  }
  const text = `${iwae ? `iwae:${k}` : ''}${iwae && (kind !== 'reparam' || baseline) ? '+' : ''}${iwae && kind === 'reparam' ? '' : kind}${baseline ? '+baseline' : ''}`;
  return { text, iwae, k, kind, baseline };
}

/** Parses a comma-separated list; duplicates are dropped. */
export function parseSpecs(text: string): EstimatorSpec[] {
  const out: EstimatorSpec[] = [];
  for (const part of text.split(',')) {
    const s = parseSpec(part);
    if (!out.some((o) => o.text === s.text)) out.push(s);
  }
  return out;
}

/** The spec with a concrete K (for sweeps): `iwae:K+dreg` at 10 -> `iwae:10+dreg`. */
export function withK(spec: EstimatorSpec, k: number): EstimatorSpec {
  if (!spec.iwae) return spec;
  return { ...spec, k, text: spec.text.replace(/^iwae:(\d+|K)/, `iwae:${k}`) };
}

/** The spec's name in a sweep (K shown as K): `iwae:K+dreg`. */
export function sweepName(spec: EstimatorSpec): string {
  return spec.iwae ? spec.text.replace(/^iwae:(\d+|K)/, 'iwae:K') : spec.text;
}

/** `K=1,5,10,50,100` or `N=1,10,100`. */
export function parseSweep(raw: string): Sweep {
  const hint = 'write --sweep K=1,5,10,50,100 (IWAE particles) or --sweep N=1,10,100,1000,10000 (single-sample estimates averaged per estimate)';
  const m = /^\s*([KkNn])\s*=\s*(.+)$/.exec(raw);
  if (!m) throw new UserError(`invalid --sweep '${raw}'`, hint);
  const axis = m[1]!.toUpperCase() as 'K' | 'N';
  const values: number[] = [];
  for (const p of m[2]!.split(',')) {
    const n = Number(p.trim());
    if (p.trim() === '' || !Number.isInteger(n) || n < 1) throw new UserError(`invalid --sweep '${raw}': '${p.trim()}' is not a positive integer`, hint);
    if (n > 1_000_000) throw new UserError(`invalid --sweep '${raw}': ${n} is too large`, 'use values up to 1000000');
    if (!values.includes(n)) values.push(n);
  }
  values.sort((a, b) => a - b);
  return { axis, values };
}
