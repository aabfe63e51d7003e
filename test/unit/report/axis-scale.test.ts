import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  axisScale,
  formatTickLabel,
  linearTickStep,
  linearTicks,
  logTicks,
  niceDomain,
} from '../../../src/report/axis-scale.js';

const isNiceStep = (step: number): boolean => {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
};

describe('linear ticks', () => {
  it('steps by 1, 2 or 5 × 10^k', () => {
    expect(linearTickStep(0, 10, 5)).toBe(2);
    expect(linearTickStep(0, 1, 5)).toBe(0.2);
    expect(linearTickStep(0, 73, 6)).toBe(10);
    expect(linearTickStep(0, 0.003, 6)).toBe(0.0005);
    expect(linearTickStep(-250, 250, 5)).toBe(100);
  });

  it('writes ticks without binary noise', () => {
    expect(linearTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(linearTicks(0.1, 0.7, 6)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('niced domains cover the data and start and end on ticks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (values) => {
          const domain = niceDomain('linear', values);
          expect(domain[0]).toBeLessThan(domain[1]);
          // Data within a billionth of the span of a tick counts as on it.
          const slack = (domain[1] - domain[0]) * 1e-9;
          expect(domain[0]).toBeLessThanOrEqual(Math.min(...values) + slack);
          expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...values) - slack);
          const scale = axisScale('linear', domain, [0, 500]);
          const ticks = scale.ticks;
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(ticks.length).toBeLessThanOrEqual(15);
          expect(Math.abs(ticks[0]! - domain[0])).toBeLessThanOrEqual(slack);
          expect(Math.abs(ticks[ticks.length - 1]! - domain[1])).toBeLessThanOrEqual(slack);
          const step = ticks[1]! - ticks[0]!;
          expect(isNiceStep(step)).toBe(true);
          for (let i = 1; i < ticks.length; i++) {
            expect(Math.abs(ticks[i]! - ticks[i - 1]! - step)).toBeLessThanOrEqual(slack);
          }
        },
      ),
    );
  });
});

describe('niceDomain', () => {
  it('extends to 0 for data near it, not for data far from it', () => {
    expect(niceDomain('linear', [20, 41])).toEqual([0, 50]);
    expect(niceDomain('linear', [4000, 7200])).toEqual([4000, 7500]);
    expect(niceDomain('linear', [-41, -20])).toEqual([-50, 0]);
    expect(niceDomain('linear', [20, 41], { includeZero: 'never' })).toEqual([20, 45]);
    expect(niceDomain('linear', [4000, 7200], { includeZero: 'always' })).toEqual([0, 8000]);
  });

  it('handles degenerate data without throwing', () => {
    expect(niceDomain('linear', [])).toEqual([0, 1]);
    expect(niceDomain('linear', [0, 0, 0])).toEqual([0, 1]);
    const single = niceDomain('linear', [5, 5]);
    expect(single[0]).toBeLessThan(5);
    expect(single[1]).toBeGreaterThan(5);
    const negative = niceDomain('linear', [-7], { includeZero: 'never' });
    expect(negative[0]).toBeLessThan(-7);
    expect(negative[1]).toBeGreaterThan(-7);
    expect(niceDomain('linear', [Number.NaN, Number.POSITIVE_INFINITY, 3, 9])).toEqual([0, 10]);
    expect(niceDomain('log', [])).toEqual([1, 10]);
    expect(niceDomain('log', [3])).toEqual([1, 10]);
    expect(niceDomain('log', [0, -4, Number.NaN])).toEqual([1, 10]);
    expect(niceDomain('linear', [-5e-324, 0])).toEqual([0, 1]);
    expect(niceDomain('linear', [1e9, 1e9 + 0.5])).toEqual([1e9, 1e9 + 0.5]);
  });

  it('ignores values a log axis cannot show and nices to 1-2-5 or decades', () => {
    expect(niceDomain('log', [0, -1, 1.3, 64])).toEqual([1, 100]);
    expect(niceDomain('log', [0.7, 64])).toEqual([0.5, 100]);
    expect(niceDomain('log', [3, 45000])).toEqual([1, 100000]);
  });

  it('keeps fixed bounds exactly and nices only the free end', () => {
    expect(niceDomain('linear', [3, 47], { min: 2.5 })).toEqual([2.5, 50]);
    expect(niceDomain('linear', [3, 47], { min: 0, max: 100 })).toEqual([0, 100]);
    // Data entirely beyond a fixed bound still gives an increasing domain.
    const [lo, hi] = niceDomain('linear', [1, 2], { min: 10 });
    expect(lo).toBe(10);
    expect(hi).toBeGreaterThan(10);
    expect(niceDomain('log', [1, 2], { max: 0.5 })[1]).toBe(0.5);
  });

  it('throws a RangeError for contradictory bounds', () => {
    expect(() => niceDomain('linear', [1], { min: 5, max: 5 })).toThrow(RangeError);
    expect(() => niceDomain('linear', [1], { min: 6, max: 5 })).toThrow(RangeError);
    expect(() => niceDomain('log', [1], { min: 0 })).toThrow(/positive min/);
    expect(() => niceDomain('log', [1], { max: -1 })).toThrow(RangeError);
    expect(() => niceDomain('linear', [1], { max: Number.NaN })).toThrow(RangeError);
  });
});

describe('log ticks', () => {
  it('are the decades over a wide domain', () => {
    expect(logTicks(1, 100000)).toEqual([1, 10, 100, 1000, 10000, 100000]);
    expect(logTicks(0.001, 10)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(axisScale('log', [1, 1e5], [0, 100]).ticks).toEqual([1, 10, 100, 1000, 10000, 100000]);
  });

  it('add 2 and 5 between decades over three decades or less', () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(0.5, 20)).toEqual([0.5, 1, 2, 5, 10, 20]);
  });

  it('thin out to at most ten decades, all of them powers of ten', () => {
    const ticks = logTicks(1e-3, 1e12);
    expect(ticks.length).toBeLessThanOrEqual(10);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    for (const t of ticks) expect(Math.log10(t)).toBeCloseTo(Math.round(Math.log10(t)), 9);
  });

  it('fall back to linear ticks inside a very narrow domain', () => {
    const ticks = logTicks(2.1, 4.4);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(2.1);
      expect(t).toBeLessThanOrEqual(4.4);
    }
  });
});

describe('axisScale', () => {
  it('maps a linear domain onto the range, also descending', () => {
    const y = axisScale('linear', [0, 50], [300, 100]);
    expect(y.map(0)).toBe(300);
    expect(y.map(50)).toBe(100);
    expect(y.map(25)).toBe(200);
    expect(y.map(100)).toBe(-100);
  });

  it('maps a log domain by orders of magnitude', () => {
    const x = axisScale('log', [1, 100], [0, 200]);
    expect(x.map(1)).toBe(0);
    expect(x.map(10)).toBeCloseTo(100, 9);
    expect(x.map(100)).toBeCloseTo(200, 9);
    expect(x.map(0)).toBeNaN();
    expect(x.map(-5)).toBeNaN();
  });

  it('refuses invalid domains with a RangeError', () => {
    expect(() => axisScale('linear', [5, 5], [0, 1])).toThrow(RangeError);
    expect(() => axisScale('linear', [0, Number.POSITIVE_INFINITY], [0, 1])).toThrow(RangeError);
    expect(() => axisScale('log', [0, 10], [0, 1])).toThrow(/positive domain/);
    expect(() => axisScale('linear', [0, 1], [0, Number.NaN])).toThrow(RangeError);
  });

  it('formats tick labels with the decimals of the step', () => {
    const y = axisScale('linear', [0, 0.3], [0, 300]);
    expect(y.ticks.map((t) => y.format(t))).toEqual(['0', '0.05', '0.1', '0.15', '0.2', '0.25', '0.3']);
    const big = axisScale('linear', [0, 3000], [0, 300]);
    expect(big.ticks.map((t) => big.format(t))).toEqual(['0', '500', '1k', '1.5k', '2k', '2.5k', '3k']);
    const time = axisScale('linear', [0, 7200], [0, 600], { suffixes: false });
    expect(time.ticks.map((t) => time.format(t))).toContain('3000');
  });
});

describe('formatTickLabel', () => {
  it('writes short labels', () => {
    expect(formatTickLabel(0.5)).toBe('0.5');
    expect(formatTickLabel(1)).toBe('1');
    expect(formatTickLabel(2)).toBe('2');
    expect(formatTickLabel(1000)).toBe('1k');
    expect(formatTickLabel(10000)).toBe('10k');
    expect(formatTickLabel(2.5e6)).toBe('2.5M');
    expect(formatTickLabel(12345)).toBe('12.3k');
    expect(formatTickLabel(0.25)).toBe('0.25');
    expect(formatTickLabel(0.001234)).toBe('0.00123');
    expect(formatTickLabel(1e-7)).toBe('1e-7');
    expect(formatTickLabel(3600, undefined, false)).toBe('3600');
  });

  it('uses the step for decimals, the minus sign for negatives, and never -0', () => {
    expect(formatTickLabel(0.2, 0.05)).toBe('0.2');
    expect(formatTickLabel(0.25, 0.05)).toBe('0.25');
    expect(formatTickLabel(1500, 500)).toBe('1.5k');
    expect(formatTickLabel(-3, 1)).toBe('−3');
    expect(formatTickLabel(-0)).toBe('0');
    expect(formatTickLabel(-0.0001, 1)).toBe('0');
  });
});
