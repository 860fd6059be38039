/**
 * Targeted checker tests (Langium style): inline sources, assertions on {code, line, column}
 * of each diagnostic, never on message text (the golden files cover the wording).
 * In `vae(model, guide)` sources the model's lines start at line 6, column 3.
 */
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/check';
import { CODES } from '../../src/dsl/diagnostics';
import { codes, diagnose, GUIDE, MODEL, positions, vae } from './helpers';

describe('a correct program', () => {
  it('checks clean and produces a checked program and a plan', () => {
    const r = checkText(vae(MODEL, GUIDE));
    expect(r.diagnostics).toEqual([]);
    expect(r.checked).toBeDefined();
    expect(r.plan?.sites.map((s) => s.name)).toEqual(['z']);
  });

  it('types inferred from the distribution need no declaration', () => {
    const r = checkText(vae(['z ~ Normal(zeros(Z), 1)', 'x ~ Bernoulli(logits: decoder(z))'], GUIDE));
    expect(r.diagnostics).toEqual([]);
    expect(r.checked?.model.sites[0]?.shape).toEqual([50]);
  });
});

describe('syntax (VAE1xx)', () => {
  it('reports an unexpected character at its position', () => {
    expect(diagnose('data x: Real[3]\n# comment\n')).toEqual([{ code: 'VAE101', line: 2, column: 1 }]);
  });

  it('reports an unterminated string once', () => {
    expect(diagnose('extends "base.vae\n')).toEqual([{ code: 'VAE102', line: 1, column: 9 }]);
  });

  it('reports `=` instead of `~` at the `=`', () => {
    expect(diagnose(vae(['z = Normal(0, 1)', 'x ~ Bernoulli(logits: decoder(z))'], GUIDE))).toEqual([{ code: 'VAE103', line: 6, column: 5 }]);
  });

  it('reports a missing closing brace after the last token', () => {
    expect(diagnose('data x: Real[3]\nmodel {\n  x ~ Normal(0, 1)\n')).toEqual([{ code: 'VAE103', line: 3, column: 19 }]);
  });

  it('reports a missing expression', () => {
    expect(diagnose('data x: Real[3]\nmodel {\n  x ~ Normal(0, 1,)\n}\n')).toEqual([{ code: 'VAE104', line: 3, column: 19 }]);
  });

  it('reports a train setting without a value at its key', () => {
    expect(diagnose('data x: Real[3]\nmodel { x ~ Normal(0, 1) }\ntrain {\n  batch:\n  epochs: 3\n}\n')).toEqual([{ code: 'VAE105', line: 4, column: 3 }]);
  });

  it('recovers: one error per broken line, several lines in one run', () => {
    const src = 'data x Real[3]\nconst = 3\nmodel {\n  x = Normal(0, 1)\n}\n';
    expect(diagnose(src).map((d) => [d.code, d.line])).toEqual([
      ['VAE103', 1],
      ['VAE103', 2],
      ['VAE103', 4],
    ]);
  });

  it('stops before the checker when there are syntax errors', () => {
    // `Gaussian` would be VAE202, but syntax errors come alone.
    expect(codes('data x: Real[3]\nmodel {\n  x ~ Gaussian(0, 1\n}\n')).toEqual(['VAE103']);
  });
});

describe('names (VAE2xx)', () => {
  it('unknown name', () => {
    expect(diagnose(vae(['z: Real[Z] ~ Normal(0, 1)', 'x ~ Bernoulli(logits: decoder(zz))'], GUIDE))).toEqual([{ code: 'VAE201', line: 7, column: 33 }]);
  });

  it('the guide cannot read a model latent it has not sampled', () => {
    const ds = diagnose(vae(['w ~ Normal(0, 1)', ...MODEL], ['let q = encoder(x)', 'z ~ Normal(q.loc + w, q.scale)']));
    expect(ds).toContainEqual({ code: 'VAE201', line: 12, column: 22 });
  });

  it('unknown distribution, function or net, type, activation', () => {
    expect(diagnose(vae(['z: Real[Z] ~ Gauss(0, 1)', MODEL[1]!], GUIDE))).toEqual([{ code: 'VAE202', line: 6, column: 16 }]);
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(logits: decodr(z))'], GUIDE))).toEqual([{ code: 'VAE203', line: 7, column: 25 }]);
    expect(diagnose(vae(['z: Reel[Z] ~ Normal(0, 1)', MODEL[1]!], GUIDE))).toEqual([{ code: 'VAE204', line: 6, column: 6 }]);
    expect(diagnose('data x: Real[4]\nnet f: Real[4] -> Real[4] = mlp(hidden: [8], activation: gelu)\nmodel { x ~ Normal(0, 1) }\n')).toEqual([{ code: 'VAE205', line: 2, column: 58 }]);
  });

  it('unknown output field', () => {
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.mean, q.scale)']))).toEqual([{ code: 'VAE206', line: 11, column: 16 }]);
  });

  it('duplicates point at the second definition', () => {
    expect(diagnose('data x: Real[3]\ndata x: Real[3]\nmodel { x ~ Normal(0, 1) }\n')).toEqual([{ code: 'VAE207', line: 2, column: 6 }]);
    expect(diagnose(vae([...MODEL, 'z: Real[Z] ~ Normal(0, 1)'], GUIDE))).toEqual([{ code: 'VAE207', line: 8, column: 3 }]);
  });

  it('a let that shadows a global is a duplicate', () => {
    expect(diagnose(vae(MODEL, ['let Z = encoder(x)', 'z ~ Normal(Z.loc, Z.scale)']))).toContainEqual({ code: 'VAE207', line: 10, column: 7 });
  });

  it('used before defined', () => {
    expect(diagnose(vae([MODEL[1]!, MODEL[0]!], GUIDE))).toEqual([{ code: 'VAE208', line: 6, column: 33 }]);
  });

  it('unknown annotation and Python-style names', () => {
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc, q.scale) @rsample']))).toEqual([{ code: 'VAE209', line: 11, column: 30 }]);
    expect(diagnose(vae(['z: Real[Z] ~ dist.Normal(0, 1)', MODEL[1]!], GUIDE))).toEqual([{ code: 'VAE210', line: 6, column: 16 }]);
  });
});

describe('types and shapes (VAE3xx)', () => {
  it('site shape against the data declaration', () => {
    const src = vae(MODEL, GUIDE).replace('Real[Z] -> Real[784]', 'Real[Z] -> Real[400]');
    expect(diagnose(src)).toEqual([{ code: 'VAE301', line: 7, column: 7 }]);
  });

  it('shapes that do not broadcast: the operator', () => {
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc + zeros(3), q.scale)']))).toEqual([{ code: 'VAE302', line: 11, column: 20 }]);
  });

  it('net calls: arity, keyword inputs, input types and shapes', () => {
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(logits: decoder(z, z))'], GUIDE))).toEqual([{ code: 'VAE303', line: 7, column: 25 }]);
    expect(diagnose(vae(MODEL, ['let q = encoder(input: x)', GUIDE[1]!]))).toEqual([{ code: 'VAE303', line: 10, column: 19 }]);
    expect(diagnose(vae(MODEL, ['let q = encoder(q0)', GUIDE[1]!], []).replace('let q = encoder(q0)', 'let q = encoder(zeros(3))'))).toEqual([{ code: 'VAE304', line: 10, column: 19 }]);
  });

  it('distribution arguments: names, count, constraints', () => {
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(p: decoder(z))'], GUIDE))).toEqual([{ code: 'VAE305', line: 7, column: 17 }]);
    expect(diagnose(vae(['z: Real[Z] ~ Normal(0, 1, 2)', MODEL[1]!], GUIDE))).toEqual([{ code: 'VAE305', line: 6, column: 29 }]);
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc, q.loc)']))).toEqual([{ code: 'VAE306', line: 11, column: 21 }]);
  });

  it('support: Bernoulli on Real data', () => {
    const src = vae(MODEL, GUIDE).replace('data x: Binary[784]', 'data x: Real[784]');
    expect(diagnose(src)).toEqual([{ code: 'VAE307', line: 7, column: 7 }]);
  });

  it('compile-time integers, invalid types, built-ins', () => {
    expect(diagnose(vae(MODEL, GUIDE).replace('const Z = 50', 'const Z = 0'))).toContainEqual({ code: 'VAE308', line: 3, column: 38 });
    expect(diagnose('data y: Category[3, 3]\nmodel { y ~ Categorical(probs: uniform(3)) }\n')).toEqual([{ code: 'VAE309', line: 1, column: 9 }]);
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(logits: decoder(log(z)))'], GUIDE))).toEqual([{ code: 'VAE310', line: 7, column: 37 }]);
  });

  it('distributions and nets are not values; `~` needs a distribution', () => {
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(logits: decoder(Normal(z, 1)))'], GUIDE))).toEqual([{ code: 'VAE311', line: 7, column: 33 }]);
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(logits: decoder)'], GUIDE))).toEqual([{ code: 'VAE312', line: 7, column: 25 }]);
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ q.loc']))).toEqual([{ code: 'VAE315', line: 11, column: 7 }]);
  });

  it('invalid nets and class counts', () => {
    expect(diagnose('data x: Binary[4]\nnet f: Real[4] -> Binary[4] = linear()\nmodel { x ~ Bernoulli(probs: 0.5) }\n')).toEqual([{ code: 'VAE313', line: 2, column: 19 }]);
    expect(diagnose('data y: Category[10]\nmodel {\n  y ~ Categorical(probs: uniform(3))\n}\n')).toEqual([{ code: 'VAE314', line: 3, column: 7 }]);
  });
});

describe('model and guide (VAE4xx)', () => {
  it('a latent without a guide site, a guide site without a model site', () => {
    expect(diagnose(vae(['w ~ Normal(0, 1)', ...MODEL], GUIDE))).toEqual([{ code: 'VAE401', line: 6, column: 3 }]);
    expect(diagnose(vae(MODEL, [...GUIDE, 'v ~ Normal(0, 1)']))).toEqual([{ code: 'VAE402', line: 12, column: 3 }]);
  });

  it('a misspelled guide site is one diagnostic that points at both sites', () => {
    const r = checkText(vae(MODEL, ['let q = encoder(x)', 'zz ~ Normal(q.loc, q.scale)']));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE402']);
    expect(r.diagnostics[0]!.secondary).toHaveLength(1);
  });

  it('observed data sampled in the guide', () => {
    expect(diagnose(vae(MODEL, [...GUIDE, 'x ~ Bernoulli(probs: 0.5)']))).toEqual([{ code: 'VAE403', line: 12, column: 3 }]);
  });

  it('a partly observed label missing from the guide, and not modelled', () => {
    const head = 'data x: Binary[4]\ndata y: Category[3]?\nnet d: OneHot[3] -> Real[4] = linear()\n';
    expect(diagnose(`${head}model {\n  y ~ Categorical(probs: uniform(3))\n  x ~ Bernoulli(logits: d(onehot(y)))\n}\nguide {\n}\n`)).toEqual([{ code: 'VAE404', line: 5, column: 3 }]);
    expect(diagnose(`${head}model {\n  x ~ Bernoulli(probs: 0.5)\n}\n`)).toEqual([{ code: 'VAE408', line: 2, column: 6 }]);
  });

  it('guide and model disagree on shape or support', () => {
    expect(diagnose(vae(MODEL, ['z ~ Normal(zeros(3), 1)']))).toEqual([{ code: 'VAE405', line: 10, column: 7 }]);
    const pos = 'data x: Real[2]\nmodel {\n  s: Positive ~ LogNormal(0, 1)\n  x ~ Normal(0, s)\n}\nguide {\n  s ~ Normal(0, 1)\n}\n';
    expect(diagnose(pos)).toEqual([{ code: 'VAE405', line: 7, column: 7 }]);
  });

  it('missing blocks, unused data', () => {
    expect(diagnose('data x: Real[2]\n')).toEqual([
      { code: 'VAE406', line: 1, column: 1 },
      { code: 'VAE407', line: 1, column: 6 },
    ]);
    expect(diagnose('data x: Real[2]\nmodel {\n  z ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\n')).toEqual([{ code: 'VAE406', line: 2, column: 1 }]);
    expect(diagnose('data x: Real[2]\ndata y: Real[2]\nmodel {\n  x ~ Normal(0, 1)\n}\n')).toEqual([{ code: 'VAE407', line: 2, column: 6 }]);
  });

  it('a failed data declaration does not make its site a latent', () => {
    expect(codes('data x: Reel[2]\nmodel {\n  x ~ Normal(0, 1)\n}\n')).toEqual(['VAE204']);
  });

  it('a site with a bad declared type does not cascade into its uses or the guide', () => {
    expect(diagnose(vae(['z: Reel[Z] ~ Normal(0, 1)', MODEL[1]!], GUIDE))).toEqual([{ code: 'VAE204', line: 6, column: 6 }]);
  });

  it('a broken net is reported once, not at each call', () => {
    expect(codes(vae(MODEL, GUIDE).replace('activation: softplus)\nnet decoder', 'activation: sotfplus)\nnet decoder'))).toEqual(['VAE205']);
  });
});

describe('estimators (VAE5xx)', () => {
  const bern = (annotation: string, train = '') =>
    `data x: Real[8]\nnet e: Real[8] -> Real[4] = linear()\nnet d: Real[4] -> Real[8] = linear()\nmodel {\n  b: Binary[4] ~ Bernoulli(probs: 0.5)\n  x ~ Normal(d(b), 1)\n}\nguide {\n  b ~ Bernoulli(logits: e(x)) ${annotation}\n}\n${train}`;
  it('@reparam on a discrete site', () => {
    expect(diagnose(bern('@reparam'))).toEqual([{ code: 'VAE501', line: 9, column: 31 }]);
  });
  it('@enumerate on a continuous site; too large to enumerate', () => {
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc, q.scale) @enumerate']))).toEqual([{ code: 'VAE502', line: 11, column: 30 }]);
    expect(diagnose(bern('@enumerate').replaceAll('[4]', '[9]').replace('Real[4]', 'Real[9]'))).toEqual([{ code: 'VAE503', line: 9, column: 31 }]);
  });
  it('small discrete sites enumerate fine', () => {
    expect(diagnose(bern('@enumerate'))).toEqual([]);
  });
  it('@reparam without a reparameterized sampler', () => {
    const src = 'data x: Real[2]\nmodel {\n  z: Real[2] ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide {\n  z ~ MixtureNormal(uniform(3), zeros(3, 2), ones(3, 2)) @reparam\n}\n';
    expect(diagnose(src)).toEqual([{ code: 'VAE504', line: 7, column: 58 }]);
    // Gamma and Beta are reparameterized (implicit gradients): @reparam is accepted.
    expect(diagnose('data x: Real[2]\nmodel {\n  s: Positive ~ Gamma(1, 1)\n  x ~ Normal(0, s)\n}\nguide {\n  s ~ Gamma(2, 2) @reparam\n}\n')).toEqual([]);
  });
  it('@dreg under elbo, @stl under iwae, @vimco under elbo', () => {
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc, q.scale) @dreg']))).toEqual([{ code: 'VAE505', line: 11, column: 30 }]);
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc, q.scale) @stl'], ['train { objective: iwae(k: 5) }']))).toEqual([{ code: 'VAE505', line: 11, column: 30 }]);
    expect(diagnose(bern('@vimco'))).toEqual([{ code: 'VAE505', line: 9, column: 31 }]);
    expect(diagnose(bern('@vimco', 'train { objective: iwae(k: 5) }\n'))).toEqual([]);
  });
  it('annotations on model sites; two annotations', () => {
    expect(diagnose(vae(['z: Real[Z] ~ Normal(0, 1) @reparam', MODEL[1]!], GUIDE))).toEqual([{ code: 'VAE506', line: 6, column: 29 }]);
    expect(diagnose(vae(MODEL, ['let q = encoder(x)', 'z ~ Normal(q.loc, q.scale) @reparam @stl']))).toEqual([{ code: 'VAE507', line: 11, column: 39 }]);
  });
});

describe('train block and reuse (VAE6xx)', () => {
  const withTrain = (body: string) => `data x: Real[2]\nmodel {\n  x ~ Normal(0, 1)\n}\ntrain {\n${body}\n}\n`;
  it('unknown and invalid settings', () => {
    expect(diagnose(withTrain('  lr: 0.1'))).toEqual([{ code: 'VAE601', line: 6, column: 3 }]);
    expect(diagnose(withTrain('  batch: 0'))).toEqual([{ code: 'VAE602', line: 6, column: 10 }]);
    expect(diagnose(withTrain('  optimizer: adam(lr: 0)'))).toEqual([{ code: 'VAE602', line: 6, column: 23 }]);
    expect(diagnose(withTrain('  kl: sometimes'))).toEqual([{ code: 'VAE602', line: 6, column: 7 }]);
  });
  it('classify needs a Category data site; duplicates warn', () => {
    expect(diagnose(withTrain('  classify: x'))).toEqual([{ code: 'VAE606', line: 6, column: 13 }]);
    const r = checkText(withTrain('  batch: 10\n  batch: 20'));
    expect(positions(r)).toEqual([{ code: 'VAE607', line: 7, column: 3 }]);
    expect(r.diagnostics[0]!.severity).toBe('warning');
    expect(r.checked?.train.config.batch).toBe(20);
  });
  it('an override in a file that extends nothing', () => {
    expect(diagnose('data x: Real[2]\nmodel {\n  x ~ Normal(0, 1)\n}\nmodel.x ~ Laplace(0, 1)\n')).toEqual([{ code: 'VAE608', line: 5, column: 1 }]);
  });
  it('the train block resolves to a config with explicit keys', () => {
    const r = checkText(withTrain('  objective: iwae(k: 3)\n  optimizer: sgd(lr: 0.1, momentum: 0.5)\n  beta: anneal(0 -> 1, epochs: 4)\n  labels: 10 per class'));
    // β weighs the ELBO's KL term; under iwae it has no effect, which is a warning.
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VAE609']);
    const c = r.checked!.train.config;
    expect(c.objective).toEqual({ kind: 'iwae', k: 3 });
    expect(c.optimizer).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0.5 });
    expect(c.beta).toEqual({ kind: 'anneal', from: 0, to: 1, unit: 'epochs', length: 4 });
    expect(c.labelsPerClass).toBe(10);
    expect([...r.checked!.train.explicit].sort()).toEqual(['beta', 'labelsPerClass', 'objective', 'optimizer']);
  });
});

describe('every diagnostic', () => {
  it('uses a code from the catalog with its severity', () => {
    const r = checkText(vae(['w ~ Normal(0, 1)', 'z: Real[Z] ~ Normal(0, -1)', 'x ~ Bernoulli(logits: decoder(zz))'], ['y ~ Normal(0, 1)'], ['train { lr: 1 }']));
    expect(r.diagnostics.length).toBeGreaterThan(2);
    for (const d of r.diagnostics) expect(d.severity).toBe(CODES[d.code].severity);
  });
});


describe('non-finite compile-time numbers', () => {
  it('are reported in words, never as NaN or Infinity, and do not cascade', async () => {
    const { renderDiagnostics } = await import('../../src/dsl/render-diagnostic');
    const cases: [string, string[]][] = [
      ['const Z = 0/0\ndata x: Real[Z]\nmodel { x ~ Normal(0, 1) }\n', ['VAE308']],
      ['const Z = 1e999\ndata x: Real[Z]\nmodel { x ~ Normal(0, 1) }\n', ['VAE308']],
      ['data x: Real[1/0]\nmodel { x ~ Normal(0, 1) }\n', ['VAE308']],
      ['data x: Real[3]\nmodel { x ~ Normal(0, 0/0) }\n', ['VAE306']],
      ['param s: Positive = 0/0\ndata x: Real[3]\nmodel { x ~ Normal(0, s) }\n', ['VAE306']],
    ];
    for (const [src, want] of cases) {
      const r = checkText(src);
      expect(r.diagnostics.map((d) => d.code)).toEqual(want);
      expect(renderDiagnostics(r.diagnostics, r.sources)).not.toMatch(/NaN|Infinity|undefined/);
    }
  });
});

describe('one mistake, one diagnostic', () => {
  it('an unknown name is reported at its first use only', () => {
    expect(diagnose(vae([MODEL[0]!, 'x ~ Bernoulli(logits: decoder(zz) + decoder(zz))'], GUIDE))).toEqual([{ code: 'VAE201', line: 7, column: 33 }]);
    expect(codes(vae(MODEL, ['let q = encodr(x)', 'let r = encodr(x)', 'z ~ Normal(q.loc, r.scale)']))).toEqual(['VAE203']);
  });

  it('an undeclared size is one VAE201, not an error at every type that uses it', () => {
    const src = vae(MODEL, GUIDE).replace('const Z = 50', 'const K = 50');
    expect(diagnose(src)).toEqual([{ code: 'VAE201', line: 3, column: 38 }]);
  });

  it('a declaration named like a distribution or built-in is refused, and the family still works', () => {
    expect(diagnose(`${vae(MODEL, GUIDE)}param Normal: Real\n`)).toEqual([{ code: 'VAE207', line: 13, column: 7 }]);
    expect(codes(vae(MODEL, GUIDE).replace('const Z = 50', 'const Z = 50\nconst exp = 3'))).toEqual(['VAE207']);
  });

  it('a site that clashes with a global is reported once for both blocks', () => {
    const src = vae(MODEL, GUIDE).replace('const Z = 50', 'const Z = 50\nconst z = 2');
    expect(codes(src)).toEqual(['VAE207']);
  });
});
