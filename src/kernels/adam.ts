/**
 * Adam's update over every parameter in one kernel call (src/kernels/c/adam.c), with the same
 * float32 arithmetic as the generic path of src/train/adam.ts (separate multiplies and adds, the
 * same scalars), so the two agree bit for bit. Outputs are fresh tensors that the optimizer
 * assigns to its variables: nothing is updated in place, so no other tensor sharing a
 * variable's memory (a snapshot's clone, a cached weight) can see a change.
 */
import * as tf from '@tensorflow/tfjs';
import { addr, backendMemory, kernelsActive, kx, type WasmBackendLike } from './runtime';

export interface AdamHyper {
  readonly beta1: number;
  readonly beta2: number;
  /** lr √(1 − β2^t) / (1 − β1^t). */
  readonly alpha: number;
  /** ε √(1 − β2^t). */
  readonly eps: number;
}

export interface AdamSlot {
  readonly p: tf.Variable;
  readonly g: tf.Tensor;
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'VkAdam',
    backendName: 'wasm',
    kernelFunc: (({ inputs, backend, attrs }: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike; attrs: Record<string, number> }) => {
      const count = attrs['count']!;
      const outs: tf.TensorInfo[] = [];
      const words = new Int32Array(8 * count);
      for (let i = 0; i < count; i++) {
        const [p, g, m, v] = ['p', 'g', 'm', 'v'].map((k) => inputs[`${k}${i}`]!);
        const po = backend.makeOutput([...p!.shape], 'float32');
        const mo = backend.makeOutput([...p!.shape], 'float32');
        const vo = backend.makeOutput([...p!.shape], 'float32');
        outs.push(po, mo, vo);
        words.set([addr(backend, p!), addr(backend, g!), addr(backend, m!), addr(backend, v!), addr(backend, po), addr(backend, mo), addr(backend, vo), tf.util.sizeFromShape(p!.shape)], 8 * i);
      }
      const table = backend.wasm._malloc(words.byteLength);
      try {
        new Int32Array(backendMemory(backend)!.buffer, table, words.length).set(words);
        kx().vk_adam(count, table, attrs['b1']!, attrs['c1']!, attrs['b2']!, attrs['c2']!, attrs['alpha']!, attrs['eps']!);
      } finally {
        backend.wasm._free(table);
      }
      return outs;
    }) as unknown as tf.KernelFunc,
  });
}

/**
 * One Adam step for every slot in one kernel (the caller has advanced t and computed alpha
 * and eps). Returns false, doing nothing, when the kernels are not active or a slot is not
 * float32 with matching shapes; the caller then runs the generic update.
 */
export function fusedAdamStep(slots: readonly AdamSlot[], h: AdamHyper): boolean {
  if (!kernelsActive('adam') || slots.length === 0) return false;
  for (const s of slots) {
    if (s.p.dtype !== 'float32' || s.g.dtype !== 'float32' || s.m.dtype !== 'float32' || s.v.dtype !== 'float32') return false;
    if (!tf.util.arraysEqual(s.p.shape, s.g.shape) || !tf.util.arraysEqual(s.p.shape, s.m.shape) || !tf.util.arraysEqual(s.p.shape, s.v.shape)) return false;
  }
  register();
  const inputs: Record<string, tf.Tensor> = {};
  slots.forEach((s, i) => Object.assign(inputs, { [`p${i}`]: s.p, [`g${i}`]: s.g, [`m${i}`]: s.m, [`v${i}`]: s.v }));
  tf.tidy(() => {
    const outs = tf.engine().runKernel('VkAdam', inputs as unknown as tf.NamedTensorMap, {
      count: slots.length,
      b1: h.beta1,
      c1: 1 - h.beta1,
      b2: h.beta2,
      c2: 1 - h.beta2,
      alpha: h.alpha,
      eps: h.eps,
    } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    slots.forEach((s, i) => {
      s.p.assign(outs[3 * i]!);
      s.m.assign(outs[3 * i + 1]!);
      s.v.assign(outs[3 * i + 2]!);
    });
  });
  return true;
}
