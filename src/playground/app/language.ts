/**
 * `.vae` syntax highlighting for CodeMirror 6: a stream tokenizer over the lexer's token classes
 * (src/dsl/tokens.ts): comments, strings, numbers, keywords, types and distributions
 * (capitalized names), annotations (`@enumerate`), `~` and `->`.
 */
import { StreamLanguage, type StreamParser } from '@codemirror/language';
import { KEYWORDS } from '../../dsl/tokens';

const keywords = new Set(KEYWORDS);

interface State {
  inComment: boolean;
}

const parser: StreamParser<State> = {
  name: 'vae',
  startState: () => ({ inComment: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/');
        state.inComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/)) return 'number';
    if (stream.match(/^@[A-Za-z_][A-Za-z0-9_]*/)) return 'meta';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (keywords.has(w)) return 'keyword';
      if (/^[A-Z]/.test(w)) return /^[A-Z][A-Z0-9_]*$/.test(w) ? 'variableName.constant' : 'typeName';
      if (stream.peek() === '(') return 'variableName.function';
      return 'variableName';
    }
    if (stream.match('~') || stream.match('->')) return 'operator';
    stream.next();
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
};

export const vaeLanguage = StreamLanguage.define(parser);
