/**
 * Sweeps as data: `--grid` axes over `--set` overrides, the models given as files, and the cells
 * they make (a full grid, or `--random N` cells drawn from it).
 *
 * An axis is `KEY=v1,v2,...` (values split on commas outside brackets, so
 * `train.objective=elbo,iwae(k: 5)` has two values). KEY is one of
 *   - `train.NAME`: each value v becomes the fragment `train { NAME: v }`;
 *   - `const NAME`: each value becomes `const NAME = v`;
 *   - a template with `{}`, e.g. `model.z ~ {}=Normal(0, 1),Laplace(0, 1)`: v replaces `{}`.
 * Each fragment goes through the `--set` machinery, so a value that does not check is reported
 * with a location inside the `--grid` text ({@link GridFragment.valueAt} maps it back).
 * With `--random N`, values may also be distributions drawn per cell:
 * `uniform(a, b)`, `loguniform(a, b)` or `randint(a, b)` (both ends included).
 */
import { Rng } from '../core/rng';
import { UserError } from '../core/errors';

export type AxisValues = { readonly kind: 'list'; readonly values: readonly ValueText[] } | { readonly kind: 'uniform' | 'loguniform' | 'randint'; readonly low: number; readonly high: number };

/** A value as written, with its offset in the `--grid` text. */
export interface ValueText {
  readonly text: string;
  readonly at: number;
}

export interface Axis {
  /** The `--grid` argument as written. */
  readonly arg: string;
  /** 0-based position among the `--grid` flags. */
  readonly index: number;
  /** `train.beta`, `const Z`, or the template. */
  readonly key: string;
  /** Offset of the key's name in `arg` (for diagnostics: the `NAME` of `train.NAME` / `const NAME`). */
  readonly nameAt: number;
  readonly name: string;
  readonly kind: 'train' | 'const' | 'template';
  /** The fragment with `{}` where the value goes. */
  readonly template: string;
  readonly values: AxisValues;
}

/** One override of a cell: the fragment given to `--set`, and where its value came from. */
export interface GridFragment {
  readonly axis: number;
  readonly text: string;
  /** The value as it appears in the cell's label. */
  readonly value: string;
  /** Offset of the value in `text`, and in the axis's `--grid` text (-1 for a drawn value). */
  readonly valueAt: { readonly fragment: number; readonly arg: number; readonly length: number };
}

export interface CellSpec {
  readonly file: string;
  /** The model's display name (file name without `.vae`, made unique). */
  readonly model: string;
  readonly fragments: readonly GridFragment[];
}

/** Splits on commas outside (), [], {} and quotes; returns the pieces with their offsets. */
export function splitValues(text: string, offset = 0): ValueText[] {
  const out: ValueText[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    out.push({ text: raw.trim(), at: offset + start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

function gridError(arg: string, message: string, hint: string): UserError {
  return new UserError(`--grid '${arg}': ${message}`, hint, 'VAE602');
}

const DRAW = /^(uniform|loguniform|randint)\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)$/;

/** Parses one `--grid` argument. */
export function parseAxis(arg: string, index: number): Axis {
  let key: string;
  let rest: string;
  let restAt: number;
  let kind: Axis['kind'];
  let template: string;
  let name: string;
  let nameAt: number;
  const holeAt = arg.indexOf('{}');
  if (holeAt >= 0) {
    const eq = arg.indexOf('=', holeAt + 2);
    if (eq < 0) throw gridError(arg, 'a template needs `=` and values after its `{}`', "write e.g. --grid 'model.z ~ {}=Normal(0, 1),Laplace(0, 1)'");
    key = arg.slice(0, eq).trim();
    rest = arg.slice(eq + 1);
    restAt = eq + 1;
    kind = 'template';
    template = key;
    name = key;
    nameAt = 0;
  } else {
    const eq = arg.indexOf('=');
    if (eq < 0) throw gridError(arg, 'expected KEY=v1,v2,...', "write e.g. --grid 'train.beta=1,2,4' or --grid 'const Z=20,50'");
    key = arg.slice(0, eq).trim();
    rest = arg.slice(eq + 1);
    restAt = eq + 1;
    const train = /^train\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(key);
    const cnst = /^const\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(key);
    if (train) {
      kind = 'train';
      name = train[1]!;
      template = `train { ${name}: {} }`;
    } else if (cnst) {
      kind = 'const';
      name = cnst[1]!;
      template = `const ${name} = {}`;
    } else {
      throw gridError(arg, `unknown key '${key}'`, "a key is train.NAME (--grid 'train.beta=1,2,4'), const NAME (--grid 'const Z=20,50'), or a --set fragment with {} for the value (--grid 'model.z ~ {}=Normal(0, 1),Laplace(0, 1)')");
    }
    nameAt = arg.indexOf(name, arg.indexOf(key));
  }
  const trimmed = rest.trim();
  const draw = DRAW.exec(trimmed);
  let values: AxisValues;
  if (draw) {
    const low = Number(draw[2]);
    const high = Number(draw[3]);
    const k = draw[1] as 'uniform' | 'loguniform' | 'randint';
    if (!Number.isFinite(low) || !Number.isFinite(high) || low > high || (k === 'loguniform' && low <= 0) || (k === 'randint' && (!Number.isInteger(low) || !Number.isInteger(high)))) {
      throw gridError(arg, `invalid range ${trimmed}`, k === 'loguniform' ? 'loguniform(a, b) needs 0 < a <= b' : k === 'randint' ? 'randint(a, b) needs whole numbers a <= b' : 'uniform(a, b) needs a <= b');
    }
    values = { kind: k, low, high };
  } else {
    const list = splitValues(rest, restAt);
    if (list.some((v) => v.text === '')) {
      throw gridError(arg, trimmed === '' ? 'no values' : 'an empty value', `give one or more comma-separated values, e.g. --grid '${key}=1,2'`);
    }
    const seen = new Set<string>();
    for (const v of list) {
      if (seen.has(v.text)) throw gridError(arg, `the value ${v.text} is given twice`, 'give each value once (--seeds repeats runs)');
      seen.add(v.text);
    }
    values = { kind: 'list', values: list };
  }
  return { arg, index, key, nameAt, name, kind, template, values };
}

function fragment(axis: Axis, value: string, argAt: number): GridFragment {
  const hole = axis.template.indexOf('{}');
  return {
    axis: axis.index,
    text: axis.template.slice(0, hole) + value + axis.template.slice(hole + 2),
    value,
    valueAt: { fragment: hole, arg: argAt, length: value.length },
  };
}

/** Model display names: file name without `.vae`, made unique like vae compare's. */
export function modelNames(files: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const base = f.replace(/^.*\//, '').replace(/\.vae$/, '');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** Every cell of the grid: models × axis values, in row-major order (the last axis fastest). */
export function gridCells(files: readonly string[], axes: readonly Axis[]): CellSpec[] {
  for (const a of axes) {
    if (a.values.kind !== 'list') throw gridError(a.arg, `${a.values.kind}(...) draws values, which only a random search does`, `add --random N to draw N cells, or list the values: --grid '${a.key}=...'`);
  }
  const names = modelNames(files);
  let cells: CellSpec[] = files.map((file, i) => ({ file, model: names[i]!, fragments: [] }));
  for (const a of axes) {
    const vs = (a.values as { values: readonly ValueText[] }).values;
    cells = cells.flatMap((c) => vs.map((v) => ({ ...c, fragments: [...c.fragments, fragment(a, v.text, v.at)] })));
  }
  return cells;
}

function formatDrawn(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}

/**
 * `--random N`: N cells, each a model and one value per axis drawn independently and uniformly
 * (a listed value, or from the axis's range), with the sweep's seed. Repeated cells are drawn
 * again, up to the number of distinct cells there are.
 */
export function randomCells(files: readonly string[], axes: readonly Axis[], n: number, seed: number): CellSpec[] {
  const names = modelNames(files);
  const finite = axes.every((a) => a.values.kind === 'list');
  const distinct = finite ? files.length * axes.reduce((p, a) => p * (a.values as { values: readonly ValueText[] }).values.length, 1) : Infinity;
  const want = Math.min(n, distinct);
  const u = Rng.fromSeed(seed).foldName('sweep-random').uniforms();
  const cells: CellSpec[] = [];
  const keys = new Set<string>();
  for (let draw = 0; cells.length < want && draw < want * 1000; draw++) {
    const m = Math.min(files.length - 1, Math.floor(u() * files.length));
    const fragments = axes.map((a) => {
      const r = u();
      const v = a.values;
      if (v.kind === 'list') {
        const pick = v.values[Math.min(v.values.length - 1, Math.floor(r * v.values.length))]!;
        return fragment(a, pick.text, pick.at);
      }
      const x = v.kind === 'uniform' ? v.low + r * (v.high - v.low) : v.kind === 'loguniform' ? Math.exp(Math.log(v.low) + r * (Math.log(v.high) - Math.log(v.low))) : Math.min(v.high, v.low + Math.floor(r * (v.high - v.low + 1)));
      return fragment(a, formatDrawn(x), -1);
    });
    const key = `${m}|${fragments.map((f) => f.value).join('|')}`;
    if (keys.has(key)) continue;
    keys.add(key);
    cells.push({ file: files[m]!, model: names[m]!, fragments });
  }
  return cells;
}

/** A cell's label: `model key=value ...` (only the axes that vary, and the model when several). */
export function cellLabel(cell: CellSpec, axes: readonly Axis[], showModel: boolean): string {
  const parts = cell.fragments.map((f) => `${axes[f.axis]!.key.includes('{}') ? axes[f.axis]!.key.replace('{}', f.value) : `${axes[f.axis]!.key}=${f.value}`}`);
  return [...(showModel || parts.length === 0 ? [cell.model] : []), ...parts].join(' ');
}
