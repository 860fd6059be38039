/**
 * Identity on the wasm backend without a copy. tfjs saves the inputs a gradient needs by
 * cloning them (`engine.clone` → the Identity kernel), and tfjs-backend-wasm's Identity copies
 * the data into a fresh allocation: about 50 copies per vae.vae training step, the two
 * 784 × 400 weights among them (1.1 ms of process CPU time out of 21 per step, bench/profile.ts
 * --cpu). This Identity shares the data and counts a reference, as the wasm backend's own
 * Reshape and the cpu backend's Identity do. Sound because nothing writes into a tensor's memory
 * after it was produced: every kernel, vaelang's included, writes fresh outputs, and a variable's
 * assign() points it at other data. Group `identity` of `VAE_FUSED`.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelsActive } from './runtime';

interface RefCounting {
  incRef(dataId: object): void;
}

let installed = false;

/** Puts the sharing Identity in front of the wasm backend's copying one (once per process). */
export function installSharedIdentity(): void {
  if (installed) return;
  const prev = tf.getKernel('Identity', 'wasm');
  if (!prev) return;
  installed = true;
  const inner = prev.kernelFunc;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (!kernelsActive('identity') || x.dtype === 'string') return inner(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }; // [...x], the same memory
  };
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ ...prev, kernelFunc });
}
