// The tfjs-free family schemas (what the checker reads) against their implementations (what
// the runtime builds): the same fields, parameter ranks that the implementations accept, the
// analytic-KL pairs the planner assumes, one enumeration limit, and the argument ranks and
// output transforms the checker records for the compiler.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/check';
import { KL_RULES } from '../../src/distributions/kl';
import { KL_PAIRS } from '../../src/distributions/kl-pairs';
import { DISTRIBUTIONS } from '../../src/distributions/registry';
import { MAX_ENUMERATE, paramRank, type FamilySchema, type ParamSchema } from '../../src/distributions/schema';
import { FAMILIES, Flow } from '../../src/distributions/schemas/index';
import { enumerateIndices } from '../../src/distributions/shapes';
import { MAX_ENUMERATE as PLAN_MAX } from '../../src/inference/plan';
import { applyTransform, inverseTransform } from '../../src/inference/transforms';
import { Flow as FlowSpec } from '../../src/flows/flow-dist';

const FIELDS = ['name', 'doc', 'reference', 'params', 'oneOf', 'support', 'shapeRule', 'eventRank', 'reparam', 'discrete', 'factorized', 'supportSize'] as const;

/** A value inside the constraint, for filling parameters. */
function fill(p: ParamSchema, k: number): number {
  return p.kind === 'Positive' ? 1.5 : p.kind === 'Unit' ? 0.4 : p.kind === 'Simplex' ? 1 / k : p.kind === 'Count' ? 3 : 0.3;
}

/** A parameter's event shape for site shape S, by the family's shape rule (k classes or components). */
function eventShapeOf(f: FamilySchema, p: ParamSchema, site: number[], k: number): number[] {
  switch (f.shapeRule) {
    case 'elementwise': {
      const extra = p.extraAxes ?? 0;
      return extra < 0 ? site.slice(0, site.length + extra) : [...site, ...new Array<number>(extra).fill(k)];
    }
    case 'onehot': // the class parameter has the site's shape; a temperature one value per row
      return p.name === 'logits' || p.name === 'probs' ? [...site] : site.slice(0, -1);
    case 'categorical':
      return [...site, k];
    case 'mixture':
      return p.name === 'weights' ? [k] : [k, ...site];
  }
}

describe('family schemas', () => {
  it('every implementation carries its schema unchanged, in the schema table order', () => {
    expect([...DISTRIBUTIONS.keys()]).toEqual([...FAMILIES.keys()]);
    for (const [name, schema] of FAMILIES) {
      const impl = DISTRIBUTIONS.get(name)!;
      for (const f of FIELDS) expect(impl[f], `${name}.${f}`).toBe(schema[f]);
      expect(typeof impl.create).toBe('function');
    }
    for (const f of FIELDS) expect(FlowSpec[f]).toBe(Flow[f]);
  });

  it('declares parameter ranks the implementations accept (a batch axis of 2 on top)', () => {
    for (const f of FAMILIES.values()) {
      const k = 4;
      const site = f.eventRank === 1 ? [k] : [3];
      const given = f.params.filter((p) => !(f.oneOf ?? []).some((g) => g.includes(p.name) && g[0] !== p.name) && (p.default === undefined || p.name === 'low'));
      tf.tidy(() => {
        const params: Record<string, tf.Tensor> = {};
        for (const p of given) {
          const event = eventShapeOf(f, p, site, k);
          expect(event.length, `${f.name}.${p.name}`).toBe(paramRank(p, site.length));
          params[p.name] = tf.fill([2, ...event], fill(p, k));
        }
        const d = DISTRIBUTIONS.get(f.name)!.create(params, site);
        expect(d.batchShape, f.name).toEqual([2]);
        expect(d.eventShape).toEqual(site);
        expect(d.sample(rngFor(f.name), [5, 2]).shape).toEqual([5, 2, ...(f.shapeRule === 'categorical' ? site : site)]);
      });
    }
  });

  it('supports at least the event rank it declares', () => {
    for (const f of FAMILIES.values()) expect([0, 1]).toContain(f.eventRank);
    expect(FAMILIES.get('OneHotCategorical')!.eventRank).toBe(1);
    expect(FAMILIES.get('Normal')!.eventRank).toBe(0);
  });

  it('lists exactly the KL pairs that kl.ts implements, with the same term shapes', () => {
    const implemented = KL_RULES.map((r) => ({ q: r.q, p: r.p, elementwise: r.elementwise }));
    expect(new Set(implemented.map((r) => JSON.stringify(r)))).toEqual(new Set(KL_PAIRS.map((r) => JSON.stringify(r))));
  });

  it('has one enumeration limit for the planner and the runtime', () => {
    expect(PLAN_MAX).toBe(MAX_ENUMERATE);
    expect(enumerateIndices(8, 2).length).toBe(256 * 8);
    expect(() => enumerateIndices(9, 2)).toThrow(/too large to enumerate \(limit 256\)/);
  });
});

function rngFor(name: string) {
  // A per-family stream; imported lazily to keep this file's imports about schemas.
  return ROOT.foldName(name);
}
import { Rng } from '../../src/core/rng';
const ROOT = Rng.fromSeed(3);

describe('what the checker records for the compiler', () => {
  const program = [
    'data x: Binary[4]',
    'net enc: Real[4] -> (logits: Real[3, 5], loc: Real[2], scale: Positive[2], w: Simplex[3]) = linear()',
    'param s: Positive[2] = 2',
    'model {',
    '  z: Real[2] ~ Normal(0, s)',
    '  c ~ Categorical(logits: zeros(3, 5))',
    '  x ~ Bernoulli(logits: zeros(4))',
    '}',
    'guide {',
    '  let q = enc(x)',
    '  z ~ Normal(q.loc, q.scale)',
    '  c ~ Categorical(logits: q.logits)',
    '}',
  ].join('\n');

  it('the static rank and the runtime target rank of every distribution argument', () => {
    const r = checkText(program);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const site = (block: 'model' | 'guide', name: string) => r.checked![block].sites.find((s) => s.name === name)!;
    const ranks = (block: 'model' | 'guide', name: string) => Object.fromEntries([...site(block, name).args].map(([n, a]) => [n, [a.rank, a.target]]));
    expect(ranks('model', 'z')).toEqual({ loc: [0, 1], scale: [1, 1] });
    expect(ranks('model', 'c')).toEqual({ logits: [2, 2] });
    expect(ranks('guide', 'c')).toEqual({ logits: [2, 2] });
    expect(ranks('model', 'x')).toEqual({ logits: [1, 1] });
  });

  it('the transform of every net output and param (Positive => softplus, once)', () => {
    const r = checkText(program);
    expect(r.checked!.nets[0]!.outputs.map((o) => o.transform)).toEqual(['identity', 'identity', 'softplus', 'softmax']);
    expect(r.checked!.params[0]!.transform).toBe('softplus');
  });

  it('the runtime transforms invert at the initial values', () => {
    for (const [t, v] of [['identity', -3], ['softplus', 0.01], ['softplus', 2], ['softplus', 25], ['sigmoid', 0.3]] as const) {
      const y = tf.tidy(() => applyTransform(t, tf.scalar(inverseTransform(t, v))).dataSync()[0]!);
      expect(y).toBeCloseTo(v, 5);
    }
  });
});

describe('parameter ranks at run time', () => {
  it('a per-example temperature of a one-hot relaxation stays one value per row (extraAxes -1)', async () => {
    const { compile, evaluate } = await import('../../src/api');
    const prog = compile(
      [
        'data x: Binary[4]',
        'net enc: Real[4] -> (t: Positive, l: Real[3]) = linear()',
        'net dec: Simplex[3] -> Real[4] = linear()',
        'model {',
        '  y: Simplex[3] ~ RelaxedOneHotCategorical(0.5, logits: zeros(3))',
        '  x ~ Bernoulli(logits: dec(y))',
        '}',
        'guide {',
        '  let q = enc(x)',
        '  y ~ RelaxedOneHotCategorical(q.t, logits: q.l)',
        '}',
      ].join('\n'),
      { seed: 2 },
    );
    try {
      const batch = prog.batch({ x: tf.tensor2d([[0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 0, 1], [1, 0, 1, 0], [1, 1, 1, 1]]) });
      const r = evaluate(prog, batch, { seed: 1 });
      expect(r.perExample).toHaveLength(5);
      expect(Number.isFinite(r.mean)).toBe(true);
    } finally {
      prog.dispose();
    }
  });
});

describe('the checker reads a new family from its schema alone', () => {
  // A multivariate family as the schema pattern writes it: a parameter with its own trailing
  // axis (a Cholesky factor [..., d, d]) and joint draws over the last axis (eventRank 1).
  const TestMVN: FamilySchema = {
    name: 'TestMVN',
    doc: 'a test family',
    params: [
      { name: 'loc', kind: 'Real', doc: 'mean [..., d]' },
      { name: 'scale_tril', kind: 'Real', doc: 'Cholesky factor [..., d, d]', extraAxes: 1 },
    ],
    support: 'Real',
    shapeRule: 'elementwise',
    eventRank: 1,
    reparam: true,
    discrete: false,
    factorized: false,
    supportSize: () => undefined,
  };
  const table = FAMILIES as Map<string, FamilySchema>;
  const check = (dist: string) => {
    table.set('TestMVN', TestMVN);
    try {
      return checkText(`param m: Real = 0\nguide {\n  z ~ ${dist}\n}\ntrain {\n  objective: minimize(m)\n}\n`);
    } finally {
      table.delete('TestMVN');
    }
  };

  it('infers the site shape without the extra axes and records the target ranks', () => {
    const r = check('TestMVN(zeros(3), zeros(3, 3))');
    expect(r.diagnostics.map((d) => d.message)).toEqual([]);
    const z = r.checked!.guide.sites[0]!;
    expect(z.shape).toEqual([3]);
    expect(Object.fromEntries([...z.args].map(([n, a]) => [n, a.target]))).toEqual({ loc: 1, scale_tril: 2 });
  });

  it('reports a matrix parameter with too few axes (VAE301)', () => {
    expect(check('TestMVN(zeros(3), 1)').diagnostics.map((d) => [d.code, d.message])).toEqual([['VAE301', '`scale_tril` of `TestMVN` needs at least 2 axes, found shape []']]);
    expect(check('TestMVN(0, zeros(1))').diagnostics.map((d) => [d.code, d.message])).toEqual([['VAE301', '`scale_tril` of `TestMVN` needs at least 2 axes, found shape [1]']]);
  });
});
