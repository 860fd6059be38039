/**
 * The abstract syntax tree: plain data with spans, no behaviour. Nodes are discriminated on
 * `kind`. Checker results live in side tables keyed by node (never written onto nodes), so the
 * tree can be frozen and rewritten with immer (`extends` overrides, `--set`).
 * A node whose parse was incomplete (after a recovered syntax error) is `{kind: 'error'}`.
 */
import type { Span } from './source';

export interface Name {
  readonly text: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

export interface NumberExpr {
  readonly kind: 'number';
  readonly value: number;
  /** Set where a `for` loop's variable was replaced by its value at one step (src/dsl/unroll.ts). */
  readonly loopVar?: string;
  readonly span: Span;
}
export interface StringExpr {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}
export interface NameExpr {
  readonly kind: 'name';
  readonly name: string;
  readonly span: Span;
}
export interface Arg {
  readonly name: Name | null;
  readonly value: Expr;
  readonly span: Span;
}
export interface CallExpr {
  readonly kind: 'call';
  readonly callee: Expr;
  readonly args: readonly Arg[];
  readonly span: Span;
}
export interface FieldExpr {
  readonly kind: 'field';
  readonly target: Expr;
  readonly field: Name;
  readonly span: Span;
}
export type BinaryOp = '+' | '-' | '*' | '/';
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}
export interface NegExpr {
  readonly kind: 'neg';
  readonly operand: Expr;
  readonly span: Span;
}
export interface ListExpr {
  readonly kind: 'list';
  readonly items: readonly Expr[];
  readonly span: Span;
}
/** `a -> b`, used by schedules such as `anneal(0 -> 1, epochs: 10)`. */
export interface ArrowExpr {
  readonly kind: 'arrow';
  readonly from: Expr;
  readonly to: Expr;
  readonly span: Span;
}
/** `mus[y]`, `x[t]`, `z[t - 1]`: one entry of the first axis of a value. */
export interface IndexExpr {
  readonly kind: 'index';
  readonly target: Expr;
  readonly index: Expr;
  readonly span: Span;
}
export interface ErrorExpr {
  readonly kind: 'error';
  readonly span: Span;
}
export type Expr = NumberExpr | StringExpr | NameExpr | CallExpr | FieldExpr | IndexExpr | BinaryExpr | NegExpr | ListExpr | ArrowExpr | ErrorExpr;

// ---------------------------------------------------------------- types

/** `Real[784]`, `Category[10]`, `Positive` (no dims: a scalar). */
export interface TypeExpr {
  readonly kind: 'type';
  readonly name: Name;
  readonly dims: readonly Expr[];
  /** `Real[..T, D]`: the span of the `..` before the first dimension (a sequence of up to T steps); absent otherwise. */
  readonly upTo?: Span;
  readonly span: Span;
}

// ---------------------------------------------------------------- statements

export interface Annotation {
  readonly name: Name;
  readonly args: readonly Arg[];
  readonly span: Span;
}
export interface LetStmt {
  readonly kind: 'let';
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}
export interface SiteStmt {
  readonly kind: 'site';
  /** The site's name; in a statement unrolled from a `for` loop, its address, e.g. `z[3]`. */
  readonly name: Name;
  /** `z[t] ~ ...`: the step index as written (null for a site without steps). */
  readonly index?: Expr | null;
  /** Set on the copies a `for` loop unrolls into (src/dsl/unroll.ts): the site identity and its step. */
  readonly step?: SiteStep;
  readonly type: TypeExpr | null;
  readonly dist: Expr;
  readonly annotations: readonly Annotation[];
  readonly span: Span;
}
/** A site's identity plus its step: `z[3]` is `{ base: 'z', index: 3 }`. */
export interface SiteStep {
  readonly base: string;
  readonly index: number;
  /** The span of the index expression as written (`t - 1`), for diagnostics. */
  readonly indexSpan: Span;
  /**
   * The bound `T` of a data axis declared `[..T, ...]` when the step lies on that axis (a `for`
   * loop up to `T` writes it): the step counts for an example only before its length.
   */
  readonly upTo?: string;
}
/** `for t in 0..T { ... }`: the body repeated for t = from, ..., to - 1 (unrolled by the checker). */
export interface ForStmt {
  readonly kind: 'for';
  readonly variable: Name;
  readonly from: Expr;
  readonly to: Expr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}
export type Stmt = LetStmt | SiteStmt | ForStmt;
/** The statements a block holds after unrolling: lets and sites only. */
export type FlatStmt = LetStmt | SiteStmt;

// ---------------------------------------------------------------- declarations

export interface ExtendsDecl {
  readonly kind: 'extends';
  readonly path: string;
  readonly pathSpan: Span;
  readonly span: Span;
}
export interface DataDecl {
  readonly kind: 'data';
  readonly name: Name;
  readonly type: TypeExpr;
  /** `?`: observed where a value exists, latent where it is missing. */
  readonly partial: boolean;
  readonly span: Span;
}
export interface ConstDecl {
  readonly kind: 'const';
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}
export interface ParamDecl {
  readonly kind: 'param';
  readonly name: Name;
  readonly type: TypeExpr;
  readonly init: Expr | null;
  readonly span: Span;
}
export interface NetOutput {
  /** null for a net with a single unnamed output. */
  readonly name: Name | null;
  readonly type: TypeExpr;
}
export interface NetDecl {
  readonly kind: 'net';
  readonly name: Name;
  readonly inputs: readonly TypeExpr[];
  readonly outputs: readonly NetOutput[];
  readonly body: Expr;
  readonly span: Span;
}
export type BlockName = 'model' | 'guide';
export interface BlockDecl {
  readonly kind: 'block';
  readonly block: BlockName;
  readonly keywordSpan: Span;
  readonly stmts: readonly Stmt[];
  readonly span: Span;
}
/** `model.z ~ Laplace(0, 1)`: replaces (or, in a child file, re-declares) one site. */
export interface OverrideDecl {
  readonly kind: 'override';
  readonly block: BlockName;
  readonly site: SiteStmt;
  readonly span: Span;
}
export interface TrainEntry {
  readonly key: Name;
  readonly values: readonly Expr[];
  readonly span: Span;
}
export interface TrainDecl {
  readonly kind: 'train';
  readonly entries: readonly TrainEntry[];
  readonly span: Span;
}
export type Decl = ExtendsDecl | DataDecl | ConstDecl | ParamDecl | NetDecl | BlockDecl | OverrideDecl | TrainDecl;

export interface Program {
  readonly file: string;
  readonly decls: readonly Decl[];
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
