/**
 * VAE1xx, lexing, parsing and limits: the problems as data and their one renderer.
 */
import { rendered, type Rendered } from './rendered';

export type SyntaxProblem = never;

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const SYNTAX_KINDS: Record<SyntaxProblem['kind'], true> = {};

export function renderSyntax(p: SyntaxProblem): Rendered {
  return rendered(String((p as { kind: string }).kind));
}
