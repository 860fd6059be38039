/**
 * The WebGPU backend (`--backend webgpu`): @tensorflow/tfjs-backend-webgpu on the GPU.
 *
 * In browsers `navigator.gpu` is the browser's own WebGPU. In Node it comes from the optional
 * `webgpu` package (Dawn's Node bindings: Vulkan on Linux, Metal on macOS, D3D12 on Windows),
 * installed onto `navigator.gpu` before tfjs-backend-webgpu is imported (the package registers
 * its backend only when it finds `navigator.gpu`). Where there is no GPU, no driver or no
 * `webgpu` package, {@link probeWebGpu} says why and `--backend webgpu` fails with that reason
 * and a hint (`--backend wasm` runs the same program on the CPU); it never falls back silently,
 * so a run asked to use the GPU never reports CPU timings as GPU ones. docs/gpu.md.
 */

/** The WebGPU API surface used here (the DOM typings are not part of this project's lib). */
interface GpuAdapterLike {
  readonly info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}
interface GpuLike {
  requestAdapter(opts?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

export type WebGpuProbe =
  | { readonly ok: true; readonly source: 'browser' | 'webgpu package'; readonly adapter: string }
  | { readonly ok: false; readonly reason: string; readonly hint: string };

const CPU_HINT = 'use --backend wasm (the CPU; the default where tfjs-node is not installed)';

function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

/** Puts Dawn's `navigator.gpu` (the `webgpu` package) on the global object, in Node. */
async function installDawn(): Promise<{ ok: true } | { ok: false; reason: string; hint: string }> {
  let mod: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  try {
    // A string variable keeps bundlers and tsc from requiring the optional module.
    const name = 'webgpu';
    mod = (await import(name)) as typeof mod;
  } catch (e) {
    return {
      ok: false,
      reason: `the optional 'webgpu' package (Dawn) could not be loaded: ${(e as Error).message.split('\n')[0]}`,
      hint: `install it with \`npm install webgpu\` on a machine with a GPU, or ${CPU_HINT}`,
    };
  }
  const gpu = mod.create([]);
  // The WebGPU classes and constants (GPUBufferUsage, ...) that tfjs-backend-webgpu reads as globals.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  return { ok: true };
}

let probed: Promise<WebGpuProbe> | undefined;

/**
 * Whether a WebGPU adapter is available (once per process): the browser's `navigator.gpu`, or in
 * Node the `webgpu` package's. Never throws.
 * @example await probeWebGpu() // { ok: false, reason: 'no WebGPU adapter: ...', hint: 'use --backend wasm ...' }
 */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<WebGpuProbe> {
  let source: 'browser' | 'webgpu package' = 'browser';
  if (navigatorGpu() === undefined) {
    const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
    if (!isNode) return { ok: false, reason: 'this browser has no WebGPU (navigator.gpu is undefined)', hint: CPU_HINT };
    const d = await installDawn();
    if (!d.ok) return d;
    source = 'webgpu package';
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await navigatorGpu()!.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: `requesting a WebGPU adapter failed: ${(e as Error).message}`, hint: CPU_HINT };
  }
  if (adapter === null) {
    return {
      ok: false,
      reason: 'no WebGPU adapter: no GPU, or no driver for it (Dawn needs Vulkan on Linux: libvulkan1 and the GPU vendor\'s Vulkan driver)',
      hint: CPU_HINT,
    };
  }
  const i = adapter.info ?? {};
  const adapterName = [i.vendor, i.architecture, i.description || i.device].filter((s) => s).join(' ') || 'unnamed adapter';
  return { ok: true, source, adapter: adapterName };
}

/**
 * Registers tfjs's WebGPU backend once an adapter was found ({@link probeWebGpu} first).
 * @returns the probe; `tf.setBackend('webgpu')` then starts it.
 */
export async function registerWebGpu(): Promise<WebGpuProbe> {
  const p = await probeWebGpu();
  if (p.ok) await import('@tensorflow/tfjs-backend-webgpu');
  return p;
}
