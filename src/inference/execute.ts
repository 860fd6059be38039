/**
 * One execution of guide then model on a minibatch, with one DimAllocator for the run
 * (src/inference/dims.ts): the guide runs under
 * [trace, condition(partial labels), seed, plate(particles K), plate(data B), enumerate], the
 * model under [trace, condition(data), replay(guide), seed, plate(particles K), plate(data B)].
 * Both stacks share the plates' frames, so the layout ([...E, K, B, ...event],
 * src/inference/layout.ts) is the same for both. Returns both traces.
 */
import * as tf from '@tensorflow/tfjs';
import type { CheckedProgram } from '../dsl/checked';
import type { CompiledProgram, EvalEnv } from './compile';
import { condition } from './handlers/condition';
import { EnumerateHandler } from './handlers/enumerate';
import { vectorizedPlates } from './handlers/plate';
import { replay } from './handlers/replay';
import { seed } from './handlers/seed';
import { stepMask } from './handlers/mask';
import { TraceHandler, type Trace } from './handlers/trace';
import { sampleMessage, type Handler, type Message, type Observation } from './messages';
import type { ParamStore } from './params';
import type { Plan } from './plan';
import type { Rng } from '../core/rng';
import { fillMissing } from './missing';
import { Runtime } from './runtime';
import { layoutOf, type Layout } from './layout';
import { DimAllocator } from './dims';
import { ruleOf } from './estimators/index';
import { scaleGradient, type GradScaleHolder } from './stop-gradient';

/** A minibatch: data tensors by name ([B, ...]), and the observations handed to `condition`. */
export interface Batch {
  readonly size: number;
  readonly data: ReadonlyMap<string, tf.Tensor>;
  readonly observations: ReadonlyMap<string, Observation>;
  /** Sequences declared `[..T, ...]`: each example's length, float [B], by the bound `T` (absent without such data). */
  readonly lengths?: ReadonlyMap<string, tf.Tensor>;
}

/**
 * Builds a Batch from column tensors. A partly observed column (`y?`) holds -1 where the label
 * is missing: it becomes a value with 0 there plus a float mask (1 = observed). A `?` column of
 * any other kind holds NaN where an entry is missing: it becomes a filled value plus an
 * elementwise mask (src/inference/missing.ts).
 * The caller owns `columns`; the new tensors are owned by the returned batch's caller scope.
 */
export function makeBatch(cp: CheckedProgram, columns: ReadonlyMap<string, tf.Tensor>): Batch {
  const data = new Map<string, tf.Tensor>();
  const observations = new Map<string, Observation>();
  let size = 0;
  const lengths = new Map<string, tf.Tensor>();
  for (const d of cp.data) {
    const col = columns.get(d.name);
    if (!col) continue;
    size = col.shape[0] ?? 0;
    if (d.upTo) {
      // Sequences of up to T steps: trailing steps all NaN are padding (src/data/validate.ts).
      const { value, present } = fillMissing(col, d.type.vk, d.type.shape); // [B, T, ...step] each
      if (!lengths.has(d.upTo.bound)) lengths.set(d.upTo.bound, sequenceLengths(present)); // [B]
      data.set(d.name, value);
      observations.set(d.name, { value, mask: null, ...(d.masked ? { present } : {}) });
    } else if (d.masked) {
      const { value, present } = fillMissing(col, d.type.vk, d.type.shape); // [B, ...event] each
      data.set(d.name, value);
      observations.set(d.name, { value, mask: null, present });
    } else if (d.partial) {
      const mask = tf.cast(tf.greaterEqual(col, 0), 'float32'); // [B]
      const value = tf.maximum(col, 0); // [B] int32
      data.set(d.name, value);
      observations.set(d.name, { value, mask });
    } else {
      data.set(d.name, col);
      observations.set(d.name, { value: col, mask: null });
    }
  }
  // A program without data (e.g. an expectation objective) runs on one pseudo-example.
  return { size: cp.data.length === 0 ? 1 : size, data, observations, ...(lengths.size > 0 ? { lengths } : {}) };
}

/** The length of each sequence, float [B]: one past its last step with an observed entry. `present` is [B, T, ...step]. */
export function sequenceLengths(present: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const T = present.shape[1]!;
    const any = present.rank > 2 ? tf.max(present, Array.from({ length: present.rank - 2 }, (_, i) => i + 2)) : present; // [B, T]
    const upTo = tf.range(1, T + 1, 1, 'float32'); // [T]: t + 1
    return tf.max(tf.mul(any, upTo), 1); // [B]
  });
}

export interface Traces {
  readonly guide: Trace;
  readonly model: Trace;
  /** The tensor layout the handlers used ([...E, K, B, ...event]): K and B are layout.particles and layout.batch. */
  readonly layout: Layout;
  /** The run's dimension allocator (plate frames, enumeration dims still live). */
  readonly dims: DimAllocator;
  /** The guide's environment after it ran (its lets and site values), for expectation objectives. */
  readonly guideEnv: EvalEnv;
}

export interface ExecuteOptions {
  readonly particles: number;
  /** Filled by the objective after the weights are known (DReG); applied to sites whose rule re-weights the path. */
  readonly dregHolder?: GradScaleHolder;
}

function initMessage(estimators: ReadonlyMap<string, Plan['sites'][number]['estimator']>) {
  return (site: { info: Message['site'] }, dist: Message['dist']): Message =>
    sampleMessage(site.info, dist, site.info.block === 'guide' ? (estimators.get(site.info.name) ?? null) : null);
}

export function execute(prog: CompiledProgram, store: ParamStore, plan: Plan, batch: Batch, rng: Rng, opts: ExecuteOptions): Traces {
  const K = opts.particles;
  const B = batch.size;
  const estimators = new Map(plan.sites.map((s) => [s.name, s.estimator]));
  const init = initMessage(estimators);
  const partial = new Map([...batch.observations].filter(([, o]) => o.mask !== null));

  const guideTrace = new TraceHandler();
  const dims = new DimAllocator();
  const plates = vectorizedPlates(dims, K, B);
  const layout = layoutOf(dims);
  const enumerate = new EnumerateHandler(dims, plan.chain?.sites);
  const guideHandlers: Handler[] = [guideTrace];
  if (opts.dregHolder) {
    const holder = opts.dregHolder;
    guideHandlers.push({
      postprocess(msg) {
        if (msg.value && msg.estimator !== null && ruleOf(msg.estimator).reweightPath) msg.value = scaleGradient(msg.value, holder, msg.site.shape.length);
      },
    });
  }
  // Steps past an example's length count 0 (one handler for guide and model: the same masks).
  const steps = batch.lengths ? [stepMask(batch.lengths)] : [];
  guideHandlers.push(...steps, condition(partial), seed(rng.fold(0)), ...plates, enumerate);
  const env = (): EvalEnv => ({ store, data: batch.data, locals: new Map(), detach: false, ...(batch.lengths ? { lengths: batch.lengths } : {}) });
  const guideEnv = prog.guide.run(new Runtime(guideHandlers), env(), init);

  const modelTrace = new TraceHandler();
  const modelHandlers: Handler[] = [modelTrace, ...steps, condition(batch.observations), replay(guideTrace.sites), seed(rng.fold(1)), ...plates];
  prog.model.run(new Runtime(modelHandlers), env(), init);
  return { guide: guideTrace.sites, model: modelTrace.sites, layout, dims, guideEnv };
}
