/**
 * `npm run bench`: runs every case in bench/cases in its own process, writes
 * bench/results/<case>.json and prints a summary table with ratios to the reference figures
 * (bench/reference.json: Pyro and PyTorch on a machine of this kind).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Job {
  readonly id: string;
  readonly args: string[];
  /** Run only when named (`npm run bench -- ID`): hours of CPU. */
  readonly manual?: boolean;
}

const JOBS: Job[] = [
  { id: 'train-vae', args: ['bench/cases/train-vae.ts', 'models/vae.vae', '100'] },
  { id: 'train-iwae', args: ['bench/cases/train-vae.ts', 'models/vae.vae', '100', 'iwae5'] },
  { id: 'train-m2', args: ['bench/cases/train-vae.ts', 'models/m2.vae', '200'] },
  { id: 'train-conv-vae', args: ['bench/cases/train-vae.ts', 'models/conv-vae.vae', '100'] },
  // BENCH_IWAE_IMAGES: images per repetition (default 200, i.e. 1000 images in all).
  { id: 'eval-iwae5000', args: ['bench/cases/eval-iwae.ts', '5000', process.env['BENCH_IWAE_IMAGES'] ?? '200'] },
  // All 10,000 test images at K = 5000: hours on one core; `npm run bench -- eval-m2-iwae5000`.
  { id: 'eval-m2-iwae5000', args: ['bench/cases/eval-enumerated.ts', 'models/m2.vae', '5000', '10000'], manual: true },
  { id: 'eval-m2-iwae5000-200', args: ['bench/cases/eval-enumerated.ts', 'models/m2.vae', '5000', '200'] },
  { id: 'eval-gmvae-iwae50', args: ['bench/cases/eval-enumerated.ts', 'models/gmvae.vae', '50', '10000'] },
  { id: 'check-models', args: ['bench/cases/check-models.ts'] },
  { id: 'check-cli', args: ['bench/cases/check-cli.ts'] },
  { id: 'memory', args: ['bench/cases/memory.ts'] },
  { id: 'grad-norm', args: ['bench/cases/grad-norm.ts'] },
];

const only = process.argv.slice(2);
const reference = JSON.parse(fs.readFileSync(path.resolve('bench/reference.json'), 'utf8')) as Record<string, Record<string, { value: number; unit: string; note: string }>>;
const rows: string[] = [];
const out = path.resolve('bench/results');
fs.mkdirSync(out, { recursive: true });
for (const job of JOBS) {
  if (only.length ? !only.includes(job.id) : job.manual) continue;
  process.stderr.write(`bench ${job.id} ...\n`);
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', ...job.args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`bench ${job.id} printed no result`);
  const result = { ...JSON.parse(line), id: job.id, date: new Date().toISOString(), cpus: (await import('node:os')).cpus().length, load: (await import('node:os')).loadavg()[0] };
  // Runs with threaded wasm are kept apart from the single-threaded ones (BENCHMARKS.md has both).
  const threads = process.env['VAE_WASM_THREADS'];
  const suffix = threads && threads !== '1' && threads !== 'off' ? `-threads${threads}` : '';
  fs.writeFileSync(path.join(out, `${job.id}${suffix}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`  ${result.name}: ${result.median.toFixed(2)} ${result.unit} (CPU time ${result.cpuMedian?.toFixed(2)}; min ${result.min.toFixed(2)}, max ${result.max.toFixed(2)}), ${result.backend}, peak RSS ${Math.round(result.peakRssMb)} MB, tensors ${result.tensorsBefore} -> ${result.tensorsAfter}\n`);
  const refs = reference[job.id] ?? {};
  // Ratios > 1 mean vaelang is faster (for times, reference / ours).
  const ratios = Object.entries(refs).map(([k, r]) => `${k} ${(r.value / result.median).toFixed(2)}x` + (result.cpuMedian ? ` (CPU time ${(r.value / result.cpuMedian).toFixed(2)}x)` : '')).join(', ');
  // The memory case reports the counts after 10 and after 1000 steps.
  const extra = (result.extra ?? {}) as { tensorsAfter10Steps?: number; tensorsAfter1000Steps?: number };
  const tensors = extra.tensorsAfter10Steps !== undefined ? `${extra.tensorsAfter10Steps} → ${extra.tensorsAfter1000Steps} (10 → 1000 steps)` : `${result.tensorsBefore} → ${result.tensorsAfter}`;
  rows.push(`| ${result.name} | ${result.median.toFixed(2)} ${result.unit} | ${result.cpuMedian?.toFixed(2) ?? '–'} | ${result.min.toFixed(2)} – ${result.max.toFixed(2)} | ${result.backend} | ${Math.round(result.peakRssMb)} MB | ${tensors} | ${ratios || '–'} |`);
}
process.stdout.write(['| benchmark | median (wall) | median (CPU time) | spread (min – max, wall) | backend | peak RSS | tensors | speed vs reference |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n');
