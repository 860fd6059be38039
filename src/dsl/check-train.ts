/**
 * Validates a `train { ... }` block against a table of settings (one entry per key) and
 * resolves it to a TrainConfig. Each entry's parser reads the raw value expressions.
 */
import { OBJECTIVE_ARGS, OBJECTIVE_NAMES, OBJECTIVES } from './objectives';
import type * as A from './ast';
import { problem, type Diagnostic } from './diagnostics';
import type { SettingValueProblem } from './problems/train';
import type { SourceSet } from './source';
import { suggest } from './suggest';

/** `{ [key]: value }` when the value is defined, else `{}` (optional data fields stay absent). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [k in K]: V }));
import { DEFAULT_TRAIN, type ResolvedTrain, type TrainConfig, type TrainKey } from './train-config';

type Result<T> = { ok: true; value: T } | { ok: false; problem: SettingValueProblem; span?: A.Expr['span'] };

interface EntryContext {
  readonly entry: A.TrainEntry;
  readonly sources: SourceSet;
  /** Names of data sites, for `classify: y`. */
  readonly categoryData: ReadonlyMap<string, boolean>;
}

interface SettingSpec {
  readonly key: TrainKey;
  readonly syntax: string;
  readonly doc: string;
  parse(values: readonly A.Expr[], ctx: EntryContext): Result<TrainConfig[TrainKey]>;
}

const fail = (problem: SettingValueProblem, span?: A.Expr['span']): Result<never> => ({ ok: false, problem, ...(span ? { span } : {}) });
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

function num(e: A.Expr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.kind === 'number') return e.value;
  if (e.kind === 'neg' && e.operand.kind === 'number') return -e.operand.value;
  return undefined;
}

function word(e: A.Expr | undefined): string | undefined {
  return e?.kind === 'name' ? e.name : undefined;
}

function single(values: readonly A.Expr[]): Result<A.Expr> {
  if (values.length !== 1) return fail({ kind: 'value-count', found: values.length }, values[1]?.span);
  return ok(values[0]!);
}

function positiveInt(allowZero = false) {
  return (values: readonly A.Expr[]): Result<number> => {
    const v = single(values);
    if (!v.ok) return v;
    const n = num(v.value);
    if (n === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
      return fail({ kind: 'not-an-integer', found: n ?? null, allowZero }, v.value.span);
    }
    return ok(n);
  };
}

/** Keyword arguments of `name(a: 1, b: 2)` with their allowed names; positional ones map in order. */
function callArgs(e: A.Expr, allowed: readonly string[]): Result<{ name: string; args: Map<string, A.Expr> }> {
  const fn = e.kind === 'call' ? word(e.callee) : word(e);
  if (fn === undefined) return fail({ kind: 'not-a-call' }, e.span);
  const args = new Map<string, A.Expr>();
  if (e.kind === 'call') {
    let pos = 0;
    for (const a of e.args) {
      const name = a.name?.text ?? allowed[pos++];
      if (name === undefined || !allowed.includes(name)) {
        const argument = a.name?.text ?? null;
        return fail({ kind: 'no-such-argument', callee: fn, argument, position: pos, allowed, ...optional('suggestion', argument !== null ? suggest(argument, allowed) : undefined) }, a.span);
      }
      args.set(name, a.value);
    }
  }
  return ok({ name: fn, args });
}

const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'];

/** One of a few words; `w`: the word written, if the value is one. */
function oneOf(w: string | undefined, allowed: readonly string[], span: A.Expr['span']): Result<never> {
  return fail({ kind: 'not-one-of', found: w ?? null, allowed, ...optional('suggestion', w !== undefined ? suggest(w, allowed) : undefined) }, span);
}

function numArg(args: Map<string, A.Expr>, name: string, dflt: number, check: (x: number) => boolean, what: string): Result<number> {
  const e = args.get(name);
  if (!e) return ok(dflt);
  const n = num(e);
  if (n === undefined || !check(n)) return fail({ kind: 'bad-argument', argument: name, found: n ?? null, expected: what }, e.span);
  return ok(n);
}

const SETTINGS: SettingSpec[] = [
  {
    key: 'objective',
    syntax: '`objective: elbo`, `objective: iwae(k: 5)` or `objective: minimize(square(x))`',
    doc: 'The training objective: the ELBO, the importance-weighted bound with K samples (Burda et al. 2015), or the expectation under the guide of an expression of guide sites to minimize or maximize.',
    parse(values, ctx) {
      const v = single(values);
      if (!v.ok) return v;
      const e = v.value;
      if (e.kind === 'call' && e.callee.kind === 'name' && (e.callee.name === 'minimize' || e.callee.name === 'maximize')) {
        const arg = e.args[0];
        if (e.args.length !== 1 || !arg || arg.name !== null) return fail({ kind: 'expectation-arity', sense: e.callee.name }, e.span);
        const src = ctx.sources.get(arg.value.span.file);
        const text = src ? src.text.slice(arg.value.span.start, arg.value.span.end) : '...';
        return ok({ kind: 'expectation' as const, sense: e.callee.name, text });
      }
      const c = callArgs(v.value, OBJECTIVE_ARGS);
      if (!c.ok) return c;
      const def = OBJECTIVES.get(c.value.name);
      if (!def) return fail({ kind: 'unknown-objective', found: c.value.name, allowed: OBJECTIVE_NAMES, ...optional('suggestion', suggest(c.value.name, OBJECTIVE_NAMES)) }, v.value.span);
      const args = new Map<string, number>();
      let stray: string | undefined;
      for (const name of c.value.args.keys()) {
        const a = def.args.find((x) => x.name === name);
        const n = a ? numArg(c.value.args, name, a.default, a.check, a.what) : ok(NaN);
        if (!n.ok) return n;
        if (!a) stray ??= name;
        args.set(name, n.value);
      }
      // As buildObjective would say it; every argument it knows was checked above.
      if (def.args.length === 0 && args.size > 0) return fail({ kind: 'objective-takes-no-arguments', objective: def.name, ...optional('note', def.noArgs) }, v.value.span);
      if (stray !== undefined) return fail({ kind: 'objective-no-argument', objective: def.name, argument: stray }, v.value.span);
      return ok(def.build(args));
    },
  },
  { key: 'particles', syntax: '`particles: 1`', doc: 'Monte Carlo samples per example for the ELBO.', parse: positiveInt() },
  {
    key: 'optimizer',
    syntax: '`optimizer: adam(lr: 1e-3)`',
    doc: 'adam(lr, beta1, beta2, epsilon), sgd(lr, momentum) or rmsprop(lr, decay, momentum, epsilon).',
    parse(values) {
      const v = single(values);
      if (!v.ok) return v;
      const pos = (x: number) => x > 0;
      const unit = (x: number) => x >= 0 && x < 1;
      const c0 = callArgs(v.value, ['lr', 'beta1', 'beta2', 'epsilon', 'momentum', 'decay']);
      if (!c0.ok) return c0;
      const name = c0.value.name;
      if (name === 'adam') {
        const c = callArgs(v.value, ['lr', 'beta1', 'beta2', 'epsilon']);
        if (!c.ok) return c;
        const lr = numArg(c.value.args, 'lr', 1e-3, pos, 'positive');
        const b1 = numArg(c.value.args, 'beta1', 0.9, unit, 'in [0, 1)');
        const b2 = numArg(c.value.args, 'beta2', 0.999, unit, 'in [0, 1)');
        const eps = numArg(c.value.args, 'epsilon', 1e-8, pos, 'positive');
        for (const r of [lr, b1, b2, eps]) if (!r.ok) return r;
        return ok({ kind: 'adam' as const, lr: (lr as { value: number }).value, beta1: (b1 as { value: number }).value, beta2: (b2 as { value: number }).value, epsilon: (eps as { value: number }).value });
      }
      if (name === 'sgd') {
        const c = callArgs(v.value, ['lr', 'momentum']);
        if (!c.ok) return c;
        const lr = numArg(c.value.args, 'lr', 1e-2, pos, 'positive');
        const m = numArg(c.value.args, 'momentum', 0, unit, 'in [0, 1)');
        if (!lr.ok) return lr;
        if (!m.ok) return m;
        return ok({ kind: 'sgd' as const, lr: lr.value, momentum: m.value });
      }
      if (name === 'rmsprop') {
        const c = callArgs(v.value, ['lr', 'decay', 'momentum', 'epsilon']);
        if (!c.ok) return c;
        const lr = numArg(c.value.args, 'lr', 1e-3, pos, 'positive');
        const d = numArg(c.value.args, 'decay', 0.9, unit, 'in [0, 1)');
        const m = numArg(c.value.args, 'momentum', 0, unit, 'in [0, 1)');
        const eps = numArg(c.value.args, 'epsilon', 1e-7, pos, 'positive');
        for (const r of [lr, d, m, eps]) if (!r.ok) return r;
        return ok({ kind: 'rmsprop' as const, lr: (lr as { value: number }).value, decay: (d as { value: number }).value, momentum: (m as { value: number }).value, epsilon: (eps as { value: number }).value });
      }
      return fail({ kind: 'unknown-optimizer', found: name, allowed: OPTIMIZERS, ...optional('suggestion', suggest(name, OPTIMIZERS)) }, v.value.span);
    },
  },
  { key: 'batch', syntax: '`batch: 100`', doc: 'Examples per minibatch.', parse: positiveInt() },
  { key: 'epochs', syntax: '`epochs: 10`', doc: 'Passes over the training data.', parse: positiveInt() },
  { key: 'steps', syntax: '`steps: 5000`', doc: 'A fixed number of optimizer steps (overrides epochs).', parse: positiveInt() },
  {
    key: 'kl',
    syntax: '`kl: auto`',
    doc: 'auto (analytic where the registry has the pair), analytic (required), or mc (always sampled).',
    parse(values) {
      const v = single(values);
      if (!v.ok) return v;
      const w = word(v.value);
      if (w === 'auto' || w === 'analytic' || w === 'mc') return ok(w);
      return oneOf(w, ['auto', 'analytic', 'mc'], v.value.span);
    },
  },
  {
    key: 'beta',
    syntax: '`beta: 1` or `beta: anneal(0 -> 1, epochs: 10)`',
    doc: 'The KL weight β, constant or linearly annealed.',
    parse(values) {
      const v = single(values);
      if (!v.ok) return v;
      const n = num(v.value);
      if (n !== undefined) return n >= 0 ? ok({ kind: 'constant' as const, value: n }) : fail({ kind: 'negative-beta', found: n }, v.value.span);
      const e = v.value;
      if (e.kind !== 'call' || word(e.callee) !== 'anneal') return fail({ kind: 'beta-form' }, e.span);
      const range = e.args[0];
      const lengthArg = e.args[1];
      if (!range || range.name !== null || range.value.kind !== 'arrow' || !lengthArg || !lengthArg.name || e.args.length !== 2) {
        return fail({ kind: 'anneal-form' }, e.span);
      }
      const from = num(range.value.from);
      const to = num(range.value.to);
      const len = num(lengthArg.value);
      const unit = lengthArg.name.text;
      if (from === undefined || to === undefined || from < 0 || to < 0) return fail({ kind: 'anneal-range', from: from ?? null, to: to ?? null }, range.span);
      if (unit !== 'epochs' && unit !== 'steps') return fail({ kind: 'anneal-unit', found: unit }, lengthArg.span);
      if (len === undefined || len <= 0) return fail({ kind: 'anneal-length', unit, found: len ?? null }, lengthArg.value.span);
      return ok({ kind: 'anneal' as const, from, to, unit, length: len });
    },
  },
  {
    key: 'freeBits',
    syntax: '`freeBits: 0.5`',
    doc: 'Free bits λ (Kingma et al. 2016): each latent dimension pays at least λ nats of KL.',
    parse(values) {
      const v = single(values);
      if (!v.ok) return v;
      const n = num(v.value);
      return n !== undefined && n >= 0 ? ok(n) : fail({ kind: 'free-bits', found: n ?? null }, v.value.span);
    },
  },
  {
    key: 'classify',
    syntax: '`classify: y weight 46`',
    doc: 'Adds α·log q(y|x) on labelled examples (the auxiliary loss of Kingma et al. 2014).',
    parse(values, ctx) {
      const site = word(values[0]);
      if (site === undefined) return fail({ kind: 'classify-site' }, values[0]?.span);
      if (!ctx.categoryData.has(site)) {
        return fail({ kind: 'classify-not-category', site, categories: [...ctx.categoryData.keys()], ...optional('suggestion', suggest(site, ctx.categoryData.keys())) }, values[0]!.span);
      }
      if (values.length === 1) return ok({ site, weight: 1 });
      const weight = num(values[2]);
      if (values.length !== 3 || word(values[1]) !== 'weight' || weight === undefined || weight < 0) {
        return fail({ kind: 'classify-weight', found: weight ?? null }, values[1]?.span);
      }
      return ok({ site, weight });
    },
  },
  {
    key: 'dataset',
    syntax: '`dataset: binarized-mnist`',
    doc: 'The default dataset: a name (binarized-mnist, mnist, fashion-mnist, ring, ...) or a file path in quotes.',
    parse(values, ctx) {
      const first = values[0]!;
      if (first.kind === 'string' && values.length === 1) return ok(first.value);
      const src = ctx.sources.get(first.span.file);
      const last = values[values.length - 1]!;
      const text = src ? src.text.slice(first.span.start, last.span.end).replace(/\s+/g, '') : undefined;
      if (text && /^[A-Za-z0-9_.\-/]+$/.test(text)) return ok(text);
      return fail({ kind: 'dataset-form' }, first.span);
    },
  },
  {
    key: 'binarize',
    syntax: '`binarize: dynamic`',
    doc: 'For grayscale data on Binary sites: dynamic (resampled each epoch), threshold (> 0.5), or none.',
    parse(values) {
      const v = single(values);
      if (!v.ok) return v;
      const w = word(v.value);
      if (w === 'dynamic' || w === 'threshold' || w === 'none') return ok(w);
      return oneOf(w, ['dynamic', 'threshold', 'none'], v.value.span);
    },
  },
  {
    key: 'labelsPerClass',
    syntax: '`labels: 100 per class`',
    doc: 'Keep the first N labels of each class (by index); the others are treated as missing.',
    parse(values) {
      if (values.length === 1 && word(values[0]) === 'all') return ok(null);
      const n = num(values[0]);
      if (values.length === 3 && n !== undefined && Number.isInteger(n) && n > 0 && word(values[1]) === 'per' && word(values[2]) === 'class') return ok(n);
      return fail({ kind: 'labels-form' }, values[0]?.span);
    },
  },
  { key: 'seed', syntax: '`seed: 1`', doc: 'The random seed of initialization, minibatches and sampling.', parse: positiveInt(true) },
  { key: 'earlyStopping', syntax: '`earlyStopping: 5`', doc: 'Stop after this many epochs without a better validation ELBO.', parse: positiveInt() },
];

/** Settings as PyTorch scripts and other tools name them, with where they live here. */

/** The key as written in files: `labels` is the surface name of `labelsPerClass`. */
const SURFACE: Partial<Record<TrainKey, string>> = { labelsPerClass: 'labels' };
const BY_SURFACE = new Map(SETTINGS.map((s) => [SURFACE[s.key] ?? s.key, s]));

export function trainSettingDocs(): { key: string; syntax: string; doc: string }[] {
  return SETTINGS.map((s) => ({ key: SURFACE[s.key] ?? s.key, syntax: s.syntax, doc: s.doc }));
}

export function checkTrain(
  decls: readonly A.TrainDecl[],
  sources: SourceSet,
  categoryData: ReadonlyMap<string, boolean>,
): { train: ResolvedTrain; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const config: Record<string, unknown> = { ...DEFAULT_TRAIN };
  const explicit = new Set<TrainKey>();
  const seen = new Map<string, A.TrainEntry>();
  for (const decl of decls) {
    for (const entry of decl.entries) {
      const key = entry.key.text;
      const spec = BY_SURFACE.get(key);
      if (!spec) {
        diagnostics.push(
          problem('VAE601', { kind: 'unknown-setting', found: key, settings: [...BY_SURFACE.keys()], ...optional('suggestion', suggest(key, BY_SURFACE.keys())) }, { span: entry.key.span }),
        );
        continue;
      }
      const prev = seen.get(key);
      if (prev && prev.span.file === entry.span.file) {
        diagnostics.push(
          problem('VAE607', { kind: 'setting-set-twice', key }, { span: entry.key.span }, { secondary: [{ span: prev.key.span, message: 'first set here' }] }),
        );
      }
      seen.set(key, entry);
      const r = spec.parse(entry.values, { entry, sources, categoryData });
      if (r.ok) {
        config[spec.key] = r.value;
        explicit.add(spec.key);
      } else {
        const code = spec.key === 'classify' ? 'VAE606' : 'VAE602';
        diagnostics.push(problem(code, { kind: 'bad-setting', setting: key, syntax: spec.syntax, problem: r.problem }, { span: r.span ?? entry.values[0]?.span ?? entry.key.span }));
      }
    }
  }
  return { train: { config: config as unknown as TrainConfig, explicit }, diagnostics };
}

