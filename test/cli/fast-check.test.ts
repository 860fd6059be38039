// `vae check` from the built bundle (npm run build:cli, dist/cli-fast/) prints exactly what the
// sources print, for a good and a bad program, with its code cache and without (the run then
// writes one), and bin/vae.js falls back to the sources when a source the bundle holds is newer
// than the bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'dist/cli-fast/check.cjs');
const cache = path.join(root, 'dist/cli-fast/check.cache');

function vae(args: string[], env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/vae.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, VAE_SHOW_ENTRY: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'ignore' });
}, 120_000);

describe('vae check from the bundle', () => {
  it('lists the sources it holds: the checker and the planner, nothing of the runtime', () => {
    const inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist/cli-fast/inputs.json'), 'utf8')) as string[];
    expect(inputs).toEqual(expect.arrayContaining(['package.json', 'src/cli/main.ts', 'src/dsl/parser.ts', 'src/inference/plan.ts', 'src/distributions/schemas/index.ts']));
    expect(inputs.filter((f) => /src\/(train|eval|sample|flows|inference\/compile|distributions\/normal)/.test(f))).toEqual([]);
    expect(fs.readFileSync(bundle, 'utf8')).not.toMatch(/(require|import)\(\s*"@tensorflow/); // loads no tfjs
  });

  it('prints what the sources print, for a good and a bad program, with its code cache and without', () => {
    expect(fs.existsSync(cache)).toBe(true); // the build made it
    const cases = [['check', 'models/vae.vae'], ['check', 'test/golden/diagnostics/VAE306-negative-scale.vae', '--json'], ['check', 'test/golden/diagnostics/VAE103-data-missing-colon.vae'], ['check', '--help'], ['check']];
    for (const args of cases) {
      const slow = vae(args, { VAE_NO_BUNDLE: '1' });
      expect(slow.err).toMatch(/^entry: sources/);
      for (const cached of [true, false]) {
        if (!cached) fs.rmSync(cache);
        const fast = vae(args);
        expect(fast.err).toMatch(/^entry: bundle/);
        expect([fast.code, fast.out, fast.err.replace(/^entry: \w+\n/, '')], `${args.join(' ')}${cached ? '' : ' (no code cache)'}`).toEqual([slow.code, slow.out, slow.err.replace(/^entry: \w+\n/, '')]);
        expect(fs.existsSync(cache)).toBe(true); // written again by the run without one
      }
    }
  }, 240_000);

  it('is not used when a source it holds is newer, nor for other commands', () => {
    const t = fs.statSync(bundle).mtime;
    const old = new Date(t.getTime() - 1e9);
    fs.utimesSync(bundle, old, old); // the bundle now predates its sources
    try {
      expect(vae(['check', 'models/vae.vae']).err).toMatch(/^entry: sources/);
    } finally {
      fs.utimesSync(bundle, t, t);
    }
    expect(vae(['check', 'models/vae.vae']).err).toMatch(/^entry: bundle/);
    expect(vae(['--help']).err).toMatch(/^entry: sources/);
  }, 120_000);
});
