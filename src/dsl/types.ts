/**
 * Static types of expressions, kept in side tables by the checker. A tensor type is a value
 * kind plus an event shape (the per-example shape; batch, particle and enumeration axes are
 * implicit and never appear in static types).
 */
import type { ValueKind } from '../distributions/constraints';
import type { Shape } from '../core/shapes';
import { formatShape } from '../core/shapes';
import type { FamilySchema } from '../distributions/schema';

export type { Shape } from '../core/shapes';
export { formatShape, numel, sameShape } from '../core/shapes';

export interface TensorType {
  readonly kind: 'tensor';
  readonly vk: ValueKind;
  readonly shape: Shape;
  /** k for Category[k]: the number of classes. */
  readonly classes?: number;
  /** The value of a compile-time scalar (literals, consts and arithmetic on them). */
  readonly value?: number;
}

/** The named outputs of a net, e.g. `encoder(x)` with `(loc: Real[50], scale: Positive[50])`. */
export interface RecordType {
  readonly kind: 'record';
  readonly net: string;
  readonly fields: ReadonlyMap<string, TensorType>;
}

/** A distribution expression (only valid right after `~` or as an argument of another distribution). */
export interface DistType {
  readonly kind: 'dist';
  readonly spec: FamilySchema;
  /** The site shape implied by the arguments (before any declared type). */
  readonly shape: Shape;
  readonly classes?: number;
}

export interface ListType {
  readonly kind: 'list';
  readonly items: readonly ExprType[];
}

export interface StringType {
  readonly kind: 'string';
}

/** A flow layer such as `planar()`, used in `Flow(base, [...])`. */
export interface FlowLayerType {
  readonly kind: 'flow-layer';
  readonly layer: string;
}

/** The type of an expression that already produced a diagnostic: suppresses cascades. */
export interface ErrorType {
  readonly kind: 'error';
}

export type ExprType = TensorType | RecordType | DistType | ListType | StringType | FlowLayerType | ErrorType;

export const ERROR_TYPE: ErrorType = { kind: 'error' };

export function tensor(vk: ValueKind, shape: Shape, extra: { classes?: number; value?: number } = {}): TensorType {
  const t: TensorType = { kind: 'tensor', vk, shape };
  return { ...t, ...(extra.classes !== undefined ? { classes: extra.classes } : {}), ...(extra.value !== undefined ? { value: extra.value } : {}) };
}

/** `Real[784]`, `Category[10]`, `Positive` (scalar), `OneHot[10]`. */
export function formatTensorType(t: TensorType): string {
  if (t.vk === 'Category') return `Category[${t.classes ?? '?'}]${t.shape.length > 0 ? ` of shape ${formatShape(t.shape)}` : ''}`;
  return t.shape.length === 0 ? t.vk : `${t.vk}${formatShape(t.shape)}`;
}

/** A compile-time number as users read it: no `NaN` or `Infinity` in messages. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '0 / 0 (not a number)';
  if (!Number.isFinite(v)) return v > 0 ? 'infinity' : '-infinity';
  return String(v);
}

export function formatType(t: ExprType): string {
  switch (t.kind) {
    case 'tensor':
      return formatTensorType(t);
    case 'record':
      return `(${[...t.fields].map(([k, v]) => `${k}: ${formatTensorType(v)}`).join(', ')})`;
    case 'dist':
      return `a ${t.spec.name} distribution`;
    case 'list':
      return 'a list';
    case 'string':
      return 'a string';
    case 'flow-layer':
      return `a ${t.layer} flow layer`;
    case 'error':
      return 'an invalid expression';
  }
}
