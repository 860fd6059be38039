/**
 * Shared pieces of the estimator tests: exact moments of polynomials in ε ~ N(0, 1)
 * (test/helpers/gauss-poly.ts), the verbose-report printer and a recording Printer
 * (test/helpers/io.ts).
 */
export { captureIo, note } from '../helpers/io';
export { polyAdd, polyMean, polyMoments, polyMul, polyScale, polyVar, polyVarSe, varSe, type Poly } from '../helpers/gauss-poly';

/** The conjugate Gaussian with guide parameters m, logs and a model parameter c. */
export const CONJUGATE = `data x: Real
param m: Real = 0
param logs: Real = 0
param c: Real = 0
model { z ~ Normal(0, 1)
        x ~ Normal(z + c, 1) }
guide { z ~ Normal(m, exp(logs)) }`;
