/**
 * The state of vaelang's wasm kernels in this process: the loaded module, the tfjs wasm
 * backend whose heap it works on, and the on/off switch (`--no-fused`, `VAE_FUSED=0`).
 * Kernel functions use the helpers here to find tensors in the heap and to allocate outputs.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelExports } from './exports';
import type { LoadedKernels } from './load';
import type { WasmMemory } from './wasm-api';

/** The parts of tfjs-backend-wasm's BackendWasm the kernels use. */
export interface WasmBackendLike {
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  readonly wasm: {
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    readonly HEAPU8: Uint8Array;
    readonly asm?: { memory?: WasmMemory };
    /** Set by the threaded loader (src/wasm-threads): the shared memory it instantiated with. */
    readonly vaeMemory?: WasmMemory;
  };
}

interface Active {
  readonly loaded: LoadedKernels;
  readonly backend: WasmBackendLike;
}

let active: Active | null = null;

/** The groups of fused kernels, switchable one by one (for A/B measurements and debugging). */
export const FUSED_FEATURES = ['gemm', 'dense', 'densities', 'adam', 'identity'] as const;
export type FusedFeature = (typeof FUSED_FEATURES)[number];

/**
 * Reads the switch from the environment: VAE_FUSED unset, 1, on or all → every group;
 * 0, off, false or no → none; a comma list (e.g. `gemm,dense`) → those groups.
 */
export function fusedFromEnv(env: Record<string, string | undefined> = typeof process !== 'undefined' ? process.env : {}): Set<FusedFeature> {
  const v = (env['VAE_FUSED'] ?? '').trim().toLowerCase();
  if (v === '' || v === '1' || v === 'on' || v === 'all' || v === 'true' || v === 'yes') return new Set(FUSED_FEATURES);
  if (v === '0' || v === 'off' || v === 'false' || v === 'no' || v === 'none') return new Set();
  const out = new Set<FusedFeature>();
  for (const part of v.split(',')) {
    const f = part.trim();
    if (!(FUSED_FEATURES as readonly string[]).includes(f)) throw new RangeError(`VAE_FUSED: unknown kernel group '${f}' (groups: ${FUSED_FEATURES.join(', ')}; or 0 / 1)`);
    out.add(f as FusedFeature);
  }
  return out;
}

let enabled: Set<FusedFeature> = fusedFromEnv();

/** Turns the fused kernels on or off, all of them or by group (they stay loaded; ops check at every call). */
export function setFused(on: boolean | Iterable<FusedFeature>): void {
  enabled = on === true ? new Set(FUSED_FEATURES) : on === false ? new Set() : new Set(on);
}

/** The groups switched on, independent of whether the kernels could be loaded. */
export function fusedFeatures(): FusedFeature[] {
  return FUSED_FEATURES.filter((f) => enabled.has(f));
}

/** True when any group is switched on. */
export function fusedEnabled(): boolean {
  return enabled.size > 0;
}

export function setActive(a: Active | null): void {
  active = a;
}

export function activeKernels(): Active | null {
  return active;
}

/** True when the kernels of group `f` should run: loaded, switched on, and the current backend is the one they were loaded for. */
export function kernelsActive(f: FusedFeature = 'gemm'): boolean {
  return active !== null && enabled.has(f) && tf.getBackend() === 'wasm' && (tf.backend() as unknown) === active.backend;
}

/** The kernel exports (only valid while {@link kernelsActive}). */
export function kx(): KernelExports {
  return active!.loaded.exports;
}

/** The heap address of a tensor's data. */
export function addr(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new Error('tensor data not found in the wasm backend');
  return d.memoryOffset;
}

/** The linear memory of a tfjs wasm backend (stock: exported; threaded: the shared memory it imported). */
export function backendMemory(backend: WasmBackendLike): WasmMemory | undefined {
  return backend.wasm.asm?.memory ?? backend.wasm.vaeMemory;
}

/** Elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The repeat period of an operand of shape `s` broadcast to `full` when `s` (without leading
 * 1s) is a suffix of `full`: its element count (1 for a scalar). Undefined otherwise (e.g. a
 * [B, 1] operand against [B, D], which the kernels do not handle).
 */
export function period(s: readonly number[], full: readonly number[]): number | undefined {
  const n = sizeOf(s);
  if (n === 1) return 1;
  let i = 0;
  while (i < s.length && s[i] === 1) i++;
  const core = s.slice(i);
  if (core.length > full.length) return undefined;
  const off = full.length - core.length;
  for (let j = 0; j < core.length; j++) if (core[j] !== full[off + j]) return undefined;
  return n;
}

/** The block length for periods `ps` over `total` elements: the smallest period above 1. */
export function blockLength(ps: readonly number[], total: number): number {
  let L = total;
  for (const p of ps) if (p > 1 && p < L) L = p;
  return Math.max(L, 1);
}
