/**
 * Principal components in plain JS for projecting latent codes to 2-D: the d x d covariance of
 * the centred rows (float64), its top two eigenvectors by orthogonal (subspace) iteration, and
 * the share of the total variance each explains. Signs are fixed (largest component positive)
 * so the same data always gives the same picture.
 */

export interface Projection {
  /** [n * 2] row-major: the coordinates of each row on the two components. */
  readonly points: Float64Array;
  /** Fraction of the total variance along each component. */
  readonly explained: readonly [number, number];
}

function covariance(rows: Float32Array, n: number, d: number): { cov: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = rows[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b]! += (c[a]! * c[b]!) / Math.max(1, n - 1);
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  return { cov, mean };
}

/** Gram-Schmidt on two column vectors u, v (in place); zero vectors are replaced by unit axes. */
function orthonormalize(u: Float64Array, v: Float64Array): void {
  const norm = (x: Float64Array, axis: number) => {
    const s = Math.hypot(...x);
    if (s > 1e-300) for (let i = 0; i < x.length; i++) x[i]! /= s;
    else x.fill(0).set([1], Math.min(axis, x.length - 1));
  };
  norm(u, 0);
  let dot = 0;
  for (let i = 0; i < u.length; i++) dot += u[i]! * v[i]!;
  for (let i = 0; i < u.length; i++) v[i]! -= dot * u[i]!;
  norm(v, 1);
}

function multiply(m: Float64Array, x: Float64Array, d: number): Float64Array<ArrayBuffer> {
  const y = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let b = 0; b < d; b++) s += m[a * d + b]! * x[b]!;
    y[a] = s;
  }
  return y;
}

/** The top two eigenvectors of a symmetric d x d matrix (d >= 2), with their eigenvalues. */
export function topTwoEigen(m: Float64Array, d: number, iterations = 2000): { vectors: [Float64Array, Float64Array]; values: [number, number] } {
  let u = Float64Array.from({ length: d }, (_, i) => 1 / (i + 1));
  let v = Float64Array.from({ length: d }, (_, i) => (i % 2 === 0 ? 1 : -1) / (i + 2));
  orthonormalize(u, v);
  for (let it = 0; it < iterations; it++) {
    const nu = multiply(m, u, d);
    const nv = multiply(m, v, d);
    orthonormalize(nu, nv);
    let change = 0;
    for (let i = 0; i < d; i++) change = Math.max(change, Math.abs(Math.abs(nu[i]!) - Math.abs(u[i]!)), Math.abs(Math.abs(nv[i]!) - Math.abs(v[i]!)));
    u = nu;
    v = nv;
    if (change < 1e-12) break;
  }
  const rayleigh = (x: Float64Array) => multiply(m, x, d).reduce((s, y, i) => s + y * x[i]!, 0);
  let [lu, lv] = [rayleigh(u), rayleigh(v)];
  if (lv > lu) [u, v, lu, lv] = [v, u, lv, lu];
  for (const x of [u, v]) {
    const big = x.reduce((k, val, i) => (Math.abs(val) > Math.abs(x[k]!) ? i : k), 0);
    if (x[big]! < 0) for (let i = 0; i < d; i++) x[i] = -x[i]!;
  }
  return { vectors: [u, v], values: [lu, lv] };
}

/** Projects n rows of d >= 2 numbers on their first two principal components. */
export function pca2(rows: Float32Array, n: number, d: number): Projection {
  const { cov, mean } = covariance(rows, n, d);
  const { vectors: [u, v], values } = topTwoEigen(cov, d);
  let total = 0;
  for (let j = 0; j < d; j++) total += cov[j * d + j]!;
  const points = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < d; j++) {
      const c = rows[i * d + j]! - mean[j]!;
      a += c * u[j]!;
      b += c * v[j]!;
    }
    points[2 * i] = a;
    points[2 * i + 1] = b;
  }
  const share = (x: number) => (total > 0 ? Math.max(0, x) / total : 0);
  return { points, explained: [share(values[0]), share(values[1])] };
}
