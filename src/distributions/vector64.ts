/**
 * Functions of the last axis evaluated on the host in double precision, with their gradient
 * given explicitly (a tf.customGrad): the vector counterpart of host64.ts, for the Dirichlet
 * normalizer and KL, whose float32 forms subtract sums of lgamma terms near a log a (at a = 1e4
 * the float32 difference is off by ~1e-2 nats).
 */
import * as tf from '@tensorflow/tfjs';
import { broadcastShapes, numel } from './shapes';
import type { Tensor } from './types';

/**
 * f(x_1, ..., x_n) over the last axis (length k) of the broadcast of the inputs [..., k], in
 * float64: `value` reads one row of every input (each a Float64Array of length k) and returns a
 * number; `partials` writes df/dx_i[j] into g[i][j]. Returns [...]; gradients are summed back
 * to each input's shape over broadcast axes.
 */
export function lastAxis64(
  inputs: readonly Tensor[],
  value: (rows: readonly Float64Array[]) => number,
  partials: (rows: readonly Float64Array[], g: readonly Float64Array[]) => void,
): Tensor {
  return tf.tidy(() => {
    const shape = broadcastShapes(...inputs.map((t) => t.shape));
    const k = shape[shape.length - 1] ?? 1;
    const outShape = shape.slice(0, -1);
    const rows = numel(outShape);
    const full = inputs.map((t) => tf.broadcastTo(t.dtype === 'float32' ? t : tf.cast(t, 'float32'), shape)); // [..., k] each; gradient sums back
    const op = tf.customGrad((...args: unknown[]) => {
      const xs = args.slice(0, -1) as Tensor[];
      const data = xs.map((t) => t.dataSync());
      const bufs = xs.map(() => new Float64Array(k));
      const read = (r: number): void => {
        for (let i = 0; i < xs.length; i++) for (let j = 0; j < k; j++) bufs[i]![j] = data[i]![r * k + j]!;
      };
      const out = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        read(r);
        out[r] = value(bufs);
      }
      return {
        value: tf.tensor(out, outShape, 'float32'), // [...]
        gradFunc: (dy: Tensor) => {
          const dv = dy.dataSync();
          const grads = xs.map(() => new Float32Array(rows * k));
          const g = xs.map(() => new Float64Array(k));
          for (let r = 0; r < rows; r++) {
            const d = dv[r]!;
            if (d === 0) continue;
            read(r);
            partials(bufs, g);
            for (let i = 0; i < xs.length; i++) for (let j = 0; j < k; j++) grads[i]![r * k + j] = d * g[i]![j]!;
          }
          return grads.map((gr) => tf.tensor(gr, shape, 'float32')); // [..., k] each
        },
      };
    });
    return op(...full); // [...]
  });
}
