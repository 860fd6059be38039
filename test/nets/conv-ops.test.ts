// The convolution ops (custom gradients built from forward convolutions) against tfjs's own
// conv2d and conv2dTranspose kernels and their gradients on the cpu backend (which has every
// kernel), over strides, kernels that are not multiples of the stride, uneven sizes, padding
// and output padding; and the same ops on the wasm backend (which lacks the filter-gradient
// kernel) against those cpu values. Deterministic inputs; tolerances are float32 rounding.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dTranspose, pool, upsampleNearest, type Padding, type Pair } from '../../src/inference/layers/conv-ops';

let previous = '';
beforeAll(async () => {
  previous = tf.getBackend();
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await tf.setBackend(previous);
});

/** Runs `f` on the wasm backend (the suite's default) and returns to cpu. */
async function onWasm<T>(f: () => T): Promise<T> {
  await tf.setBackend('wasm');
  try {
    return f();
  } finally {
    await tf.setBackend('cpu');
  }
}

/** The same values on the wasm backend: inputs rebuilt there from their data. */
function gradsOnWasm(f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor, xs: Float32Array, xShape: number[], ws: Float32Array, wShape: number[]) {
  return onWasm(() => {
    const x = tf.tensor4d(xs, xShape as [number, number, number, number]);
    const w = tf.tensor4d(ws, wShape as [number, number, number, number]);
    const r = grads(f, x, w);
    tf.dispose([x, w]);
    return r;
  });
}

/** Value and gradients (for a fixed random cotangent) of f at (x, w). */
function grads(f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor, x: tf.Tensor4D, w: tf.Tensor4D): { y: Float32Array; dx: Float32Array; dw: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const y = f(x, w);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', 7);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), r)))([x, w]);
    // The cotangent is drawn on the cpu backend's generator in both runs: the same numbers.
    return { y: y.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array, shape: y.shape };
  });
}

function close(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  expect(worst).toBeLessThan(1e-4);
}

const CONV: { h: number; w: number; c: number; co: number; k: Pair; s: Pair; p: Padding }[] = [
  { h: 8, w: 8, c: 1, co: 3, k: [3, 3], s: [1, 1], p: [[1, 1], [1, 1]] },
  { h: 9, w: 7, c: 2, co: 4, k: [4, 3], s: [2, 2], p: [[1, 2], [0, 1]] },
  { h: 28, w: 28, c: 1, co: 2, k: [4, 4], s: [2, 2], p: [[1, 1], [1, 1]] },
  { h: 6, w: 5, c: 3, co: 2, k: [2, 2], s: [3, 2], p: [[0, 0], [0, 0]] },
  { h: 7, w: 7, c: 2, co: 2, k: [5, 5], s: [2, 3], p: [[2, 2], [2, 2]] },
];

describe('conv2d', () => {
  for (const c of CONV) {
    it(`${c.h}x${c.w}x${c.c} -> ${c.co}, kernel ${c.k}, stride ${c.s}, padding ${JSON.stringify(c.p)} = tf.conv2d, gradients included (cpu and wasm)`, async () => {
      const x = tf.randomNormal([2, c.h, c.w, c.c], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([c.k[0], c.k[1], c.c, c.co], 0, 1, 'float32', 2) as tf.Tensor4D;
      const ref = grads((a, b) => tf.conv2d(tf.pad(a, [[0, 0], [...c.p[0]], [...c.p[1]], [0, 0]]) as tf.Tensor4D, b, [...c.s] as [number, number], 'valid'), x, w);
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => conv2d(a, b, c.s, c.p);
      const mine = grads(f, x, w);
      const wasm = await gradsOnWasm(f, x.dataSync() as Float32Array, x.shape, w.dataSync() as Float32Array, w.shape);
      for (const m of [mine, wasm]) {
        expect(m.shape).toEqual(ref.shape);
        close(m.y, ref.y);
        close(m.dx, ref.dx);
        close(m.dw, ref.dw);
      }
      tf.dispose([x, w]);
    });
  }
});

describe('conv2dTranspose', () => {
  const T: { h: number; c: number; co: number; k: number; s: number; crop: number; extra: number; out: number }[] = [
    { h: 7, c: 4, co: 2, k: 4, s: 2, crop: 1, extra: 0, out: 14 },
    { h: 7, c: 3, co: 1, k: 3, s: 2, crop: 1, extra: 1, out: 14 },
    { h: 5, c: 2, co: 3, k: 3, s: 1, crop: 0, extra: 0, out: 7 },
    { h: 4, c: 2, co: 2, k: 5, s: 3, crop: 2, extra: 2, out: 12 },
  ];
  for (const c of T) {
    it(`${c.h} -> ${c.out} (kernel ${c.k}, stride ${c.s}, padding ${c.crop}, output padding ${c.extra}) = tf.conv2dTranspose, gradients included (cpu and wasm)`, async () => {
      const x = tf.randomNormal([2, c.h, c.h, c.c], 0, 1, 'float32', 3) as tf.Tensor4D;
      const w = tf.randomNormal([c.k, c.k, c.c, c.co], 0, 1, 'float32', 4) as tf.Tensor4D; // [kh, kw, C_in, C_out]
      const s: Pair = [c.s, c.s];
      const crop: Padding = [[c.crop, c.crop], [c.crop, c.crop]];
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => conv2dTranspose(a, b, s, crop, [c.extra, c.extra]);
      const mine = grads(f, x, w);
      const wasm = await gradsOnWasm(f, x.dataSync() as Float32Array, x.shape, w.dataSync() as Float32Array, w.shape);
      expect(mine.shape).toEqual([2, c.out, c.out, c.co]);
      expect(wasm.shape).toEqual([2, c.out, c.out, c.co]);
      // tfjs: the full transposed convolution (filter [kh, kw, C_out, C_in]), then the crop; output padding adds zero rows.
      const full = (c.h - 1) * c.s + c.k;
      const ref = grads((a, b) => {
        const y = tf.conv2dTranspose(a, tf.transpose(b, [0, 1, 3, 2]) as tf.Tensor4D, [2, full, full, c.co], c.s, 'valid');
        const grown = tf.pad(y, [[0, 0], [0, Math.max(0, c.extra - c.crop)], [0, Math.max(0, c.extra - c.crop)], [0, 0]]);
        return grown.slice([0, c.crop, c.crop, 0], [2, c.out, c.out, c.co]);
      }, x, w);
      for (const m of [mine, wasm]) {
        close(m.y, ref.y);
        close(m.dx, ref.dx);
        close(m.dw, ref.dw);
      }
      tf.dispose([x, w]);
    });
  }

  it('is the adjoint of conv2d: <conv(u), v> = <u, convT(v)> for the same filter', () => {
    tf.tidy(() => {
      const u = tf.randomNormal([1, 9, 9, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 6) as tf.Tensor4D; // [kh, kw, C, C_out]
      const y = conv2d(u, w, [2, 2], [[0, 0], [0, 0]]); // [1, 4, 4, 4]
      const v = tf.randomNormal(y.shape, 0, 1, 'float32', 8) as tf.Tensor4D;
      const back = conv2dTranspose(v, tf.transpose(w, [0, 1, 3, 2]) as tf.Tensor4D, [2, 2], [[0, 0], [0, 0]], [0, 0]); // [1, 9, 9, 2]
      expect(back.shape).toEqual(u.shape);
      const lhs = tf.sum(tf.mul(y, v)).dataSync()[0]!;
      const rhs = tf.sum(tf.mul(u, back)).dataSync()[0]!;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * (1 + Math.abs(lhs)));
    });
  });
});

describe('upsampling and pooling', () => {
  it('upsampleNearest repeats each pixel into an f x f block', () => {
    const y = tf.tidy(() => upsampleNearest(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), [2, 2]).dataSync());
    expect(Array.from(y)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('pool = tf.maxPool / tf.avgPool', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
      close(pool(x, 'max', [2, 2], [2, 2]).dataSync() as Float32Array, tf.maxPool(x, 2, 2, 'valid').dataSync() as Float32Array);
      close(pool(x, 'avg', [3, 2], [2, 1]).dataSync() as Float32Array, tf.avgPool(x, [3, 2], [2, 1], 'valid').dataSync() as Float32Array);
    });
  });
});
