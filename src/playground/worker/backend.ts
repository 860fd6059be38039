/**
 * The worker's tfjs backend: WebGPU, then WebGL, then WebAssembly, then the pure-JS CPU
 * backend, the first that initializes (or the one the page asks for), through the browser
 * entry's initBackend (src/backend-browser.ts: on wasm it installs the engine's gradient
 * rewrites and vaelang's fused kernels, as in Node). The .wasm files of tfjs's wasm backend and
 * of the kernels are served by the playground's server under /wasm/.
 */
import { backendName, initBackend } from '../../backend-browser';
import { BACKEND_ORDER, type BackendChoice } from '../protocol';

type Name = (typeof BACKEND_ORDER)[number];

const ASSETS = new URL('/wasm/', self.location.href).href;

/** Whether a backend can work here at all (cheap probes; initialization may still fail). */
async function probe(name: Name): Promise<boolean> {
  try {
    if (name === 'webgpu') {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return !!gpu && (await gpu.requestAdapter()) !== null;
    }
    if (name === 'webgl') return typeof OffscreenCanvas !== 'undefined' && new OffscreenCanvas(1, 1).getContext('webgl2') !== null;
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

/** Switches to `choice` (or the best that works, in BACKEND_ORDER) and returns its name with a detail line. */
export async function useBackend(choice: BackendChoice, available: readonly Name[]): Promise<{ name: string; detail: string }> {
  const order = choice === 'auto' ? available : [choice, ...available.filter((n) => n !== choice)];
  const failed: string[] = [];
  for (const n of order) {
    try {
      const name = await initBackend(n, { assets: ASSETS });
      return { name, detail: `${backendName()}${failed.length > 0 && choice !== 'auto' ? ` (${failed.join('; ')})` : ''}` };
    } catch (e) {
      failed.push(`${n}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialized in this browser (${failed.join('; ')})`);
}
