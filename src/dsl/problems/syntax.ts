/**
 * VAE1xx, lexing, parsing and limits: the problems as data (the character or token found, the
 * tokens expected, the limit passed) and their one renderer. A syntax error's hint comes from
 * its `cue`: what the parser saw around it that names a likely habit or slip.
 */
import { rendered, type Rendered } from './rendered';

/** What the parser saw around a syntax error, for the hint. */
export type SyntaxCue =
  /** Pyro's `name = Distribution(...)` for a site (`dist`: the capitalized name after `=`). */
  | { readonly kind: 'site-with-equals'; readonly name: string; readonly dist?: string }
  /** Python's `f(name=value)`. */
  | { readonly kind: 'keyword-argument-equals' }
  /** A block, call or list that is not closed. */
  | { readonly kind: 'missing-closer'; readonly closer: '}' | ')' | ']' }
  | { readonly kind: 'data-without-type' }
  | { readonly kind: 'net-without-signature' }
  | { readonly kind: 'net-without-body' }
  | { readonly kind: 'setting-without-value' }
  | { readonly kind: 'nothing-after-tilde' }
  | { readonly kind: 'trailing-comma' }
  | { readonly kind: 'not-a-block-entry' }
  | { readonly kind: 'not-a-setting' }
  | { readonly kind: 'not-a-declaration' }
  /** `sample`, `def` or `import`. */
  | { readonly kind: 'python' };

export type SyntaxProblem =
  /** VAE101: a character no token starts with. */
  | { readonly kind: 'unexpected-character'; readonly found: string }
  /** VAE102: a string without its closing `"` on its line. */
  | { readonly kind: 'unterminated-string' }
  /** VAE103 (a token missing), VAE104 (a token out of place), VAE105 (a value missing): `found` null at the end of the file. */
  | { readonly kind: 'unexpected-token'; readonly expected: readonly string[]; readonly found: string | null; readonly cue?: SyntaxCue }
  /** VAE105: `name:` in the train block with no value before the next setting. */
  | { readonly kind: 'setting-without-value'; readonly setting: string }
  /** VAE104: the parser stopped after `limit` errors. */
  | { readonly kind: 'too-many-syntax-errors'; readonly limit: number }
  /** VAE106: a `/*` comment that is never closed. */
  | { readonly kind: 'unterminated-comment' }
  /** VAE107: brackets and minus signs nested more than `limit` levels. */
  | { readonly kind: 'nested-too-deeply'; readonly limit: number }
  /** VAE107: an expression more than `limit` levels deep. */
  | { readonly kind: 'expression-too-deep'; readonly limit: number }
  /** VAE107: `for` loops that unroll into more than `limit` statements. */
  | { readonly kind: 'unrolled-too-large'; readonly limit: number };

/** The kinds of this range (the index dispatches on them; the compiler keeps the list complete). */
export const SYNTAX_KINDS: Record<SyntaxProblem['kind'], true> = {
  'unexpected-character': true,
  'unterminated-string': true,
  'unexpected-token': true,
  'setting-without-value': true,
  'too-many-syntax-errors': true,
  'unterminated-comment': true,
  'nested-too-deeply': true,
  'expression-too-deep': true,
  'unrolled-too-large': true,
};

/** `a`, `a or b`, `a, b or c` (duplicates dropped). */
export function listWords(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function characterHint(ch: string): string | undefined {
  if (ch === '#') return 'comments start with `//` in .vae files';
  if (ch === "'") return 'strings use double quotes: "file.vae"';
  if (ch === '^') return 'there is no power operator; use `exp(k * log(x))` or multiply';
  if (ch === '|' || ch === '&' || ch === '!') return 'the language has no boolean operators';
  return undefined;
}

function cueHint(c: SyntaxCue): string {
  switch (c.kind) {
    case 'site-with-equals':
      return c.dist !== undefined
        ? `a random site is written \`${c.name} ~ ${c.dist}(...)\`; for a deterministic value write \`let ${c.name} = ...\``
        : `to name a value write \`let ${c.name} = ...\`; a random site is written \`${c.name} ~ Distribution(...)\``;
    case 'keyword-argument-equals':
      return 'keyword arguments are written `name: value`, e.g. `Bernoulli(logits: decoder(z))`';
    case 'missing-closer':
      return c.closer === '}' ? 'add the missing `}` at the end of the block' : `add the missing \`${c.closer}\``;
    case 'data-without-type':
      return 'data is declared with a type: `data x: Binary[784]`';
    case 'net-without-signature':
      return 'a net has a signature: `net f: Real[784] -> Real[50] = mlp(hidden: [400], activation: softplus)`';
    case 'net-without-body':
      return 'a net needs a body after `=`: `mlp(hidden: [400], activation: softplus)` or `linear()`';
    case 'setting-without-value':
      return 'each train setting needs a value, e.g. `batch: 100`';
    case 'nothing-after-tilde':
      return 'write a distribution after `~`, e.g. `z ~ Normal(0, 1)`';
    case 'trailing-comma':
      return 'remove the trailing comma';
    case 'not-a-block-entry':
      return 'a block holds sites such as `z ~ Normal(0, 1)` and bindings such as `let h = f(z)`';
    case 'not-a-setting':
      return 'each train setting is written `name: value`, e.g. `batch: 100`';
    case 'not-a-declaration':
      return 'a .vae file is a list of declarations such as `data x: Binary[784]` and blocks such as `model { ... }`';
    case 'python':
      return 'vaelang is not Python: declare sites as `name ~ Distribution(...)` inside `model { }` and `guide { }`';
  }
}

export function renderSyntax(p: SyntaxProblem): Rendered {
  switch (p.kind) {
    case 'unexpected-character':
      return rendered(`unexpected character '${p.found}'`, characterHint(p.found[0] ?? ''));
    case 'unterminated-string':
      return rendered('this string is never closed', 'add the closing `"`; a string ends on the line where it starts');
    case 'unexpected-token':
      return rendered(`expected ${listWords(p.expected)} but found ${p.found === null ? 'the end of the file' : `'${p.found}'`}`, p.cue && cueHint(p.cue));
    case 'setting-without-value':
      return rendered(`\`${p.setting}\` has no value`, cueHint({ kind: 'setting-without-value' }));
    case 'too-many-syntax-errors':
      return rendered(`too many syntax errors: stopped after ${p.limit}`, 'fix the first errors and check again; is this a .vae file?');
    case 'unterminated-comment':
      return rendered('this comment is never closed', 'end it with `*/`; everything after `/*` up to the end of the file is part of the comment');
    case 'nested-too-deeply':
      return rendered(`brackets and minus signs nest more than ${p.limit} levels deep here`, 'name intermediate values with `let` (or `const`) to flatten the expression');
    case 'expression-too-deep':
      return rendered(`this expression is more than ${p.limit} levels deep`, 'a chain `a + b + ...` is one level per operator: split long sums or products with `let` (or `const`) bindings');
    case 'unrolled-too-large':
      return rendered(`the loops unroll into more than ${p.limit} statements`, 'use fewer steps; each step of a loop is one copy of its statements');
  }
}
