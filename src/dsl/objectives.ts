/**
 * The objectives, as the language knows them: one entry per named objective (its arguments,
 * paper and doc), one parser of the short form used on the command line and in run records
 * (`elbo`, `iwae`, `iwae:5`, `iwae(k: 5)`), and the descriptions every front end prints. The
 * train block's `objective:` is parsed from the AST by src/dsl/check-train.ts with the same
 * entries; expectation objectives (`minimize(f)`, `maximize(f)`) exist only there, since they
 * carry an expression. How each objective runs is src/inference/objectives/index.ts, a table
 * keyed by the same kinds (a kind without a runner does not compile).
 */
/**
 * `elbo`, `iwae(k: K)`, or an expectation objective `minimize(f)` / `maximize(f)`: the expected
 * value under the guide of an expression `f` of guide sites (e.g. the lecture notes' toy,
 * minimize E[x²] with x ~ N(θ, 1)). The expression itself lives in CheckedProgram.objectiveExpr.
 */
export type Objective =
  | { readonly kind: 'elbo' }
  | { readonly kind: 'iwae'; readonly k: number }
  | { readonly kind: 'expectation'; readonly sense: 'minimize' | 'maximize'; readonly text: string };

export interface ObjectiveArg {
  readonly name: string;
  readonly default: number;
  /** "a positive integer" */
  readonly what: string;
  readonly check: (x: number) => boolean;
}

export interface ObjectiveDef {
  /** As written: `elbo`, `iwae`. */
  readonly name: 'elbo' | 'iwae';
  readonly reference: string;
  readonly doc: string;
  /** Numeric arguments, in positional order; the short form `name:N` gives the first. */
  readonly args: readonly ObjectiveArg[];
  /** A hint when arguments are given to an objective that takes none. */
  readonly noArgs?: string;
  build(args: ReadonlyMap<string, number>): Objective;
}

const positiveInt: Pick<ObjectiveArg, 'what' | 'check'> = { what: 'a positive integer', check: (x) => Number.isInteger(x) && x >= 1 };

export const OBJECTIVES: ReadonlyMap<string, ObjectiveDef> = new Map<string, ObjectiveDef>([
  ['elbo', { name: 'elbo', reference: 'Kingma & Welling 2013', doc: 'the evidence lower bound', args: [], noArgs: 'use `particles: N` for more samples', build: () => ({ kind: 'elbo' }) }],
  ['iwae', { name: 'iwae', reference: 'Burda et al. 2015', doc: 'the importance-weighted bound with K samples', args: [{ name: 'k', default: 5, ...positiveInt }], build: (a) => ({ kind: 'iwae', k: a.get('k') ?? 5 }) }],
]);

/** The names an objective may be written with in a train block. */
export const OBJECTIVE_NAMES: readonly string[] = [...OBJECTIVES.keys(), 'minimize', 'maximize'];

/** Every argument name of the named objectives (the train block's parser accepts these). */
export const OBJECTIVE_ARGS: readonly string[] = [...new Set([...OBJECTIVES.values()].flatMap((d) => d.args.map((a) => a.name)))];

export type ObjectiveParse = { readonly ok: true; readonly value: Objective } | { readonly ok: false; readonly problem: string };

/** Builds a named objective from its arguments, checking each; a problem names what is wrong. */
export function buildObjective(def: ObjectiveDef, args: ReadonlyMap<string, number>): ObjectiveParse {
  if (def.args.length === 0 && args.size > 0) return { ok: false, problem: `\`${def.name}\` takes no arguments${def.noArgs ? `; ${def.noArgs}` : ''}` };
  for (const [name, v] of args) {
    const a = def.args.find((x) => x.name === name);
    if (!a) return { ok: false, problem: `\`${def.name}\` has no argument \`${name}\`` };
    if (!a.check(v)) return { ok: false, problem: `\`${name}\` must be ${a.what}` };
  }
  return { ok: true, value: def.build(args) };
}

/**
 * The short form: `elbo`, `iwae`, `iwae:5` (or `iwae=5`), `iwae(5)`, `iwae(k: 5)`. Undefined when
 * the text is not of that form (the caller says what it expected).
 */
export function parseObjectiveText(text: string): ObjectiveParse | undefined {
  const m = /^([a-z]+)(?:[:=](\d+)|\(\s*(?:([a-z]+)\s*:\s*)?(\d+)\s*\))?$/.exec(text.trim());
  const def = m ? OBJECTIVES.get(m[1]!) : undefined;
  if (!m || !def) return undefined;
  const value = m[2] ?? m[4];
  const args = new Map<string, number>();
  if (value !== undefined) {
    const name = m[3] ?? def.args[0]?.name;
    if (name === undefined) return { ok: false, problem: `\`${def.name}\` takes no arguments${def.noArgs ? `; ${def.noArgs}` : ''}` };
    args.set(name, Number(value));
  }
  return buildObjective(def, args);
}

/** As in a train block: `elbo`, `iwae(k: 5)`, `minimize(square(x))`. */
export function formatObjective(o: Objective): string {
  return o.kind === 'elbo' ? 'elbo' : o.kind === 'iwae' ? `iwae(k: ${o.k})` : `${o.sense}(${o.text})`;
}

/** The short form, as on the command line and in run records: `elbo`, `iwae:5`, `expectation`. */
export function shortObjective(o: Objective): string {
  return o.kind === 'iwae' ? `iwae:${o.k}` : o.kind;
}

/** The quantity's name in logs and figures: `ELBO`, `IWAE-5`, `objective`. */
export function objectiveLabel(o: Objective | undefined): string {
  return !o || o.kind === 'elbo' ? 'ELBO' : o.kind === 'iwae' ? `IWAE-${o.k}` : 'objective';
}
