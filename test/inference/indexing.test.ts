// Indexing: the types the checker gives `a[i]` and its diagnostics, and the runtime against
// the same model written without indexing (a linear net on onehot(y) with the table as its
// weights): the same ELBO per example and the same gradient with respect to the table, with y
// enumerated, observed and partly observed. Deterministic (fixed seeds, exact comparison).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, elbo, gradients } from '../../src/api';
import { checkText } from '../../src/check';
import { formatTensorType } from '../../src/dsl/types';

const DECLS = `
data x: Real[3]
data c: Real[3]
data y: Category[4]?
param mus: Real[4, 3] = Normal(0, 1)
net lookup: OneHot[4] -> Real[3] = linear()
net classifier: Real[3] -> Simplex[4] = linear()
net table: Real[3] -> Real[4, 3] = linear()
`;

function program(mean: string): string {
  return `${DECLS}
model {
  y ~ Categorical(probs: uniform(4))
  z: Real[3] ~ Normal(${mean}, 1)
  x ~ Normal(z, 0.5)
}
guide {
  y ~ Categorical(probs: classifier(x)) @enumerate
  let t = table(c)
  z ~ Normal(x + t[0] * 0, 1)
}
`;
}

function typeOf(expr: string, extra = ''): string {
  const r = checkText(`${DECLS}${extra}\nmodel {\n  y ~ Categorical(probs: uniform(4))\n  let v = ${expr}\n  z: Real[3] ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide {\n  y ~ Categorical(probs: classifier(x))\n  z ~ Normal(x, 1)\n}\n`);
  if (!r.checked) return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('; ');
  const stmt = r.checked.model.stmts.find((s): s is Extract<typeof s, { kind: 'let' }> => s.kind === 'let')!;
  const t = r.checked.types.get(stmt.value)!;
  return t.kind === 'tensor' ? formatTensorType(t) : t.kind;
}

describe('the type of a[i]', () => {
  it('is a row of the table for a label or a whole number', () => {
    expect(typeOf('mus[y]')).toBe('Real[3]');
    expect(typeOf('mus[3]')).toBe('Real[3]');
    expect(typeOf('classifier(c)[y]')).toBe('Unit');
    expect(typeOf('onehot(y)[1]')).toBe('Binary');
    expect(typeOf('table(c)[y][2]')).toBe('Real');
    expect(typeOf('w[y]', '\nparam w: Positive[5, 2]')).toBe('Positive[2]');
  });

  it('reports indices out of range, the wrong kind of index and values without an axis', () => {
    expect(typeOf('mus[4]')).toBe('VAE334: index 4 is out of range: `mus` has 4 entries on its first axis (0 to 3)');
    expect(typeOf('mus[-1]')).toMatch(/^VAE334: index -1 is out of range/);
    expect(typeOf('w[y]', '\nparam w: Real[3, 2]')).toBe('VAE334: `y` has 4 classes but the first axis of `w` has 3 entries');
    expect(typeOf('mus[c]')).toBe('VAE333: an index must be a class label or a whole number known at compile time, found Real[3]');
    expect(typeOf('mus[1.5]')).toBe('VAE333: an index must be a whole number, found 1.5');
    expect(typeOf('y[0]')).toBe('VAE333: `y` is Category[4], which has no axis to index');
    expect(typeOf('mus[0][0][0]')).toBe('VAE333: the value is Real, which has no axis to index');
  });
});

/** The ELBO per example and the gradient of the table, for y enumerated or observed. */
function run(mean: string, prepare: (p: ReturnType<typeof compile>) => void, labels: number[]) {
  const prog = compile(program(mean), { seed: 3 });
  try {
    prepare(prog);
    const x = tf.randomNormal([6, 3], 0, 1, 'float32', 11);
    const batch = prog.batch({ x, c: tf.mul(x, 2), y: tf.tensor1d(labels, 'int32') });
    const e = elbo(prog, batch, { seed: 5 });
    const g = gradients(prog, batch, { seed: 5 });
    tf.dispose([x, ...batch.data.values()]);
    return { elbo: Array.from(e.perExample), grads: g.grads };
  } finally {
    prog.dispose();
  }
}

describe('mus[y] at run time', () => {
  for (const [what, labels] of [
    ['enumerated', [-1, -1, -1, -1, -1, -1]],
    ['observed', [0, 3, 1, 2, 2, 0]],
    ['partly observed', [1, -1, 3, -1, 0, -1]],
  ] as const) {
    it(`${what}: the ELBO and the table's gradient equal a linear lookup of onehot(y) with the same table`, () => {
      const indexed = run('mus[y]', () => {}, [...labels]);
      const lookup = run('lookup(onehot(y))', (p) => {
        p.param('lookup.l0.w0').assign(p.param('param.mus')); // [4, 3]: row k is the mean of class k
        p.param('lookup.l0.b').assign(tf.zeros([3]));
      }, [...labels]);
      expect(indexed.elbo).toEqual(lookup.elbo);
      const a = Array.from(indexed.grads.get('param.mus')!);
      const b = Array.from(lookup.grads.get('lookup.l0.w0')!);
      expect(a.length).toBe(12);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
      expect(a.some((v) => v !== 0)).toBe(true);
    });
  }

  it('a per-example table (a net output) indexed by an enumerated label is that row', () => {
    const prog = compile(program('table(c)[y]'), { seed: 3 });
    const prog2 = compile(program('mus[y]'), { seed: 3 });
    try {
      // Make the net output equal to the param table for every x: zero weights, bias = mus.
      prog.param('table.l0.w0').assign(tf.zeros([3, 12]));
      prog.param('table.l0.b').assign(prog2.param('param.mus').reshape([12]));
      const x = tf.randomNormal([5, 3], 0, 1, 'float32', 12);
      const y = tf.fill([5], -1, 'int32');
      const a = elbo(prog, prog.batch({ x, c: x, y }), { seed: 2 }).perExample;
      const b = elbo(prog2, prog2.batch({ x, c: x, y }), { seed: 2 }).perExample;
      for (let i = 0; i < 5; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
      tf.dispose([x, y]);
    } finally {
      prog.dispose();
      prog2.dispose();
    }
  });

  it('a whole-number index is the slice, with its gradient', () => {
    const prog = compile(program('mus[2]'), { seed: 3 });
    const prog2 = compile(program('lookup(onehot(y)) * 0 + mus[2]'), { seed: 3 });
    try {
      const x = tf.randomNormal([4, 3], 0, 1, 'float32', 13);
      const y = tf.tensor1d([0, 1, 2, 3], 'int32');
      const g = gradients(prog, prog.batch({ x, c: x, y }), { seed: 1 }).grads.get('param.mus')!;
      // Only row 2 of the table is read: the other rows get no gradient.
      expect(Array.from(g.slice(0, 6)).every((v) => v === 0)).toBe(true);
      expect(Array.from(g.slice(6, 9)).some((v) => v !== 0)).toBe(true);
      expect(Array.from(g.slice(9)).every((v) => v === 0)).toBe(true);
      const a = elbo(prog, prog.batch({ x, c: x, y }), { seed: 1 }).perExample;
      const b = elbo(prog2, prog2.batch({ x, c: x, y }), { seed: 1 }).perExample;
      for (let i = 0; i < 4; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
      tf.dispose([x, y]);
    } finally {
      prog.dispose();
      prog2.dispose();
    }
  });
});

describe('param initializers', () => {
  it('= Normal(0, 1) draws every element (seeded), = Uniform(a, b) inside a Positive kind', () => {
    const src = program('mus[y]').replace('param mus: Real[4, 3] = Normal(0, 1)', 'param mus: Real[4, 3] = Normal(0, 1)\nparam s: Positive[4] = Uniform(0.5, 1.5)');
    const p1 = compile(src, { seed: 3 });
    const p2 = compile(src, { seed: 3 });
    try {
      const m = Array.from(p1.param('param.mus').dataSync());
      expect(new Set(m).size).toBe(12);
      expect(Array.from(p2.param('param.mus').dataSync())).toEqual(m);
      const s = Array.from(tf.softplus(p1.param('param.s')).dataSync());
      expect(s.every((v) => v > 0.5 - 1e-5 && v < 1.5 + 1e-5)).toBe(true);
    } finally {
      p1.dispose();
      p2.dispose();
    }
  });

  it('refuses draws outside the kind', () => {
    const r = checkText('data x: Real[1]\nparam s: Positive[3] = Normal(0, 1)\nmodel { x ~ Normal(0, s[0]) }');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE306']);
    const u = checkText('data x: Real[1]\nparam s: Unit[3] = Uniform(0, 1)\nmodel { x ~ Normal(0, 1) }');
    expect(u.diagnostics.map((d) => `${d.code}: ${d.message}`)).toContain('VAE306: the initializer\'s range [0, 1] must be strictly between 0 and 1, with low < high');
  });
});
