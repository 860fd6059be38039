/**
 * The checker's state: collected diagnostics (Langium-style `accept`, never throw), the global
 * declarations and the side tables. Passed explicitly to the check functions.
 */
import type * as A from './ast';
import type { CallTarget, DataInfo, NetInfo, ParamInfo, Ref } from './checked';
import { problem, type DiagCode, type Diagnostic, type Label, type ProblemData } from './diagnostics';
import type { SourceSet, Span } from './source';
import { ERROR_TYPE, formatType, type ExprType, type TensorType } from './types';

export interface LetBinding {
  readonly kind: 'let';
  readonly stmt: A.LetStmt;
  readonly type: ExprType;
  readonly deps: ReadonlySet<string>;
}

export interface SiteBinding {
  readonly kind: 'site';
  readonly name: string;
  readonly span: Span;
  readonly type: TensorType;
  readonly latent: boolean;
}

export type LocalBinding = LetBinding | SiteBinding;

/** Names visible inside a block, plus what is defined later (for "used before defined"). */
export interface Scope {
  readonly block: A.BlockName;
  readonly locals: Map<string, LocalBinding>;
  /** Every name the block defines, with where, including those not reached yet. */
  readonly later: ReadonlyMap<string, Span>;
  /** Sites written with a step index (`z[t] ~ ...`) and their steps: `z` alone is not a value. */
  readonly sequences?: ReadonlyMap<string, readonly number[]>;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly consts = new Map<string, { value: number; decl: A.ConstDecl }>();
  readonly data = new Map<string, DataInfo>();
  readonly params = new Map<string, ParamInfo>();
  readonly nets = new Map<string, NetInfo>();
  readonly types = new Map<A.Expr, ExprType>();
  readonly calls = new Map<A.CallExpr, CallTarget>();
  readonly refs = new Map<A.NameExpr, Ref>();
  /** Data names used anywhere (for the unused-data warning). */
  readonly usedData = new Set<string>();
  /** Data names that have a site in the model (observed there). */
  readonly modelledData = new Set<string>();
  /** Names whose declaration had an error: uses are silent (no cascades). */
  readonly broken = new Set<string>();
  private readonly reportedAt = new Set<string>();

  constructor(readonly sources: SourceSet) {}

  /** Reports a problem given as data (the message and hint are rendered from it, problems/). */
  report(code: DiagCode, data: ProblemData, primary: Label, extra: { secondary?: Label[] } = {}): void {
    // The steps of a `for` loop are checked one copy at a time: a problem in its body is reported once.
    const key = `${code}@${primary.span.file}:${primary.span.start}:${primary.span.end}`;
    if (this.reportedAt.has(key)) return;
    this.reportedAt.add(key);
    this.diagnostics.push(problem(code, data, primary, extra));
  }

  /** Reports a problem given as data and returns the error type, to stop cascades in the caller. */
  reject(code: DiagCode, data: ProblemData, span: Span, secondary?: Label[]): ExprType {
    this.report(code, data, { span }, secondary ? { secondary } : {});
    return ERROR_TYPE;
  }

  /** Where a global name is declared, if anywhere. */
  globalSpan(name: string): Span | undefined {
    return this.consts.get(name)?.decl.name.span ?? this.data.get(name)?.decl.name.span ?? this.params.get(name)?.decl.name.span ?? this.nets.get(name)?.decl.name.span;
  }
}

/** What typing an expression needs: the checker state, the block scope, the model's latents. */
export interface ExprEnv {
  readonly ctx: CheckContext;
  /** null outside model/guide blocks (const and param initializers, net bodies). */
  readonly scope: Scope | null;
  /** Latent site names of the model, to explain why the guide cannot read them. */
  readonly modelLatents: ReadonlySet<string>;
}

/** Types a sub-expression (check-expr's checkExpr, passed down so callees need not import it). */
export type SubCheck = (e: A.Expr) => ExprType;

/** Narrows a type to a numeric tensor, reporting records, distributions and class indices. */
export function valueOf(env: ExprEnv, t: ExprType, e: A.Expr): TensorType | undefined {
  const { ctx } = env;
  switch (t.kind) {
    case 'tensor':
      return t;
    case 'error':
      return undefined;
    case 'record':
      ctx.reject('VAE312', { kind: 'net-outputs-not-picked', net: t.net, fields: [...t.fields.keys()] }, e.span);
      return undefined;
    case 'dist':
      ctx.reject('VAE311', { kind: 'distribution-not-value', family: t.spec.name }, e.span);
      return undefined;
    default:
      ctx.reject('VAE312', { kind: 'not-a-tensor', found: t.kind === 'list' || t.kind === 'string' ? t.kind : 'other', shown: formatType(t) }, e.span);
      return undefined;
  }
}
