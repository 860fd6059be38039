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
import { problem, type Diagnostic, type Label } from './diagnostics';
import { decodeMismatch, TooManySyntaxErrors, vaeParser, type TokenMismatch } from './parser';
import type { SyntaxCue, SyntaxProblem } from './problems/syntax';
import { lineCol, type Source, type Span } from './source';
import { exprTooDeep, MAX_EXPR_DEPTH, MAX_NESTING, MAX_SYNTAX_ERRORS, nestingTooDeep } from './limits';
import * as T from './tokens';
import { Identifier, LBrace, LBracket, LParen, RBrace, RBracket, RParen, StringLit, UnterminatedComment, UnterminatedString, vaeLexer } from './tokens';

export interface ParseResult {
  readonly program: A.Program;
  readonly diagnostics: Diagnostic[];
}

/** What the parser saw around a syntax error that names a likely habit or slip (the hint, problems/syntax.ts). */
function syntaxCue(e: IRecognitionException, m: TokenMismatch, found: IToken, prev: IToken | undefined, next: IToken | undefined): SyntaxCue | undefined {
  const rule = e.context.ruleStack[e.context.ruleStack.length - 1];
  const first = m.expected[0] ?? '';
  const expects = (s: string): boolean => m.expected.some((x) => x.includes(s));
  if (rule === 'siteStmt' && found.image === '=') {
    const name = prev?.tokenType === Identifier ? prev.image : 'z';
    const dist = next?.tokenType === Identifier && /^[A-Z]/.test(next.image) ? next.image : undefined;
    return { kind: 'site-with-equals', name, ...(dist !== undefined ? { dist } : {}) };
  }
  if (found.image === '=' && (rule === 'args' || rule === 'postfix' || e.context.ruleStack.includes('args'))) return { kind: 'keyword-argument-equals' };
  const closing = found.tokenType === EOF || found.image === '}' || found.image === ')' || found.image === ']';
  if (closing && (first === "'}'" || first === "')'" || first === "']'")) return { kind: 'missing-closer', closer: first[1] as '}' | ')' | ']' };
  if (rule === 'dataDecl' && expects("':'")) return { kind: 'data-without-type' };
  if (rule === 'netDecl' && expects("'->'")) return { kind: 'net-without-signature' };
  if (rule === 'netDecl' && expects("'='")) return { kind: 'net-without-body' };
  if (rule === 'trainEntry' && expects('a value')) return { kind: 'setting-without-value' };
  if (prev?.image === '~' && expects('an expression')) return { kind: 'nothing-after-tilde' };
  if (prev?.image === ',' && (found.image === ')' || found.image === ']')) return { kind: 'trailing-comma' };
  if (first.startsWith("a site ('name ~")) return { kind: 'not-a-block-entry' };
  if (first.startsWith("a setting ('name:")) return { kind: 'not-a-setting' };
  if (rule === 'item' && prev === undefined) return { kind: 'not-a-declaration' };
  if (found.image === 'sample' || found.image === 'def' || found.image === 'import') return { kind: 'python' };
  return undefined;
}

function withCue(cue: SyntaxCue | undefined): { cue?: SyntaxCue } {
  return cue === undefined ? {} : { cue };
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
    diagnostics.push(problem('VAE101', { kind: 'unexpected-character', found: ch }, { span: at(e.offset, e.length), message: 'not part of the language' }));
  }
  // An unterminated string is reported here and then parsed as a string (up to the end of its
  // line), so the parser does not report a second, confusing error for the same mistake.
  // An unterminated comment runs to the end of the file: reported, then dropped.
  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedComment) {
      errorLines.add(lineCol(src, t.startOffset).line);
      diagnostics.push(problem('VAE106', { kind: 'unterminated-comment' }, { span: at(t.startOffset, 2), message: 'the comment starts here' }));
      continue;
    }
    if (t.tokenType !== UnterminatedString) {
      tokens.push(t);
      continue;
    }
    errorLines.add(lineCol(src, t.startOffset).line);
    diagnostics.push(problem('VAE102', { kind: 'unterminated-string' }, { span: at(t.startOffset, t.image.length), message: 'missing a closing "' }));
    tokens.push({ ...t, tokenType: StringLit, tokenTypeIdx: StringLit.tokenTypeIdx ?? t.tokenTypeIdx });
  }
  const last = tokens[tokens.length - 1];

  // Nesting deeper than the parser's recursion allows: report it and skip parsing (limits.ts).
  const deep = nestingTooDeep(tokens, { open: [LParen, LBracket], close: [RParen, RBracket], minus: T.Minus, resets: [T.Data, T.Const, T.Param, T.Net, T.Model, T.Guide, T.Train, T.Extends, LBrace, RBrace] });
  if (deep) {
    const secondary: Label[] = deep.opener ? [{ span: at(deep.opener.startOffset, 1), message: 'the outermost bracket' }] : [];
    diagnostics.push(problem('VAE107', { kind: 'nested-too-deeply', limit: MAX_NESTING }, { span: at(deep.token.startOffset, deep.token.image.length), message: `level ${MAX_NESTING + 1}` }, { secondary }));
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
    const mismatch = decodeMismatch(e.message);
    let data: SyntaxProblem = { kind: 'unexpected-token', ...mismatch, ...withCue(syntaxCue(e, mismatch, found, prev, next)) };
    // `batch:` followed by the next setting: point at the setting that has no value.
    const key = prevIndex >= 1 ? tokens[prevIndex - 1] : undefined;
    if (errorCode(e) === 'VAE105' && e.context.ruleStack.includes('trainEntry') && prev?.image === ':' && key?.tokenType === Identifier) {
      data = { kind: 'setting-without-value', setting: key.image };
      span = { file: src.path, start: key.startOffset, end: prev.startOffset + 1 };
    }
    const line = lineCol(src, span.start).line;
    if (errorLines.has(line)) continue;
    errorLines.add(line);
    const secondary: Label[] = [];
    // The message starts "expected ')' but" or "expected ')' or ...".
    const closer = PAIRS.find(([label]) => mismatch.expected[0] === label && new Set(mismatch.expected).size <= 2);
    if (closer && (isEof || PAIRS.some(([, , c]) => c === found.tokenType))) {
      // A missing `)`, `]` or `}`: show where the unclosed one was opened.
      const opener = unclosed(isEof ? tokens : tokens.slice(0, nextIndex), closer[1], closer[2]);
      if (opener) secondary.push({ span: at(opener.startOffset, 1), message: `this \`${opener.image}\` is never closed` });
    }
    diagnostics.push(problem(errorCode(e), data, { span }, { secondary }));
  }
  if (!cst || diagnostics.length > MAX_SYNTAX_ERRORS) {
    // The parser gave up, or the lexer found too much: keep the first errors, say where it stopped.
    const kept = [...diagnostics].sort((a, b) => a.primary.span.start - b.primary.span.start).slice(0, MAX_SYNTAX_ERRORS);
    const stop = vaeParser.errors[vaeParser.errors.length - 1]?.token;
    const parserStop = !cst && stop && Number.isFinite(stop.startOffset) ? stop.startOffset : src.text.length;
    const start = Math.min(parserStop, kept[kept.length - 1]?.primary.span.start ?? parserStop);
    kept.push(problem('VAE104', { kind: 'too-many-syntax-errors', limit: MAX_SYNTAX_ERRORS }, { span: { file: src.path, start, end: start } }));
    return { program: { file: src.path, decls: [] }, diagnostics: kept };
  }
  const program = new AstBuilder(src.path).program(cst);
  const tooDeep = exprTooDeep(program);
  if (tooDeep) {
    // Point at where the expression starts: its span may cover a whole (very long) line.
    diagnostics.push(problem('VAE107', { kind: 'expression-too-deep', limit: MAX_EXPR_DEPTH }, { span: at(tooDeep.span.start, 1), message: 'here' }));
    return { program: { file: src.path, decls: [] }, diagnostics };
  }
  return { program, diagnostics };
}
