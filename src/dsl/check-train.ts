/**
 * Validates a `train { ... }` block against a table of settings (one entry per key) and
 * resolves it to a TrainConfig. Each entry's parser reads the raw value expressions.
 */
import { buildObjective, OBJECTIVE_ARGS, OBJECTIVE_NAMES, OBJECTIVES } from './objectives';
import type * as A from './ast';
import { diag, problem, type Diagnostic } from './diagnostics';
import type { SourceSet } from './source';
import { didYouMean, suggest } from './suggest';

/** `{ [key]: value }` when the value is defined, else `{}` (optional data fields stay absent). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [k in K]: V }));
import { DEFAULT_TRAIN, type ResolvedTrain, type TrainConfig, type TrainKey } from './train-config';

type Result<T> = { ok: true; value: T } | { ok: false; message: string; hint?: string; span?: A.Expr['span'] };

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

const fail = (message: string, hint?: string, span?: A.Expr['span']): Result<never> => ({ ok: false, message, ...(hint ? { hint } : {}), ...(span ? { span } : {}) });
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

function single(values: readonly A.Expr[], syntax: string): Result<A.Expr> {
  if (values.length !== 1) return fail(`expected one value, found ${values.length}`, `write ${syntax}`, values[1]?.span);
  return ok(values[0]!);
}

function positiveInt(syntax: string, allowZero = false) {
  return (values: readonly A.Expr[]): Result<number> => {
    const v = single(values, syntax);
    if (!v.ok) return v;
    const n = num(v.value);
    if (n === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
      return fail(`expected a ${allowZero ? 'non-negative' : 'positive'} integer`, `write ${syntax}`, v.value.span);
    }
    return ok(n);
  };
}

/** Keyword arguments of `name(a: 1, b: 2)` with their allowed names; positional ones map in order. */
function callArgs(e: A.Expr, allowed: readonly string[]): Result<{ name: string; args: Map<string, A.Expr> }> {
  const fn = e.kind === 'call' ? word(e.callee) : word(e);
  if (fn === undefined) return fail('expected a name such as `adam(lr: 1e-3)`', undefined, e.span);
  const args = new Map<string, A.Expr>();
  if (e.kind === 'call') {
    let pos = 0;
    for (const a of e.args) {
      const name = a.name?.text ?? allowed[pos++];
      if (name === undefined || !allowed.includes(name)) {
        const hint = a.name ? didYouMean(a.name.text, allowed) : undefined;
        return fail(`\`${fn}\` has no argument ${a.name ? `\`${a.name.text}\`` : `number ${pos}`}`, hint ?? `its arguments are: ${allowed.join(', ') || 'none'}`, a.span);
      }
      args.set(name, a.value);
    }
  }
  return ok({ name: fn, args });
}

function numArg(args: Map<string, A.Expr>, name: string, dflt: number, check: (x: number) => boolean, what: string): Result<number> {
  const e = args.get(name);
  if (!e) return ok(dflt);
  const n = num(e);
  if (n === undefined || !check(n)) return fail(`\`${name}\` must be ${what}`, undefined, e.span);
  return ok(n);
}

const SETTINGS: SettingSpec[] = [
  {
    key: 'objective',
    syntax: '`objective: elbo`, `objective: iwae(k: 5)` or `objective: minimize(square(x))`',
    doc: 'The training objective: the ELBO, the importance-weighted bound with K samples (Burda et al. 2015), or the expectation under the guide of an expression of guide sites to minimize or maximize.',
    parse(values, ctx) {
      const v = single(values, this.syntax);
      if (!v.ok) return v;
      const e = v.value;
      if (e.kind === 'call' && e.callee.kind === 'name' && (e.callee.name === 'minimize' || e.callee.name === 'maximize')) {
        const arg = e.args[0];
        if (e.args.length !== 1 || !arg || arg.name !== null) return fail(`\`${e.callee.name}\` takes one expression of guide sites`, 'for example `objective: minimize(square(x))`', e.span);
        const src = ctx.sources.get(arg.value.span.file);
        const text = src ? src.text.slice(arg.value.span.start, arg.value.span.end) : '...';
        return ok({ kind: 'expectation' as const, sense: e.callee.name, text });
      }
      const c = callArgs(v.value, OBJECTIVE_ARGS);
      if (!c.ok) return c;
      const def = OBJECTIVES.get(c.value.name);
      if (!def) return fail(`unknown objective \`${c.value.name}\``, didYouMean(c.value.name, OBJECTIVE_NAMES) ?? 'choose `elbo`, `iwae(k: 5)` or `minimize(f)`', v.value.span);
      const args = new Map<string, number>();
      for (const name of c.value.args.keys()) {
        const a = def.args.find((x) => x.name === name);
        const n = a ? numArg(c.value.args, name, a.default, a.check, a.what) : ok(NaN); // NaN: buildObjective names the stray argument
        if (!n.ok) return n;
        args.set(name, n.value);
      }
      const built = buildObjective(def, args);
      return built.ok ? ok(built.value) : fail(built.problem, undefined, v.value.span);
    },
  },
  { key: 'particles', syntax: '`particles: 1`', doc: 'Monte Carlo samples per example for the ELBO.', parse: positiveInt('`particles: 1`') },
  {
    key: 'optimizer',
    syntax: '`optimizer: adam(lr: 1e-3)`',
    doc: 'adam(lr, beta1, beta2, epsilon), sgd(lr, momentum) or rmsprop(lr, decay, momentum, epsilon).',
    parse(values) {
      const v = single(values, this.syntax);
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
      return fail(`unknown optimizer \`${name}\``, didYouMean(name, ['adam', 'sgd', 'rmsprop']) ?? 'choose adam, sgd or rmsprop', v.value.span);
    },
  },
  { key: 'batch', syntax: '`batch: 100`', doc: 'Examples per minibatch.', parse: positiveInt('`batch: 100`') },
  { key: 'epochs', syntax: '`epochs: 10`', doc: 'Passes over the training data.', parse: positiveInt('`epochs: 10`') },
  { key: 'steps', syntax: '`steps: 5000`', doc: 'A fixed number of optimizer steps (overrides epochs).', parse: positiveInt('`steps: 5000`') },
  {
    key: 'kl',
    syntax: '`kl: auto`',
    doc: 'auto (analytic where the registry has the pair), analytic (required), or mc (always sampled).',
    parse(values) {
      const v = single(values, this.syntax);
      if (!v.ok) return v;
      const w = word(v.value);
      if (w === 'auto' || w === 'analytic' || w === 'mc') return ok(w);
      return fail('expected `auto`, `analytic` or `mc`', w ? didYouMean(w, ['auto', 'analytic', 'mc']) : undefined, v.value.span);
    },
  },
  {
    key: 'beta',
    syntax: '`beta: 1` or `beta: anneal(0 -> 1, epochs: 10)`',
    doc: 'The KL weight β, constant or linearly annealed.',
    parse(values) {
      const v = single(values, this.syntax);
      if (!v.ok) return v;
      const n = num(v.value);
      if (n !== undefined) return n >= 0 ? ok({ kind: 'constant' as const, value: n }) : fail('β must be non-negative', undefined, v.value.span);
      const e = v.value;
      if (e.kind !== 'call' || word(e.callee) !== 'anneal') return fail('expected a number or `anneal(from -> to, epochs: E)`', undefined, e.span);
      const range = e.args[0];
      const lengthArg = e.args[1];
      if (!range || range.name !== null || range.value.kind !== 'arrow' || !lengthArg || !lengthArg.name || e.args.length !== 2) {
        return fail('expected `anneal(from -> to, epochs: E)`', 'for example `beta: anneal(0 -> 1, epochs: 10)`', e.span);
      }
      const from = num(range.value.from);
      const to = num(range.value.to);
      const len = num(lengthArg.value);
      const unit = lengthArg.name.text;
      if (from === undefined || to === undefined || from < 0 || to < 0) return fail('the β range must be two non-negative numbers', undefined, range.span);
      if (unit !== 'epochs' && unit !== 'steps') return fail(`expected \`epochs:\` or \`steps:\`, found \`${unit}:\``, undefined, lengthArg.span);
      if (len === undefined || len <= 0) return fail(`\`${unit}\` must be positive`, undefined, lengthArg.value.span);
      return ok({ kind: 'anneal' as const, from, to, unit, length: len });
    },
  },
  {
    key: 'freeBits',
    syntax: '`freeBits: 0.5`',
    doc: 'Free bits λ (Kingma et al. 2016): each latent dimension pays at least λ nats of KL.',
    parse(values) {
      const v = single(values, this.syntax);
      if (!v.ok) return v;
      const n = num(v.value);
      return n !== undefined && n >= 0 ? ok(n) : fail('free bits must be a non-negative number of nats', undefined, v.value.span);
    },
  },
  {
    key: 'classify',
    syntax: '`classify: y weight 46`',
    doc: 'Adds α·log q(y|x) on labelled examples (the auxiliary loss of Kingma et al. 2014).',
    parse(values, ctx) {
      const site = word(values[0]);
      if (site === undefined) return fail('expected the name of a Category data site', 'write `classify: y weight 46`', values[0]?.span);
      if (!ctx.categoryData.has(site)) {
        return fail(`\`${site}\` is not a Category data declaration`, didYouMean(site, ctx.categoryData.keys()) ?? 'declare it, e.g. `data y: Category[10]?`', values[0]!.span);
      }
      if (values.length === 1) return ok({ site, weight: 1 });
      const weight = num(values[2]);
      if (values.length !== 3 || word(values[1]) !== 'weight' || weight === undefined || weight < 0) {
        return fail('expected `classify: y weight α` with α ≥ 0', undefined, values[1]?.span);
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
      return fail('expected a dataset name or a quoted path', 'for example `dataset: binarized-mnist` or `dataset: "data/x.npy"`', first.span);
    },
  },
  {
    key: 'binarize',
    syntax: '`binarize: dynamic`',
    doc: 'For grayscale data on Binary sites: dynamic (resampled each epoch), threshold (> 0.5), or none.',
    parse(values) {
      const v = single(values, this.syntax);
      if (!v.ok) return v;
      const w = word(v.value);
      if (w === 'dynamic' || w === 'threshold' || w === 'none') return ok(w);
      return fail('expected `dynamic`, `threshold` or `none`', w ? didYouMean(w, ['dynamic', 'threshold', 'none']) : undefined, v.value.span);
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
      return fail('expected `labels: N per class` or `labels: all`', undefined, values[0]?.span);
    },
  },
  { key: 'seed', syntax: '`seed: 1`', doc: 'The random seed of initialization, minibatches and sampling.', parse: positiveInt('`seed: 1`', true) },
  { key: 'earlyStopping', syntax: '`earlyStopping: 5`', doc: 'Stop after this many epochs without a better validation ELBO.', parse: positiveInt('`earlyStopping: 5`') },
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
        diagnostics.push(diag(code, `invalid \`${key}\`: ${r.message}`, { span: r.span ?? entry.values[0]?.span ?? entry.key.span }, { hint: r.hint ?? `write ${spec.syntax}` }));
      }
    }
  }
  return { train: { config: config as unknown as TrainConfig, explicit }, diagnostics };
}

