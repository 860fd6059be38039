/**
 * Choosing the TensorFlow.js backend at start-up in Node (the choice itself is
 * src/backend-core.ts, shared with browsers).
 *
 * Order: an explicit request (`--backend`, then `VAE_BACKEND`), otherwise the native
 * `@tensorflow/tfjs-node` ("tensorflow") where it loads, otherwise WebAssembly ("wasm"),
 * otherwise the pure-JS "cpu" backend. tfjs-node is an optionalDependency: its install needs
 * internet access to fetch libtensorflow, so on many machines it is simply absent.
 * "webgpu" (./webgpu.ts) is chosen only on request: without a GPU adapter the request fails
 * with the reason and a hint, never a silent fall-back to the CPU.
 */
import { BackendError, describeBackend, normalizeBackend, selectBackend, type BackendHost, type BackendName } from './backend-core';
import { nodeKernelOptions } from './kernels/node-host';
import { enableWasmThreads, parseThreadsSetting } from './wasm-threads/index';
import { registerWebGpu } from './webgpu';

export { BackendError, normalizeBackend, type BackendName };

/** Tried in this order when no backend is requested. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
/** Every backend a user can request: the automatic ones and webgpu. */
export const REQUESTABLE_BACKENDS = [...BACKENDS, 'webgpu'] as const;

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

function nodeHost(opts: BackendOptions): BackendHost {
  return {
    order: BACKENDS,
    requestable: REQUESTABLE_BACKENDS,
    async load(name) {
      if (name === 'webgpu') {
        const p = await registerWebGpu();
        if (!p.ok) throw new BackendError(`backend 'webgpu' is not available: ${p.reason}`, p.hint);
        return true;
      }
      if (name === 'tensorflow') {
        // tfjs-node-gpu (CUDA) first, then tfjs-node; both register the 'tensorflow' backend.
        // String variables keep bundlers and tsc from requiring the optional modules.
        for (const mod of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
          try {
            await import(mod);
            return true;
          } catch {
            // not installed here; try the next one
          }
        }
        return false;
      }
      if (name === 'wasm') {
        await import('@tensorflow/tfjs-backend-wasm');
        await enableThreads(opts);
      }
      return true;
    },
    hint: (name) =>
      name === 'tensorflow'
        ? 'install @tensorflow/tfjs-node (it needs internet access to fetch libtensorflow), or use --backend wasm'
        : name === 'webgpu'
          ? 'the GPU adapter was found but tfjs could not start a device on it; use --backend wasm'
          : 'use --backend cpu',
    kernels: nodeKernelOptions(),
  };
}

/**
 * Initializes tfjs once per process and returns the backend in use.
 * @example const name = await initBackend(opts.backend); // 'wasm'
 */
export async function initBackend(requested?: string, opts: BackendOptions = {}): Promise<BackendName> {
  return selectBackend(requested ?? process.env['VAE_BACKEND'], nodeHost(opts));
}

/**
 * The backend chosen by {@link initBackend}, for banners and benchmark records, with vaelang's
 * kernels on wasm (e.g. `wasm (2 threads), fused kernels: relaxed SIMD`).
 */
export function backendName(): string {
  return describeBackend(wasmThreadCount);
}
