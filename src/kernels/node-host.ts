/**
 * The kernels' host in Node: the binaries read from disk (src/kernels/wasm, found from the
 * package root, so the build in dist/ finds them too), V8's relaxed-SIMD flag (Node 20 has it
 * behind `--experimental-wasm-relaxed-simd`, settable before anything compiles a module that
 * uses it) and the GEMM's worker thread on a shared heap.
 */
import { readFile } from 'node:fs/promises';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { packageFile } from '../core/package-root';
import type { InstallOptions } from './index';
import { startGemmThreads } from './threads';

export const nodeKernelHost = {
  async readBinary(name: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(packageFile(`src/kernels/wasm/${name}`)));
  },
  async enableRelaxedSimd(): Promise<boolean> {
    try {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      return true;
    } catch {
      return false;
    }
  },
};

/** installKernels' options in Node (add `build` to force one). */
export function nodeKernelOptions(): Pick<InstallOptions, 'host' | 'startThreads'> {
  return { host: nodeKernelHost, startThreads: (backend, module, memory) => startGemmThreads(backend, module, memory, { Worker }) };
}

