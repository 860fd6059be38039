/**
 * Choosing the TensorFlow.js backend at start-up.
 *
 * Order: an explicit request (`--backend`, then `VAE_BACKEND`), otherwise the native
 * `@tensorflow/tfjs-node` ("tensorflow") where it loads, otherwise WebAssembly ("wasm"),
 * otherwise the pure-JS "cpu" backend. tfjs-node is an optionalDependency: its install needs
 * internet access to fetch libtensorflow, so on many machines it is simply absent.
 * "webgpu" (./webgpu.ts) is chosen only on request: without a GPU adapter the request fails
 * with the reason and a hint, never a silent fall-back to the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from './core/errors';
import { installFastGradients } from './fast-gradients';
import { installKernels, kernelsInfo } from './kernels/index';
import { registerWebGpu } from './webgpu';
import { enableWasmThreads, parseThreadsSetting } from './wasm-threads/index';

/** Tried in this order when no backend is requested. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
/** Every backend a user can request: the automatic ones and webgpu. */
export const REQUESTABLE_BACKENDS = [...BACKENDS, 'webgpu'] as const;
export type BackendName = (typeof REQUESTABLE_BACKENDS)[number];

/** A backend that cannot be chosen or loaded (VAE704). */
export class BackendError extends UserError {
  override readonly name = 'BackendError';
}

/** Accepts the user's spellings: `node`/`tfjs-node`/`native` mean the native backend. */
export function normalizeBackend(name: string): BackendName | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'tensorflow' || n === 'node' || n === 'tfjs-node' || n === 'native') return 'tensorflow';
  if (n === 'wasm' || n === 'cpu' || n === 'webgpu') return n;
  if (n === 'gpu') return 'webgpu';
  return undefined;
}

export interface BackendOptions {
  /** Threads for the wasm backend's matmuls: a count, undefined for one per core (`auto`), 1 for off. */
  readonly wasmThreads?: number | undefined;
}

/** The threads in use by the wasm backend (1 unless --threads / VAE_WASM_THREADS enabled more). */
let wasmThreadCount = 1;

async function enableThreads(opts: BackendOptions): Promise<void> {
  const requested = 'wasmThreads' in opts ? opts.wasmThreads : parseThreadsSetting(process.env['VAE_WASM_THREADS']);
  if (requested === 1) return;
  const r = await enableWasmThreads(requested);
  if (r.ok) wasmThreadCount = r.threads;
  else process.emitWarning(`wasm threads disabled: ${r.reason ?? 'unknown reason'}`);
}

async function tryLoad(name: BackendName, opts: BackendOptions = {}): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // tfjs-node-gpu (CUDA) first, then tfjs-node; both register the 'tensorflow' backend.
      // String variables keep bundlers and tsc from requiring the optional modules.
      let loaded = false;
      for (const mod of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
        try {
          await import(mod);
          loaded = true;
          break;
        } catch {
          // not installed here; try the next one
        }
      }
      if (!loaded) return false;
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      await enableThreads(opts);
    }
    if (tf.findBackend(name) === null && tf.findBackendFactory(name) === null) return false;
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

let active: BackendName | undefined;

/** The wasm backend's gradient rewrites and vaelang's own kernels (src/kernels; a failure to load them leaves the generic path). */
async function installWasmExtras(): Promise<void> {
  installFastGradients();
  await installKernels();
}

/**
 * Initializes tfjs once per process and returns the backend in use.
 * @example const name = await initBackend(opts.backend); // 'wasm'
 */
export async function initBackend(requested?: string, opts: BackendOptions = {}): Promise<BackendName> {
  const explicit = requested ?? process.env['VAE_BACKEND'];
  if (explicit !== undefined && explicit !== '') {
    const name = normalizeBackend(explicit);
    if (name === undefined) {
      throw new BackendError(`unknown backend '${explicit}'; choose one of: ${REQUESTABLE_BACKENDS.join(', ')}`);
    }
    if (active === name) return name;
    if (name === 'webgpu') {
      const p = await registerWebGpu();
      if (!p.ok) throw new BackendError(`backend 'webgpu' is not available: ${p.reason}`, p.hint);
    }
    if (!(await tryLoad(name, opts))) {
      const hint = name === 'tensorflow'
        ? 'install @tensorflow/tfjs-node (it needs internet access to fetch libtensorflow), or use --backend wasm'
        : name === 'webgpu'
          ? 'the GPU adapter was found but tfjs could not start a device on it; use --backend wasm'
          : 'use --backend cpu';
      throw new BackendError(`backend '${name}' could not be loaded; ${hint}`);
    }
    await tf.ready();
    active = name;
    if (name === 'wasm') await installWasmExtras();
    return name;
  }
  if (active !== undefined) return active;
  for (const name of BACKENDS) {
    if (await tryLoad(name, opts)) {
      await tf.ready();
      active = name;
      if (name === 'wasm') await installWasmExtras();
      return name;
    }
  }
  throw new BackendError('no TensorFlow.js backend could be loaded');
}

/**
 * The backend chosen by {@link initBackend}, for banners and benchmark records, with vaelang's
 * kernels on wasm (e.g. `wasm (2 threads), fused kernels: relaxed SIMD`).
 */
export function backendName(): string {
  const name = active ?? tf.getBackend();
  if (name !== 'wasm') return name;
  const base = wasmThreadCount > 1 ? `wasm (${wasmThreadCount} threads)` : 'wasm';
  const k = kernelsInfo();
  if (k.active) return `${base}, fused kernels: ${k.build === 'relaxed' ? 'relaxed SIMD' : 'SIMD128'}`;
  return k.build ? `${base}, generic kernels` : base;
}
