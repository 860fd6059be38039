/**
 * Loading vaelang's wasm kernels (src/kernels/wasm/*.wasm, built from src/kernels/c by
 * src/kernels/build.sh) against the linear memory of tfjs-backend-wasm, so that the kernels
 * read and write tensors where tfjs keeps them.
 *
 * Four builds: SIMD128 or SIMD128 + relaxed SIMD (fused multiply-add), each for an unshared
 * memory (the stock tfjs wasm backend) or a shared one (the threaded build, `--threads`).
 * Relaxed SIMD is chosen when the running engine validates it: Node 20 (V8 11.3) needs
 * `--experimental-wasm-relaxed-simd`, which is set from inside the process (before anything
 * compiles a module that uses it); browsers have it since Chrome 114.
 */
import type { KernelExports } from './exports';
import { wasm, type WasmMemory, type WasmModule } from './wasm-api';

export type KernelBuild = 'simd' | 'relaxed';

export interface LoadedKernels {
  readonly exports: KernelExports;
  readonly build: KernelBuild;
  readonly shared: boolean;
  /** The compiled module (a GEMM worker instantiates it again on the same shared memory). */
  readonly module: WasmModule;
}

/**
 * What loading needs from its host. The defaults are a browser's: fetch the binaries from
 * `base` (by default the folder `wasm/` next to this module), no flag to set. Node passes
 * src/kernels/node-host.ts (read from disk, V8's relaxed-SIMD flag, the GEMM worker thread).
 */
export interface KernelHost {
  /** The bytes of a shipped kernel binary, e.g. 'vk-simd.wasm'. */
  readBinary(name: string): Promise<Uint8Array>;
  /** Turns on relaxed SIMD where the engine has it behind a flag; true when it may now validate. */
  enableRelaxedSimd?(): Promise<boolean>;
}

/** The browser's host: `fetch` from `base` (a URL prefix ending in '/'). */
export function fetchHost(base: string | URL = new URL('./wasm/', import.meta.url)): KernelHost {
  return {
    async readBinary(name) {
      const url = new URL(name, base);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`cannot fetch ${url.href}: ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

let relaxedFlagTried = false;

/** Whether this engine validates `bytes` (a relaxed-SIMD build), enabling the engine's flag if the host can. */
async function validatesRelaxed(bytes: Uint8Array, host: KernelHost): Promise<boolean> {
  if (wasm.validate(bytes)) return true;
  if (!host.enableRelaxedSimd || relaxedFlagTried) return false;
  relaxedFlagTried = true;
  if (!(await host.enableRelaxedSimd())) return false;
  return wasm.validate(bytes);
}

/** Reads the SIMD features the kernels need: plain SIMD128 at least. */
function simdSupported(bytes: Uint8Array): boolean {
  return wasm.validate(bytes);
}

/**
 * The section ids of a wasm binary; the kernels must have no data segment (11) since their
 * memory belongs to tfjs. (The build script checks the code for global accesses as well.)
 */
export function wasmSections(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++]!;
    let size = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[i++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    ids.push(id);
    i += size >>> 0;
  }
  return ids;
}

export interface LoadOptions {
  /** Force a build ('simd' to skip relaxed SIMD even where it validates). */
  readonly build?: KernelBuild;
  /** Where the binaries come from (default: {@link fetchHost}). */
  readonly host?: KernelHost;
}

/**
 * Compiles and instantiates the kernels on `memory` (tfjs's heap). Throws with a reason when
 * the engine lacks SIMD or the binary is unusable; callers fall back to the generic path.
 */
export async function loadKernels(memory: WasmMemory, opts: LoadOptions = {}): Promise<LoadedKernels> {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const suffix = shared ? '-mt' : '';
  const host = opts.host ?? fetchHost();
  let build: KernelBuild = 'simd';
  let bytes: Uint8Array | undefined;
  if (opts.build !== 'simd') {
    const relaxed = await host.readBinary(`vk-relaxed${suffix}.wasm`);
    if (await validatesRelaxed(relaxed, host)) {
      build = 'relaxed';
      bytes = relaxed;
    } else if (opts.build === 'relaxed') throw new Error('this engine does not support relaxed SIMD');
  }
  if (!bytes) {
    bytes = await host.readBinary(`vk-simd${suffix}.wasm`);
    if (!simdSupported(bytes)) throw new Error('this engine does not support WebAssembly SIMD');
  }
  if (wasmSections(bytes).includes(11)) throw new Error('the kernel binary has a data segment (rebuild it with src/kernels/build.sh)');
  const module = await wasm.compile(bytes);
  const instance = await wasm.instantiate(module, { env: { memory } });
  return { exports: instance.exports as unknown as KernelExports, build, shared, module };
}
