/**
 * Elementwise functions evaluated on the host in double precision, with their gradient given
 * explicitly (a tf.customGrad): for the Beta and Gamma log-densities and KLs, whose float32
 * formulas are differences of terms near a log a and lose every digit at large concentrations
 * (log B(10⁵, 1.5·10⁵) is −1.1·10⁶ + O(1)). The inputs are read back once (as the Beta and
 * Gamma samplers already do); the work is a few dozen flops per element.
 */
import * as tf from '@tensorflow/tfjs';
import { broadcastShapes, numel } from './shapes';
import type { Tensor } from './types';

/** For each element of `out`, the linear index of the element of `shape` it broadcasts from. */
function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = numel(out);
  const idx = new Int32Array(n);
  const rank = out.length;
  const offset = rank - shape.length;
  const strides = new Array<number>(rank).fill(0); // stride of each output axis in the input (0: broadcast)
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i + offset] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  const pos = new Array<number>(rank).fill(0);
  let lin = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = lin;
    for (let a = rank - 1; a >= 0; a--) {
      pos[a]!++;
      lin += strides[a]!;
      if (pos[a]! < out[a]!) break;
      lin -= strides[a]! * pos[a]!;
      pos[a] = 0;
    }
  }
  return idx;
}

/**
 * f(x_1, ..., x_n) elementwise over the broadcast of the inputs, in float64 on the host.
 * `value` reads the arguments of one element from `x`; `partials` writes ∂f/∂x_i into `g`.
 * Gradients are summed over broadcast axes, back to each input's shape.
 * @example elementwise64([a, b], (x) => lbeta64(x[0], x[1]), (x, g) => { ... }) // [...broadcast]
 */
export function elementwise64(
  inputs: readonly Tensor[],
  value: (x: Float64Array) => number,
  partials: (x: Float64Array, g: Float64Array) => void,
): Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const xs = args.slice(0, -1) as Tensor[];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    save(xs);
    const shape = broadcastShapes(...xs.map((t) => t.shape));
    const n = numel(shape);
    const data = xs.map((t) => t.dataSync());
    const idx = xs.map((t) => broadcastIndex(t.shape, shape));
    const x = new Float64Array(xs.length);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < xs.length; j++) x[j] = data[j]![idx[j]![i]!]!;
      out[i] = value(x);
    }
    return {
      value: tf.tensor(out, shape, 'float32'), // [...broadcast]
      gradFunc: (dy: Tensor) => {
        const dv = dy.dataSync();
        const grads = xs.map((t) => new Float64Array(t.size));
        const g = new Float64Array(xs.length);
        for (let i = 0; i < n; i++) {
          const d = dv[i]!;
          if (d === 0) continue;
          for (let j = 0; j < xs.length; j++) x[j] = data[j]![idx[j]![i]!]!;
          partials(x, g);
          for (let j = 0; j < xs.length; j++) grads[j]![idx[j]![i]!]! += d * g[j]!;
        }
        return grads.map((gr, j) => tf.tensor(Float32Array.from(gr), xs[j]!.shape, 'float32')); // [...input j]
      },
    };
  });
  return op(...(inputs.map((t) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'))) as tf.Tensor[]));
}
