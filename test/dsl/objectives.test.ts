/**
 * The objectives' one home (src/dsl/objectives.ts): the short form parsed once for the command
 * line (`--objective`), `vae estimators` specs and run records, the train block's `objective:`
 * built from the same entries, and the descriptions every front end prints.
 */
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/check';
import { parseObjectiveFlag } from '../../src/cli/flags';
import { formatObjective, objectiveLabel, OBJECTIVES, parseObjectiveText, shortObjective } from '../../src/dsl/objectives';
import { parseSpec } from '../../src/estimators/spec';
import { RUNNERS } from '../../src/inference/objectives/index';

function trainBlock(objective: string) {
  const text = ['data x: Real[2]', 'model {', '  z: Real[2] ~ Normal(0, 1)', '  x ~ Normal(z, 1)', '}', 'guide {', '  z: Real[2] ~ Normal(0, 1)', '}', `train { objective: ${objective} }`].join('\n');
  const r = checkText(text, 'input.vae');
  return { objective: r.checked?.train.config.objective, errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message) };
}

describe('objectives', () => {
  it('the short form: elbo, iwae, iwae:K, iwae=K, iwae(K), iwae(k: K)', () => {
    expect(parseObjectiveText('elbo')).toEqual({ ok: true, value: { kind: 'elbo' } });
    expect(parseObjectiveText('iwae')).toEqual({ ok: true, value: { kind: 'iwae', k: 5 } });
    for (const t of ['iwae:7', 'iwae=7', 'iwae(7)', 'iwae(k: 7)', ' iwae(k:7) ']) expect(parseObjectiveText(t), t).toEqual({ ok: true, value: { kind: 'iwae', k: 7 } });
    expect(parseObjectiveText('iwae:0')).toEqual({ ok: false, problem: '`k` must be a positive integer' });
    expect(parseObjectiveText('elbo:3')).toMatchObject({ ok: false, problem: expect.stringContaining('`elbo` takes no arguments') });
    expect(parseObjectiveText('iwae(n: 3)')).toEqual({ ok: false, problem: '`iwae` has no argument `n`' });
    expect(parseObjectiveText('vimco')).toBeUndefined();
  });

  it('the command line, vae estimators and the train block read the same entries', () => {
    for (const k of [1, 5, 12]) {
      expect(parseObjectiveFlag(`iwae:${k}`)).toEqual({ kind: 'iwae', k });
      expect(parseSpec(`iwae:${k}+dreg`)).toMatchObject({ iwae: true, k });
      expect(trainBlock(`iwae(k: ${k})`).objective).toEqual({ kind: 'iwae', k });
    }
    expect(() => parseObjectiveFlag('iwae:0')).toThrow(/invalid --objective 'iwae:0'/);
    expect(() => parseSpec('iwae:0+dreg')).toThrow(/K must be a positive integer/);
    expect(trainBlock('iwae(k: 0)').errors).toEqual([expect.stringContaining('`k` must be a positive integer')]);
    expect(trainBlock('elbo(k: 3)').errors).toEqual([expect.stringContaining('`elbo` takes no arguments; use `particles: N` for more samples')]);
    expect(trainBlock('ewbo').errors).toEqual([expect.stringContaining('unknown objective `ewbo`')]);
    expect(trainBlock('minimize(square(z))').objective).toEqual({ kind: 'expectation', sense: 'minimize', text: 'square(z)' });
  });

  it('describes each objective in one place, and every kind has a runner', () => {
    const iwae = { kind: 'iwae', k: 5 } as const;
    expect([formatObjective(iwae), shortObjective(iwae), objectiveLabel(iwae)]).toEqual(['iwae(k: 5)', 'iwae:5', 'IWAE-5']);
    expect([formatObjective({ kind: 'elbo' }), shortObjective({ kind: 'elbo' }), objectiveLabel({ kind: 'elbo' })]).toEqual(['elbo', 'elbo', 'ELBO']);
    for (const def of OBJECTIVES.values()) {
      const o = def.build(new Map());
      expect(parseObjectiveText(shortObjective(o))).toEqual({ ok: true, value: o });
      expect(typeof RUNNERS[o.kind]).toBe('function');
    }
  });
});
