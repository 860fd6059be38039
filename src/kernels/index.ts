/**
 * vaelang's wasm kernels: a GEMM for the three layouts of a training step, fused dense layers,
 * fused log-densities with their gradients and a fused Adam step, registered for
 * tfjs-backend-wasm. They are an optimization the compiler selects where a net or a site
 * matches a pattern (each op returns null otherwise and the caller uses the generic tfjs ops);
 * every program runs without them. `--no-fused` or `VAE_FUSED=0` turns them off.
 */
import * as tf from '@tensorflow/tfjs';
import { installGemm } from './gemm';
import { installSharedIdentity } from './identity';
import { loadKernels, type KernelBuild, type KernelHost } from './load';
import { registerFusedKernels } from './register';
import { gemmThreads } from './threads';
import type { WasmMemory, WasmModule } from './wasm-api';
import { activeKernels, backendMemory, fusedEnabled, setActive, type WasmBackendLike } from './runtime';

export { fetchHost, type KernelHost } from './load';
export { FUSED_FEATURES, fusedEnabled, fusedFeatures, fusedFromEnv, kernelsActive, setFused, type FusedFeature } from './runtime';

export interface KernelsInfo {
  /** Loaded and switched on for the current backend. */
  readonly active: boolean;
  /** 'relaxed' (SIMD128 + FMA) or 'simd' (SIMD128); undefined when not loaded. */
  readonly build?: KernelBuild;
  readonly shared?: boolean;
  /** Threads of the GEMM (2 on the threaded backend's shared heap, else 1). */
  readonly gemmThreads?: number;
  /** Why they are not in use, when they are not. */
  readonly reason?: string;
}

let lastReason: string | undefined;


/**
 * Loads the kernels for the current wasm backend and registers them (idempotent). Never throws:
 * a failure leaves the generic path in place and is reported by {@link kernelsInfo}.
 */
export interface InstallOptions {
  readonly build?: KernelBuild;
  /** Where the binaries come from (default: fetched from `wasm/` beside this module). */
  readonly host?: KernelHost;
  /** Starts the GEMM's second thread on a shared heap (Node: src/kernels/threads.ts); none: one thread. */
  readonly startThreads?: (backend: WasmBackendLike, module: WasmModule, memory: WasmMemory) => Promise<{ ok: boolean; reason?: string }>;
}

export async function installKernels(opts: InstallOptions = {}): Promise<KernelsInfo> {
  if (tf.getBackend() !== 'wasm') {
    lastReason = `backend is ${tf.getBackend()}`;
    return kernelsInfo();
  }
  const backend = tf.backend() as unknown as WasmBackendLike;
  const cur = activeKernels();
  if (cur && cur.backend === backend && (opts.build === undefined || opts.build === cur.loaded.build)) return kernelsInfo();
  const memory = backendMemory(backend);
  if (!memory) {
    lastReason = 'the wasm backend does not expose its memory';
    return kernelsInfo();
  }
  try {
    const loaded = await loadKernels(memory, opts);
    registerFusedKernels();
    installGemm();
    installSharedIdentity();
    setActive({ loaded, backend });
    lastReason = undefined;
    // On the threaded backend's shared heap, the GEMM takes a second thread of its own.
    if (loaded.shared) {
      const t = opts.startThreads ? await opts.startThreads(backend, loaded.module, memory) : { ok: false, reason: 'no worker threads here' };
      if (!t.ok) lastReason = `GEMM on one thread: ${t.reason ?? 'unknown'}`;
    }
  } catch (e) {
    lastReason = (e as Error).message;
  }
  return kernelsInfo();
}

export function kernelsInfo(): KernelsInfo {
  const a = activeKernels();
  if (!a) return { active: false, reason: lastReason ?? 'not loaded' };
  const on = fusedEnabled() && tf.getBackend() === 'wasm' && (tf.backend() as unknown) === a.backend;
  return { active: on, build: a.loaded.build, shared: a.loaded.shared, gemmThreads: gemmThreads(), ...(on ? (lastReason ? { reason: lastReason } : {}) : { reason: fusedEnabled() ? 'another backend is in use' : 'turned off (--no-fused / VAE_FUSED=0)' }) };
}
