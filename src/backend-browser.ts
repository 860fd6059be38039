/**
 * Choosing the TensorFlow.js backend in a browser (or a Web Worker): WebAssembly, then "cpu",
 * unless WebGPU or WebGL is asked for. The wasm binaries (tfjs-backend-wasm's and vaelang's
 * kernels) are fetched from `assets`, a URL prefix where they are served; the package ships
 * them in dist/wasm/, which is the default (beside the built module).
 *
 * @example
 *   await initBackend('wasm', { assets: '/vaelang-wasm/' }); // serves dist/wasm/*.wasm there
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, describeBackend, selectBackend, type BackendHost, type BackendName } from './backend-core';
import { fetchHost } from './kernels/load';
import { registerWebGpu } from './webgpu';

export { BackendError, type BackendName };

/** The backends a browser can have (wasm, then cpu, when none is requested). */
export const BROWSER_BACKENDS = ['wasm', 'cpu', 'webgpu', 'webgl'] as const;

export interface BrowserBackendOptions {
  /** URL prefix (ending in '/') of the wasm binaries: dist/wasm/ of the package, served. */
  readonly assets?: string;
}

function browserHost(opts: BrowserBackendOptions): BackendHost {
  const assets = opts.assets ?? new URL('./wasm/', import.meta.url).href;
  return {
    order: ['wasm', 'cpu'],
    requestable: BROWSER_BACKENDS,
    async load(name) {
      if (name === 'wasm') {
        setWasmPaths(assets);
        return true;
      }
      if (name === 'webgpu') {
        const p = await registerWebGpu();
        if (!p.ok) throw new BackendError(`backend 'webgpu' is not available: ${p.reason}`, 'use wasm (the CPU) or webgl');
        return true;
      }
      return name === 'webgl' || name === 'cpu'; // both ship with @tensorflow/tfjs
    },
    hint: (name) => (name === 'wasm' ? `serve the package's dist/wasm/ files and pass their URL as \`assets\` (looked in ${assets})` : 'this browser lacks it; use wasm or cpu'),
    kernels: { host: fetchHost(assets) },
  };
}

/**
 * Initializes tfjs once and returns the backend in use: `requested` (wasm, cpu, webgl, webgpu)
 * or the first of wasm, cpu that loads.
 */
export async function initBackend(requested?: BackendName | string, opts: BrowserBackendOptions = {}): Promise<BackendName> {
  return selectBackend(requested, browserHost(opts));
}

/** The backend in use, with vaelang's kernels on wasm (e.g. `wasm, fused kernels: relaxed SIMD`). */
export function backendName(): string {
  return describeBackend(1);
}
