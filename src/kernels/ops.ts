/**
 * The fused ops, as the compiler and the distributions call them. Each returns null when the
 * kernels are not active (another backend, `--no-fused`, not loaded) or the arguments are not
 * a case the kernel handles (dtype, broadcasting); the caller then runs its generic tfjs ops.
 * Values and gradients match the generic path to float32 rounding (test/kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { ACT_CODES, type FusedActivation } from './exports';
import { run1 } from './register';
import { kernelsActive, period, sizeOf } from './runtime';

const f32 = (...ts: tf.Tensor[]): boolean => ts.every((t) => t.dtype === 'float32');

/** The NumPy broadcast of shapes, or undefined. */
function broadcast(...shapes: (readonly number[])[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else return undefined;
    }
  }
  return out;
}

/** True when every shape broadcasts to `full` as a suffix (what the elementwise kernels handle). */
function suffixes(full: readonly number[], ...shapes: (readonly number[])[]): boolean {
  return shapes.every((s) => period(s, full) !== undefined);
}

/** Activations the dense kernels implement. */
export function isFusedActivation(a: string): a is FusedActivation {
  return a in ACT_CODES;
}

/** act(x·w + b) for x [M, K], w [K, N], b [N]. */
export function fusedDense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, act: FusedActivation): tf.Tensor | null {
  if (!kernelsActive('dense') || !kernelsActive('gemm') || x.rank !== 2 || w.rank !== 2 || b.rank !== 1 || !f32(x, w, b)) return null;
  if (x.shape[1] !== w.shape[0] || w.shape[1] !== b.shape[0] || x.shape[1] === 0) return null;
  return run1('VkDense', { x, w, b }, { act: ACT_CODES[act] }); // [M, N]
}

/** act(x + b) for x [..., N], b [N] (act not linear). */
export function fusedBiasAct(x: tf.Tensor, b: tf.Tensor, act: FusedActivation): tf.Tensor | null {
  if (!kernelsActive('dense') || act === 'linear' || x.rank < 1 || b.rank !== 1 || !f32(x, b) || x.shape[x.rank - 1] !== b.shape[0]) return null;
  return run1('VkBiasAct', { x, b }, { act: ACT_CODES[act] }); // [..., N]
}

/** act(x), elementwise (act not linear). */
export function fusedAct(x: tf.Tensor, act: FusedActivation): tf.Tensor | null {
  if (!kernelsActive('dense') || act === 'linear' || x.rank < 1 || !f32(x) || x.size === 0) return null;
  return run1('VkAct', { x }, { act: ACT_CODES[act] }); // [...x]
}

/**
 * Σ over the event of x·l − softplus(l) (Bernoulli log-likelihood from logits), for l and x
 * broadcasting to [...batch, ...event] along leading axes only: [...batch].
 */
export function fusedBernoulliLogits(l: tf.Tensor, x: tf.Tensor, fullShape: readonly number[], eventShape: readonly number[]): tf.Tensor | null {
  if (!kernelsActive('densities') || !f32(l, x)) return null;
  const full = broadcast(l.shape, x.shape, fullShape);
  if (!full || !suffixes(full, l.shape, x.shape)) return null;
  const D = sizeOf(eventShape);
  if (D === 0 || period(l.shape, full)! % D !== 0 || period(x.shape, full)! % D !== 0) return null;
  const outShape = full.slice(0, full.length - eventShape.length);
  return run1('VkBernoulliLogits', { l, x }, { D, outShape }); // [...batch]
}

/** log N(v; μ, σ) elementwise at the broadcast shape of the three. */
export function fusedNormalLogPdf(v: tf.Tensor, mu: tf.Tensor, sg: tf.Tensor): tf.Tensor | null {
  if (!kernelsActive('densities') || !f32(v, mu, sg)) return null;
  const full = broadcast(v.shape, mu.shape, sg.shape);
  if (!full || !suffixes(full, v.shape, mu.shape, sg.shape)) return null;
  return run1('VkNormalLogPdf', { v, mu, sg }, { full }); // [...full]
}

/** KL(N(mq, sq) || N(mp, sp)) elementwise at the broadcast shape of the four. */
export function fusedNormalKl(mq: tf.Tensor, sq: tf.Tensor, mp: tf.Tensor, sp: tf.Tensor): tf.Tensor | null {
  if (!kernelsActive('densities') || !f32(mq, sq, mp, sp)) return null;
  const full = broadcast(mq.shape, sq.shape, mp.shape, sp.shape);
  if (!full || !suffixes(full, mq.shape, sq.shape, mp.shape, sp.shape)) return null;
  return run1('VkNormalKl', { mq, sq, mp, sp }, { full }); // [...full]
}

/** μ + σ ε for noise ε of the full sample shape (μ, σ broadcasting to it along leading axes). */
export function fusedNormalRsample(mu: tf.Tensor, sg: tf.Tensor, eps: tf.Tensor): tf.Tensor | null {
  if (!kernelsActive('densities') || !f32(mu, sg, eps)) return null;
  const full = broadcast(mu.shape, sg.shape, eps.shape);
  if (!full || full.length !== eps.rank || full.some((d, i) => d !== eps.shape[i]) || !suffixes(full, mu.shape, sg.shape)) return null;
  return run1('VkNormalRsample', { mu, sg, eps }); // [...eps]
}
