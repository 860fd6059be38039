/**
 * Single- vs multi-threaded tfjs-backend-wasm on this machine: the VAE's big matmul
 * (100×784 @ 784×400), its transposed variants, and a full VAE training step (vae-step.ts).
 *
 *   node --import tsx bench/wasm-threads/matmul.ts [--rounds 3] [--threads 2] [--modes stock,mt,dp] [--json out.json]
 *
 * Configurations, each measured in child processes that the parent runs in rotating order, round
 * after round (so that drifting machine load hits every configuration alike):
 *   stock  the stock single-threaded SIMD build (what `initBackend('wasm')` gives today);
 *   mt<N>  the threaded SIMD build via src/wasm-threads, N XNNPACK threads for every op (policy 'all');
 *   mt<N>m the same, the pool used only for matmuls of ≥ 2^23 multiply-accumulates (policy 'matmul',
 *          the default of enableWasmThreads);
 *   mt1    the same build and process, the pool used for nothing (policy 'off'): blocks of the
 *          three alternate back to back within one child process;
 *   dp<N>  data parallelism (dp.ts): N replicas (main thread + N-1 worker_threads), each a stock
 *          single-threaded wasm instance computing the gradient of B/N rows, every replica
 *          running Adam on all parameters; step only;
 *   dp<N>s the same with the Adam update sharded between the replicas (ZeRO-1 style).
 * Each (configuration, case) block runs warm-up repetitions, then ≥ 20 timed ones; the child
 * reports the median; the parent the median over rounds and the ratios. CPU/wall > 1 (from
 * process.cpuUsage) and per-thread run time (Linux schedstat) show whether a second thread
 * worked; per-thread time spent waiting for a CPU shows contention with other processes, and a
 * calibration (a perfectly parallel JS loop on 1 vs 2 threads) the parallel speed-up the machine
 * offers at the moment.
 * Numerics: results and the parameters after 5 steps are hashed per configuration; the parent
 * compares them (bit-identical or the max abs difference).
 */
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { initBackend } from '../../src/backend';
import { enableWasmThreads, setWasmThreadsPolicy, wasmThreadsInfo } from '../../src/wasm-threads';
import { makeShared, Replica } from './dp';
import { B, flatParams, hashFloats, makeBatch, makeEps, makeParams, step } from './vae-step';

const HERE = fileURLToPath(import.meta.url);

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : def;
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers

interface CaseStats {
  /** Milliseconds per repetition: median, quartiles, minimum (≈ an unloaded machine), count. */
  median: number; q1: number; q3: number; min: number; n: number;
  /** Process CPU time / wall time over the timed repetitions (> 1: more than one thread busy). */
  cpuPerWall: number;
  /**
   * Per repetition, ms that the main thread / all other threads (pool worker, V8 helpers,
   * replicas) ran on a CPU, and ms they were runnable but waiting for one (Linux; else NaN).
   */
  mainRunMs: number; mainWaitMs: number; otherRunMs: number; otherWaitMs: number;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const median = (xs: number[]): number => quantile([...xs].sort((a, b) => a - b), 0.5);

/**
 * Per thread of this process (Linux): [ms on a CPU, ms runnable but waiting for a CPU], from
 * /proc/self/task/<tid>/schedstat (nanosecond counters). The waiting time exposes contention
 * with other processes: a pool thread that waits for a CPU stalls every parallel op.
 */
function threadSched(): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      out.set(Number(tid), [run! / 1e6, wait! / 1e6]);
    }
  } catch { /* not Linux */ }
  return out;
}

/** Per-repetition [main run, main wait, others run, others wait] ms between two snapshots. */
function schedDelta(t0: Map<number, [number, number]>, t1: Map<number, [number, number]>, reps: number): number[] {
  if (t1.size === 0) return [NaN, NaN, NaN, NaN];
  const d = [0, 0, 0, 0];
  for (const [tid, [run, wait]] of t1) {
    const [r0, w0] = t0.get(tid) ?? [0, 0];
    const k = tid === process.pid ? 0 : 2;
    d[k]! += run - r0;
    d[k + 1]! += wait - w0;
  }
  return d.map((x) => x / reps);
}

function measure(run: () => void, warmup: number, reps: number): CaseStats {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  const t0 = threadSched();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    run();
    times.push(performance.now() - s);
  }
  return stats(times, performance.now() - w0, process.cpuUsage(c0), schedDelta(t0, threadSched(), reps));
}

function stats(times: number[], wall: number, cpu: NodeJS.CpuUsage, sched: number[]): CaseStats {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), min: sorted[0]!, n: sorted.length,
    cpuPerWall: (cpu.user + cpu.system) / 1000 / wall,
    mainRunMs: sched[0]!, mainWaitMs: sched[1]!, otherRunMs: sched[2]!, otherWaitMs: sched[3]!,
  };
}

// ---------------------------------------------------------------------------------------------
// The cases

interface Case { name: string; warmup: number; reps: number; run: () => void; check: () => string }

function matmulCases(): Case[] {
  const a = tf.randomNormal([B, 784], 0, 1, 'float32', 11) as tf.Tensor2D; // [100, 784] activations
  const w = tf.randomNormal([784, 400], 0, 0.05, 'float32', 12) as tf.Tensor2D; // [784, 400] weights
  const g = tf.randomNormal([B, 400], 0, 1, 'float32', 13) as tf.Tensor2D; // [100, 400] upstream gradient
  const mm = (f: () => tf.Tensor): (() => void) => () => { tf.tidy(f).dispose(); };
  const hash = (f: () => tf.Tensor): (() => string) => () => {
    const t = tf.tidy(f);
    const h = hashFloats(t.dataSync() as Float32Array);
    t.dispose();
    return h;
  };
  const defs: [string, number, number, () => tf.Tensor][] = [
    ['A·W     100x784 @ 784x400', 10, 60, () => tf.matMul(a, w)],
    ['Aᵀ·G    transpose + 784x100 @ 100x400', 10, 60, () => tf.matMul(tf.transpose(a), g)],
    ['G·Wᵀ    100x400 @ transpose 400x784', 10, 60, () => tf.matMul(g, tf.transpose(w))],
    ['Aᵀ·G    matMul(a, g, transposeA)', 3, 20, () => tf.matMul(a, g, true, false)],
    ['G·Wᵀ    matMul(g, w, false, transposeB)', 3, 20, () => tf.matMul(g, w, false, true)],
  ];
  return defs.map(([name, warmup, reps, f]) => ({ name, warmup, reps, run: mm(f), check: hash(f) }));
}

const STEP_CASE = 'VAE step (fwd+bwd+Adam, B=100)';
const CHECK_STEPS = 5;

function stepCase(): Case {
  const p = makeParams(1);
  const opt = tf.train.adam(1e-3);
  const x = makeBatch(7);
  let i = 0;
  return {
    name: STEP_CASE, warmup: 5, reps: 30,
    run: () => {
      const eps = makeEps(i++);
      step(opt, p, x, eps);
      eps.dispose();
    },
    check: () => {
      // Fresh parameters and optimizer: CHECK_STEPS steps, then the parameters' hash.
      const q = makeParams(1);
      const o = tf.train.adam(1e-3);
      for (let s = 0; s < CHECK_STEPS; s++) {
        const eps = makeEps(s);
        step(o, q, x, eps);
        eps.dispose();
      }
      const flat = flatParams(q);
      if (checkDir) writeFileSync(join(checkDir, `${currentConfig}.bin`), flat);
      Object.values(q).forEach((v) => v.dispose());
      o.dispose();
      return hashFloats(flat);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface ChildResult {
  mode: string;
  ok: boolean;
  reason?: string;
  stats: Record<string, Record<string, CaseStats[]>>; // config → case → one entry per block
  hashes: Record<string, Record<string, string>>; // config → case → hash
  info?: unknown;
  loadavg: number[];
}

let checkDir = '';
let currentConfig = '';

function runBlock(res: ChildResult, config: string, cases: Case[], withChecks: boolean): void {
  currentConfig = config;
  const stats = (res.stats[config] ??= {});
  for (const c of cases) (stats[c.name] ??= []).push(measure(c.run, c.warmup, c.reps));
  if (withChecks) {
    const h = (res.hashes[config] ??= {});
    for (const c of cases) h[c.name] = c.check();
  }
}

async function child(mode: string, threads: number): Promise<ChildResult> {
  checkDir = arg('check-dir', '');
  const res: ChildResult = { mode, ok: true, stats: {}, hashes: {}, loadavg: os.loadavg() };
  if (mode === 'stock') {
    await initBackend('wasm');
    const cases = [...matmulCases(), stepCase()];
    runBlock(res, 'stock', cases, true);
    runBlock(res, 'stock', cases, false);
  } else if (mode === 'mt') {
    const r = await enableWasmThreads(threads);
    if (!r.ok) return { ...res, ok: false, reason: r.reason };
    await initBackend('wasm'); // the integration path: the project's backend selection, unchanged
    const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    if (getThreadsCount() !== threads) return { ...res, ok: false, reason: `getThreadsCount() = ${getThreadsCount()}` };
    const cases = [...matmulCases(), stepCase()];
    // One process, one pool; the policy decides per op whether it is used (pool-switch.ts).
    const blocks: [string, 'matmul' | 'all' | 'off'][] = [[`mt${threads}m`, 'matmul'], [`mt${threads}`, 'all'], ['mt1', 'off']];
    for (let rep = 0; rep < 2; rep++) {
      for (const [config, policy] of blocks) {
        setWasmThreadsPolicy(policy);
        runBlock(res, config, cases, rep === 0);
      }
    }
    res.info = { getThreadsCount: threads, ...wasmThreadsInfo() };
  } else if (mode === 'dp') {
    await initBackend('wasm');
    const world = threads;
    const shared = makeShared(world);
    const workers = await Promise.all(Array.from({ length: world - 1 }, (_, k) => new Promise<Worker>((resolve, reject) => {
      const w = new Worker(new URL('./dp-worker-boot.mjs', import.meta.url), { workerData: { shared, rank: k + 1 } });
      w.once('message', (m: { cmd: string }) => (m.cmd === 'ready' ? resolve(w) : reject(new Error(String(m.cmd)))));
      w.once('error', reject);
    })));
    const variants = { replicated: new Replica(shared, 0, false), sharded: new Replica(shared, 0, true) };
    type Variant = keyof typeof variants;
    const next: Record<Variant, number> = { replicated: 0, sharded: 0 };
    // Runs `count` steps of a variant on every replica; resolves with the workers' parameter hashes.
    const steps = async (variant: Variant, count: number, each: () => void): Promise<string[]> => {
      const done = workers.map((w) => new Promise<string>((resolve) => {
        w.once('message', (m: { hash: string }) => resolve(m.hash));
      }));
      const from = next[variant];
      for (const w of workers) w.postMessage({ cmd: 'steps', variant, from, count });
      for (let s = from; s < from + count; s++) { variants[variant].step(s); each(); }
      next[variant] += count;
      return Promise.all(done);
    };
    const configs: Record<Variant, string> = { replicated: `dp${world}`, sharded: `dp${world}s` };
    for (const variant of ['replicated', 'sharded'] as const) {
      // Numerics: the first CHECK_STEPS steps from the common initialization.
      const config = configs[variant];
      const hashes = await steps(variant, CHECK_STEPS, () => {});
      const flat = flatParams(variants[variant].params);
      if (checkDir) writeFileSync(join(checkDir, `${config}.bin`), flat);
      const mine = hashFloats(flat);
      if (hashes.some((h) => h !== mine)) return { ...res, ok: false, reason: `${config} replicas diverged: ${mine} vs ${hashes.join(',')}` };
      res.hashes[config] = { [STEP_CASE]: mine };
    }
    // Timing: the main thread's step time includes waiting at the barrier(s), i.e. it is the
    // wall time of a data-parallel step. Blocks of the two variants alternate.
    for (let block = 0; block < 4; block++) {
      const variant: Variant = block % 2 === 0 ? 'replicated' : 'sharded';
      await steps(variant, 5, () => {});
      const times: number[] = [];
      const c0 = process.cpuUsage();
      const t0 = threadSched();
      const w0 = performance.now();
      let s = performance.now();
      await steps(variant, 30, () => { const e = performance.now(); times.push(e - s); s = e; });
      const wall = performance.now() - w0;
      ((res.stats[configs[variant]] ??= {})[STEP_CASE] ??= []).push(
        stats(times, wall, process.cpuUsage(c0), schedDelta(t0, threadSched(), times.length)));
    }
    for (const w of workers) w.postMessage({ cmd: 'exit' });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  res.loadavg = os.loadavg();
  return res;
}

// ---------------------------------------------------------------------------------------------
// Parent

function runChild(mode: string, threads: number, checkDirPath: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, HERE, '--child', mode, '--threads', String(threads), '--check-dir', checkDirPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{"mode"'));
      if (!line) return reject(new Error(`child ${mode} exited with ${code} and no result:\n${out}`));
      resolve(JSON.parse(line) as ChildResult);
    });
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * The parallel speed-up this machine offers right now: the same fixed CPU-bound JS loop run as
 * one worker thread, then split over two concurrent ones (ideal: 2.00 on two idle cores).
 * Threaded wasm cannot beat this bound; on a machine shared with other jobs it is far below 2.
 */
async function calibrate(iters = 1e8): Promise<number> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    let x = 0; for (let i = 0; i < workerData; i++) x = (x * 1.0000001 + i) % 1e9; parentPort.postMessage(x);`;
  const run = (k: number): Promise<number> => new Promise((resolve) => {
    let done = 0;
    const t = performance.now();
    for (let i = 0; i < k; i++) {
      const w = new Worker(code, { eval: true, workerData: iters / k });
      w.on('message', () => { if (++done === k) resolve(performance.now() - t); });
    }
  });
  const one = await run(1);
  const two = await run(2);
  return one / two;
}

async function parent(): Promise<void> {
  const rounds = Number(arg('rounds', '3'));
  const threads = Number(arg('threads', '2'));
  const modes = arg('modes', 'stock,mt,dp').split(',');
  const jsonOut = arg('json', '');
  const checkDirPath = mkdtempSync(join(os.tmpdir(), 'vae-wasm-threads-'));
  console.log(`wasm-threads benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ` +
    `${rounds} rounds of [${modes.join(', ')}], threads ${threads}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const calib: number[] = [await calibrate()];
  console.log(`  calibration: a perfectly parallel JS loop runs ${calib[0]!.toFixed(2)}x faster on 2 threads than on 1 (ideal 2.00)`);
  const results: ChildResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = modes.map((_, i) => modes[(i + r) % modes.length]!);
    for (const mode of order) {
      const res = await runChild(mode, threads, checkDirPath);
      results.push(res);
      const meds = Object.entries(res.stats).map(([cfg, cs]) => `${cfg} step ${median((cs[STEP_CASE] ?? []).map((s) => s.median)).toFixed(1)} ms`);
      console.log(`  round ${r + 1} ${mode.padEnd(5)} ${res.ok ? meds.join(', ') : `FAILED: ${res.reason}`}  (load ${res.loadavg.map((l) => l.toFixed(1)).join(' ')})`);
    }
  }

  calib.push(await calibrate());
  console.log(`  calibration after the rounds: ${calib[1]!.toFixed(2)}x (ideal 2.00)`);

  // Aggregate: config → case → per-block medians across all rounds.
  const agg: Record<string, Record<string, CaseStats[]>> = {};
  for (const res of results) {
    for (const [cfg, cases] of Object.entries(res.stats)) {
      for (const [name, blocks] of Object.entries(cases)) ((agg[cfg] ??= {})[name] ??= []).push(...blocks);
    }
  }
  const configs = Object.keys(agg).sort((a, b) => order(a) - order(b));
  const caseNames = [...new Set(configs.flatMap((c) => Object.keys(agg[c]!)))];
  const med = (cfg: string, name: string, key: keyof CaseStats = 'median'): number => {
    const blocks = agg[cfg]?.[name];
    return blocks && blocks.length ? median(blocks.map((b) => b[key])) : NaN;
  };
  const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

  console.log('\nms per repetition (median over blocks of the per-block medians; cpu = process CPU / wall)');
  const header = ['case'.padEnd(42), ...configs.map((c) => `${c} ms`.padStart(10)), ...configs.map((c) => `${c} cpu`.padStart(9))];
  console.log(header.join(' '));
  for (const name of caseNames) {
    console.log([name.padEnd(42), ...configs.map((c) => fmt(med(c, name)).padStart(10)), ...configs.map((c) => fmt(med(c, name, 'cpuPerWall')).padStart(9))].join(' '));
  }
  const mtN = `mt${threads}`;
  const dpN = `dp${threads}`;
  const pairs: [string, string][] = [['stock', mtN], ['stock', `${mtN}m`], ['mt1', `${mtN}m`], ['stock', 'mt1'], ['stock', dpN], ['stock', `${dpN}s`]];
  console.log('\nspeed-up ratios (time of the first / time of the second; > 1: the second is faster)');
  console.log(['case'.padEnd(42), ...pairs.map(([a, b]) => `${a}/${b}`.padStart(12))].join(' '));
  for (const name of caseNames) {
    console.log([name.padEnd(42), ...pairs.map(([a, b]) => fmt(med(a, name) / med(b, name)).padStart(12))].join(' '));
  }
  console.log('\nminimum ms per repetition (median over blocks; the least disturbed repetition, ≈ an idle machine)');
  console.log(['case'.padEnd(42), ...configs.map((c) => `${c} min`.padStart(10)), ...pairs.map(([a, b]) => `${a}/${b}`.padStart(12))].join(' '));
  for (const name of caseNames) {
    console.log([name.padEnd(42), ...configs.map((c) => fmt(med(c, name, 'min')).padStart(10)),
      ...pairs.map(([a, b]) => fmt(med(a, name, 'min') / med(b, name, 'min')).padStart(12))].join(' '));
  }
  console.log('\nper repetition, ms on a CPU / ms waiting for a CPU: main thread, then all other threads (Linux schedstat)');
  for (const name of caseNames) {
    console.log([name.padEnd(42), ...configs.map((c) => `${c} ${fmt(med(c, name, 'mainRunMs'), 1)}/${fmt(med(c, name, 'mainWaitMs'), 1)}` +
      ` ${fmt(med(c, name, 'otherRunMs'), 1)}/${fmt(med(c, name, 'otherWaitMs'), 1)}`.padEnd(12))].join('  '));
  }

  // Numerics.
  console.log('\nnumerics (hash of matmul outputs; parameters after 5 VAE steps):');
  const hashes: Record<string, Record<string, Set<string>>> = {};
  for (const res of results) {
    for (const [cfg, hs] of Object.entries(res.hashes)) for (const [n, h] of Object.entries(hs)) ((hashes[n] ??= {})[cfg] ??= new Set()).add(h);
  }
  for (const [name, byCfg] of Object.entries(hashes)) {
    const parts = Object.entries(byCfg).map(([cfg, s]) => `${cfg}=${[...s].join('|')}`);
    const all = new Set(Object.values(byCfg).flatMap((s) => [...s]));
    console.log(`  ${name.padEnd(42)} ${all.size === 1 ? 'IDENTICAL across configurations' : 'DIFFER'}  ${parts.join(' ')}`);
  }
  const base = (() => { try { return new Float32Array(readFileSync(join(checkDirPath, 'stock.bin')).buffer.slice(0)); } catch { return undefined; } })();
  if (base) {
    for (const f of readdirSync(checkDirPath).filter((f) => f !== 'stock.bin')) {
      const other = new Float32Array(readFileSync(join(checkDirPath, f)).buffer.slice(0));
      let scale = 0;
      for (const v of base) scale = Math.max(scale, Math.abs(v));
      console.log(`  params after 5 steps, ${f.replace('.bin', '')} vs stock: max |diff| = ${maxAbsDiff(base, other).toExponential(2)} (max |param| ${scale.toFixed(3)})`);
    }
  }
  rmSync(checkDirPath, { recursive: true, force: true });
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ threads, rounds, calibration: calib, results }, null, 1));
}

function order(cfg: string): number {
  if (cfg === 'stock') return 0;
  if (cfg === 'mt1') return 1;
  if (cfg.startsWith('mt')) return cfg.endsWith('m') ? 3 : 2;
  return cfg.endsWith('s') ? 5 : 4;
}

if (process.argv.includes('--child')) {
  const res = await child(arg('child', ''), Number(arg('threads', '2')));
  process.stdout.write(`${JSON.stringify(res)}\n`);
  process.exit(0);
} else {
  await parent();
}
