/** Small dense linear algebra in float64 for the zoo's closed-form references. */

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations; eigenvalues descending. */
export function symmetricEigen(A: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = A.length;
  const a = A.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        // The rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!, akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!, aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!, vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!);
  return { values: order.map((i) => a[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) };
}

/** Lower-triangular L with L L^T = A (A symmetric positive definite). */
export function cholesky(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: the matrix is not positive definite');
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  return L;
}

/** Mean over the rows of x ([n, d] row-major) of log N(x_r; mean, C). */
export function meanGaussianLogDensity(x: ArrayLike<number>, n: number, mean: readonly number[], C: readonly (readonly number[])[]): number {
  const d = mean.length;
  const L = cholesky(C);
  const logDet = 2 * L.reduce((a, row, i) => a + Math.log(row[i]!), 0);
  let quad = 0;
  const y = new Array<number>(d);
  for (let r = 0; r < n; r++) {
    // Solve L y = x_r − mean; the Mahalanobis term is |y|².
    for (let i = 0; i < d; i++) {
      let s = x[r * d + i]! - mean[i]!;
      for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
      y[i] = s / L[i]![i]!;
      quad += y[i]! * y[i]!;
    }
  }
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet) - (0.5 * quad) / n;
}

/** Sample mean and covariance (1/n normalization, the maximum-likelihood estimate) of [n, d] rows. */
export function sampleMoments(x: ArrayLike<number>, n: number, d: number): { mean: number[]; cov: number[][] } {
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i]! += x[r * d + i]! / n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      const a = x[r * d + i]! - mean[i]!;
      for (let j = i; j < d; j++) cov[i]![j]! += (a * (x[r * d + j]! - mean[j]!)) / n;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i]![j] = cov[j]![i]!;
  return { mean, cov };
}
