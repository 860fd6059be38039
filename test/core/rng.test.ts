import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';

describe('Rng', () => {
  it('is deterministic per path and distinct across paths', () => {
    const r = Rng.fromSeed(7);
    expect(r.fold(1).fold(2).seed()).toBe(Rng.fromSeed(7).fold(1).fold(2).seed());
    expect(r.fold(1).seed()).not.toBe(r.fold(2).seed());
    expect(r.fold(1).fold(2).seed()).not.toBe(r.fold(2).fold(1).seed());
    expect(Rng.fromSeed(7).seed()).not.toBe(Rng.fromSeed(8).seed());
  });

  it('round-trips through its state', () => {
    const r = Rng.fromSeed(123).fold(9);
    expect(Rng.fromState(r.state()).seed()).toBe(r.seed());
  });

  it('gives uniforms with mean 1/2 and variance 1/12', () => {
    const u = Rng.fromSeed(1).uniforms();
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const x = u();
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      s += x;
      s2 += x * x;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const mean = s / n;
    // standard error of the mean: sqrt(1/12 / n) = 0.00091; 5 SE = 0.0046
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    const variance = s2 / n - mean * mean;
    // var of U^2 is 4/45 - 1/9 = 0.00556 -> SE of the variance ~ sqrt(1/180/n) = 0.00024; 5 SE = 0.0012
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0012);
  });
});
