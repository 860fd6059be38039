/**
 * The TypeScript API: the same engine as the CLI, usable from code (browser-safe; src/api.ts
 * adds compiling files from disk in Node).
 *
 * @example
 *   import { compile, evaluate, gradients } from 'vaelang';
 *   const prog = compile(source, { seed: 1 });
 *   const batch = prog.batch({ x: tf.tensor2d(images, [100, 784]) });
 *   const { mean } = evaluate(prog, batch, { objective: { kind: 'iwae', k: 5 } });
 *   prog.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import type { CheckedProgram } from './dsl/checked';
import { DiagnosticError } from './dsl/diagnostics';
import { checkText, type CheckOptions } from './checking';
import { renderDiagnostics } from './dsl/render-diagnostic';
import type { Objective } from './dsl/train-config';
import { compileProgram, type CompiledProgram } from './inference/compile';
import { makeBatch, type Batch } from './inference/execute';
import { EstimatorState, runObjective, type ObjectiveOutput, type ObjectiveSettings } from './inference/objectives/index';
import { ParamStore } from './inference/params';
import type { Plan } from './inference/plan';
import { Rng } from './core/rng';

export interface CompileOptions {
  /** Seed of the parameter initialization. */
  readonly seed?: number;
  /** `--set` style overrides. */
  readonly sets?: readonly string[];
  /** Estimator overrides, e.g. { y: 'score' }. */
  readonly estimators?: Readonly<Record<string, string>>;
  readonly objective?: Objective;
  /** A file name for diagnostics (source text) or the path (file). */
  readonly name?: string;
}

/** A checked, planned and compiled program with its parameters. Dispose when done. */
export class Program {
  readonly store = new ParamStore();
  readonly state = new EstimatorState();
  readonly compiled: CompiledProgram;

  constructor(
    readonly checked: CheckedProgram,
    readonly plan: Plan,
    seed: number,
  ) {
    this.compiled = compileProgram(checked);
    this.compiled.initParams(this.store, Rng.fromSeed(seed).foldName('init'));
  }

  /** Binds data tensors (by data name) into a batch; partly observed labels use -1 for missing. */
  batch(columns: Readonly<Record<string, tf.Tensor>>): Batch {
    return makeBatch(this.checked, new Map(Object.entries(columns)));
  }

  /** The current value of a parameter variable (e.g. 'param.m', 'encoder.l0.b'). */
  param(name: string): tf.Variable {
    return this.store.get(name);
  }

  dispose(): void {
    this.store.dispose();
    this.state.dispose();
  }
}

export function toOptions(opts: CompileOptions): CheckOptions {
  return {
    sets: opts.sets ?? [],
    overrides: new Map(Object.entries(opts.estimators ?? {})),
    ...(opts.objective ? { objective: opts.objective } : {}),
  };
}

export function fromOutcome(r: ReturnType<typeof checkText>, seed: number): Program {
  if (!r.checked || !r.plan) throw new DiagnosticError(r.diagnostics.filter((d) => d.severity === 'error'));
  return new Program(r.checked, r.plan, seed);
}

/** Compiles `.vae` source text. Throws a DiagnosticError (see `formatErrors`) when it does not check. */
export function compile(source: string, opts: CompileOptions = {}): Program {
  return fromOutcome(checkText(source, opts.name ?? 'input.vae', toOptions(opts)), opts.seed ?? 1);
}


/** Renders the diagnostics of a failed compile. */
export function formatErrors(e: unknown, source?: string, name = 'input.vae'): string {
  if (!(e instanceof DiagnosticError)) return String(e);
  const sources = new Map();
  if (source !== undefined) sources.set(name, { path: name, text: source, lineStarts: [...source.matchAll(/\n/g)].reduce((a, m) => [...a, (m.index ?? 0) + 1], [0]) });
  return renderDiagnostics(e.diagnostics, sources);
}

export interface EvaluateOptions {
  readonly objective?: Objective;
  readonly particles?: number;
  readonly seed?: number;
  readonly beta?: number;
  readonly freeBits?: number;
  readonly classify?: ObjectiveSettings['classify'];
}

function settings(prog: Program, o: EvaluateOptions): { objective: Objective; s: ObjectiveSettings } {
  const cfg = prog.checked.train.config;
  return {
    objective: o.objective ?? prog.plan.objective,
    s: { particles: o.particles ?? cfg.particles, beta: o.beta ?? 1, freeBits: o.freeBits ?? 0, classify: o.classify === undefined ? cfg.classify : o.classify },
  };
}

/** Runs the objective inside `fn`'s tidy scope; `fn` turns the output into plain numbers. */
export function withObjective<T>(prog: Program, batch: Batch, o: EvaluateOptions, fn: (out: ObjectiveOutput) => T): T {
  const { objective, s } = settings(prog, o);
  const rng = Rng.fromSeed(o.seed ?? 0);
  tf.engine().startScope();
  try {
    const out = runObjective(objective, { prog: prog.compiled, store: prog.store, plan: prog.plan, batch, rng, settings: s, state: prog.state });
    const r = fn(out);
    for (const t of out.keep) t.dispose();
    return r;
  } finally {
    tf.engine().endScope();
  }
}

/** The bound per example (ELBO or IWAE) and its mean, as numbers. */
export function evaluate(prog: Program, batch: Batch, o: EvaluateOptions = {}): { mean: number; perExample: Float32Array; surrogate: number } {
  return withObjective(prog, batch, o, (out) => {
    const perExample = out.bound.dataSync() as Float32Array;
    return { mean: perExample.reduce((a, b) => a + b, 0) / perExample.length, perExample: Float32Array.from(perExample), surrogate: out.surrogate.dataSync()[0]! };
  });
}

/**
 * One gradient estimate of the objective's surrogate with respect to every variable
 * (d surrogate / d variable; ascent direction), with the objective's mean value.
 */
export function gradients(prog: Program, batch: Batch, o: EvaluateOptions = {}): { value: number; grads: Map<string, Float32Array> } {
  const { objective, s } = settings(prog, o);
  const rng = Rng.fromSeed(o.seed ?? 0);
  const entries = prog.store.list();
  let kept: tf.Tensor[] = [];
  let boundMean: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = runObjective(objective, { prog: prog.compiled, store: prog.store, plan: prog.plan, batch, rng, settings: s, state: prog.state });
    kept = out.keep;
    boundMean = tf.keep(tf.mean(out.bound));
    return out.surrogate;
  }, entries.map((e) => e.variable));
  const result = new Map<string, Float32Array>();
  for (const e of entries) {
    const g = grads[e.variable.name];
    result.set(e.name, g ? Float32Array.from(g.dataSync() as Float32Array) : new Float32Array(e.variable.size));
  }
  const v = boundMean!.dataSync()[0]!;
  tf.dispose([value, boundMean!, ...kept, ...Object.values(grads)]);
  return { value: v, grads: result };
}

/** The ELBO per example and its mean (Kingma & Welling 2013); `particles` samples per example. */
export function elbo(prog: Program, batch: Batch, o: Omit<EvaluateOptions, 'objective'> = {}): { mean: number; perExample: Float32Array } {
  const r = evaluate(prog, batch, { ...o, objective: { kind: 'elbo' } });
  return { mean: r.mean, perExample: r.perExample };
}

/** The importance-weighted bound with K samples per example (Burda et al. 2015). */
export function iwae(prog: Program, batch: Batch, k: number, o: Omit<EvaluateOptions, 'objective'> = {}): { mean: number; perExample: Float32Array } {
  const r = evaluate(prog, batch, { ...o, objective: { kind: 'iwae', k } });
  return { mean: r.mean, perExample: r.perExample };
}
