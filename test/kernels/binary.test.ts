// The shipped kernel binaries: built from the shipped source (rebuilt and compared byte for
// byte where clang is installed), free of data segments, and writing nothing outside their
// outputs: every export runs on a memory filled with a canary pattern, and everything outside
// the output ranges must still hold the pattern afterwards (the C stack or a stray store would
// overwrite tfjs's heap in real use).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KernelExports } from '../../src/kernels/exports';
import { loadKernels, wasmSections } from '../../src/kernels/load';
import { nodeKernelHost } from '../../src/kernels/node-host';

const DIR = join(import.meta.dirname, '../../src/kernels');
const BUILDS = ['vk-simd.wasm', 'vk-relaxed.wasm', 'vk-simd-mt.wasm', 'vk-relaxed-mt.wasm'];

function hasClang(): boolean {
  try {
    execFileSync('clang-19', ['--version'], { stdio: 'ignore' });
    execFileSync('sh', ['-c', 'command -v wasm-ld-19 || command -v wasm-ld'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('shipped kernel binaries', () => {
  it('are the four builds, without data segments', () => {
    expect(readdirSync(join(DIR, 'wasm')).filter((f) => f.endsWith('.wasm')).sort()).toEqual([...BUILDS].sort());
    for (const f of BUILDS) expect(wasmSections(new Uint8Array(readFileSync(join(DIR, 'wasm', f)))), f).not.toContain(11);
  });

  // One build (the four share the source; compiling all takes ~4x as long).
  it.skipIf(!hasClang())('are what src/kernels/build.sh makes from the shipped C source (needs clang-19, lld-19)', () => {
    const out = mkdtempSync(join(tmpdir(), 'vk-build-'));
    try {
      execFileSync('sh', [join(DIR, 'build.sh')], { env: { ...process.env, OUT: out, ONLY: 'vk-relaxed' }, stdio: 'pipe' });
      expect(readFileSync(join(out, 'vk-relaxed.wasm')).equals(readFileSync(join(DIR, 'wasm', 'vk-relaxed.wasm'))), 'vk-relaxed.wasm differs from a fresh build: run npm run build:kernels').toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

const CANARY = 0x7fc0dead; // a NaN pattern no kernel writes

/**
 * A bump allocator over a canary-filled memory. Inputs are remembered with their contents,
 * outputs are where writes are allowed; everything else must keep the canary.
 */
class Arena {
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  private top = 1 << 16;
  readonly outs: [number, number][] = [];
  private readonly ins: [number, Int32Array][] = [];
  constructor(readonly memory: { buffer: ArrayBufferLike }) {
    this.i32 = new Int32Array(memory.buffer);
    this.f32 = new Float32Array(memory.buffer);
    this.i32.fill(CANARY);
  }
  input(n: number, lo = -1, hi = 1): number {
    const p = this.alloc(n);
    for (let i = 0; i < n; i++) this.f32[p / 4 + i] = lo + ((i * 0.618034) % 1) * (hi - lo);
    this.ins.push([p, this.i32.slice(p / 4, p / 4 + n)]);
    return p;
  }
  /** Words written by the test itself (e.g. Adam's table) count as input. */
  words(values: number[]): number {
    const p = this.alloc(values.length);
    this.i32.set(values, p / 4);
    this.ins.push([p, this.i32.slice(p / 4, p / 4 + values.length)]);
    return p;
  }
  output(n: number, zero = false): number {
    const p = this.alloc(n);
    this.outs.push([p, p + 4 * n]);
    if (zero) this.f32.fill(0, p / 4, p / 4 + n);
    return p;
  }
  private alloc(n: number): number {
    const p = this.top + 64; // a canary gap before every buffer
    this.top = p + 4 * n;
    return p;
  }
  /** Up to 5 addresses outside the outputs whose content changed. */
  damaged(): number[] {
    const expected = new Int32Array(this.i32.length).fill(CANARY);
    for (const [p, v] of this.ins) expected.set(v, p / 4);
    const bad: number[] = [];
    for (let i = 0; i < this.i32.length && bad.length < 5; i++) {
      const a = 4 * i;
      if (this.i32[i] !== expected[i] && !this.outs.some(([s, e]) => a >= s && a < e)) bad.push(a);
    }
    return bad;
  }
}

function exercise(k: KernelExports, ar: Arena): void {
  const [M, N, K] = [7, 13, 9];
  for (const [ta, tb] of [[0, 0], [1, 0], [0, 1]]) k.vk_gemm(ta!, tb!, M, N, K, ar.input(M * K), ar.input(K * N), ar.output(M * N), 0);
  const c = ar.output(M * N, true);
  k.vk_gemm_ld(0, 0, M, N, K, ar.input(M * K), K, ar.input(K * N), N, c, N, 1);
  k.vk_dense(M, N, K, ar.input(M * K), ar.input(K * N), ar.input(N), 2, ar.output(M * N));
  k.vk_bias_act(M, N, ar.input(M * N), ar.input(N), 3, ar.output(M * N));
  k.vk_bias_act(M, N, ar.input(M * N), 0, 2, ar.output(M * N));
  k.vk_act_grad(M, N, ar.input(M * N), ar.input(M * N), 2, ar.output(M * N), ar.output(N));
  k.vk_act_grad(M, N, ar.input(M * N), ar.input(M * N), 0, 0, ar.output(N));
  k.vk_act_grad(M, N, ar.input(M * N), ar.input(M * N), 4, ar.output(M * N), 0);
  const [R, D] = [6, 11];
  k.vk_bernoulli_logits(R, D, ar.input(R * D), R * D, ar.input(D), D, ar.output(R));
  k.vk_bernoulli_logits_grad(R, D, ar.input(R), ar.input(R * D), R * D, ar.input(D), D, ar.output(R * D), 0);
  k.vk_bernoulli_logits_grad(R, D, ar.input(R), ar.input(R * D), R * D, ar.input(D), D, 0, ar.output(D));
  const T = 3 * 10;
  k.vk_normal_logpdf(T, 10, ar.input(T), T, ar.input(10), 10, ar.input(1, 0.5, 1), 1, ar.output(T));
  k.vk_normal_logpdf_grad(T, 10, ar.input(T), ar.input(T), T, ar.input(10), 10, ar.input(1, 0.5, 1), 1, ar.output(T), ar.output(10), ar.output(1));
  k.vk_normal_kl(T, 10, ar.input(T), T, ar.input(T, 0.1, 2), T, ar.input(1), 1, ar.input(10, 0.5, 1), 10, ar.output(T));
  k.vk_normal_kl_grad(T, 10, ar.input(T), ar.input(T), T, ar.input(T, 0.1, 2), T, ar.input(1), 1, ar.input(10, 0.5, 1), 10, ar.output(T), ar.output(T), ar.output(1), ar.output(10));
  k.vk_normal_rsample(T, 10, ar.input(10), 10, ar.input(1), 1, ar.input(T), ar.output(T));
  k.vk_normal_rsample_grad(T, 10, ar.input(T), ar.input(T), 10, 1, ar.output(10), ar.output(1));
  // Adam: the table (8 words per tensor) lives in memory too.
  const n = 10;
  const rows = [0, 1].map(() => [ar.input(n), ar.input(n), ar.input(n), ar.input(n, 0, 1), ar.output(n), ar.output(n), ar.output(n), n]);
  k.vk_adam(2, ar.words(rows.flat()), 0.9, 0.1, 0.999, 0.001, 1e-3, 1e-8);
}

describe('kernels write only their outputs', () => {
  for (const shared of [false, true]) {
    for (const build of ['simd', 'relaxed'] as const) {
      it(`${build} build, ${shared ? 'shared' : 'unshared'} memory`, async () => {
        const memory = new (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: ArrayBufferLike } } }).WebAssembly.Memory({ initial: 64, maximum: shared ? 65536 : undefined, shared });
        const loaded = await loadKernels(memory, { build, host: nodeKernelHost });
        expect(loaded.build).toBe(build);
        expect(loaded.shared).toBe(shared);
        const ar = new Arena(memory);
        exercise(loaded.exports, ar);
        expect(ar.damaged()).toEqual([]);
        // and something was written to every output range
        for (const [s, e] of ar.outs) expect(ar.i32.subarray(s / 4, e / 4).some((v) => v !== CANARY)).toBe(true);
      });
    }
  }
});
