/**
 * The lexicon of `.vae` files. Token order in `ALL_TOKENS` sets precedence (Chevrotain):
 * keywords before identifiers (with `longer_alt`), longer punctuation before shorter.
 * Type names (Real, Binary, ...) and distribution names are ordinary identifiers: the checker
 * resolves them, so a misspelling gets a did-you-mean instead of a syntax error.
 */
import { createToken, Lexer, type ILexerConfig, type TokenType } from 'chevrotain';

// Token patterns are strings where they are literal, and each regular expression states the
// characters a match can start with (start_chars_hint): the lexer then tries only the tokens that
// can start at a character without analysing the expressions when it is made (a third of
// `vae check`'s start-up went there). test/dsl/parser-grammar.test.ts checks the hints against
// a lexer that derives them from the expressions.
const DIGITS = [...'0123456789'];
const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];

// U+FEFF (a byte-order mark) is skipped too: editors on Windows write one at the start of a file.
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\uFEFF]+/, start_chars_hint: [' ', '\t', '\r', '\n', '\uFEFF'], group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, start_chars_hint: ['/'], group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  start_chars_hint: ['/'],
  group: Lexer.SKIPPED,
  line_breaks: true,
});

// An opening `/*` that is never closed: reported as such (VAE106) instead of as a stray `/`.
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, start_chars_hint: ['/'], line_breaks: true, label: 'a comment' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, start_chars_hint: [...LETTERS, '_'], label: 'a name' });

function keyword(word: string): TokenType {
  return createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: word, longer_alt: Identifier, label: `'${word}'` });
}

export const Data = keyword('data');
export const Const = keyword('const');
export const Param = keyword('param');
export const Net = keyword('net');
export const Model = keyword('model');
export const Guide = keyword('guide');
export const Train = keyword('train');
export const Let = keyword('let');
export const Extends = keyword('extends');
export const For = keyword('for');
export const In = keyword('in');

export const NumberLit = createToken({
  name: 'NumberLit',
  // `0..T` is a range: the dot after a whole number is part of the number only when no second dot follows.
  pattern: /(?:\d+(?:\.(?!\.)\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  start_chars_hint: [...DIGITS, '.'],
  label: 'a number',
});
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\.)*"/, start_chars_hint: ['"'], label: 'a string' });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n]|\\.)*/, start_chars_hint: ['"'], label: 'a string' });

export const Arrow = createToken({ name: 'Arrow', pattern: '->', label: "'->'" });
export const Tilde = createToken({ name: 'Tilde', pattern: '~', label: "'~'" });
export const Question = createToken({ name: 'Question', pattern: '?', label: "'?'" });
export const At = createToken({ name: 'At', pattern: '@', label: "'@'" });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: "':'" });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';', label: "';'" });
export const DotDot = createToken({ name: 'DotDot', pattern: '..', label: "'..'" });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: "'.'" });
export const Equals = createToken({ name: 'Equals', pattern: '=', label: "'='" });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'" });
export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: "'}'" });
export const Plus = createToken({ name: 'Plus', pattern: '+', label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: '-', label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: '*', label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: '/', label: "'/'" });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Data,
  Const,
  Param,
  Net,
  Model,
  Guide,
  Train,
  Let,
  Extends,
  For,
  In,
  Identifier,
  NumberLit,
  StringLit,
  UnterminatedString,
  Arrow,
  Tilde,
  Question,
  At,
  Colon,
  Comma,
  Semicolon,
  DotDot,
  Dot,
  Equals,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Plus,
  Minus,
  Star,
  Slash,
];

export const KEYWORDS = ['data', 'const', 'param', 'net', 'model', 'guide', 'train', 'let', 'extends', 'for', 'in'];

/**
 * Offsets only: lines and columns are computed from the source when a diagnostic is rendered.
 * `ensureOptimizations`: every token's first characters are known, so the lexer tries only the
 * tokens that can start at a character (Chevrotain throws when it cannot tell).
 */
export const LEXER_CONFIG: ILexerConfig = { positionTracking: 'onlyOffset', ensureOptimizations: true };

/**
 * The shared lexer skips Chevrotain's checks of the token definitions (unreachable or empty
 * patterns, and the like): they find mistakes in this file, never in a program, and took half of
 * the lexer's start-up. test/dsl/parser-grammar.test.ts builds a lexer with them.
 */
export const vaeLexer = new Lexer(ALL_TOKENS, { ...LEXER_CONFIG, skipValidations: true });
