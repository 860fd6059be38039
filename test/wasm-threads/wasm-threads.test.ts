import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MAX_WASM_THREADS, clampThreads, makeLocateFile, parseThreadsSetting, threadedSimdFiles, wasmThreadsSupported,
} from '../../src/wasm-threads/config';
import { matMulMacs } from '../../src/wasm-threads/pool-switch';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

describe('parseThreadsSetting', () => {
  it('reads counts, auto and off', () => {
    expect(parseThreadsSetting(undefined)).toBe(1);
    expect(parseThreadsSetting('')).toBe(1);
    expect(parseThreadsSetting('off')).toBe(1);
    expect(parseThreadsSetting('0')).toBe(1);
    expect(parseThreadsSetting('1')).toBe(1);
    expect(parseThreadsSetting(' 2 ')).toBe(2);
    expect(parseThreadsSetting('auto')).toBeUndefined();
    expect(parseThreadsSetting('ON')).toBeUndefined();
  });
  it('rejects garbage', () => {
    expect(() => parseThreadsSetting('two')).toThrow(/invalid wasm thread count/);
    expect(() => parseThreadsSetting('-2')).toThrow(RangeError);
    expect(() => parseThreadsSetting('1.5')).toThrow(RangeError);
  });
});

describe('clampThreads', () => {
  it('defaults to the cores and caps at cores and the pre-spawned pool', () => {
    expect(clampThreads(undefined, 2)).toBe(2);
    expect(clampThreads(4, 2)).toBe(2);
    expect(clampThreads(0, 2)).toBe(1);
    expect(clampThreads(3, 64)).toBe(3);
    expect(clampThreads(undefined, 64)).toBe(MAX_WASM_THREADS);
    expect(clampThreads(2, NaN)).toBe(1);
  });
});

describe('threadedSimdFiles', () => {
  it('finds the threaded SIMD build of the installed package', () => {
    const f = threadedSimdFiles(require.resolve('@tensorflow/tfjs-backend-wasm'));
    expect(f.glue).toMatch(/wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/);
    expect(f.wasm).toMatch(/wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.wasm$/);
    expect(f.workerSource).toMatch(/wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.worker\.js$/);
    expect(typeof require(f.glue)).toBe('function');
    expect(typeof (require(f.workerSource) as { wasmWorkerContents: unknown }).wasmWorkerContents).toBe('string');
  });
  it('names the missing file', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'wt-'));
    expect(() => threadedSimdFiles(join(dir, 'dist', 'index.js'))).toThrow(/threaded wasm build not found: .*wasm-out/);
  });
  it('maps the worker script to the entry and binaries to the threaded wasm', () => {
    const f = { glue: '/p/g.js', wasm: '/p/t.wasm', workerSource: '/p/w.js' };
    const locate = makeLocateFile(f, '/e/worker.cjs');
    expect(locate('tfjs-backend-wasm-threaded-simd.worker.js', '/x/')).toBe('/e/worker.cjs');
    expect(locate('tfjs-backend-wasm-threaded-simd.wasm', '/x/')).toBe('/p/t.wasm');
    expect(locate('other.data', '/x/')).toBe('/x/other.data');
  });
});

describe('matMulMacs', () => {
  it('counts multiply-accumulates of plain, transposed and batched matmuls', () => {
    expect(matMulMacs([100, 784], [784, 400])).toBe(100 * 784 * 400);
    expect(matMulMacs([784, 100], [100, 400], true, false)).toBe(100 * 784 * 400);
    expect(matMulMacs([100, 400], [784, 400], false, true)).toBe(100 * 400 * 784);
    expect(matMulMacs([3, 1, 5, 7], [4, 7, 2])).toBe(3 * 4 * 5 * 2 * 7);
    expect(matMulMacs([5], [5, 2])).toBe(0);
  });
});

describe('wasmThreadsSupported', () => {
  it('holds on Node >= 20', () => {
    expect(wasmThreadsSupported()).toEqual({ ok: true });
  });
});

/** Runs child.ts in a fresh Node process (the suite's process already has a wasm backend). */
function runChild(env: Record<string, string>): {
  result: { ok: boolean; threads: number; reason?: string }; backend: string; threads: number;
  info: { runningWorkers: number; policy: string } | null; maxErr: number;
} {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'child.ts')], {
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: 90_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('enableWasmThreads (in a child process)', () => {
  it.runIf(os.cpus().length >= 2)('runs XNNPACK with 2 threads and computes matmuls correctly', () => {
    const r = runChild({ WT_N: '2' });
    expect(r.result).toEqual({ threads: 2, ok: true });
    expect(r.backend).toBe('wasm');
    expect(r.threads).toBe(2);
    expect(r.info?.runningWorkers).toBe(1);
    expect(r.info?.policy).toBe('matmul'); // the pool global was located
    expect(r.maxErr).toBeLessThan(1e-3);
  });
  it('falls back to the stock single-threaded backend when the workers cannot start', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'wt-'));
    const broken = join(dir, 'broken-worker.cjs');
    writeFileSync(broken, "throw new Error('broken worker entry');\n");
    const r = runChild({ WT_N: '2', WT_ENTRY: broken });
    expect(r.result.ok).toBe(false);
    expect(r.result.threads).toBe(1);
    expect(r.result.reason).toMatch(os.cpus().length >= 2 ? /broken worker entry/ : /core/);
    expect(r.backend).toBe('wasm');
    expect(r.threads).toBe(1);
    expect(r.info).toBeNull();
    expect(r.maxErr).toBeLessThan(1e-3);
  });
});
