/**
 * The worker's tfjs backend: WebGPU, then WebGL, then WebAssembly, then the pure-JS CPU
 * backend, the first that initializes (or the one the page asks for). On wasm, the engine's
 * gradient rewrites and vaelang's own kernels are installed as in the CLI (src/backend.ts);
 * their .wasm files are served by the playground's server.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { installFastGradients } from '../../fast-gradients';
import { installKernels, kernelsInfo } from '../../kernels/index';
import { BACKEND_ORDER, type BackendChoice } from '../protocol';

setWasmPaths('/tfjs-wasm/');

type Name = (typeof BACKEND_ORDER)[number];

/** Whether a backend can work here at all (cheap probes; initialization may still fail). */
export async function probe(name: Name): Promise<boolean> {
  try {
    if (name === 'webgpu') {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return !!gpu && (await gpu.requestAdapter()) !== null;
    }
    if (name === 'webgl') {
      if (typeof OffscreenCanvas === 'undefined') return false;
      return new OffscreenCanvas(1, 1).getContext('webgl2') !== null;
    }
    if (name === 'wasm') return typeof WebAssembly === 'object';
    return true;
  } catch {
    return false;
  }
}

export async function availableBackends(): Promise<Name[]> {
  const out: Name[] = [];
  for (const n of BACKEND_ORDER) if (await probe(n)) out.push(n);
  return out;
}

async function tryBackend(name: Name): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    if (name === 'wasm') {
      installFastGradients();
      await installKernels();
    }
    return true;
  } catch {
    return false;
  }
}

/** Switches to `choice` (or the best that works) and returns its name with a detail line. */
export async function useBackend(choice: BackendChoice, available: readonly Name[]): Promise<{ name: string; detail: string }> {
  const order = choice === 'auto' ? available : [choice, ...available.filter((n) => n !== choice)];
  for (const n of order) {
    if (await tryBackend(n)) return { name: n, detail: describe(n, choice) };
  }
  throw new Error('no TensorFlow.js backend could be initialized in this browser');
}

function describe(n: string, choice: BackendChoice): string {
  const fell = choice !== 'auto' && choice !== n ? ` (${choice} failed to initialize)` : '';
  if (n !== 'wasm') return `${n}${fell}`;
  const k = kernelsInfo();
  return `wasm, ${k.active ? `fused kernels: ${k.build === 'relaxed' ? 'relaxed SIMD' : 'SIMD128'}` : `generic kernels (${k.reason ?? 'not loaded'})`}${fell}`;
}
