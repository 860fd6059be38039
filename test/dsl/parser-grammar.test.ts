// The shared lexer and parser skip Chevrotain's checks of their definitions at start-up (they
// find mistakes in the grammar, never in programs, and cost most of the start-up of `vae
// check`), the parser builds its lookahead functions lazily, and the lexer takes the characters
// tokens start with from start_chars_hint instead of analysing the regular expressions. This
// test runs the checks (a grammar change that introduces an ambiguity, left recursion or an
// unreachable token fails here) and compares the shared instances with Chevrotain's defaults.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lexer, type CstNode, type IToken, type TokenType } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { VaeParser, vaeParser } from '../../src/dsl/parser';
import { ALL_TOKENS, LEXER_CONFIG, vaeLexer } from '../../src/dsl/tokens';

const root = path.resolve(import.meta.dirname, '../..');

/** Every .vae file of the repository's models and golden cases: good programs and bad ones. */
function corpus(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.vae')) out.push({ file: path.relative(root, f), text: fs.readFileSync(f, 'utf8') });
    }
  };
  walk(path.join(root, 'models'));
  walk(path.join(root, 'test/golden'));
  return out;
}

/** Tokens and errors as plain data (token types by name). */
function lexed(lexer: Lexer, text: string) {
  const r = lexer.tokenize(text);
  return { tokens: r.tokens.map((t) => [t.tokenType.name, t.startOffset, t.image]), errors: r.errors.map((e) => [e.offset, e.length]) };
}

/** A CST as plain data: rule names, children in order, tokens by type and offset. */
function cstData(node: CstNode | undefined): unknown {
  if (!node) return null;
  const children = Object.entries(node.children)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, v.map((c) => ('tokenType' in c ? [(c as IToken).tokenType.name, (c as IToken).startOffset] : cstData(c as CstNode)))]);
  return [node.name, node.recoveredNode === true, children];
}

function parsed(parser: VaeParser, tokens: IToken[]) {
  parser.input = tokens;
  let cst: CstNode | undefined;
  try {
    cst = parser.program();
  } catch (e) {
    if ((e as Error).name !== 'TooManySyntaxErrors') throw e;
  }
  return { cst: cstData(cst), errors: parser.errors.map((e) => [e.name, e.message, e.token.startOffset]) };
}

describe('the grammar', () => {
  it('passes Chevrotain validations (no ambiguity, no left recursion, no unreachable alternative)', () => {
    const validated = new VaeParser({ validate: true });
    expect((validated as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]); // Chevrotain throws first when there are any
    // The shared instance is the same grammar: the same rules, in the same order.
    expect(Object.keys(vaeParser.getGAstProductions())).toEqual(Object.keys(validated.getGAstProductions()));
  });

  it('parses every model and golden case as a parser with lookahead built up front does', () => {
    const eager = new VaeParser({ validate: true });
    const files = corpus();
    expect(files.length).toBeGreaterThan(150);
    for (const { file, text } of files) {
      const tokens = vaeLexer.tokenize(text).tokens;
      expect(parsed(vaeParser, tokens), file).toEqual(parsed(eager, tokens));
    }
  });
});

describe('the lexer', () => {
  it('passes Chevrotain validations of the token definitions', () => {
    const validated = new Lexer(ALL_TOKENS, LEXER_CONFIG); // throws on a definition error
    expect(validated.lexerDefinitionErrors).toEqual([]);
  });

  it("tokenizes as a lexer that finds each token's first characters in its regular expression", () => {
    // The same tokens without start_chars_hint: Chevrotain derives the characters from the patterns.
    const copies = new Map<TokenType, TokenType>(ALL_TOKENS.map((t) => [t, { ...t }]));
    for (const c of copies.values()) {
      delete (c as { START_CHARS_HINT?: unknown }).START_CHARS_HINT;
      const alt = (c as { LONGER_ALT?: TokenType }).LONGER_ALT;
      if (alt) (c as { LONGER_ALT?: TokenType }).LONGER_ALT = copies.get(alt)!;
    }
    const derived = new Lexer([...copies.values()], LEXER_CONFIG);
    // Every character as the first of a token (and after a token), then the repository's files.
    const texts: string[] = [];
    for (let c = 0; c < 0x3000; c++) texts.push(`${String.fromCharCode(c)}x1 ${String.fromCharCode(c)}`);
    texts.push('\uFEFFdata x: Binary[784]', '\u00A0 \u2028 \uFFFD', '1..T 1.5e-3 .5 "a\\"b" "open', '/* x */ // y\n/* open');
    for (const t of texts) expect(lexed(vaeLexer, t), JSON.stringify(t)).toEqual(lexed(derived, t));
    for (const { file, text } of corpus()) expect(lexed(vaeLexer, text), file).toEqual(lexed(derived, text));
  });
});
