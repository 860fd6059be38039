/**
 * Drawing S independent gradient estimates of one estimator configuration on a fixed minibatch
 * and fixed parameters, and accumulating their per-component moments (stats.ts).
 *
 * Each estimate is the gradient of the objective's surrogate (src/inference/objectives: its
 * value is the bound, its gradient the estimator's, built with stopGradient) with respect to
 * every parameter, as `gradients()` in src/api.ts computes it for a training step — with β = 1,
 * no free bits and no classification term, i.e. the gradient of the bound itself.
 *
 * Two ways to draw:
 *  - loop: one tf.variableGrads per draw, each with its own seed (any program);
 *  - vectorized (programs whose parameters are all `param`s, no nets): the minibatch is repeated
 *    S times (rows s·B + b) and every parameter is replaced by a per-row copy of shape
 *    [S·B, ...shape]; the surrogate is a mean over rows of per-row terms, so draw s's estimate is
 *    S·Σ_b ∂surrogate/∂θ_{sB+b}, and one backward pass yields S independent estimates. Before
 *    using it, a trial checks that the per-row program computes the same surrogate and the same
 *    summed gradient as the shared one at the same seed; otherwise it falls back to the loop.
 *
 * score+baseline: a constant baseline per site, the mean learning signal (the objective's
 * `baselineUpdates`) over separate warm-up draws, so the S measured draws stay i.i.d. (the
 * moving average used in training would make them dependent). Plain score has b = 0.
 * Every draw runs in its own tfjs scope; nothing is left allocated.
 */
import * as tf from '@tensorflow/tfjs';
import { scoped } from '../engine/scope';
import type { Program } from '../program';
import type { Batch } from '../inference/execute';
import { EstimatorState, runObjective, type ObjectiveSettings } from '../inference/objectives/index';
import { ParamStore } from '../inference/params';
import { Rng } from '../core/rng';
import type { PlannedSpec } from './planning';
import { Moments } from './stats';

export interface MeasureOptions {
  /** S: independent gradient estimates. */
  readonly draws: number;
  readonly seed: number;
  /** Particles averaged per estimate under the ELBO / expectation (N); IWAE uses its K. Default 1. */
  readonly particles?: number;
  /** Warm-up draws for score+baseline (default 50). */
  readonly warmup?: number;
  readonly mode?: 'auto' | 'loop' | 'vectorized';
  /** Tensor elements (rows × particles) per vectorized call (default 2^20). */
  readonly budget?: number;
}

export interface Measurement {
  readonly planned: PlannedSpec;
  readonly draws: number;
  /** Particles per estimate (K under IWAE). */
  readonly particles: number;
  readonly msPerDraw: number;
  readonly vectorized: boolean;
  /** The constant baselines used (score+baseline), by site. */
  readonly baselines: Readonly<Record<string, number>>;
  /** Moments of each variable's gradient, by ParamStore entry name. */
  readonly moments: ReadonlyMap<string, Moments>;
}

function settingsFor(planned: PlannedSpec, particles: number): ObjectiveSettings {
  return { particles: planned.objective.kind === 'iwae' ? planned.objective.k : particles, beta: 1, freeBits: 0, classify: null };
}


/** The constant baselines of score+baseline: mean learning signal over `n` warm-up draws. */
function warmBaselines(prog: Program, batch: Batch, planned: PlannedSpec, settings: ObjectiveSettings, rng: Rng, n: number, state: EstimatorState): Record<string, number> {
  const sums = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    scoped(() => {
      const out = runObjective(planned.objective, { prog: prog.compiled, store: prog.store, plan: planned.plan, batch, rng: rng.fold(i), settings, state });
      for (const [site, t] of out.baselineUpdates) sums.set(site, (sums.get(site) ?? 0) + t.dataSync()[0]!);
      tf.dispose(out.keep);
    });
  }
  const values = Object.fromEntries([...sums].map(([k, v]) => [k, v / n]));
  state.load(values);
  return values;
}

/** The minibatch repeated `copies` times (rows c·B + b). A program without data gets `copies` pseudo-examples. */
function replicate(batch: Batch, copies: number): Batch {
  const tile = (t: tf.Tensor): tf.Tensor => tf.tile(t, [copies, ...new Array<number>(Math.max(0, t.rank - 1)).fill(1)]); // [copies·B, ...]
  const data = new Map([...batch.data].map(([k, t]) => [k, tile(t)]));
  const observations = new Map([...batch.observations].map(([k, o]) => [k, { value: batch.data.get(k) === o.value ? data.get(k)! : tile(o.value), mask: o.mask ? tile(o.mask) : null, present: o.present ? tile(o.present) : null }]));
  return { size: batch.size * copies, data, observations };
}

/** A store whose variables are per-row copies [rows, ...shape] of the program's parameters. */
function rowStore(prog: Program, rows: number): ParamStore {
  const vs = new ParamStore();
  for (const e of prog.store.list()) {
    vs.create(e.name, e.group, () => tf.tile(tf.expandDims(e.variable, 0), [rows, ...new Array<number>(e.variable.rank).fill(1)])); // [rows, ...shape]
    vs.setSide(e.group, prog.store.sideOf(e.group));
  }
  return vs;
}

/** Only `param`s (no nets): the per-row substitution applies. */
export function canVectorize(prog: Program): boolean {
  return prog.checked.nets.length === 0 && prog.store.list().length > 0;
}

interface Grad {
  value: number;
  grads: Map<string, tf.Tensor>;
}

/** One surrogate gradient with respect to `store`'s variables (tensors in the caller's scope). */
function surrogateGrad(prog: Program, store: ParamStore, batch: Batch, planned: PlannedSpec, settings: ObjectiveSettings, rng: Rng, state: EstimatorState): Grad {
  let kept: tf.Tensor[] = [];
  const entries = store.list();
  const { value, grads } = tf.variableGrads(() => {
    const out = runObjective(planned.objective, { prog: prog.compiled, store, plan: planned.plan, batch, rng, settings, state });
    kept = out.keep;
    // + 0·Σθ: a parameter the surrogate does not depend on (e.g. q under an enumerated IWAE,
    // where q cancels) gets a zero gradient instead of tfjs's "no connection" error.
    return tf.add(out.surrogate, tf.mul(0, tf.addN(entries.map((e) => tf.sum(e.variable))))) as tf.Scalar;
  }, entries.map((e) => e.variable));
  const v = value.dataSync()[0]!;
  tf.dispose([value, ...kept]);
  return { value: v, grads: new Map(entries.map((e) => [e.name, grads[e.variable.name] ?? tf.zerosLike(e.variable)])) };
}

/** Does the per-row program agree with the shared one (same surrogate, same summed gradient)? */
function vectorizedAgrees(prog: Program, batch: Batch, planned: PlannedSpec, settings: ObjectiveSettings, rng: Rng, state: EstimatorState): boolean {
  try {
    return scoped(() => {
      const copies = 2;
      const rep = replicate(batch, copies);
      const shared = surrogateGrad(prog, prog.store, rep, planned, settings, rng, state);
      const vs = rowStore(prog, rep.size);
      try {
        const rows = surrogateGrad(prog, vs, rep, planned, settings, rng, state);
        if (!(Math.abs(rows.value - shared.value) <= 1e-4 * (1 + Math.abs(shared.value)))) return false;
        for (const [name, g] of shared.grads) {
          const a = g.dataSync();
          const b = tf.sum(rows.grads.get(name)!, 0).dataSync();
          if (a.length !== b.length) return false;
          for (let j = 0; j < a.length; j++) if (!(Math.abs(a[j]! - b[j]!) <= 1e-3 * (1 + Math.abs(a[j]!)))) return false;
        }
        return true;
      } finally {
        vs.dispose();
      }
    });
  } catch {
    return false;
  }
}

/** Measures one planned estimator: S draws, their moments, the time per draw. */
export function measure(prog: Program, batch: Batch, planned: PlannedSpec, opts: MeasureOptions): Measurement {
  const S = opts.draws;
  const settings = settingsFor(planned, opts.particles ?? 1);
  const root = Rng.fromSeed(opts.seed).foldName(planned.label).fold(settings.particles);
  const state = new EstimatorState();
  try {
    const baselines = planned.baseline ? warmBaselines(prog, batch, planned, settings, root.foldName('warm-up'), opts.warmup ?? 50, state) : {};
    const entries = prog.store.list();
    const moments = new Map(entries.map((e) => [e.name, new Moments(e.variable.size)]));
    const rng = root.foldName('draws');
    const mode = opts.mode ?? 'auto';
    if (mode === 'vectorized' && !canVectorize(prog)) throw new Error('vectorized draws need a program whose parameters are all `param`s (no nets)');
    const vectorized = mode === 'vectorized' || (mode === 'auto' && canVectorize(prog) && vectorizedAgrees(prog, batch, planned, settings, rng.foldName('trial'), state));
    let t0 = performance.now();
    if (vectorized) {
      const per = Math.max(1, Math.min(S, Math.floor((opts.budget ?? 2 ** 20) / (batch.size * settings.particles))));
      const stores = new Map<number, ParamStore>();
      try {
        for (let c = 0, done = 0; done < S; c++) {
          const n = Math.min(per, S - done);
          scoped(() => {
            const rep = replicate(batch, n);
            let vs = stores.get(n);
            if (!vs) {
              vs = rowStore(prog, rep.size);
              stores.set(n, vs);
            }
            const { grads } = surrogateGrad(prog, vs, rep, planned, settings, rng.fold(c), state);
            for (const e of entries) {
              const g = grads.get(e.name)!; // [n·B, ...shape]
              const perDraw = tf.mul(tf.sum(tf.reshape(g, [n, batch.size, e.variable.size]), 1), n); // [n, size]
              moments.get(e.name)!.pushRows(perDraw.dataSync(), n);
            }
          });
          done += n;
        }
      } finally {
        for (const vs of stores.values()) vs.dispose();
      }
    } else {
      scoped(() => surrogateGrad(prog, prog.store, batch, planned, settings, rng.foldName('untimed'), state)); // kernels compiled, caches warm
      t0 = performance.now();
      for (let i = 0; i < S; i++) {
        scoped(() => {
          const { grads } = surrogateGrad(prog, prog.store, batch, planned, settings, rng.fold(i), state);
          for (const e of entries) moments.get(e.name)!.push(grads.get(e.name)!.dataSync());
        });
      }
    }
    const msPerDraw = (performance.now() - t0) / S;
    return { planned, draws: S, particles: settings.particles, msPerDraw, vectorized, baselines, moments };
  } finally {
    state.dispose();
  }
}
