import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_SEED } from '../helpers/seed';
import { axisFraction, formatLinearTicks, linearAxis, logAxis, logTicks, niceStep, niceTicks } from '../../src/plot/ticks';

describe('niceStep', () => {
  it('rounds up to 1-2-5 times a power of ten', () => {
    expect([0.7, 1, 1.2, 2, 2.1, 4.9, 5.1, 23, 0.013].map(niceStep)).toEqual([1, 1, 2, 2, 5, 5, 10, 50, 0.02]);
  });
});

describe('niceTicks', () => {
  it('covers [0.13, 9.7] with 0..10 by 2', () => {
    const t = niceTicks(0.13, 9.7);
    expect(t.values).toEqual([0, 2, 4, 6, 8, 10]);
    expect([t.min, t.max, t.step]).toEqual([0, 10, 2]);
  });

  it('prints fractional steps without float noise', () => {
    const t = niceTicks(0.1, 0.3, 6);
    expect(t.values).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(formatLinearTicks(t.values, t.step)).toEqual(['0.10', '0.15', '0.20', '0.25', '0.30']);
    expect(formatLinearTicks([0, 0.1, 0.2, 0.3], 0.1)).toEqual(['0', '0.1', '0.2', '0.3']);
  });

  it('keeps the ticks inside a padded range when snapping would waste the axis', () => {
    const t = niceTicks(-210, -95, 6);
    expect(t.values).toEqual([-200, -180, -160, -140, -120, -100]);
    expect(t.min).toBeLessThan(-210);
    expect(t.max).toBeGreaterThan(-95);
  });

  it('pads degenerate and non-finite ranges', () => {
    expect(niceTicks(5, 5).values).toEqual([4.5, 5, 5.5]);
    expect(niceTicks(0, 0).values).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(NaN, NaN).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('always gives at most maxTicks equally spaced 1-2-5 ticks spanning the data', () => {
    const finite = fc.double({ min: -1e9, max: 1e9, noNaN: true });
    fc.assert(fc.property(finite, finite, fc.integer({ min: 3, max: 12 }), (a, b, n) => {
      const lo = Math.min(a, b), hi = Math.max(a, b);
      const t = niceTicks(lo, hi, n);
      expect(t.values.length).toBeGreaterThanOrEqual(2);
      expect(t.values.length).toBeLessThanOrEqual(n);
      // (Up to rounding of the printed tick values.)
      expect(t.min).toBeLessThanOrEqual(lo + t.step * 1e-6);
      expect(t.max).toBeGreaterThanOrEqual(hi - t.step * 1e-6);
      const mant = t.step / 10 ** Math.floor(Math.log10(t.step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mant - m) < 1e-6)).toBe(true);
      for (let i = 1; i < t.values.length; i++) {
        expect((t.values[i] as number) - (t.values[i - 1] as number)).toBeCloseTo(t.step, 6);
      }
      for (const v of t.values) {
        expect(v).toBeGreaterThanOrEqual(t.min - t.step * 1e-6);
        expect(v).toBeLessThanOrEqual(t.max + t.step * 1e-6);
      }
    }), { numRuns: 300, seed: TEST_SEED });
  });

  it('gives -s, 0, s for a range around zero even when fewer are asked for', () => {
    expect(niceTicks(0, 0, 2).values).toEqual([-1, 0, 1]);
  });

  it('keeps a fixed range and returns the multiples inside it', () => {
    const t = niceTicks(1, 100, 6, true);
    expect([t.min, t.max]).toEqual([1, 100]);
    expect(t.values).toEqual([20, 40, 60, 80, 100]);
  });
});

describe('linearAxis labels', () => {
  it('switches to exponent form for very large and very small values', () => {
    expect(linearAxis(0, 3.2e7).ticks.map((t) => t.label)).toEqual(['0', '1e7', '2e7', '3e7', '4e7']);
    expect(linearAxis(0, 2.3e-5).ticks.map((t) => t.label)).toContain('1.5e-5');
  });
  it('has no negative zero and distinct labels', () => {
    const labels = linearAxis(-1, 1).ticks.map((t) => t.label);
    expect(labels).toContain('0');
    expect(labels).not.toContain('-0');
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('logTicks', () => {
  it('gives the powers of ten of [1, 10000]', () => {
    const t = logTicks(1, 10000);
    expect(t.ticks.map((x) => x.value)).toEqual([1, 10, 100, 1000, 10000]);
    expect(t.ticks.map((x) => x.label)).toEqual(['1', '10', '100', '1000', '10000']);
    expect([t.min, t.max]).toEqual([1, 10000]);
    expect(t.minor).toContain(2);
    expect(t.minor).toContain(5000);
  });

  it('labels small decades as decimals and wide ranges as powers of ten', () => {
    expect(logTicks(0.001, 1).ticks.map((x) => x.label)).toEqual(['0.001', '0.01', '0.1', '1']);
    const wide = logTicks(1e-9, 1e3, 8);
    expect(wide.ticks.length).toBeLessThanOrEqual(8);
    expect(wide.ticks.every((x) => /^10\^\{-?\d+\}$/.test(x.label))).toBe(true);
    for (const x of wide.ticks) expect(Math.log10(x.value) % 1).toBeCloseTo(0, 9);
  });

  it('adds 2 and 5 multiples over a couple of decades', () => {
    expect(logTicks(1, 64).ticks.map((x) => x.value)).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });

  it('handles ranges under a decade and degenerate ones', () => {
    const t = logTicks(2, 8);
    expect(t.ticks.length).toBeGreaterThanOrEqual(2);
    for (const x of t.ticks) {
      expect(x.value).toBeGreaterThanOrEqual(t.min);
      expect(x.value).toBeLessThanOrEqual(t.max);
    }
    expect(logTicks(5, 5).ticks.length).toBeGreaterThanOrEqual(2);
    expect(logTicks(-1, 0).ticks.length).toBeGreaterThanOrEqual(2);
  });

  it('maps positions on a log axis', () => {
    const a = logAxis(1, 10000);
    expect(axisFraction(a, 100)).toBeCloseTo(0.5, 12);
    expect(axisFraction(a, 0)).toBeNaN();
  });
});
