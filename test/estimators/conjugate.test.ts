/**
 * The reported variances on the conjugate Gaussian match their closed forms.
 *
 *   model  z ~ N(0, 1),  x | z ~ N(z, 1)        guide  q(z) = N(m, s²),  s = exp(logs)
 *
 * at x = 1.5, m = 0.5, logs = −½, one example per draw (B = 1). With z = m + sε, d = x − 2m and
 * e = x − m, each single-sample estimate is a polynomial in ε ~ N(0, 1):
 *  reparam (the plan's analytic KL for Normal–Normal):  f = log p(x|z) − KL = A + s·e·ε − ½s²ε²
 *    g_m    = d − sε                           Var = s²
 *    g_logs = 1 − s² + s·e·ε − s²ε²            Var = s²e² + 2s⁴
 *  stl (Roeder et al. 2017; sampled KL, log q at detached parameters):
 *    g_m    = d − 2sε + ε/s                    Var = (1/s − 2s)²
 *    g_logs = s·d·ε + (1 − 2s²)ε²              Var = s²d² + 2(1 − 2s²)²
 *  score (Williams 1992; analytic KL; learning signal f − b):
 *    g_m    = −m + (ε/s)(f − b)
 *    g_logs = 1 − s² + (ε² − 1)(f − b)
 *  with A = −½log2π − KL − ½e², KL = ½(m² + s² − 1) − logs; b = 0 for `score`, and for
 *  `score+baseline` the constant the tool reports (its warm-up estimate of E[f] = A − ½s²).
 * (Derivations: test/inference/conjugate.test.ts.)
 *
 * Tolerance: the sample variance of S i.i.d. draws has SE = sqrt((μ4 − σ⁴)/S) = σ²·sqrt((κ − 1)/S),
 * the chi-square rule σ²·sqrt(2/S) for the Gaussian g_m of reparam and stl, and the exact fourth
 * moment of the polynomial otherwise: κ = 11 and 13 for g_logs of reparam and stl, 12 and 101
 * for score, 53 and 272 for score+baseline (products of Gaussian polynomials are heavy-tailed).
 * We allow 5 SE; with S = 40000 that is 3.5 % of σ² for a Gaussian estimate, 16 % at κ = 11 and
 * 41 % at κ = 272.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Program } from '../../src/api';
import { measure } from '../../src/estimators/measure';
import { planSpec } from '../../src/estimators/planning';
import { parseSpec } from '../../src/estimators/spec';
import type { Batch } from '../../src/inference/execute';
import { TEST_SEED } from '../helpers/seed';
import { note, polyAdd, polyMean, polyMul, polyScale, polyVar, polyVarSe, type Poly } from './helpers';

const X = 1.5;
const M = 0.5;
const LOGS = -0.5;
const S_ = Math.exp(LOGS);
const d = X - 2 * M;
const e = X - M;
const KL = 0.5 * (M * M + S_ * S_ - 1) - LOGS;
const A = -0.5 * Math.log(2 * Math.PI) - KL - 0.5 * e * e;
const F_AN: Poly = [A, S_ * e, -0.5 * S_ * S_];
const EPS: Poly = [0, 1];
const EPS2M1: Poly = [-1, 0, 1];

const SOURCE = `data x: Real
param m: Real = ${M}
param logs: Real = ${LOGS}
model { z ~ Normal(0, 1)
        x ~ Normal(z, 1) }
guide { z ~ Normal(m, exp(logs)) }`;

const DRAWS = 40000;

function estimates(kind: string, b: number): { m: Poly; logs: Poly } {
  switch (kind) {
    case 'reparam':
      return { m: [d, -S_], logs: [1 - S_ * S_, S_ * e, -S_ * S_] };
    case 'stl':
      return { m: [d, 1 / S_ - 2 * S_], logs: [0, S_ * d, 1 - 2 * S_ * S_] };
    default: {
      const signal = polyAdd(F_AN, [-b]);
      return { m: polyAdd([-M], polyScale(polyMul(EPS, signal), 1 / S_)), logs: polyAdd([1 - S_ * S_], polyMul(EPS2M1, signal)) };
    }
  }
}

describe('estimators on the conjugate Gaussian: variances against closed forms', () => {
  let prog: Program;
  let x: tf.Tensor1D;
  let batch: Batch;
  beforeAll(() => {
    prog = compile(SOURCE, { name: 'conjugate.vae' });
    x = tf.tensor1d([X]);
    batch = prog.batch({ x });
  });
  afterAll(() => {
    x.dispose();
    prog.dispose();
  });

  it.each(['reparam', 'stl', 'score', 'score+baseline'])('%s', (text) => {
    const planned = planSpec(prog.checked, parseSpec(text), 'conjugate.vae');
    const before = tf.memory().numTensors;
    const r = measure(prog, batch, planned, { draws: DRAWS, seed: TEST_SEED });
    expect(tf.memory().numTensors).toBe(before); // tidy: no tensor outlives the measurement
    expect(r.vectorized).toBe(true);
    const b = r.baselines['z'] ?? 0;
    if (text === 'score+baseline') {
      // the warm-up estimate of E[f] = A − ½s²: 50 draws, sd(f) ≈ 0.67, so within ±0.5 easily
      expect(Math.abs(b - polyMean(F_AN))).toBeLessThan(0.5);
    }
    const exact = estimates(text.replace('+baseline', ''), b);
    for (const v of ['m', 'logs'] as const) {
      const mo = r.moments.get(`param.${v}`)!;
      const p = exact[v];
      const se = polyVarSe(p, DRAWS);
      note(`conjugate ${text} d/d${v}: var`, mo.variance(0), 'exact', polyVar(p), 'SE', se, 'mean', mo.mean[0], 'exact', polyMean(p));
      expect(Math.abs(mo.variance(0) - polyVar(p))).toBeLessThan(5 * se);
      // the mean too: SE(mean) = σ/√S
      expect(Math.abs(mo.mean[0]! - polyMean(p))).toBeLessThan(5 * Math.sqrt(polyVar(p) / DRAWS));
    }
  });

  it('the loop and the vectorized draws agree in distribution (reparam, 2000 draws each)', () => {
    // Var g_m = s² = 0.368; each sample variance has SE ≈ s²·sqrt(2/2000) = 0.0116; the
    // difference of two independent ones 0.0165; allow 5 of those.
    const planned = planSpec(prog.checked, parseSpec('reparam'), 'conjugate.vae');
    const a = measure(prog, batch, planned, { draws: 2000, seed: TEST_SEED, mode: 'loop' });
    const v = measure(prog, batch, planned, { draws: 2000, seed: TEST_SEED + 1, mode: 'vectorized' });
    expect(a.vectorized).toBe(false);
    const va = a.moments.get('param.m')!.variance(0);
    const vv = v.moments.get('param.m')!.variance(0);
    note('loop vs vectorized var g_m:', va, vv, 'exact', S_ * S_);
    expect(Math.abs(va - vv)).toBeLessThan(5 * Math.SQRT2 * S_ * S_ * Math.sqrt(2 / 2000));
    expect(Math.abs(va - S_ * S_)).toBeLessThan(5 * S_ * S_ * Math.sqrt(2 / 2000));
  });
});
