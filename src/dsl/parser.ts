/**
 * The `.vae` grammar as a Chevrotain CstParser with error recovery, so one run reports
 * several syntax errors. Rules are class properties, so a misspelled SUBRULE is a compile
 * error. The CST is turned into the AST by build-ast.ts, the only CST -> AST step.
 * The EBNF in docs/language.md mirrors these rules one for one.
 */
import { CstParser, EOF, LLkLookaheadStrategy, type ILookaheadStrategy, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { MAX_SYNTAX_ERRORS } from './limits';
import * as T from './tokens';

/** Thrown out of the parser when it has recorded MAX_SYNTAX_ERRORS errors (parse.ts catches it). */
export class TooManySyntaxErrors extends Error {
  override readonly name = 'TooManySyntaxErrors';
}

function labelOf(t: TokenType): string {
  if (t === EOF) return 'the end of the file';
  return t.LABEL ?? t.name;
}

/** A syntax error as data: what could come next (token labels or rule descriptions) and the token found (null: the end of the file). */
export interface TokenMismatch {
  readonly expected: readonly string[];
  readonly found: string | null;
}

/** Chevrotain keeps an error's message as a string: the mismatch travels in it as JSON, and parse.ts decodes it. */
function encode(expected: readonly string[], actual: IToken): string {
  const m: TokenMismatch = { expected: [...new Set(expected)], found: actual.tokenType === EOF ? null : actual.image };
  return JSON.stringify(m);
}

/** The mismatch in a parser error's message (see `encode`). */
export function decodeMismatch(message: string): TokenMismatch {
  return JSON.parse(message) as TokenMismatch;
}

const DECLARATION = 'a declaration (data, const, param, net, model, guide, train or extends)';

/** Replaces Chevrotain's "Expecting token of type --> X <--" texts with data (problems/syntax.ts renders it). */
export const vaeErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    if (expected === EOF) return encode([DECLARATION], actual);
    // A `{ ... }` loop stopped at something that cannot start an entry: say what may come next.
    if (expected === T.RBrace && ruleName === 'blockOrOverride' && actual.tokenType !== EOF) {
      return encode(["a site ('name ~ Distribution(...)')", "'let'", "'}'"], actual);
    }
    if (expected === T.RBrace && ruleName === 'trainBlock' && actual.tokenType !== EOF) return encode(["a setting ('name: value')", "'}'"], actual);
    return encode([labelOf(expected)], actual);
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return encode([DECLARATION], firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? labelOf(path[0]) : 'something')));
    return encode(customUserDescription !== undefined ? [customUserDescription] : firsts, actual[0]!);
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    const firsts = expectedIterationPaths.map((path) => (path[0] ? labelOf(path[0]) : 'something'));
    return encode(customUserDescription !== undefined ? [customUserDescription] : firsts, actual[0]!);
  },
};

const MAX_LOOKAHEAD = 3;

/**
 * Chevrotain's LL(k) lookahead with each production's lookahead function built the first time
 * the production is parsed, not all of them when the parser is made: a check parses a few of
 * them, and building all of them was a tenth of `vae check`'s start-up. The functions are the
 * same (built by Chevrotain from the same grammar), only later; test/dsl/parser-grammar.test.ts
 * parses every model and golden file with both and compares.
 */
function lazyLookahead(): ILookaheadStrategy {
  const llk = new LLkLookaheadStrategy({ maxLookahead: MAX_LOOKAHEAD });
  return {
    validate: (options) => llk.validate(options),
    buildLookaheadForAlternation: (options) => lazily(() => llk.buildLookaheadForAlternation(options)),
    buildLookaheadForOptional: (options) => lazily(() => llk.buildLookaheadForOptional(options)),
  };
}

/** A function that builds `build()` on its first call and calls it, with the same `this`. */
function lazily<F extends (...args: never[]) => unknown>(build: () => F): F {
  let f: F | undefined;
  return function (this: unknown, ...args: Parameters<F>) {
    return (f ??= build()).apply(this, args);
  } as F;
}

export class VaeParser extends CstParser {
  /**
   * `validate`: run Chevrotain's grammar validations (ambiguities, left recursion) while
   * analysing the grammar. They find mistakes in the grammar, never in the user's program, and
   * cost most of the parser's start-up, so the shared instance skips them and a test
   * (test/dsl/parser-grammar.test.ts) builds one with them.
   * `eager` (implied by `validate`): Chevrotain's defaults, every lookahead function and the
   * follow sets of error recovery built up front. The shared instance builds each lookahead
   * function on the first parse of its production and the follow sets on the first recovery
   * from a syntax error (from an eager parser: the same grammar and token types give the same
   * sets); the test compares both on every model and golden case.
   */
  constructor(opts: { validate?: boolean; eager?: boolean } = {}) {
    const validate = opts.validate ?? false;
    const eager = validate || opts.eager === true;
    super(T.ALL_TOKENS, {
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      errorMessageProvider: vaeErrorMessages,
      skipValidations: !validate,
      ...(eager ? {} : { lookaheadStrategy: lazyLookahead() }),
    });
    // Chevrotain's recovery state (untyped): the analysis computes the follow sets when recovery is on.
    const rec = this as unknown as { recoveryEnabled: boolean; resyncFollows: Record<string, TokenType[]> };
    if (!eager) rec.recoveryEnabled = false;
    this.performSelfAnalysis();
    if (!eager) {
      rec.recoveryEnabled = true;
      let follows: Record<string, TokenType[]> | undefined;
      const load = () => (follows ??= (new VaeParser({ eager: true }) as unknown as typeof rec).resyncFollows);
      rec.resyncFollows = new Proxy({}, { get: (_t, key) => load()[key as string] });
    }
    // Stop after MAX_SYNTAX_ERRORS errors. Chevrotain's recovery inside a repetition recurses
    // once per recovered error, so unbounded garbage would overflow the stack (and take time
    // quadratic in its length); past this many errors, more are of no use to anyone.
    // SAVE_ERROR is Chevrotain's (untyped) hook through which every recorded error passes.
    const self = this as unknown as { SAVE_ERROR(e: IRecognitionException): IRecognitionException };
    const save = self.SAVE_ERROR.bind(this);
    self.SAVE_ERROR = (e) => {
      const saved = save(e);
      if (this.errors.length >= MAX_SYNTAX_ERRORS) throw new TooManySyntaxErrors();
      return saved;
    };
  }

  public program = this.RULE('program', () => {
    this.MANY(() => {
      this.SUBRULE(this.item);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
  });

  public item = this.RULE('item', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.extendsDecl) },
        { ALT: () => this.SUBRULE(this.dataDecl) },
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.paramDecl) },
        { ALT: () => this.SUBRULE(this.netDecl) },
        { ALT: () => this.SUBRULE(this.blockOrOverride) },
        { ALT: () => this.SUBRULE(this.trainBlock) },
      ],
      ERR_MSG: 'a declaration (data, const, param, net, model, guide, train or extends)',
    });
  });

  public extendsDecl = this.RULE('extendsDecl', () => {
    this.CONSUME(T.Extends);
    this.CONSUME(T.StringLit);
  });

  public dataDecl = this.RULE('dataDecl', () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => this.CONSUME(T.Question));
  });

  public constDecl = this.RULE('constDecl', () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  public paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expr);
    });
  });

  public netDecl = this.RULE('netDecl', () => {
    this.CONSUME(T.Net);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.netInputs);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.netOutputs);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  public netInputs = this.RULE('netInputs', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.typeExpr);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.typeExpr);
          });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE3(this.typeExpr) },
    ]);
  });

  public netOutputs = this.RULE('netOutputs', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.namedType);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.namedType);
          });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.typeExpr) },
    ]);
  });

  public namedType = this.RULE('namedType', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  public typeExpr = this.RULE('typeExpr', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.OPTION2(() => this.CONSUME(T.DotDot));
      this.SUBRULE(this.expr);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expr);
      });
      this.CONSUME(T.RBracket);
    });
  });

  /** `model { ... }`, `guide { ... }`, or a site override `model.z ~ ...` (for `extends`). */
  public blockOrOverride = this.RULE('blockOrOverride', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Model) }, { ALT: () => this.CONSUME(T.Guide) }]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.MANY(() => {
            this.SUBRULE(this.stmt);
            this.OPTION(() => this.CONSUME(T.Semicolon));
          });
          this.CONSUME(T.RBrace);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.SUBRULE(this.siteStmt);
        },
      },
    ]);
  });

  public stmt = this.RULE('stmt', () => {
    this.OR({
      DEF: [{ ALT: () => this.SUBRULE(this.letStmt) }, { ALT: () => this.SUBRULE(this.forStmt) }, { ALT: () => this.SUBRULE(this.siteStmt) }],
      ERR_MSG: "a site ('name ~ Distribution(...)'), 'let' or 'for'",
    });
  });

  /** `for t in 0..T { ... }`: the statements repeated over a time axis. */
  public forStmt = this.RULE('forStmt', () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.additive);
    this.CONSUME(T.DotDot);
    this.SUBRULE2(this.additive);
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.stmt);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RBrace);
  });

  public letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  public siteStmt = this.RULE('siteStmt', () => {
    this.CONSUME(T.Identifier);
    this.OPTION2(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE2(this.expr);
      this.CONSUME(T.RBracket);
    });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.CONSUME(T.Tilde);
    this.SUBRULE(this.expr);
    this.MANY(() => this.SUBRULE(this.annotation));
  });

  public annotation = this.RULE('annotation', () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => this.SUBRULE(this.args));
      this.CONSUME(T.RParen);
    });
  });

  public trainBlock = this.RULE('trainBlock', () => {
    this.CONSUME(T.Train);
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.trainEntry);
      this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
    this.CONSUME(T.RBrace);
  });

  /** `key: value...`; the values run until the next `name:` or the closing brace. */
  public trainEntry = this.RULE('trainEntry', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.AT_LEAST_ONE({
      GATE: () => !(this.LA(1).tokenType === T.Identifier && this.LA(2).tokenType === T.Colon),
      DEF: () => this.SUBRULE(this.expr),
      ERR_MSG: 'a value',
    });
  });

  public expr = this.RULE('expr', () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.additive);
    });
  });

  public additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.multiplicative);
    });
  });

  public multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      this.SUBRULE2(this.unary);
    });
  });

  public unary = this.RULE('unary', () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Minus);
            this.SUBRULE(this.unary);
          },
        },
        { ALT: () => this.SUBRULE(this.postfix) },
      ],
      ERR_MSG: 'an expression',
    });
  });

  public postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.Identifier);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.OPTION(() => this.SUBRULE(this.args));
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expr);
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
  });

  public primary = this.RULE('primary', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLit) },
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => this.CONSUME(T.Identifier) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expr);
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.OPTION(() => {
              this.SUBRULE2(this.expr);
              this.MANY(() => {
                this.CONSUME(T.Comma);
                this.SUBRULE3(this.expr);
              });
            });
            this.CONSUME(T.RBracket);
          },
        },
      ],
      ERR_MSG: 'an expression',
    });
  });

  public args = this.RULE('args', () => {
    this.SUBRULE(this.arg);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.arg);
    });
  });

  public arg = this.RULE('arg', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Colon,
      DEF: () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Colon);
      },
    });
    this.SUBRULE(this.expr);
  });
}

/** One parser instance is enough: Chevrotain parsers are reusable via `.input = tokens`. */
export const vaeParser = new VaeParser();
