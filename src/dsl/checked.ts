/**
 * What the checker produces for the compiler: declarations resolved to typed infos, one
 * SiteInfo per `~` statement, and side tables keyed by AST node (types, call targets, name
 * references). Nothing here is written onto AST nodes.
 */
import type { Transform } from '../distributions/constraints';
import type { FamilySchema } from '../distributions/schema';
import type * as A from './ast';
import type { NetBody } from './net-bodies';
import type { SourceSet } from './source';
import type { ResolvedTrain } from './train-config';
import type { ExprType, Shape, TensorType } from './types';

export type Observed = 'no' | 'yes' | 'partial';

export interface SiteInfo {
  /** Dense index over all sites (model first, then guide), for keying handlers and RNG streams. */
  readonly id: number;
  /** The site's address: its name, or for one step of a sequence the name and step, `z[3]`. */
  readonly name: string;
  /** One step of a sequence (`z[t] ~ ...` in a `for` loop): the site identity `z` and the step. */
  readonly step?: { readonly base: string; readonly index: number; readonly upTo?: string };
  readonly block: A.BlockName;
  readonly stmt: A.SiteStmt;
  readonly call: A.CallExpr;
  readonly spec: FamilySchema;
  /** The distribution's arguments bound to parameter names. */
  readonly args: ReadonlyMap<string, DistArg>;
  /** The event shape. */
  readonly shape: Shape;
  readonly type: TensorType;
  readonly observed: Observed;
  /** Latent (or partially observed) sites whose values this site's distribution depends on. */
  readonly deps: ReadonlySet<string>;
}

/** An argument of a distribution call, bound to its parameter by the checker. */
export interface DistArg {
  readonly expr: A.Expr;
  /** Its static event rank (the rank of its type's shape). */
  readonly rank: number;
  /**
   * The event rank the runtime pads it to before building the distribution: the site's rank
   * plus the parameter's own trailing axes (schema.ts paramRank), e.g. siteRank + 1 for
   * Categorical's logits.
   */
  readonly target: number;
}

export interface NetInfo {
  readonly name: string;
  readonly decl: A.NetDecl;
  readonly inputs: readonly TensorType[];
  /** Outputs with the transform from the net's unconstrained head onto their type. */
  readonly outputs: readonly { readonly name: string | null; readonly type: TensorType; readonly transform: Transform }[];
  readonly body: NetBody;
  /** A recurrent net over the time axis of a sequence declared `[..T, ...]`: the bound T (it stops at each example's length). */
  readonly upTo?: string;
}

export interface ParamInfo {
  readonly name: string;
  readonly decl: A.ParamDecl;
  readonly type: TensorType;
  /** The map from the unconstrained variable onto the type (the variable starts at its inverse of init). */
  readonly transform: Transform;
  readonly init: number;
  /** `= Normal(a, b)` / `= Uniform(a, b)`: every element starts at its own draw instead of `init`. */
  readonly draw?: { readonly family: 'Normal' | 'Uniform'; readonly a: number; readonly b: number };
}

export interface DataInfo {
  readonly name: string;
  readonly decl: A.DataDecl;
  readonly type: TensorType;
  /** `Category[k]?`: the label is latent where it is missing (-1 or NaN). */
  readonly partial: boolean;
  /** `?` on any other kind: NaN marks a missing entry, left out of the likelihood elementwise. */
  readonly masked: boolean;
  /**
   * `Real[..T, D]`: sequences of up to `max` steps (the const `bound`, T), each example with its
   * own length (trailing steps all NaN are padding); null for data of fixed shape.
   */
  readonly upTo: { readonly bound: string; readonly max: number } | null;
}

/** One layer of `Flow(base, [...])`. */
export interface FlowLayerDecl {
  readonly kind: 'planar' | 'radial' | 'iaf' | 'coupling';
  /** Hidden widths of IAF/coupling nets (null: the layer's default). */
  readonly hidden: readonly number[] | null;
  /** IAF context (per example), e.g. `q.h`. */
  readonly context: A.Expr | null;
  /** Amortized planar/radial parameters by name (empty: global learnable parameters). */
  readonly amortized: ReadonlyMap<string, A.Expr>;
  readonly call: A.CallExpr;
}

export type CallTarget =
  | { readonly kind: 'net'; readonly net: string; readonly output: string | null }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'dist'; readonly spec: FamilySchema; readonly args: ReadonlyMap<string, DistArg> }
  | { readonly kind: 'flow'; readonly base: A.Expr; readonly layers: readonly FlowLayerDecl[] }
  | { readonly kind: 'vamp'; readonly net: string; readonly k: number }
  | { readonly kind: 'mixture'; readonly k: number };

export type Ref =
  | { readonly kind: 'let'; readonly stmt: A.LetStmt }
  | { readonly kind: 'site'; readonly name: string }
  | { readonly kind: 'data'; readonly name: string }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'param'; readonly name: string };

export interface BlockInfo {
  readonly decl: A.BlockDecl | null;
  /** The block's statements with `for` loops unrolled (src/dsl/unroll.ts). */
  readonly stmts: readonly A.FlatStmt[];
  readonly sites: readonly SiteInfo[];
}

export interface CheckedProgram {
  readonly program: A.Program;
  readonly sources: SourceSet;
  readonly consts: ReadonlyMap<string, number>;
  readonly data: readonly DataInfo[];
  readonly params: readonly ParamInfo[];
  readonly nets: readonly NetInfo[];
  readonly model: BlockInfo;
  readonly guide: BlockInfo;
  readonly types: ReadonlyMap<A.Expr, ExprType>;
  readonly calls: ReadonlyMap<A.CallExpr, CallTarget>;
  readonly refs: ReadonlyMap<A.NameExpr, Ref>;
  readonly train: ResolvedTrain;
  /** The f of `objective: minimize(f)` / `maximize(f)`, typed in the guide's scope. */
  readonly objectiveExpr: A.Expr | null;
}

export function siteByName(block: BlockInfo, name: string): SiteInfo | undefined {
  return block.sites.find((s) => s.name === name);
}

/** Model sites that are not fully observed: these need guide sites. */
export function latentModelSites(p: CheckedProgram): SiteInfo[] {
  return p.model.sites.filter((s) => s.observed !== 'yes');
}
