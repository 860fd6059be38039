/**
 * Size limits of the front end, stated in docs/language.md ("Limits"). The parser, the AST
 * builder, the checker and the compiler recurse over expressions, so nesting is bounded to keep
 * every stage far from JavaScript's stack limit; everything else (file length, the number of
 * declarations, statements, list items or arguments) is handled iteratively and limited only by
 * memory.
 *
 * - Brackets `(`, `[` and prefix minus signs nest at most {@link MAX_NESTING} deep. Checked on
 *   the token stream before parsing, so the parser never sees deeper input.
 * - An expression tree is at most {@link MAX_EXPR_DEPTH} nodes deep. A chain `a + b + c` is
 *   one level per operator, so this also bounds the terms of one sum or product. Checked on the
 *   AST (iteratively) before the checker runs.
 *
 * Both limits are far below where recursion fails (about 200 nested brackets and 3,000 chained
 * operators on Node's default stack), so calling the checker from a deep stack is safe too.
 */
import type { IToken, TokenType } from 'chevrotain';
import type * as A from './ast';
import type { Span } from './source';

export const MAX_NESTING = 100;
/** The parser stops after this many syntax errors (see VaeParser.SAVE_ERROR). */
export const MAX_SYNTAX_ERRORS = 100;
export const MAX_EXPR_DEPTH = 500;

export interface TooDeep {
  /** The token where the nesting first exceeds the limit. */
  readonly token: IToken;
  /** The outermost bracket of that nest (absent for a run of minus signs). */
  readonly opener?: IToken;
}

/**
 * The first token nested deeper than {@link MAX_NESTING}: counts open brackets plus the current
 * run of prefix `-`. A declaration keyword resets the count: the parser resynchronizes there.
 */
export function nestingTooDeep(tokens: readonly IToken[], kinds: { open: readonly TokenType[]; close: readonly TokenType[]; minus: TokenType; resets: readonly TokenType[] }): TooDeep | undefined {
  const open: IToken[] = [];
  let minusRun = 0;
  let prev: IToken | undefined;
  for (const t of tokens) {
    const type = t.tokenType;
    if (kinds.resets.includes(type)) {
      open.length = 0;
      minusRun = 0;
    } else if (kinds.open.includes(type)) {
      open.push(t);
      minusRun = 0;
    } else if (kinds.close.includes(type)) {
      open.pop();
      minusRun = 0;
    } else if (type === kinds.minus) {
      // A prefix minus (after an operator or an opener) nests; a binary minus does not.
      const prefix = prev === undefined || kinds.open.includes(prev.tokenType) || prev.tokenType === kinds.minus || !/^[A-Za-z0-9_)\]."]/.test(prev.image);
      minusRun = prefix ? minusRun + 1 : 0;
    } else minusRun = 0;
    if (open.length + minusRun > MAX_NESTING) return { token: t, ...(open[0] ? { opener: open[0] } : {}) };
    prev = t;
  }
  return undefined;
}

/** Declarations, statements and types: not expression levels. */
const STRUCTURAL: ReadonlySet<unknown> = new Set(['extends', 'data', 'const', 'param', 'net', 'block', 'override', 'train', 'let', 'site', 'type']);

interface Frame {
  readonly node: unknown;
  readonly depth: number;
  /** The nearest enclosing frame of a node with a `kind` (null at a declaration). */
  readonly parent: Frame | null;
}

function isSpan(x: unknown): x is Span {
  return typeof x === 'object' && x !== null && typeof (x as Span).start === 'number' && typeof (x as Span).file === 'string';
}

function spanOf(node: unknown): Span | undefined {
  const s = (node as { span?: unknown }).span;
  return isSpan(s) ? s : undefined;
}

/**
 * The first expression deeper than {@link MAX_EXPR_DEPTH}, found iteratively; the span returned
 * is that of the outermost expression (the value the user wrote), not of the deepest node. The
 * walk is generic (every object reachable from the program; every node with a `kind` other than
 * a declaration, statement or type counts one level), so new expression kinds are covered
 * without changes here. A sum of n terms is n levels deep (n - 1 operators and a leaf).
 */
export function exprTooDeep(program: A.Program): { span: Span } | undefined {
  const stack: Frame[] = program.decls.map((d) => ({ node: d, depth: 0, parent: null }));
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { node, depth } = frame;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const c of node) stack.push({ node: c, depth, parent: frame.parent });
      continue;
    }
    const kind = (node as { kind?: unknown }).kind;
    const isNode = typeof kind === 'string';
    const here: Frame = isNode ? { node, depth: STRUCTURAL.has(kind) ? depth : depth + 1, parent: frame.parent } : frame;
    if (isNode && here.depth > MAX_EXPR_DEPTH) {
      let top: Frame = here;
      while (top.parent && top.parent.depth > 0) top = top.parent;
      const span = spanOf(top.node) ?? spanOf(node);
      if (span) return { span };
    }
    for (const [k, v] of Object.entries(node)) {
      if (typeof v !== 'object' || v === null || isSpan(v) || /span$/i.test(k)) continue;
      stack.push({ node: v, depth: here.depth, parent: isNode ? here : frame.parent });
    }
  }
  return undefined;
}
