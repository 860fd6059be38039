/**
 * Value kinds: the element types of the `.vae` language and the supports and parameter
 * constraints of distributions. One vocabulary, shared by the checker, the runtime and the docs.
 *
 *   Real       any float                      Positive   x > 0
 *   Unit       0 <= x <= 1                     Binary     x in {0, 1}
 *   Count      an integer x >= 0               Simplex    last axis sums to 1, >= 0
 *   OneHot     a one-hot last axis             Category   an integer class index 0..k-1
 *   LowerCholesky  a lower-triangular matrix [..., d, d] with a positive diagonal
 *   (Category[k] has shape [] per example.)
 *
 * Subtyping (a value of the left kind may be used where the right one is expected):
 *   Binary <= Unit <= Real,  Positive <= Real,  OneHot <= Simplex <= Unit,  OneHot <= Binary,
 *   Binary <= Count <= Real,  LowerCholesky <= Real.
 */
export const VALUE_KINDS = ['Real', 'Positive', 'Unit', 'Binary', 'Count', 'Simplex', 'OneHot', 'Category', 'LowerCholesky'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

const PARENTS: Record<ValueKind, readonly ValueKind[]> = {
  Real: [],
  Positive: ['Real'],
  Unit: ['Real'],
  Binary: ['Unit', 'Count'],
  Count: ['Real'],
  Simplex: ['Unit'],
  OneHot: ['Simplex', 'Binary'],
  Category: [],
  LowerCholesky: ['Real'],
};

/** True when every value of kind `a` is also a value of kind `b`. */
export function isSubKind(a: ValueKind, b: ValueKind): boolean {
  if (a === b) return true;
  return PARENTS[a].some((p) => isSubKind(p, b));
}

/** The least kind containing both (used for `if`-free joins such as arithmetic results). */
export function joinKinds(a: ValueKind, b: ValueKind): ValueKind | undefined {
  if (isSubKind(a, b)) return b;
  if (isSubKind(b, a)) return a;
  for (const k of VALUE_KINDS) if (isSubKind(a, k) && isSubKind(b, k)) return k;
  return undefined;
}

/** Kinds whose last axis is a class axis of length k (shape `[..., k]`). */
export function hasClassAxis(k: ValueKind): boolean {
  return k === 'Simplex' || k === 'OneHot';
}

/** Discrete kinds: their values cannot carry a reparameterized gradient. */
export function isDiscreteKind(k: ValueKind): boolean {
  return k === 'Binary' || k === 'Count' || k === 'OneHot' || k === 'Category';
}

/** Checks one number against an elementwise kind (for literals and `param` initial values). */
export function numberSatisfies(kind: ValueKind, x: number): boolean {
  switch (kind) {
    case 'Real':
      return Number.isFinite(x);
    case 'Positive':
      return x > 0 && Number.isFinite(x);
    case 'Unit':
      return x >= 0 && x <= 1;
    case 'Binary':
      return x === 0 || x === 1;
    case 'Category':
    case 'Count':
      return Number.isInteger(x) && x >= 0;
    case 'Simplex':
    case 'OneHot':
    case 'LowerCholesky':
      return false;
  }
}

/**
 * How an unconstrained real becomes a value of a kind: the output transform of a net output and
 * the constraining map of a learnable `param`. This is the one place "Positive => softplus" is
 * written; the checker records the transform (NetInfo, ParamInfo) and the runtime applies it
 * (inference/transforms.ts).
 */
export type Transform = 'identity' | 'softplus' | 'sigmoid' | 'softmax';

/** The transform onto `kind`, or undefined when no smooth map onto it exists (discrete kinds). */
export function transformOnto(kind: ValueKind): Transform | undefined {
  switch (kind) {
    case 'Real':
      return 'identity';
    case 'Positive':
      return 'softplus';
    case 'Unit':
      return 'sigmoid';
    case 'Simplex':
      return 'softmax';
    default:
      return undefined;
  }
}
