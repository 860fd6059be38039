/**
 * The runtime side of distributions/constraints.ts `Transform`: how net outputs and `param`
 * variables are mapped onto their constrained kinds, and back (for initial values). The checker
 * decides which transform applies (NetInfo outputs, ParamInfo); this module only applies it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Transform } from '../distributions/constraints';
import { softplus } from '../distributions/softplus';
import { fusedAct } from '../kernels/ops';

/** x mapped onto the transform's kind, elementwise (softmax: over the last axis). */
export function applyTransform(t: Transform, x: tf.Tensor): tf.Tensor {
  switch (t) {
    case 'identity':
      return x;
    case 'softplus':
      return softplus(x); // [...x]
    case 'sigmoid':
      return fusedAct(x, 'sigmoid') ?? tf.sigmoid(x); // [...x] (one kernel on wasm: src/kernels)
    case 'softmax':
      return tf.softmax(x); // [...x]
  }
}

/** The unconstrained value that the transform maps to `v` (a `param`'s initial value). */
export function inverseTransform(t: Transform, v: number): number {
  switch (t) {
    case 'identity':
      return v;
    case 'softplus':
      return v > 20 ? v : Math.log(Math.expm1(v)); // softplus^-1; softplus(v) = v in float32 above 20
    case 'sigmoid':
      return Math.log(v / (1 - v)); // logit
    case 'softmax':
      throw new Error('a softmax output has no scalar inverse');
  }
}
