/**
 * 2-D convolutions on NHWC tensors that differentiate on every backend and run on the
 * backend's fast convolution kernel (XNNPACK on wasm) for the forward and both backward passes.
 *
 * Why not plain tf.conv2d / tf.conv2dTranspose: tfjs-backend-wasm 4.22 has no
 * Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there ("kernel not registered"),
 * and its Conv2DBackpropInput (which tf.conv2dTranspose runs) is a plain loop: measured on this
 * machine, 165 ms for one [32, 7, 7, 64] -> [32, 16, 16, 32] input gradient, where tf.conv2d
 * takes 14 ms for the same multiply-adds. Slice, concat and gather are slow there too (Slice
 * copies its whole input on every call), so nothing below slices activations: every step is a
 * convolution, a zero pad, a reshape, a transpose of rank ≤ 4 or an elementwise op.
 *
 * Three identities do the work (s the stride, p the padding, k the kernel size):
 *  - transposed convolution = stride-1 convolution of the input dilated by s (s − 1 zeros
 *    between pixels, two reshape-and-pad steps) and padded by k − 1 − p, with the kernel
 *    flipped: a transposed convolution's forward pass and a convolution's input gradient;
 *  - the adjoint of a transposed convolution is the strided convolution with the same padding:
 *    a transposed convolution's input gradient;
 *  - the filter gradient Σ_{n,p,q} a[n, s·p + i, s·q + j, c] · b[n, p, q, o] is a convolution with
 *    the example axis as channels and b as a filter dilated by s (`correlationGradient`).
 * The dilated form spends s² times the multiply-adds of an ideal transposed convolution on
 * zeros; the alternatives on this backend (col2im with slices or gathers, or its own
 * Conv2DBackpropInput) measured slower. Padding that would have to be negative (a padding
 * larger than k − 1, or output_padding larger than the padding) falls back to slicing.
 * Tests compare both ops and their gradients with tfjs's own kernels on the cpu backend.
 *
 * Layouts: x [N, H, W, C]; both filters [kh, kw, C_in, C_out] (a convolution's is tfjs's; a
 * transposed convolution maps C_in channels to C_out). Padding is explicit per side,
 * [[top, bottom], [left, right]].
 */
import * as tf from '@tensorflow/tfjs';

export type Pair = readonly [number, number];
export type Padding = readonly [Pair, Pair];
type Explicit = [[number, number], [number, number], [number, number], [number, number]];

/** The spatial size after a 'valid' convolution: floor((n - k) / s) + 1. */
export function validOut(n: number, k: number, s: number): number {
  return Math.floor((n - k) / s) + 1;
}

/**
 * Adds `pad` rows and columns of zeros to x [N, H, W, C] on each side; a negative amount removes
 * rows instead (a slice: the rare fallback described above).
 */
function padOrCrop(x: tf.Tensor4D, pad: Padding): tf.Tensor4D {
  const [[t, b], [l, r]] = pad;
  let y = x;
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const [n, h, w, c] = y.shape;
    const top = Math.max(0, -t);
    const left = Math.max(0, -l);
    y = y.slice([0, top, left, 0], [n, h - top - Math.max(0, -b), w - left - Math.max(0, -r), c]); // [N, ≤H, ≤W, C]
  }
  if (t > 0 || b > 0 || l > 0 || r > 0) y = tf.pad(y, [[0, 0], [Math.max(0, t), Math.max(0, b)], [Math.max(0, l), Math.max(0, r)], [0, 0]]); // [N, H', W', C]
  return y;
}

/** s − 1 zero rows (columns) after every row (column) of x [N, H, W, C]: [N, H·sh, W·sw, C]. */
function dilate(x: tf.Tensor4D, stride: Pair): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [sh, sw] = stride;
  let y: tf.Tensor = x;
  if (sh > 1) y = tf.pad(y.reshape([n, h, 1, w * c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]).reshape([n, h * sh, w, c]); // [N, H·sh, W, C]
  if (sw > 1) y = tf.pad(y.reshape([n * h * sh, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]).reshape([n, h * sh, w * sw, c]); // [N, H·sh, W·sw, C]
  return y as tf.Tensor4D;
}

/** tf.conv2d with explicit padding, which may be negative (then the input is cropped first). */
function convExplicit(x: tf.Tensor4D, w: tf.Tensor4D, stride: Pair, pad: Padding, dilations: Pair = [1, 1]): tf.Tensor4D {
  const negative = pad[0][0] < 0 || pad[0][1] < 0 || pad[1][0] < 0 || pad[1][1] < 0;
  const input = negative ? padOrCrop(x, pad) : x; // [N, H', W', C]
  const p: Explicit = negative ? [[0, 0], [0, 0], [0, 0], [0, 0]] : [[0, 0], [pad[0][0], pad[0][1]], [pad[1][0], pad[1][1]], [0, 0]];
  const none = p.every(([a, b]) => a === 0 && b === 0);
  return tf.conv2d(input, w, [stride[0], stride[1]], none ? 'valid' : p, 'NHWC', [dilations[0], dilations[1]]); // [N, Ho, Wo, C_out]
}

/**
 * The transposed convolution (PyTorch's ConvTranspose2d): x [N, H, W, C_in], w [kh, kw, C_in, C_out]
 * -> [N, (H − 1)·s − pt − pb + k + extra, ..., C_out], as a stride-1 convolution of the dilated
 * input with the flipped kernel.
 */
function transposedConv(x: tf.Tensor4D, w: tf.Tensor4D, stride: Pair, crop: Padding, extra: Pair): tf.Tensor4D {
  const [kh, kw] = w.shape;
  const [sh, sw] = stride;
  // dilate() leaves s − 1 zero rows after the last pixel, which the bottom padding accounts for.
  const pad: Padding = [
    [kh - 1 - crop[0][0], kh - 1 - crop[0][1] + extra[0] - (sh - 1)],
    [kw - 1 - crop[1][0], kw - 1 - crop[1][1] + extra[1] - (sw - 1)],
  ];
  return convExplicit(dilate(x, stride), tf.reverse(w, [0, 1]) as tf.Tensor4D, [1, 1], pad); // [N, Ho, Wo, C_out]
}

/**
 * The filter gradient of a strided correlation, G [kh, kw, Ca, Cb] with
 *   G[i, j, c, o] = Σ_{n, p, q} a[n, s·p + i, s·q + j, c] · b[n, p, q, o],
 * for a [N, Ha, Wa, Ca] and b [N, Hb, Wb, Cb]: conv2d(a as [Ca, Ha, Wa, N], b as a filter
 * [Hb, Wb, N, Cb] dilated by s), whose first kh x kw outputs are G.
 */
function correlationGradient(a: tf.Tensor4D, b: tf.Tensor4D, kh: number, kw: number, stride: Pair): tf.Tensor4D {
  const lhs = tf.transpose(a, [3, 1, 2, 0]) as tf.Tensor4D; // [Ca, Ha, Wa, N]
  const filter = tf.transpose(b, [1, 2, 0, 3]) as tf.Tensor4D; // [Hb, Wb, N, Cb]
  const r = convExplicit(lhs, filter, [1, 1], [[0, 0], [0, 0]], stride); // [Ca, ≥kh, ≥kw, Cb]
  const g = r.shape[1] === kh && r.shape[2] === kw ? r : padOrCrop(r, [[0, kh - r.shape[1]], [0, kw - r.shape[2]]]); // [Ca, kh, kw, Cb]
  return tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D; // [kh, kw, Ca, Cb]
}

/** The output padding that makes a transposed convolution give back n rows: (n + pt + pb − k) mod s. */
function adjointExtra(n: number, k: number, s: number, before: number, after: number): number {
  return (n + before + after - k) % s;
}

/** y = conv2d(x, w) with stride and explicit padding: x [N, H, W, C], w [kh, kw, C, C_out] -> [N, Ho, Wo, C_out]. */
const paddedConv = (stride: Pair, pad: Padding) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: convExplicit(x, w, stride, pad), // [N, Ho, Wo, C_out]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy as tf.Tensor4D;
        const [, h, wd] = sx.shape;
        const [kh, kw] = sw.shape;
        // The input gradient is the transposed convolution of dy, sized back to x.
        const extra: Pair = [adjointExtra(h, kh, stride[0], pad[0][0], pad[0][1]), adjointExtra(wd, kw, stride[1], pad[1][0], pad[1][1])];
        const dx = transposedConv(dy4, tf.transpose(sw, [0, 1, 3, 2]) as tf.Tensor4D, stride, pad, extra); // [N, H, W, C]
        const dw = correlationGradient(padOrCrop(sx, pad), dy4, kh, kw, stride); // [kh, kw, C, C_out]
        return [dx, dw];
      },
    };
  }) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor4D;

/** The transposed convolution with its gradients: x [N, H, W, C_in], w [kh, kw, C_in, C_out]. */
const croppedDeconv = (stride: Pair, crop: Padding, extra: Pair) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: transposedConv(x, w, stride, crop, extra), // [N, Ho, Wo, C_out]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [kh, kw] = sw.shape;
        // dy in the frame of the uncropped output (output_padding rows dropped, padding rows zero).
        const frame: Padding = [
          [crop[0][0], crop[0][1] - extra[0]],
          [crop[1][0], crop[1][1] - extra[1]],
        ];
        const dfull = padOrCrop(dy as tf.Tensor4D, frame); // [N, (H − 1)·s + k, ..., C_out] (up to rows no window reads)
        // The adjoint is the strided convolution of dy with the same padding.
        const dx = convExplicit(dfull, tf.transpose(sw, [0, 1, 3, 2]) as tf.Tensor4D, stride, [[0, 0], [0, 0]]); // [N, H, W, C_in]
        // dW[i, j, c, o] = Σ dy[n, s·p + i, s·q + j, o] · x[n, p, q, c] in the uncropped frame.
        const g = correlationGradient(dfull, sx, kh, kw, stride); // [kh, kw, C_out, C_in]
        return [dx, tf.transpose(g, [0, 1, 3, 2])]; // dW [kh, kw, C_in, C_out]
      },
    };
  }) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor4D;

/** y = conv2d(x, w) with stride and explicit padding: x [N, H, W, C], w [kh, kw, C, C_out] -> [N, Ho, Wo, C_out]. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: Pair, pad: Padding): tf.Tensor4D {
  return paddedConv(stride, pad)(x, w); // [N, Ho, Wo, C_out]
}

/**
 * A transposed convolution with PyTorch's size rule: out = (in − 1)·s − pt − pb + k + extra,
 * where `crop` is the padding removed from each side and `extra` (output_padding) adds rows and
 * columns at the bottom and right. x [N, H, W, C_in], w [kh, kw, C_in, C_out] -> [N, Ho, Wo, C_out].
 */
export function conv2dTranspose(x: tf.Tensor4D, w: tf.Tensor4D, stride: Pair, crop: Padding, extra: Pair): tf.Tensor4D {
  return croppedDeconv(stride, crop, extra)(x, w); // [N, Ho, Wo, C_out]
}

/** Nearest-neighbour upsampling by integer factors, as reshape and broadcast (rank ≤ 4). */
export function upsampleNearest(x: tf.Tensor4D, factor: Pair): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [fh, fw] = factor;
  const cols = tf.broadcastTo(x.reshape([n * h, w, 1, c]), [n * h, w, fw, c]); // [N·H, W, fw, C]
  const rows = tf.broadcastTo(cols.reshape([n, h, 1, w * fw * c]), [n, h, fh, w * fw * c]); // [N, H, fh, W·fw·C]
  return rows.reshape([n, h * fh, w * fw, c]) as tf.Tensor4D; // [N, H·fh, W·fw, C]
}

/** Max or average pooling over windows of `size` with `stride` (no padding): [N, H, W, C] -> [N, Ho, Wo, C]. */
export function pool(x: tf.Tensor4D, kind: 'max' | 'avg', size: Pair, stride: Pair): tf.Tensor4D {
  return kind === 'max' ? tf.maxPool(x, [size[0], size[1]], [stride[0], stride[1]], 'valid') : tf.avgPool(x, [size[0], size[1]], [stride[0], stride[1]], 'valid'); // [N, Ho, Wo, C]
}
