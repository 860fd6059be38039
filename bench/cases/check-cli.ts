// `vae check models/vae.vae` as an editor runs it on save: a fresh process, from the built
// command line (npm run build:cli; bin/vae.js uses it when it is up to date), to the plan on
// stdout. Wall time per run, and the same for `node -e ""` (Node's own start) for reference;
// with /usr/bin/time, also the CPU time (user + system), which load on a shared machine does not
// inflate. The target is 0.3 s (issue 17). Runs alternate so load affects both alike.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { median, runCase } from '../harness';

execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'ignore' });

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Wall ms of `node args`, and its CPU ms when /usr/bin/time can tell. */
function run(args: string[]): { wall: number; cpu?: number } {
  const env = { ...process.env };
  delete env['VAE_NO_BUNDLE'];
  const t0 = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', 'CPU %U %S', process.execPath, ...args], { encoding: 'utf8', env }) : spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return m ? { wall, cpu: (Number(m[1]) + Number(m[2])) * 1000 } : { wall };
}

const node: number[] = [];
const nodeCpu: number[] = [];
const checkCpu: number[] = [];
await runCase({
  name: '`vae check models/vae.vae` (built CLI, fresh process), wall ms',
  unit: 'ms',
  reps: 15,
  warmup: 2,
  setup: () => undefined,
  rep: () => {
    const n = run(['-e', '']);
    const c = run(['bin/vae.js', 'check', 'models/vae.vae']);
    node.push(n.wall);
    if (n.cpu !== undefined && c.cpu !== undefined) {
      nodeCpu.push(n.cpu);
      checkCpu.push(c.cpu);
    }
    return c.wall;
  },
  extra: () => ({ nodeStartMs: median(node), ...(checkCpu.length ? { cpuMs: median(checkCpu), nodeStartCpuMs: median(nodeCpu) } : {}), targetMs: 300 }),
});
