/**
 * `extends`, site overrides and `--set`: the merge rules of load.ts, checked through the
 * public entry points with an in-memory file system.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/check';
import { loadProgram, mergeChild } from '../../src/dsl/load';
import { parseSource } from '../../src/dsl/parse';
import { makeSource } from '../../src/dsl/source';
import { memoryFiles, positions } from './helpers';

const BASE = `data x: Binary[784]
const Z = 50
net encoder: Real[784] -> (loc: Real[Z], scale: Positive[Z]) = mlp(hidden: [400], activation: softplus)
net decoder: Real[Z] -> Real[784] = mlp(hidden: [400], activation: softplus)
model {
  z: Real[Z] ~ Normal(0, 1)
  x ~ Bernoulli(logits: decoder(z))
}
guide {
  let q = encoder(x)
  z ~ Normal(q.loc, q.scale)
}
train {
  batch: 100
  epochs: 10
}
`;

const files = { 'base.vae': BASE, 'exp/base.vae': BASE };
const readFile = memoryFiles(files);
const child = (text: string, name = 'child.vae', sets?: string[]) => checkText(text, name, { readFile, ...(sets ? { sets } : {}) });

describe('extends', () => {
  it('a child that only extends checks like its parent', () => {
    const r = child('extends "base.vae"\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.model.sites.map((s) => `${s.name}:${s.spec.name}`)).toEqual(['z:Normal', 'x:Bernoulli']);
  });

  it("a child's const replaces the parent's, and the parent's uses see the new value", () => {
    const r = child('extends "base.vae"\nconst Z = 20\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.consts.get('Z')).toBe(20);
    expect(r.checked!.model.sites.find((s) => s.name === 'z')!.shape).toEqual([20]);
    expect(r.checked!.nets.find((n) => n.name === 'decoder')!.inputs[0]!.shape).toEqual([20]);
  });

  it("`model.z ~ Laplace(0, 1)` replaces the distribution and keeps the parent's declared type", () => {
    const r = child('extends "base.vae"\nmodel.z ~ Laplace(0, 1)\n');
    expect(r.diagnostics).toEqual([]);
    const z = r.checked!.model.sites.find((s) => s.name === 'z')!;
    expect(z.spec.name).toBe('Laplace');
    expect(z.type).toMatchObject({ vk: 'Real', shape: [50] });
    expect(z.stmt.type?.span.file).toBe('base.vae'); // the type written in the parent
  });

  it('an override with its own type uses that type', () => {
    const r = child('extends "base.vae"\nmodel.z: Real[50] ~ StudentT(3, 0, 1)\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.model.sites.find((s) => s.name === 'z')!.spec.name).toBe('StudentT');
  });

  it('a guide override replaces the guide site', () => {
    const r = child('extends "base.vae"\nguide.z ~ Laplace(q.loc, q.scale)\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.guide.sites.map((s) => s.spec.name)).toEqual(['Laplace']);
  });

  it("the child's train entries win; the parent's other entries stay", () => {
    const r = child('extends "base.vae"\ntrain {\n  batch: 32\n  seed: 7\n}\n');
    expect(r.diagnostics).toEqual([]);
    const c = r.checked!.train.config;
    expect([c.batch, c.epochs, c.seed]).toEqual([32, 10, 7]);
    expect([...r.checked!.train.explicit].sort()).toEqual(['batch', 'epochs', 'seed']);
  });

  it("a child's model block replaces the parent's whole block", () => {
    const r = child('extends "base.vae"\nmodel {\n  z: Real[Z] ~ Laplace(0, 1)\n  x ~ Bernoulli(logits: decoder(z) * 2)\n}\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.model.stmts.every((s) => s.span.file === 'child.vae')).toBe(true);
  });

  it('paths are relative to the extending file', () => {
    expect(child('extends "../base.vae"\n', 'exp/child.vae').diagnostics).toEqual([]);
    expect(child('extends "base.vae"\n', 'exp/child.vae').diagnostics).toEqual([]);
  });

  it('diagnostics in the parent point into the parent file', () => {
    const bad = { 'bad-parent.vae': BASE.replace('activation: softplus)\nnet decoder', 'activation: softplsu)\nnet decoder') };
    const r = checkText('extends "bad-parent.vae"\n', 'child.vae', { readFile: memoryFiles(bad) });
    expect(r.diagnostics.map((d) => [d.code, d.primary.span.file])).toEqual([['VAE205', 'bad-parent.vae']]);
    expect(positions(r)).toEqual([{ code: 'VAE205', line: 3, column: 95 }]);
  });

  it('cycles, missing parents and unknown overrides are diagnostics', () => {
    const cyc = memoryFiles({ 'a.vae': 'extends "b.vae"\n', 'b.vae': 'extends "a.vae"\n' });
    const r = checkText('extends "b.vae"\n', 'a.vae', { readFile: cyc });
    expect(r.diagnostics.map((d) => [d.code, d.primary.span.file])).toEqual([['VAE603', 'b.vae']]);
    expect(child('extends "missing.vae"\n').diagnostics.map((d) => d.code)).toEqual(['VAE605']);
    expect(positions(child('extends "base.vae"\nmodel.w ~ Normal(0, 1)\n'))).toEqual([{ code: 'VAE604', line: 2, column: 7 }]);
    expect(child('extends "base.vae"\nextends "base.vae"\n').diagnostics.map((d) => d.code)).toEqual(['VAE603']);
  });

  it('merging never mutates the parent program (immer)', () => {
    const parent = parseSource(makeSource('base.vae', BASE)).program;
    const before = JSON.stringify(parent);
    const childProgram = parseSource(makeSource('child.vae', 'const Z = 3\nmodel.z ~ Laplace(0, 1)\ntrain { batch: 1 }\n')).program;
    const merged = mergeChild(parent, childProgram.decls, []);
    expect(JSON.stringify(parent)).toBe(before);
    expect(merged).not.toBe(parent);
    expect(Object.isFrozen(merged.decls)).toBe(true);
  });
});

describe('overrides of stepped sites (models/dmm.vae)', () => {
  // The deep Markov model writes `z` twice (z[0] before the loop, z[t] inside it) and `x` once,
  // as x[t] in a loop that binds `let e = emission(z[t])`.
  const DMM = fs.readFileSync(new URL('../../models/dmm.vae', import.meta.url), 'utf8');
  const seqFiles = memoryFiles({ 'dmm.vae': DMM });
  const seq = (text: string, sets?: string[]) => checkText(text, 'child.vae', { readFile: seqFiles, ...(sets ? { sets } : {}) });
  const args = (r: ReturnType<typeof seq>, block: 'model' | 'guide', name: string) => {
    const site = r.checked![block].sites.find((s) => s.name === name)!;
    const d = site.stmt.dist;
    return { family: site.spec.name, file: d.span.file, args: d.kind === 'call' ? d.args.map((a) => (a.value.kind === 'number' ? a.value.value : a.value.kind)) : [] };
  };

  it('`model.z[0] ~ D` replaces the initial step only, keeping its declared type', () => {
    const r = seq('extends "dmm.vae"\nmodel.z[0] ~ Normal(0, 2)\n');
    expect(r.diagnostics).toEqual([]);
    expect(args(r, 'model', 'z[0]')).toEqual({ family: 'Normal', file: 'child.vae', args: [0, 2] });
    expect(r.checked!.model.sites.find((s) => s.name === 'z[0]')!.shape).toEqual([2]);
    for (const t of [1, 5, 9]) expect(args(r, 'model', `z[${t}]`)).toEqual({ family: 'Normal', file: 'dmm.vae', args: ['field', 'field'] });
  });

  it('`model.x[t] ~ D` replaces the statement inside its loop: every step, reading the loop\'s let', () => {
    const r = seq('extends "dmm.vae"\nmodel.x[t] ~ Laplace(e.loc, e.scale)\n');
    expect(r.diagnostics).toEqual([]);
    const xs = r.checked!.model.sites.filter((s) => s.name.startsWith('x['));
    expect(xs.map((s) => s.name)).toEqual(Array.from({ length: 10 }, (_, t) => `x[${t}]`));
    expect(xs.every((s) => s.spec.name === 'Laplace' && s.observed === 'yes' && s.stmt.dist.span.file === 'child.vae')).toBe(true);
    // A site written in one statement can be named without its index.
    const byName = seq('extends "dmm.vae"\nmodel.x ~ StudentT(3, e.loc, e.scale)\n');
    expect(byName.diagnostics).toEqual([]);
    expect(new Set(byName.checked!.model.sites.filter((s) => s.name.startsWith('x[')).map((s) => s.spec.name))).toEqual(new Set(['StudentT']));
  });

  it('`guide.z[t] ~ D` replaces the loop\'s guide steps, and the plan follows (KL sampled for Laplace)', () => {
    const r = seq('extends "dmm.vae"\nguide.z[t] ~ Laplace(q.loc, q.scale)\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.guide.sites.map((s) => s.spec.name)).toEqual(['Normal', ...Array<string>(9).fill('Laplace')]);
    const kl = new Map(r.plan!.sites.map((p) => [p.name, p.kl] as const));
    expect([kl.get('z[0]'), kl.get('z[1]'), kl.get('z[9]')]).toEqual(['analytic', 'mc', 'mc']);
  });

  it('--set overrides a stepped site the same way', () => {
    const r = checkText(DMM, 'dmm.vae', { readFile: seqFiles, sets: ['model.z[0] ~ Normal(0, 2)', 'model.x[t] ~ Laplace(e.loc, e.scale)'] });
    expect(r.diagnostics).toEqual([]);
    expect(args(r, 'model', 'z[0]')).toEqual({ family: 'Normal', file: '--set#1', args: [0, 2] });
    expect(r.checked!.model.sites.find((s) => s.name === 'x[4]')!.spec.name).toBe('Laplace');
  });

  it('a name written in two statements, or an index that matches none, is an error at the override', () => {
    expect(positions(seq('extends "dmm.vae"\nmodel.z ~ Laplace(0, 1)\n'))).toEqual([{ code: 'VAE611', line: 2, column: 7 }]);
    expect(positions(seq('extends "dmm.vae"\nmodel.z[3] ~ Normal(0, 1)\n'))).toEqual([{ code: 'VAE604', line: 2, column: 9 }]);
    expect(positions(seq('extends "dmm.vae"\nmodel.x[s] ~ Normal(e.loc, e.scale)\n'))).toEqual([{ code: 'VAE604', line: 2, column: 9 }]);
    expect(positions(seq('extends "dmm.vae"\nguide.w[t] ~ Normal(0, 1)\n'))).toEqual([{ code: 'VAE604', line: 2, column: 7 }]);
    const r = seq('extends "dmm.vae"\nmodel.z[3] ~ Normal(0, 1)\n');
    expect(r.diagnostics[0]!.hint).toContain("`z[0]` and `z[t]` (in `for t in 1..T`)");
  });

  it('merging into a loop never mutates the parent program (immer)', () => {
    const parent = parseSource(makeSource('dmm.vae', DMM)).program;
    const before = JSON.stringify(parent);
    const childProgram = parseSource(makeSource('child.vae', 'model.x[t] ~ Laplace(e.loc, e.scale)\nguide.z[0] ~ Normal(0, 1)\n')).program;
    const diagnostics: Parameters<typeof mergeChild>[2] = [];
    const merged = mergeChild(parent, childProgram.decls, diagnostics);
    expect(diagnostics).toEqual([]);
    expect(JSON.stringify(parent)).toBe(before);
    expect(JSON.stringify(merged)).not.toBe(before);
  });
});

describe('--set', () => {
  it('applies fragments in order, after the file', () => {
    const r = child('extends "base.vae"\n', 'child.vae', ['train { batch: 7 }', 'train { batch: 9 }\nconst Z = 8']);
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.train.config.batch).toBe(9);
    expect(r.checked!.model.sites.find((s) => s.name === 'z')!.shape).toEqual([8]);
  });

  it('a site override on the command line', () => {
    const r = child(BASE, 'vae.vae', ['model.z ~ Laplace(0, 1)']);
    expect(r.diagnostics).toEqual([]);
    expect(r.checked!.model.sites.find((s) => s.name === 'z')!.spec.name).toBe('Laplace');
  });

  it('errors in a fragment point into the fragment', () => {
    const r = child(BASE, 'vae.vae', ['model.w ~ Laplace(0, 1)']);
    expect(r.diagnostics.map((d) => [d.code, d.primary.span.file])).toEqual([['VAE604', '--set']]);
    const s = child(BASE, 'vae.vae', ['train { batch: 7 }', 'train { epoch: 3 }']);
    expect(s.diagnostics.map((d) => [d.code, d.primary.span.file])).toEqual([['VAE601', '--set#2']]);
    const t = child(BASE, 'vae.vae', ['train { batch: }']);
    expect(t.diagnostics.map((d) => [d.code, d.primary.span.file])).toEqual([['VAE105', '--set']]);
  });

  it('loadProgram returns the sources of every file it read', () => {
    const loaded = loadProgram('exp/child.vae', { cwd: '/', readFile: memoryFiles({ ...files, 'exp/child.vae': 'extends "../base.vae"\n' }), sets: ['train { seed: 3 }'] });
    expect([...loaded.sources.keys()].sort()).toEqual(['--set', 'base.vae', 'exp/child.vae']);
  });
});
