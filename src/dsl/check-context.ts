/**
 * The checker's state: collected diagnostics (Langium-style `accept`, never throw), the global
 * declarations and the side tables. Passed explicitly to the check functions.
 */
import type * as A from './ast';
import type { CallTarget, DataInfo, NetInfo, ParamInfo, Ref } from './checked';
import { diag, type DiagCode, type Diagnostic, type Label } from './diagnostics';
import type { SourceSet, Span } from './source';
import { ERROR_TYPE, type ExprType, type TensorType } from './types';

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

  constructor(readonly sources: SourceSet) {}

  accept(code: DiagCode, message: string, primary: Label, extra: { hint?: string | undefined; secondary?: Label[] } = {}): void {
    this.diagnostics.push(diag(code, message, primary, extra));
  }

  /** Reports and returns the error type, to stop cascades in the caller. */
  fail(code: DiagCode, message: string, span: Span, hint?: string, secondary?: Label[]): ExprType {
    this.accept(code, message, { span }, { hint, ...(secondary ? { secondary } : {}) });
    return ERROR_TYPE;
  }

  /** Where a global name is declared, if anywhere. */
  globalSpan(name: string): Span | undefined {
    return this.consts.get(name)?.decl.name.span ?? this.data.get(name)?.decl.name.span ?? this.params.get(name)?.decl.name.span ?? this.nets.get(name)?.decl.name.span;
  }
}
