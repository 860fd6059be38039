/**
 * Choosing the TensorFlow.js backend, without anything host-specific (browser-safe). A host
 * says which backends it has, in which order, and how to load each: the Node host
 * (src/backend.ts) tries the native `@tensorflow/tfjs-node`, then WebAssembly (with threads on
 * request), then "cpu"; browsers (src/backend-browser.ts) WebAssembly then "cpu" by default, and
 * WebGPU or WebGL when asked for. On wasm, vaelang's fused kernels are loaded through the
 * host's kernel options.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from './core/errors';
import { installFastGradients } from './fast-gradients';
import { installKernels, kernelsInfo, type InstallOptions } from './kernels/index';

export const BACKENDS = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A backend that cannot be chosen or loaded (VAE704). */
export class BackendError extends UserError {
  override readonly name = 'BackendError';
}

/** Accepts the user's spellings: `node`/`tfjs-node`/`native` mean the native backend. */
export function normalizeBackend(name: string): BackendName | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'tensorflow' || n === 'node' || n === 'tfjs-node' || n === 'native') return 'tensorflow';
  if (n === 'wasm' || n === 'cpu' || n === 'webgl' || n === 'webgpu') return n;
  if (n === 'gpu') return 'webgpu';
  return undefined;
}

/** What a host provides: its backends in order of preference, and how to load each. */
export interface BackendHost {
  /** The backends tried, in this order, when none is requested. */
  readonly order: readonly BackendName[];
  /** Every backend a user can request here (the automatic ones and those chosen only on request). */
  readonly requestable: readonly BackendName[];
  /**
   * Loads a backend's package (registering it with tfjs); false when it is not available here.
   * A BackendError it throws (a reason and a hint, e.g. no GPU adapter) reaches the caller.
   */
  load(name: BackendName): Promise<boolean>;
  /** The hint of a requested backend that could not be loaded. */
  hint(name: BackendName): string;
  /** Where vaelang's wasm kernels come from (and the GEMM's threads, where there are any). */
  readonly kernels: InstallOptions;
}

let active: BackendName | undefined;

async function tryLoad(name: BackendName, host: BackendHost): Promise<boolean> {
  try {
    if (!(await host.load(name))) return false;
    if (tf.findBackend(name) === null && tf.findBackendFactory(name) === null) return false;
    return await tf.setBackend(name);
  } catch (e) {
    if (e instanceof BackendError) throw e;
    return false;
  }
}

async function activate(name: BackendName, host: BackendHost): Promise<BackendName> {
  await tf.ready();
  active = name;
  if (name === 'wasm') {
    // The wasm backend's gradient rewrites and vaelang's own kernels (a failure to load them leaves the generic path).
    installFastGradients();
    await installKernels(host.kernels);
  }
  return name;
}

/**
 * Initializes tfjs once and returns the backend in use: `requested` if given (an error when it
 * cannot be loaded), otherwise the first of the host's order that loads.
 */
export async function selectBackend(requested: string | undefined, host: BackendHost): Promise<BackendName> {
  if (requested !== undefined && requested !== '') {
    const name = normalizeBackend(requested);
    if (name === undefined || !host.requestable.includes(name)) {
      throw new BackendError(`unknown backend '${requested}'; choose one of: ${host.requestable.join(', ')}`);
    }
    if (active === name) return name;
    if (!(await tryLoad(name, host))) throw new BackendError(`backend '${name}' could not be loaded; ${host.hint(name)}`);
    return activate(name, host);
  }
  if (active !== undefined) return active;
  for (const name of host.order) if (await tryLoad(name, host)) return activate(name, host);
  throw new BackendError('no TensorFlow.js backend could be loaded');
}

/**
 * The backend in use, with vaelang's kernels on wasm (e.g. `wasm (2 threads), fused kernels:
 * relaxed SIMD`); `threads` is the wasm backend's thread count.
 */
export function describeBackend(threads = 1): string {
  const name = active ?? tf.getBackend();
  if (name !== 'wasm') return name;
  const base = threads > 1 ? `wasm (${threads} threads)` : 'wasm';
  const k = kernelsInfo();
  if (k.active) return `${base}, fused kernels: ${k.build === 'relaxed' ? 'relaxed SIMD' : 'SIMD128'}`;
  return k.build ? `${base}, generic kernels` : base;
}
