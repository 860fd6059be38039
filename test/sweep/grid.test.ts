// Sweeps as data, without running anything: --grid parsing, the cells of a grid and of a random
// search, Slurm array specs, state words and the job script, mean ± standard error.
import { describe, expect, it } from 'vitest';
import { cellLabel, gridCells, parseAxis, randomCells, splitValues } from '../../src/sweep/grid';
import { meanSe } from '../../src/sweep/report';
import { arraySpec, jobScript, normalizeState } from '../../src/sweep/slurm';
import type { Manifest } from '../../src/sweep/manifest';
import { sweepSpec } from '../../src/figures/specs/sweep';

describe('--grid axes', () => {
  it('splits values on commas outside brackets, keeping offsets', () => {
    expect(splitValues('elbo, iwae(k: 5),adam(lr: 1e-3, beta1: 0.5)', 10)).toEqual([
      { text: 'elbo', at: 10 },
      { text: 'iwae(k: 5)', at: 16 },
      { text: 'adam(lr: 1e-3, beta1: 0.5)', at: 27 },
    ]);
  });

  it('reads train.NAME, const NAME and {} templates', () => {
    const t = parseAxis('train.beta=1,2,4', 0);
    expect(t).toMatchObject({ kind: 'train', name: 'beta', nameAt: 6, template: 'train { beta: {} }' });
    expect(t.values).toEqual({ kind: 'list', values: [{ text: '1', at: 11 }, { text: '2', at: 13 }, { text: '4', at: 15 }] });
    expect(parseAxis('const Z=20,50', 1)).toMatchObject({ kind: 'const', name: 'Z', nameAt: 6, template: 'const Z = {}' });
    const tpl = parseAxis('model.z ~ {}=Normal(0, 1),Laplace(0, 1)', 2);
    expect(tpl).toMatchObject({ kind: 'template', template: 'model.z ~ {}' });
    expect(tpl.values).toMatchObject({ kind: 'list', values: [{ text: 'Normal(0, 1)' }, { text: 'Laplace(0, 1)' }] });
    expect(parseAxis('train.lr=loguniform(1e-4, 1e-2)', 0).values).toEqual({ kind: 'loguniform', low: 1e-4, high: 1e-2 });
  });

  it('refuses empty, repeated and unknown axes with a hint', () => {
    expect(() => parseAxis('train.beta=', 0)).toThrow(/--grid 'train.beta=': no values/);
    expect(() => parseAxis('train.beta=1,,2', 0)).toThrow(/an empty value/);
    expect(() => parseAxis('train.beta=1,1', 0)).toThrow(/the value 1 is given twice/);
    expect(() => parseAxis('beta=1,2', 0)).toThrow(/unknown key 'beta'/);
    expect(() => parseAxis('train.beta', 0)).toThrow(/expected KEY=v1,v2/);
    expect(() => parseAxis('const Z=randint(1.5, 3)', 0)).toThrow(/invalid range/);
  });

  it('makes the full grid: models × values, the last axis fastest, with fragments and labels', () => {
    const axes = [parseAxis('train.beta=1,2', 0), parseAxis('const Z=20,50', 1)];
    const cells = gridCells(['models/vae.vae', 'models/iwae.vae'], axes);
    expect(cells).toHaveLength(8);
    expect(cells.map((c) => cellLabel(c, axes, true))).toEqual([
      'vae train.beta=1 const Z=20',
      'vae train.beta=1 const Z=50',
      'vae train.beta=2 const Z=20',
      'vae train.beta=2 const Z=50',
      'iwae train.beta=1 const Z=20',
      'iwae train.beta=1 const Z=50',
      'iwae train.beta=2 const Z=20',
      'iwae train.beta=2 const Z=50',
    ]);
    expect(cells[3]!.fragments.map((f) => f.text)).toEqual(['train { beta: 2 }', 'const Z = 50']);
    // The value's offsets in the fragment and in the --grid text, for diagnostics.
    expect(cells[3]!.fragments[1]!.valueAt).toEqual({ fragment: 10, arg: 11, length: 2 });
    expect(() => gridCells(['m.vae'], [parseAxis('train.lr=uniform(0, 1)', 0)])).toThrow(/only a random search does/);
  });

  it('draws distinct random cells, reproducibly, no more than there are', () => {
    const axes = [parseAxis('train.lr=loguniform(1e-4, 1e-2)', 0), parseAxis('const Z=randint(10, 20)', 1)];
    const a = randomCells(['m.vae'], axes, 6, 3);
    expect(a).toEqual(randomCells(['m.vae'], axes, 6, 3));
    expect(a).toHaveLength(6);
    for (const c of a) {
      const lr = Number(c.fragments[0]!.value);
      const z = Number(c.fragments[1]!.value);
      expect(lr).toBeGreaterThanOrEqual(1e-4);
      expect(lr).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(z) && z >= 10 && z <= 20).toBe(true);
      expect(c.fragments[1]!.valueAt.arg).toBe(-1); // drawn, not written
    }
    const small = randomCells(['a.vae', 'b.vae'], [parseAxis('const Z=1,2', 0)], 10, 0);
    expect(new Set(small.map((c) => `${c.model} ${c.fragments[0]!.value}`)).size).toBe(4);
  });
});

describe('Slurm plumbing', () => {
  it('compresses task indices into an --array spec', () => {
    expect(arraySpec([0, 1, 2, 3, 7, 9, 10])).toBe('0-3,7,9-10');
    expect(arraySpec([5])).toBe('5');
    expect(arraySpec([3, 1, 2, 2])).toBe('1-3');
  });

  it("reads Slurm's state words", () => {
    expect(normalizeState('CANCELLED by 0')).toBe('CANCELLED');
    expect(normalizeState('OUT_OF_MEMORY')).toBe('OUT_OF_MEMORY');
    expect(normalizeState('TIMEOUT')).toBe('TIMEOUT');
    expect(normalizeState('COMPLETING')).toBe('RUNNING');
    expect(normalizeState('REQUEUE_HOLD')).toBe('REQUEUED');
    expect(normalizeState('WEIRD')).toBe('UNKNOWN');
  });

  it('writes the settings into the job script', () => {
    const m = { id: 'abc123', cwd: '/home/me/project dir', vaeFlags: ['--backend', 'wasm'] } as unknown as Manifest;
    const s = jobScript('/scratch/sweep', m, { partition: 'gpu', account: 'lab', time: '02:00:00', mem: '8G', cpusPerTask: 4, gres: 'gpu:1', sbatchArgs: ['--qos=short'], setup: ['module load nodejs'], node: '/opt/node/bin/node' });
    expect(s).toContain('#SBATCH --output=/scratch/sweep/logs/%a.log');
    expect(s).toContain('#SBATCH --requeue');
    expect(s).toContain('#SBATCH --partition=gpu');
    expect(s).toContain('#SBATCH --account=lab');
    expect(s).toContain('#SBATCH --time=02:00:00');
    expect(s).toContain('#SBATCH --signal=B:TERM@300'); // a tenth of 2 h, at most 5 minutes
    expect(s).toContain('#SBATCH --mem=8G');
    expect(s).toContain('#SBATCH --cpus-per-task=4');
    expect(s).toContain('#SBATCH --gres=gpu:1');
    expect(s).toContain('#SBATCH --qos=short');
    expect(s).toContain("cd '/home/me/project dir'\nmodule load nodejs\n");
    expect(s).toMatch(/exec \/opt\/node\/bin\/node \S+\/bin\/vae\.js --backend wasm sweep-task \/scratch\/sweep "\$SLURM_ARRAY_TASK_ID"\n$/);
    expect(jobScript('/s', m, { time: '30' })).toContain('--signal=B:TERM@180'); // 30 minutes
  });
});

describe('mean ± standard error over seeds', () => {
  it('is the sample standard deviation over √n, none for one seed', () => {
    expect(meanSe([])).toBeNull();
    expect(meanSe([3])).toEqual({ mean: 3, se: null, n: 1 });
    const s = meanSe([1, 2, 3, 4])!;
    expect(s.mean).toBe(2.5);
    expect(s.se).toBeCloseTo(Math.sqrt(1.6666666666666667 / 4), 12);
  });
});

describe('the sweep figure', () => {
  it('has one panel per metric: seeds as dots, the mean as a tick, ± se as a rule; none without results', () => {
    expect(sweepSpec({ cells: ['a'], metrics: ['ELBO'], points: [], summary: [] })).toBeNull();
    const spec = sweepSpec({
      cells: ['a', 'b'],
      metrics: ['log p(x)', 'accuracy (%)'],
      points: [
        { cell: 'a', metric: 'log p(x)', seed: 1, value: -100 },
        { cell: 'a', metric: 'log p(x)', seed: 2, value: -102 },
        { cell: 'b', metric: 'accuracy (%)', seed: 1, value: 70 },
      ],
      summary: [{ cell: 'a', metric: 'log p(x)', mean: -101, se: 1, n: 2 }],
    }) as unknown as { hconcat: { title: string; layer: { mark: { type: string }; data: { values: Record<string, number>[] } }[] }[] };
    expect(spec.hconcat.map((p) => p.title)).toEqual(['log p(x)', 'accuracy (%)']);
    const [rule, tick, dots] = spec.hconcat[0]!.layer;
    expect([rule!.mark.type, tick!.mark.type, dots!.mark.type]).toEqual(['rule', 'tick', 'point']);
    expect(rule!.data.values[0]).toMatchObject({ lo: -102, hi: -100 });
    expect(dots!.data.values).toHaveLength(2);
  });
});
