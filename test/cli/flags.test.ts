/** Bad flag values are errors as data (VAE704): the message and hint are rendered from the data. */
import { describe, expect, it } from 'vitest';
import { parseEstimatorFlags, parseNonNegInt, parseObjectiveFlag, parsePositiveInt, parsePositiveNumber } from '../../src/cli/flags';
import type { UserError } from '../../src/core/errors';
import { renderProblem, type ProblemData } from '../../src/dsl/problems/index';

function thrown(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    return e as UserError;
  }
  throw new Error('did not throw');
}

describe('flag values as data', () => {
  const cases: [string, () => unknown, object, string, string][] = [
    ['positive integer', () => parsePositiveInt('--epochs', '0'), { kind: 'bad-flag-number', flag: '--epochs', found: '0', expected: 'positive integer' }, "invalid --epochs '0'", '--epochs takes a positive integer'],
    ['positive number', () => parsePositiveNumber('--lr', '-1'), { kind: 'bad-flag-number', flag: '--lr', found: '-1', expected: 'positive number' }, "invalid --lr '-1'", '--lr takes a positive number'],
    ['non-negative integer', () => parseNonNegInt('--seed', '1.5'), { kind: 'bad-flag-number', flag: '--seed', found: '1.5', expected: 'non-negative integer' }, "invalid --seed '1.5'", '--seed takes a non-negative integer'],
    ['estimator', () => parseEstimatorFlags(['y:score']), { kind: 'bad-estimator-flag', found: 'y:score' }, "invalid --estimator 'y:score'", 'write --estimator site=kind, e.g. --estimator y=score'],
    ['objective', () => parseObjectiveFlag('iwae:0'), { kind: 'bad-objective-flag', found: 'iwae:0' }, "invalid --objective 'iwae:0'", 'use elbo, iwae or iwae:K (e.g. iwae:5)'],
  ];
  for (const [name, f, data, message, hint] of cases) {
    it(name, () => {
      const e = thrown(f);
      expect(e.code).toBe('VAE704');
      expect(e.data).toEqual(data);
      expect({ message: e.message, hint: e.hint }).toEqual({ message, hint });
      expect(renderProblem(e.data as ProblemData)).toEqual({ message, hint });
    });
  }
});
