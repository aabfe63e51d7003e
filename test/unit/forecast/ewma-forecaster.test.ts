import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import { ewmaForecaster } from '../../../src/forecast/ewma-forecaster.js';
import type { Forecaster } from '../../../src/forecast/forecaster.js';

function feed<S>(f: Forecaster<S>, ratesRps: readonly number[], state = f.initial()): S {
  return ratesRps.reduce((s, rateRps, i) => f.observe(s, { atMs: i * 1000, rateRps }), state);
}

describe('ewmaForecaster', () => {
  const f = ewmaForecaster({ alpha: 0.125, deviationAlpha: 0.125, k: 4.5 });

  it('the first sample sets the mean; 0 before any', () => {
    expect(f.predict(f.initial(), 60_000)).toBe(0);
    expect(f.predict(feed(f, [42]), 60_000)).toBe(42);
  });

  it('hand-computed steps: 0, 100, 100', () => {
    // [0, 100]: deviation 0.125·|100 − 0| = 12.5, mean 0.125·100 = 12.5 → 12.5 + 4.5·12.5.
    expect(f.predict(feed(f, [0, 100]), 60_000)).toBeCloseTo(68.75, 12);
    // Third: deviation 0.875·12.5 + 0.125·|100 − 12.5| = 21.875, mean 0.875·12.5 + 12.5 = 23.4375.
    // The inner state holds closed buckets only: a fourth sample closes the third.
    const state = f.observe(feed(f, [0, 100, 100]), { atMs: 3000, rateRps: 0 }).inner;
    expect(state.deviationRps).toBeCloseTo(21.875, 12);
    expect(state.meanRps).toBeCloseTo(23.4375, 12);
    expect(f.predict(feed(f, [0, 100, 100]), 60_000)).toBeCloseTo(23.4375 + 4.5 * 21.875, 12);
  });

  it('on a constant series the mean converges to it geometrically and the deviation to 0', () => {
    const rates = [0, ...Array<number>(300).fill(100)];
    for (const n of [10, 50, 300]) {
      // The open bucket counts at prediction time, so n + 1 samples are in.
      const closed = f.observe(feed(f, rates.slice(0, n + 1)), { atMs: (n + 1) * 1000, rateRps: 100 }).inner;
      expect(closed.meanRps).toBeCloseTo(100 * (1 - 0.875 ** n), 9);
    }
    expect(f.predict(feed(f, rates), 60_000)).toBeCloseTo(100, 6);
  });

  it('with bucketMs it smooths per-bucket maxima', () => {
    const g = ewmaForecaster({ bucketMs: 60_000, k: 0 });
    const minute = (peak: number): number[] => [...Array<number>(59).fill(1), peak];
    // Bucket maxima 10 then 50: mean 0.875·10 + 0.125·50 = 15.
    const state = feed(g, [...minute(10), ...minute(50)]);
    expect(g.predict(state, 60_000)).toBeCloseTo(15, 12);
  });

  it('rejects bad options with INVALID_CONFIG naming the key', () => {
    expect(() => ewmaForecaster({ alpha: 0 })).toThrow(/alpha/);
    expect(() => ewmaForecaster({ deviationAlpha: 1.5 })).toThrow(/deviationAlpha/);
    expect(() => ewmaForecaster({ k: -1 })).toThrow(SluiceError);
    expect(() => ewmaForecaster({ bucketMs: -1 })).toThrow(/bucketMs/);
  });
});
