/**
 * Text -> AST with syntax diagnostics (VAE1xx). Lexer errors and parser errors are turned
 * into plain-language diagnostics with hints for common habits (Pyro's `=` for sampling,
 * Python keyword arguments, `#` comments). Cascades from recovery are dropped: after one
 * syntax error, later ones on the same line are not reported.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import { EOF } from 'chevrotain';
import type * as A from './ast';
import { AstBuilder } from './build-ast';
import { diag, type Diagnostic } from './diagnostics';
import { vaeParser } from './parser';
import { lineCol, type Source, type Span } from './source';
import { UnterminatedString, vaeLexer } from './tokens';

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

function syntaxHint(e: IRecognitionException, found: IToken, prev: IToken | undefined): string | undefined {
  const rule = e.context.ruleStack[e.context.ruleStack.length - 1];
  const msg = e.message;
  if (rule === 'siteStmt' && found.image === '=') {
    return 'a random site is written `z ~ Normal(0, 1)`; for a deterministic value write `let z = ...`';
  }
  if (found.image === '=' && (rule === 'args' || rule === 'postfix' || e.context.ruleStack.includes('args'))) {
    return 'keyword arguments are written `name: value`, e.g. `Bernoulli(logits: decoder(z))`';
  }
  if (found.tokenType === EOF && msg.includes("'}'")) return 'a block opened with `{` is not closed';
  if (found.tokenType === EOF && msg.includes("')'")) return 'a `(` is not closed';
  if (found.tokenType === EOF && msg.includes("']'")) return 'a `[` is not closed';
  if (rule === 'dataDecl' && msg.includes("':'")) return 'data is declared with a type: `data x: Binary[784]`';
  if (rule === 'netDecl' && msg.includes("'->'")) return 'a net has a signature: `net f: Real[784] -> Real[50] = mlp(hidden: [400], activation: softplus)`';
  if (rule === 'netDecl' && msg.includes("'='")) return 'a net needs a body after `=`: `mlp(hidden: [400], activation: softplus)` or `linear()`';
  if (rule === 'trainEntry' && msg.includes('a value')) return 'each train setting needs a value, e.g. `batch: 100`';
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
  const tokens = lexed.tokens.filter((t) => {
    if (t.tokenType !== UnterminatedString) return true;
    errorLines.add(lineCol(src, t.startOffset).line);
    diagnostics.push(
      diag('VAE102', 'this string is never closed', { span: at(t.startOffset, t.image.length), message: 'missing a closing "' }, { hint: 'strings end on the line where they start: "vae.vae"' }),
    );
    return false;
  });

  vaeParser.input = tokens;
  const cst = vaeParser.program();
  for (const e of vaeParser.errors) {
    const found = e.token;
    const isEof = found.tokenType === EOF || !Number.isFinite(found.startOffset);
    const start = isEof ? src.text.length : found.startOffset;
    const line = lineCol(src, start).line;
    if (errorLines.has(line)) continue;
    errorLines.add(line);
    const prevIndex = tokens.findIndex((t) => t.startOffset >= start) - 1;
    const prev = prevIndex >= 0 ? tokens[prevIndex] : prevIndex === -2 ? tokens[tokens.length - 1] : undefined;
    const span = isEof ? at(Math.max(0, start), 0) : at(start, found.image.length);
    diagnostics.push(diag(errorCode(e), e.message, { span }, { hint: syntaxHint(e, found, prev) }));
  }
  const program = new AstBuilder(src.path).program(cst);
  return { program, diagnostics };
}
