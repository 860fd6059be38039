/**
 * Text -> AST with syntax diagnostics (VAE1xx). Lexer errors and parser errors are turned
 * into plain-language diagnostics with hints for common habits (Pyro's `=` for sampling,
 * Python keyword arguments, `#` comments). Cascades from recovery are dropped: after one
 * syntax error, later ones on the same line are not reported.
 */
import type { CstNode, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { EOF } from 'chevrotain';
import type * as A from './ast';
import { AstBuilder } from './build-ast';
import { diag, type Diagnostic, type Label } from './diagnostics';
import { TooManySyntaxErrors, vaeParser } from './parser';
import { lineCol, type Source, type Span } from './source';
import { exprTooDeep, MAX_EXPR_DEPTH, MAX_NESTING, MAX_SYNTAX_ERRORS, nestingTooDeep } from './limits';
import * as T from './tokens';
import { Identifier, LBrace, LBracket, LParen, RBrace, RBracket, RParen, StringLit, UnterminatedComment, UnterminatedString, vaeLexer } from './tokens';

export interface ParseResult {
  readonly program: A.Program;
  readonly diagnostics: Diagnostic[];
}

function lexHint(ch: string): string | undefined {
  if (ch === '#') return 'comments start with `//` in .vae files';
  if (ch === "'") return 'strings use double quotes: "file.vae"';
  if (ch === '^') return 'there is no power operator; use `exp(k * log(x))` or multiply';
  if (ch === '|' || ch === '&' || ch === '!') return 'the language has no boolean operators';
  return undefined;
}

function syntaxHint(e: IRecognitionException, found: IToken, prev: IToken | undefined, next: IToken | undefined): string | undefined {
  const rule = e.context.ruleStack[e.context.ruleStack.length - 1];
  const msg = e.message;
  if (rule === 'siteStmt' && found.image === '=') {
    const name = prev?.tokenType === Identifier ? prev.image : 'z';
    const dist = next?.tokenType === Identifier && /^[A-Z]/.test(next.image) ? next.image : undefined;
    return dist
      ? `a random site is written \`${name} ~ ${dist}(...)\`; for a deterministic value write \`let ${name} = ...\``
      : `to name a value write \`let ${name} = ...\`; a random site is written \`${name} ~ Distribution(...)\``;
  }
  if (found.image === '=' && (rule === 'args' || rule === 'postfix' || e.context.ruleStack.includes('args'))) {
    return 'keyword arguments are written `name: value`, e.g. `Bernoulli(logits: decoder(z))`';
  }
  const closing = found.tokenType === EOF || found.image === '}' || found.image === ')' || found.image === ']';
  if (closing && msg.startsWith("expected '}'")) return 'add the missing `}` at the end of the block';
  if (closing && msg.startsWith("expected ')'")) return 'add the missing `)`';
  if (closing && msg.startsWith("expected ']'")) return 'add the missing `]`';
  if (rule === 'dataDecl' && msg.includes("':'")) return 'data is declared with a type: `data x: Binary[784]`';
  if (rule === 'netDecl' && msg.includes("'->'")) return 'a net has a signature: `net f: Real[784] -> Real[50] = mlp(hidden: [400], activation: softplus)`';
  if (rule === 'netDecl' && msg.includes("'='")) return 'a net needs a body after `=`: `mlp(hidden: [400], activation: softplus)` or `linear()`';
  if (rule === 'trainEntry' && msg.includes('a value')) return 'each train setting needs a value, e.g. `batch: 100`';
  if (prev?.image === '~' && msg.includes('an expression')) return 'write a distribution after `~`, e.g. `z ~ Normal(0, 1)`';
  if (prev?.image === ',' && (found.image === ')' || found.image === ']')) return 'remove the trailing comma';
  if (msg.startsWith("expected a site ('name ~")) return 'a block holds sites such as `z ~ Normal(0, 1)` and bindings such as `let h = f(z)`';
  if (msg.startsWith("expected a setting ('name:")) return 'each train setting is written `name: value`, e.g. `batch: 100`';
  if (rule === 'item' && prev === undefined) return 'a .vae file is a list of declarations such as `data x: Binary[784]` and blocks such as `model { ... }`';
  if (found.image === 'sample' || found.image === 'def' || found.image === 'import') {
    return 'vaelang is not Python: declare sites as `name ~ Distribution(...)` inside `model { }` and `guide { }`';
  }
  return undefined;
}

function errorCode(e: IRecognitionException): 'VAE103' | 'VAE104' | 'VAE105' {
  if (e.name === 'MismatchedTokenException') return 'VAE103';
  if (e.name === 'EarlyExitException') return 'VAE105';
  return 'VAE104';
}

/** The innermost `open` token without its `close`, for "a `{` is not closed" notes. */
function unclosed(tokens: readonly IToken[], open: TokenType, close: TokenType): IToken | undefined {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === open) stack.push(t);
    else if (t.tokenType === close) stack.pop();
  }
  return stack[stack.length - 1];
}

const PAIRS: [string, TokenType, TokenType][] = [
  ["'}'", LBrace, RBrace],
  ["')'", LParen, RParen],
  ["']'", LBracket, RBracket],
];

export function parseSource(src: Source): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = vaeLexer.tokenize(src.text);
  const errorLines = new Set<number>();
  const at = (start: number, len: number): Span => ({ file: src.path, start, end: start + Math.max(1, len) });

  for (const e of lexed.errors) {
    const ch = src.text.slice(e.offset, e.offset + e.length);
    errorLines.add(lineCol(src, e.offset).line);
    const hint = lexHint(ch[0] ?? '');
    diagnostics.push(diag('VAE101', `unexpected character '${ch}'`, { span: at(e.offset, e.length), message: 'not part of the language' }, { hint }));
  }
  // An unterminated string is reported here and then parsed as a string (up to the end of its
  // line), so the parser does not report a second, confusing error for the same mistake.
  // An unterminated comment runs to the end of the file: reported, then dropped.
  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedComment) {
      errorLines.add(lineCol(src, t.startOffset).line);
      diagnostics.push(diag('VAE106', 'this comment is never closed', { span: at(t.startOffset, 2), message: 'the comment starts here' }, { hint: 'end it with `*/`; everything after `/*` up to the end of the file is part of the comment' }));
      continue;
    }
    if (t.tokenType !== UnterminatedString) {
      tokens.push(t);
      continue;
    }
    errorLines.add(lineCol(src, t.startOffset).line);
    diagnostics.push(
      diag('VAE102', 'this string is never closed', { span: at(t.startOffset, t.image.length), message: 'missing a closing "' }, { hint: 'add the closing `"`; a string ends on the line where it starts' }),
    );
    tokens.push({ ...t, tokenType: StringLit, tokenTypeIdx: StringLit.tokenTypeIdx ?? t.tokenTypeIdx });
  }
  const last = tokens[tokens.length - 1];

  // Nesting deeper than the parser's recursion allows: report it and skip parsing (limits.ts).
  const deep = nestingTooDeep(tokens, { open: [LParen, LBracket], close: [RParen, RBracket], minus: T.Minus, resets: [T.Data, T.Const, T.Param, T.Net, T.Model, T.Guide, T.Train, T.Extends, LBrace, RBrace] });
  if (deep) {
    const secondary: Label[] = deep.opener ? [{ span: at(deep.opener.startOffset, 1), message: 'the outermost bracket' }] : [];
    diagnostics.push(
      diag('VAE107', `brackets and minus signs nest more than ${MAX_NESTING} levels deep here`, { span: at(deep.token.startOffset, deep.token.image.length), message: `level ${MAX_NESTING + 1}` }, { secondary, hint: 'name intermediate values with `let` (or `const`) to flatten the expression' }),
    );
    return { program: { file: src.path, decls: [] }, diagnostics };
  }

  vaeParser.input = tokens;
  let cst: CstNode | undefined;
  try {
    cst = vaeParser.program();
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
  }
  for (const e of vaeParser.errors) {
    const found = e.token;
    const isEof = found.tokenType === EOF || !Number.isFinite(found.startOffset);
    // At the end of the file, point just after the last token (not at an empty last line).
    const start = isEof ? (last ? last.startOffset + last.image.length : src.text.length) : found.startOffset;
    const nextIndex = isEof ? -1 : tokens.findIndex((t) => t.startOffset >= start);
    const prevIndex = isEof ? tokens.length - 1 : nextIndex - 1;
    const prev = prevIndex >= 0 ? tokens[prevIndex] : nextIndex === -1 ? last : undefined;
    const next = nextIndex >= 0 ? tokens[nextIndex + 1] : undefined;
    let span: Span = isEof ? { file: src.path, start, end: start } : at(start, found.image.length);
    let message = e.message;
    // `batch:` followed by the next setting: point at the setting that has no value.
    const key = prevIndex >= 1 ? tokens[prevIndex - 1] : undefined;
    if (errorCode(e) === 'VAE105' && e.context.ruleStack.includes('trainEntry') && prev?.image === ':' && key?.tokenType === Identifier) {
      message = `\`${key.image}\` has no value`;
      span = { file: src.path, start: key.startOffset, end: prev.startOffset + 1 };
    }
    const line = lineCol(src, span.start).line;
    if (errorLines.has(line)) continue;
    errorLines.add(line);
    const secondary: Label[] = [];
    const closer = PAIRS.find(([label]) => e.message.startsWith(`expected ${label} `));
    if (closer && (isEof || PAIRS.some(([, , c]) => c === found.tokenType))) {
      // A missing `)`, `]` or `}`: show where the unclosed one was opened.
      const opener = unclosed(isEof ? tokens : tokens.slice(0, nextIndex), closer[1], closer[2]);
      if (opener) secondary.push({ span: at(opener.startOffset, 1), message: `this \`${opener.image}\` is never closed` });
    }
    diagnostics.push(diag(errorCode(e), message, { span }, { hint: syntaxHint(e, found, prev, next), secondary }));
  }
  if (!cst || diagnostics.length > MAX_SYNTAX_ERRORS) {
    // The parser gave up, or the lexer found too much: keep the first errors, say where it stopped.
    const kept = [...diagnostics].sort((a, b) => a.primary.span.start - b.primary.span.start).slice(0, MAX_SYNTAX_ERRORS);
    const stop = vaeParser.errors[vaeParser.errors.length - 1]?.token;
    const parserStop = !cst && stop && Number.isFinite(stop.startOffset) ? stop.startOffset : src.text.length;
    const start = Math.min(parserStop, kept[kept.length - 1]?.primary.span.start ?? parserStop);
    kept.push(diag('VAE104', `too many syntax errors: stopped after ${MAX_SYNTAX_ERRORS}`, { span: { file: src.path, start, end: start } }, { hint: 'fix the first errors and check again; is this a .vae file?' }));
    return { program: { file: src.path, decls: [] }, diagnostics: kept };
  }
  const program = new AstBuilder(src.path).program(cst);
  const tooDeep = exprTooDeep(program);
  if (tooDeep) {
    // Point at where the expression starts: its span may cover a whole (very long) line.
    diagnostics.push(
      diag('VAE107', `this expression is more than ${MAX_EXPR_DEPTH} levels deep`, { span: at(tooDeep.span.start, 1), message: 'here' }, { hint: 'a chain `a + b + ...` is one level per operator: split long sums or products with `let` (or `const`) bindings' }),
    );
    return { program: { file: src.path, decls: [] }, diagnostics };
  }
  return { program, diagnostics };
}
