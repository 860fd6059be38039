/**
 * The fused kernels and their gradients, registered for the 'wasm' backend under names of
 * their own (Vk*). Ops in ./ops.ts call them through tf.engine().runKernel, so they are
 * recorded on the tape like any tfjs op; gradients are registered here with tf.registerGradient.
 * Every kernel reads its inputs and writes fresh outputs in tfjs's heap (nothing in place).
 */
import * as tf from '@tensorflow/tfjs';
import { addr, backendMemory, blockLength, kx, period, sizeOf, type WasmBackendLike } from './runtime';

type Inputs = Record<string, tf.TensorInfo>;
type KernelArgs = { inputs: Inputs; backend: WasmBackendLike; attrs: Record<string, unknown> };

function kernel(name: string, f: (a: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (tf.getKernel(name, 'wasm')) return;
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: f as unknown as tf.KernelFunc });
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor | tf.Tensor[] =>
  tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
const run1 = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor => run(name, inputs, attrs) as tf.Tensor;
const runN = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor[] => run(name, inputs, attrs) as tf.Tensor[];

/** Periods of `shapes` broadcast to `full`, and the block length (see densities.c). */
function periods(shapes: readonly (readonly number[])[], full: readonly number[]): { ps: number[]; L: number; total: number } {
  const total = sizeOf(full);
  const ps = shapes.map((s) => {
    const p = period(s, full);
    if (p === undefined) throw new Error(`shape [${s.join(',')}] is not a suffix of [${full.join(',')}]`);
    return p;
  });
  return { ps, L: blockLength(ps, total), total };
}

/** A gradient output shaped like input `x` (or 0 when not wanted). */
function gradOut(backend: WasmBackendLike, x: tf.TensorInfo): { info: tf.TensorInfo; ptr: number } {
  const info = backend.makeOutput([...x.shape], 'float32');
  return { info, ptr: addr(backend, info) };
}

let registered = false;

export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;

  // ---- dense layers ----
  kernel('VkDense', ({ inputs: { x, w, b }, backend, attrs }) => {
    const [M, K] = x!.shape as [number, number];
    const N = w!.shape[1]!;
    const y = backend.makeOutput([M, N], 'float32');
    kx().vk_dense(M, N, K, addr(backend, x!), addr(backend, w!), addr(backend, b!), attrs['act'] as number, addr(backend, y));
    return y;
  });
  kernel('VkBiasAct', ({ inputs: { x, b }, backend, attrs }) => {
    const N = x!.shape[x!.shape.length - 1]!;
    const y = backend.makeOutput([...x!.shape], 'float32');
    kx().vk_bias_act(sizeOf(x!.shape) / N, N, addr(backend, x!), b ? addr(backend, b) : 0, attrs['act'] as number, addr(backend, y));
    return y;
  });
  kernel('VkAct', ({ inputs: { x }, backend, attrs }) => {
    const N = x!.shape[x!.shape.length - 1] ?? 1;
    const y = backend.makeOutput([...x!.shape], 'float32');
    kx().vk_bias_act(N === 0 ? 0 : sizeOf(x!.shape) / N, N, addr(backend, x!), 0, attrs['act'] as number, addr(backend, y));
    return y;
  });
  // [da, db] = [dy ⊙ act'(y), Σ_rows da] (db only when attrs.bias).
  kernel('VkActGrad', ({ inputs: { dy, y }, backend, attrs }) => {
    const N = dy!.shape[dy!.shape.length - 1] ?? 1;
    const M = N === 0 ? 0 : sizeOf(dy!.shape) / N;
    const da = backend.makeOutput([...dy!.shape], 'float32');
    const db = attrs['bias'] ? backend.makeOutput([N], 'float32') : null;
    kx().vk_act_grad(M, N, addr(backend, dy!), addr(backend, y!), attrs['act'] as number, addr(backend, da), db ? addr(backend, db) : 0);
    return db ? [da, db] : da;
  });
  // Σ over all but the last axis.
  kernel('VkColSum', ({ inputs: { x }, backend }) => {
    const N = x!.shape[x!.shape.length - 1]!;
    const db = backend.makeOutput([N], 'float32');
    const px = addr(backend, x!);
    kx().vk_act_grad(sizeOf(x!.shape) / N, N, px, px, 0, 0, addr(backend, db));
    return db;
  });

  tf.registerGradient({
    kernelName: 'VkDense',
    inputsToSave: ['x', 'w'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const act = (attrs as unknown as { act: number }).act;
      const g = dy as tf.Tensor2D;
      const [da, db] = act === 0 ? [g, run1('VkColSum', { x: g })] : (runN('VkActGrad', { dy: g, y }, { act, bias: true }) as [tf.Tensor2D, tf.Tensor]);
      return {
        x: () => tf.matMul(da, w, false, true), // [M, K] = da·Wᵀ
        w: () => tf.matMul(x, da, true, false), // [K, N] = xᵀ·da
        b: () => db, // [N]
      };
    },
  });
  tf.registerGradient({
    kernelName: 'VkBiasAct',
    inputsToSave: [],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      const [da, db] = runN('VkActGrad', { dy: dy as tf.Tensor, y }, { act: (attrs as unknown as { act: number }).act, bias: true }) as [tf.Tensor, tf.Tensor];
      return { x: () => da, b: () => db };
    },
  });
  tf.registerGradient({
    kernelName: 'VkAct',
    inputsToSave: [],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => run1('VkActGrad', { dy: dy as tf.Tensor, y }, { act: (attrs as unknown as { act: number }).act, bias: false }) };
    },
  });

  // ---- Bernoulli from logits, summed over the event (D elements) ----
  kernel('VkBernoulliLogits', ({ inputs: { l, x }, backend, attrs }) => {
    const D = attrs['D'] as number;
    const outShape = attrs['outShape'] as number[];
    const out = backend.makeOutput([...outShape], 'float32');
    const rows = sizeOf(outShape);
    if (rows > 0 && D > 0) kx().vk_bernoulli_logits(rows, D, addr(backend, l!), sizeOf(l!.shape), addr(backend, x!), sizeOf(x!.shape), addr(backend, out));
    else if (rows > 0) new Float32Array(backendBuffer(backend), addr(backend, out), rows).fill(0);
    return out;
  });
  kernel('VkBernoulliLogitsGrad', ({ inputs: { dy, l, x }, backend, attrs }) => {
    const D = attrs['D'] as number;
    const rows = sizeOf(dy!.shape);
    const wantL = attrs['which'] === 'l';
    const g = gradOut(backend, wantL ? l! : x!);
    kx().vk_bernoulli_logits_grad(rows, D, addr(backend, dy!), addr(backend, l!), sizeOf(l!.shape), addr(backend, x!), sizeOf(x!.shape), wantL ? g.ptr : 0, wantL ? 0 : g.ptr);
    return g.info;
  });
  tf.registerGradient({
    kernelName: 'VkBernoulliLogits',
    inputsToSave: ['l', 'x'],
    gradFunc: (dy, saved, attrs) => {
      const [l, x] = saved as [tf.Tensor, tf.Tensor];
      const D = (attrs as unknown as { D: number }).D;
      const g = dy as tf.Tensor;
      const dl = run1('VkBernoulliLogitsGrad', { dy: g, l, x }, { D, which: 'l' });
      return { l: () => dl, x: () => run1('VkBernoulliLogitsGrad', { dy: g, l, x }, { D, which: 'x' }) };
    },
  });

  // ---- Normal log-density, elementwise ----
  kernel('VkNormalLogPdf', ({ inputs: { v, mu, sg }, backend, attrs }) => {
    const full = attrs['full'] as number[];
    const { ps, L, total } = periods([v!.shape, mu!.shape, sg!.shape], full);
    const out = backend.makeOutput([...full], 'float32');
    if (total > 0) kx().vk_normal_logpdf(total, L, addr(backend, v!), ps[0]!, addr(backend, mu!), ps[1]!, addr(backend, sg!), ps[2]!, addr(backend, out));
    return out;
  });
  kernel('VkNormalLogPdfGrad', ({ inputs: { dy, v, mu, sg }, backend }) => {
    const full = dy!.shape;
    const { ps, L, total } = periods([v!.shape, mu!.shape, sg!.shape], full);
    const [gv, gm, gs] = [gradOut(backend, v!), gradOut(backend, mu!), gradOut(backend, sg!)];
    if (total > 0) kx().vk_normal_logpdf_grad(total, L, addr(backend, dy!), addr(backend, v!), ps[0]!, addr(backend, mu!), ps[1]!, addr(backend, sg!), ps[2]!, gv.ptr, gm.ptr, gs.ptr);
    return [gv.info, gm.info, gs.info];
  });
  tf.registerGradient({
    kernelName: 'VkNormalLogPdf',
    inputsToSave: ['v', 'mu', 'sg'],
    gradFunc: (dy, saved) => {
      const [v, mu, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [gv, gm, gs] = runN('VkNormalLogPdfGrad', { dy: dy as tf.Tensor, v, mu, sg });
      return { v: () => gv!, mu: () => gm!, sg: () => gs! };
    },
  });

  // ---- KL(Normal || Normal), elementwise ----
  kernel('VkNormalKl', ({ inputs: { mq, sq, mp, sp }, backend, attrs }) => {
    const full = attrs['full'] as number[];
    const { ps, L, total } = periods([mq!.shape, sq!.shape, mp!.shape, sp!.shape], full);
    const out = backend.makeOutput([...full], 'float32');
    if (total > 0) kx().vk_normal_kl(total, L, addr(backend, mq!), ps[0]!, addr(backend, sq!), ps[1]!, addr(backend, mp!), ps[2]!, addr(backend, sp!), ps[3]!, addr(backend, out));
    return out;
  });
  kernel('VkNormalKlGrad', ({ inputs: { dy, mq, sq, mp, sp }, backend }) => {
    const { ps, L, total } = periods([mq!.shape, sq!.shape, mp!.shape, sp!.shape], dy!.shape);
    const g = [mq!, sq!, mp!, sp!].map((t) => gradOut(backend, t));
    if (total > 0) {
      kx().vk_normal_kl_grad(total, L, addr(backend, dy!), addr(backend, mq!), ps[0]!, addr(backend, sq!), ps[1]!, addr(backend, mp!), ps[2]!, addr(backend, sp!), ps[3]!, g[0]!.ptr, g[1]!.ptr, g[2]!.ptr, g[3]!.ptr);
    }
    return g.map((x) => x.info);
  });
  tf.registerGradient({
    kernelName: 'VkNormalKl',
    inputsToSave: ['mq', 'sq', 'mp', 'sp'],
    gradFunc: (dy, saved) => {
      const [mq, sq, mp, sp] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [a, b, c, d] = runN('VkNormalKlGrad', { dy: dy as tf.Tensor, mq, sq, mp, sp });
      return { mq: () => a!, sq: () => b!, mp: () => c!, sp: () => d! };
    },
  });

  // ---- reparameterized Normal sample z = μ + σ ε ----
  kernel('VkNormalRsample', ({ inputs: { mu, sg, eps }, backend }) => {
    const full = eps!.shape;
    const { ps, L, total } = periods([mu!.shape, sg!.shape], full);
    const out = backend.makeOutput([...full], 'float32');
    if (total > 0) kx().vk_normal_rsample(total, L, addr(backend, mu!), ps[0]!, addr(backend, sg!), ps[1]!, addr(backend, eps!), addr(backend, out));
    return out;
  });
  kernel('VkNormalRsampleGrad', ({ inputs: { dz, eps, mu, sg }, backend }) => {
    const { ps, L, total } = periods([mu!.shape, sg!.shape], eps!.shape);
    const gm = gradOut(backend, mu!);
    const gs = gradOut(backend, sg!);
    if (total > 0) kx().vk_normal_rsample_grad(total, L, addr(backend, dz!), addr(backend, eps!), ps[0]!, ps[1]!, gm.ptr, gs.ptr);
    return [gm.info, gs.info];
  });
  tf.registerGradient({
    kernelName: 'VkNormalRsample',
    inputsToSave: ['mu', 'sg', 'eps'],
    gradFunc: (dy, saved) => {
      const [mu, sg, eps] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [gm, gs] = runN('VkNormalRsampleGrad', { dz: dy as tf.Tensor, eps, mu, sg });
      return { mu: () => gm!, sg: () => gs!, eps: () => tf.mul(dy as tf.Tensor, sg) };
    },
  });
}

/** The heap's current buffer (views taken earlier are stale after the memory grows). */
function backendBuffer(backend: WasmBackendLike): ArrayBufferLike {
  return backendMemory(backend)!.buffer;
}

export { run1, runN };
