// The figure specifications: golden files (update with `npx vitest run test/figures -u`, then
// read the diff), what each figure promises (per step for a short run, per epoch over a per-step
// underlay for a long one; real superscripts; the same K ticks in both SNR panels; overlapping
// series drawn dashed and named), a clean Vega-Lite compile, and no Node import anywhere in the
// browser entry's module graph.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { compareSpec, curvesMode, curvesSpec, diagnosticsSpec, logTicks, overlaps, robustDomain, scatterSpec, snrSpec, sup, varianceSpec } from '../../src/figures/index';
import type { EpochRecord } from '../../src/metrics/records';
import { runRecords, SNR_POINTS } from './fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Compiles a spec and returns Vega-Lite's warnings. */
function warnings(spec: TopLevelSpec): string[] {
  const out: string[] = [];
  const say = (...m: unknown[]) => void out.push(m.join(' '));
  const logger: Record<string, unknown> = { warn: say, error: say };
  for (const k of ['level', 'info', 'debug']) logger[k] = () => logger;
  compile(spec, { logger: logger as never });
  return out;
}

/** A spec as golden text: indented, but one line per data row. */
function golden(spec: TopLevelSpec): string {
  const values = (spec as { data?: { values?: unknown[] } }).data?.values;
  if (!values) return `${JSON.stringify(spec, null, 1)}\n`;
  const text = JSON.stringify({ ...spec, data: { values: '@ROWS@' } }, null, 1);
  return `${text.replace('"@ROWS@"', `[\n${values.map((v) => `  ${JSON.stringify(v)}`).join(',\n')}\n ]`)}\n`;
}

/** All strings anywhere in a spec. */
function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x && typeof x === 'object') return Object.values(x).flatMap(strings);
  return [];
}

const short = runRecords(2, 30);
const long = runRecords(6, 20, 4);
const history = (seed: number, shift = 0): EpochRecord[] => runRecords(4, 10, 1, seed, shift).filter((r): r is EpochRecord => r.kind === 'epoch');

const SPECS: Record<string, () => TopLevelSpec | null> = {
  'curves-short': () => curvesSpec({ records: short, title: 'models/vae.vae' }),
  'curves-long': () => curvesSpec({ records: long, title: 'models/iwae.vae', bound: 'IWAE-5' }),
  diagnostics: () => diagnosticsSpec({ records: short, title: 'models/vae.vae' }),
  compare: () => compareSpec({ curves: [{ model: 'vae', history: history(1) }, { model: 'iwae', history: history(2, 5) }, { model: 'vae-copy', history: history(1) }], title: 'vae compare' }),
  snr: () => snrSpec({ points: SNR_POINTS, draws: 500, title: 'conj.vae' }),
  variance: () => varianceSpec({ points: [1, 10, 100].flatMap((n) => [{ estimator: 'reparam', n, variance: 4 / n }, { estimator: 'score', n, variance: 11415 / n }]), title: 'toy.vae' }),
  scatter: () => scatterSpec({ points: Array.from({ length: 40 }, (_, i) => ({ x: Math.cos(i), y: Math.sin(i) * (i % 4), ...(i % 7 ? { label: i % 3 } : {}) })), title: 'posterior means of z', xTitle: 'z[0]', yTitle: 'z[1]', labelNames: ['zero', 'one', 'two'] }),
};

describe('figure specs', () => {
  for (const [name, build] of Object.entries(SPECS)) {
    it(`${name}: matches its golden file and compiles without warnings`, async () => {
      const spec = build()!;
      expect(spec).not.toBeNull();
      expect(warnings(spec)).toEqual([]);
      await expect(golden(spec)).toMatchFileSnapshot(`./golden/${name}.vl.json`);
    });
  }

  it('a short run is drawn per step, a long one per epoch over its step lines', () => {
    expect(curvesMode(short)).toBe('step');
    expect(curvesMode(long)).toBe('epoch');
    expect(curvesMode(runRecords(8, 10).filter((r) => r.kind === 'epoch'))).toBe('epoch'); // no step lines (older runs)
    const s = SPECS['curves-short']!() as { data: { values: { series: string; x: number }[] }; title: { subtitle: string[] } };
    expect(new Set(s.data.values.map((r) => r.series))).toEqual(new Set(['train, per step', 'valid']));
    expect(Math.max(...s.data.values.map((r) => r.x))).toBe(60); // x is the step
    expect(s.title.subtitle[0]).toContain('per step: 60 step lines');
    const l = SPECS['curves-long']!() as { data: { values: { series: string; x: number }[] }; title: { subtitle: string[] } };
    expect(new Set(l.data.values.map((r) => r.series))).toEqual(new Set(['train, per step', 'train, epoch mean', 'valid']));
    const under = l.data.values.filter((r) => r.series === 'train, per step').map((r) => r.x);
    expect(under).toContain(0.2); // step 4 of 20 per epoch, at epoch 0.2
    expect(Math.max(...l.data.values.map((r) => r.x))).toBe(6);
    expect(strings(l)).toContain('bound (nats per example): train IWAE-5, valid ELBO');
  });

  it('the initial transient is clipped off the y scale, and the subtitle says so', () => {
    const s = SPECS['curves-short']!();
    expect(strings(s)).toContain('the first steps are off the y scale (an initial transient)');
    const ys = Array.from({ length: 100 }, (_, i) => (i < 5 ? -500 : -100 + Math.sin(i)));
    const r = robustDomain(ys);
    expect(r.clipped).toBe(true);
    expect(r.domain![0]).toBeGreaterThan(-110);
    expect(robustDomain(Array.from({ length: 100 }, (_, i) => i)).clipped).toBe(false);
  });

  it('writes real superscripts and symbols, never ASCII stand-ins', () => {
    expect(sup('-1/2')).toBe('⁻¹ᐟ²');
    expect(() => sup('x')).toThrow(RangeError);
    const text = strings(SPECS.snr!()).join('\n');
    expect(text).toContain('∝ K⁻¹ᐟ²');
    expect(text).toContain('∝ K¹ᐟ²');
    expect(text).toContain('noise floor √(2/π)/√S, S = 500');
    expect(strings(SPECS.variance!())).toContain("dashed: slope N⁻¹ through each estimator's first point");
    expect(strings(SPECS['curves-short']!())).toContain('KL(q(z|x) ‖ p(z)) (nats per example)');
    expect(strings(SPECS.diagnostics!())).toEqual(expect.arrayContaining(['gradient norm ‖∇ loss‖₂', 'KL weight β']));
    for (const s of Object.values(SPECS)) expect(strings(s()).join(' ')).not.toMatch(/\^|\|\||~=/);
  });

  it('both SNR panels share one x scale ticked at exactly the swept K values', () => {
    const s = SPECS.snr!() as unknown as { facet: unknown; resolve: { scale: { x: string; y: string } }; spec: { layer: { encoding: { x: { axis?: { values: number[] }; scale: { domain: number[] } } } }[] } };
    expect(s.facet).toBeDefined();
    expect(s.resolve.scale).toEqual({ x: 'shared', y: 'shared' });
    for (const l of s.spec.layer) {
      expect(l.encoding.x.axis!.values).toEqual([1, 5, 10, 50]);
      expect(l.encoding.x.scale.domain).toEqual([1, 50]);
    }
  });

  it('names and dashes series that overlap, and only those', () => {
    const snr = SPECS.snr!() as { title: { subtitle: string[] }; data: { values: { panel: string; series: string; dashed?: string }[] } };
    expect(snr.title.subtitle).toEqual(["model's parameters: iwae:K+dreg overlaps iwae:K at every K (drawn dashed over it)"]);
    const dashed = snr.data.values.filter((r) => r.dashed === 'dashed').map((r) => `${r.panel}/${r.series}`);
    expect(new Set(dashed)).toEqual(new Set(["model's parameters/iwae:K+dreg"]));
    const cmp = SPECS.compare!() as { title: { subtitle: string[] } };
    expect(cmp.title.subtitle).toEqual(['validation: vae-copy overlaps vae at every epoch (drawn dashed over it)', 'training: vae-copy overlaps vae at every epoch (drawn dashed over it)']);
    // within 1.5% of the y span overlaps (a few pixels); 3% apart does not
    const a = { name: 'a', points: [[1, 0], [2, 100]] as const };
    expect(overlaps([a, { name: 'b', points: [[1, 1], [2, 101.4]] }]).get('b')).toBe('a');
    expect(overlaps([a, { name: 'b', points: [[1, 0], [2, 103]] }]).size).toBe(0);
    expect(overlaps([a, { name: 'b', points: [[1, 0], [3, 100]] }]).size).toBe(0); // other x
    // on a log scale, relative: the conjugate Gaussian's model SNRs, 1.530 vs 1.483 at K = 1 (3%) over a 20x range
    expect(overlaps([{ name: 'a', points: [[1, 1.53], [1000, 29]] }, { name: 'b', points: [[1, 1.483], [1000, 29.1]] }], { log: true }).get('b')).toBe('a');
  });

  it('judges overlap on the shared axis: models/vae.vae\'s decoder SNRs (1% apart) are one line on it', () => {
    // measured: vae estimators models/vae.vae --checkpoint (3 epochs) --sweep K=1,5,10,50,100 --draws 200 --batch 10
    const ks = [1, 5, 10, 50, 100];
    const cols = { 'iwae:K': [[0.3327, 0.3083, 0.3016, 0.294, 0.2887], [2.0659, 2.5556, 2.7419, 3.2569, 3.5157]], 'iwae:K+dreg': [[0.5812, 0.5547, 0.5547, 0.5303, 0.521], [2.0454, 2.5742, 2.7508, 3.2858, 3.5005]] };
    const points = Object.entries(cols).flatMap(([estimator, [guide, model]]) => ks.flatMap((k, i) => [{ panel: 'guide' as const, estimator, k, snr: guide![i]! }, { panel: 'model' as const, estimator, k, snr: model![i]! }]));
    const spec = snrSpec({ points, draws: 200 }) as { title: { subtitle: string[] } };
    expect(spec.title.subtitle).toEqual(["model's parameters: iwae:K+dreg overlaps iwae:K at every K (drawn dashed over it)"]);
  });

  it('log axes get readable ticks', () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(0.003, 7000)).toEqual([0.01, 0.1, 1, 10, 100, 1000]);
    expect(logTicks(3, 4)).toEqual([3, 4]);
  });

  it('returns null when there is nothing to draw', () => {
    expect(curvesSpec({ records: [] })).toBeNull();
    expect(diagnosticsSpec({ records: runRecords(2, 5).filter((r) => r.kind === 'epoch') })).toBeNull();
    expect(compareSpec({ curves: [{ model: 'a', history: [] }] })).toBeNull();
    expect(snrSpec({ points: [{ panel: 'guide', estimator: 'e', k: 1, snr: null }], draws: 10 })).toBeNull();
    expect(varianceSpec({ points: [{ estimator: 'e', n: 1, variance: 0 }] })).toBeNull();
  });

  it('non-finite values become null in the data (gaps), never NaN in JSON', () => {
    const recs = runRecords(1, 10);
    (recs[4] as { elbo: number }).elbo = NaN;
    (recs[5] as { gradNorm: number }).gradNorm = Infinity;
    const text = JSON.stringify([curvesSpec({ records: recs }), diagnosticsSpec({ records: recs })]);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect((diagnosticsSpec({ records: recs }) as { data: { values: { gradNorm: number | null }[] } }).data.values[5]!.gradNorm).toBeNull();
  });
});

describe('the browser entry', () => {
  it('imports no Node module, directly or through its imports', () => {
    const root = path.resolve(here, '../../src');
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), `${spec}.ts`));
        else if (/^node:|^(fs|path|os|url|pngjs|@resvg\/resvg-js|vega)$/.test(spec)) bad.push(`${path.relative(root, file)} imports ${spec}`);
      }
    };
    visit(path.join(root, 'figures/index.ts'));
    expect(bad).toEqual([]);
    expect(seen.size).toBeGreaterThan(8);
  });
});
