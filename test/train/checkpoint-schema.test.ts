// program.json's objective is judged by the objectives registry (src/dsl/objectives.ts), the
// parser that reads it back: every objective a run record can hold passes, anything the reader
// would not understand is refused (VAE703), and the message lists the registry's forms.
import { describe, expect, it } from 'vitest';
import { OBJECTIVES, parseObjectiveText, shortObjective } from '../../src/dsl/objectives';
import { CheckpointError, checkProgram } from '../../src/train/checkpoint-schema';

const record = (objective: unknown) => ({ root: 'm.vae', sources: { 'm.vae': 'data x: Binary[4]' }, sets: [], estimators: {}, objective });

function refusal(objective: unknown): string | undefined {
  try {
    checkProgram(record(objective));
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
}

describe('program.json: objective', () => {
  it('accepts every objective of the registry as a run record writes it, and null', () => {
    const written = [...OBJECTIVES.values()].map((d) => shortObjective(d.build(new Map(d.args.map((a) => [a.name, a.default])))));
    expect(written).toEqual(['elbo', 'iwae:5']);
    for (const o of [...written, 'iwae', 'iwae:1', 'iwae:5000', null]) expect(refusal(o), String(o)).toBeUndefined();
  });

  it('refuses what the registry cannot read back, naming its forms', () => {
    for (const o of ['x', 'iwae:0', 'elbo:3', 'iwae:-1', 'expectation', 'minimize', '', -1, 5, {}, []]) {
      expect(typeof o === 'string' ? parseObjectiveText(o)?.ok : undefined, String(o)).not.toBe(true);
      expect(refusal(o), JSON.stringify(o)).toMatch(/^program\.json: `objective` should be elbo, iwae:K or null, found /);
    }
  });
});
