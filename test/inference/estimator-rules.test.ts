/**
 * The estimator registry (src/inference/estimators/): one rule per estimator, read by the checker
 * (annotation names), the planner (legality, automatic choice, detached q, learning signal),
 * `vae estimators` (its specs) and the runtime (how a site is drawn). These tests tie each
 * reader to the rules, so that a rule's fields are what every layer does.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, checkText } from '../../src/check';
import { ESTIMATOR_ANNOTATIONS } from '../../src/dsl/check-blocks';
import { SPECS, parseSpec } from '../../src/estimators/spec';
import { AUTO_ORDER, ESTIMATOR_NAMES, estimatorForAlias, findRule, isPathwise, RULES } from '../../src/inference/estimators/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A guide with one continuous (Normal) site z; the estimator annotation and objective vary. */
function program(annotation: string, objective = 'elbo'): string {
  return [
    'data x: Real[2]',
    'net enc: Real[2] -> (loc: Real[2], scale: Positive[2]) = mlp(hidden: [4])',
    'net dec: Real[2] -> Real[2] = mlp(hidden: [4])',
    'model {',
    '  z: Real[2] ~ Normal(0, 1)',
    '  x ~ Normal(dec(z), 1)',
    '}',
    'guide {',
    `  z ~ Normal(enc(x).loc, enc(x).scale) ${annotation}`,
    '}',
    `train { objective: ${objective} }`,
  ].join('\n');
}

describe('estimator rules', () => {
  it('every rule has a name, a title, a paper and static conditions; names and aliases are unique', () => {
    const names = RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of RULES) {
      expect(r.title.length).toBeGreaterThan(0);
      expect(r.reference).toMatch(/\b(19|20)\d\d\b/);
      expect(r.conditions.length).toBeGreaterThan(0);
      for (const a of r.aliases) expect(names).not.toContain(a);
    }
    const aliases = RULES.flatMap((r) => r.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it('the automatic choice ends with a rule that always applies (score)', () => {
    const last = AUTO_ORDER[AUTO_ORDER.length - 1]!;
    expect(last.name).toBe('score');
    expect(last.refuse({} as never)).toBeUndefined();
    for (const r of AUTO_ORDER) expect(RULES).toContain(r);
  });

  it('the checker accepts exactly the registry names as annotations and suggests by alias', () => {
    expect(ESTIMATOR_ANNOTATIONS).toEqual(ESTIMATOR_NAMES);
    const r = checkText(program('@rsample'), 'input.vae');
    const d = r.diagnostics.find((x) => x.code === 'VAE209');
    expect(d?.hint).toBe('did you mean `@reparam`?');
    expect(estimatorForAlias('reinforce')).toBe('score');
  });

  it('the planner reads each rule: legal under its objectives, detached q and draws as declared', () => {
    for (const r of RULES) {
      const objective = r.objectives.includes('elbo') ? 'elbo' : 'iwae(k: 3)';
      const out = checkText(program(`@${r.name}`, objective), 'input.vae');
      const refused = out.diagnostics.filter((d) => d.severity === 'error');
      if (r.name === 'enumerate') {
        // A Normal site is continuous: the rule's own refusal.
        expect(refused.map((d) => d.code)).toEqual(['VAE502']);
        continue;
      }
      expect(refused.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
      const site = out.plan!.sites[0]!;
      expect(site.estimator).toBe(r.name);
      expect(site.detach).toBe(r.detachQ);
      expect(isPathwise(site.estimator)).toBe(r.draw === 'rsample');
      expect(site.signal !== null).toBe(r.score !== null && objective === 'elbo');
    }
  });

  it("a rule's objectives decide the plan and the `vae estimators` specs alike", () => {
    for (const r of RULES) {
      for (const [objective, kind] of [['elbo', 'elbo'], ['iwae(k: 3)', 'iwae']] as const) {
        const out = checkText(program(`@${r.name}`, objective), 'input.vae');
        const byObjective = out.diagnostics.filter((d) => d.code === 'VAE505');
        if (r.name === 'enumerate') continue;
        expect(byObjective.length === 0, `${r.name} under ${objective}`).toBe(r.objectives.includes(kind));
        const spec = kind === 'elbo' ? r.name : `iwae:5+${r.name}`;
        if (r.objectives.includes(kind)) expect(parseSpec(spec).kind).toBe(r.name);
        else expect(() => parseSpec(spec)).toThrow(/is (an estimator of|the ELBO)/);
      }
    }
    expect(SPECS).toEqual(['reparam', 'score', 'score+baseline', 'enumerate', 'stl', 'iwae:K', 'iwae:K+score', 'iwae:K+score+baseline', 'iwae:K+enumerate', 'iwae:K+dreg', 'iwae:K+vimco']);
  });

  it('refusals name estimators as annotations in a program, and the plan keeps them as data', () => {
    const r = checkFile('models/m2.vae', { cwd: root, overrides: new Map([['y', 'reparam']]) });
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('VAE501');
    expect(d.message).toMatch(/^--estimator y=reparam: `y` is discrete/);
    expect(d.hint).toContain('`@enumerate`');
    expect(findRule('dreg')!.counterpart).toBe('stl');
  });
});
