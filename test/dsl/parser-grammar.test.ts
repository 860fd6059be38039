// The shared parser skips Chevrotain's grammar validations at start-up (they find mistakes in
// the grammar, never in programs, and cost most of the start-up of `vae check`); this test
// runs them: a grammar change that introduces an ambiguity or left recursion fails here.
import { describe, expect, it } from 'vitest';
import { VaeParser, vaeParser } from '../../src/dsl/parser';

describe('the grammar', () => {
  it('passes Chevrotain validations (no ambiguity, no left recursion, no unreachable alternative)', () => {
    const validated = new VaeParser({ validate: true });
    expect((validated as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]); // Chevrotain throws first when there are any
    // The shared instance is the same grammar: the same rules, in the same order.
    expect(Object.keys(vaeParser.getGAstProductions())).toEqual(Object.keys(validated.getGAstProductions()));
  });
});
