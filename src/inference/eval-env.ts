/**
 * What compiled expressions run in: the parameter store, the batch's data tensors and the
 * values of sites and lets so far (see compile.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamStore } from './params';

export type RtValue = tf.Tensor | ReadonlyMap<string, tf.Tensor>;

export interface EvalEnv {
  readonly store: ParamStore;
  /** Data tensors by name: [B, ...shape] (int32 for Category). */
  readonly data: ReadonlyMap<string, tf.Tensor>;
  readonly locals: Map<string, RtValue>;
  /** Evaluate nets and params with stopped gradients (STL/DReG use detached guide parameters). */
  readonly detach: boolean;
  /** The lengths [B] of the batch's sequences by the bound of their axis (`T` of `data x: Real[..T, D]`). */
  readonly lengths?: ReadonlyMap<string, tf.Tensor>;
}
