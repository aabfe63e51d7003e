import { describe, expect, it } from 'vitest';
import { bucketedForecaster } from '../../../src/forecast/bucketed-forecaster.js';
import type { Forecaster, RateSample } from '../../../src/forecast/forecaster.js';
import { intervalMaxima } from '../../../src/forecast/interval-maxima.js';

describe('intervalMaxima', () => {
  it('takes the maximum of each whole interval and drops a partial last one by default', () => {
    expect(intervalMaxima([1, 5, 2, 7, 3, 4, 9], 3)).toEqual([5, 7]);
    expect(intervalMaxima([1, 5, 2, 7, 3, 4, 9], 3, { partial: 'keep' })).toEqual([5, 7, 9]);
    expect(intervalMaxima(Int32Array.from([3, 1, 4, 1, 5, 9]), 2)).toEqual([3, 4, 9]);
    expect(intervalMaxima([], 60)).toEqual([]);
  });

  it('per-minute maxima of per-second counts', () => {
    const counts = Array.from({ length: 180 }, (_, s) => (s === 75 ? 300 : s % 60));
    expect(intervalMaxima(counts, 60)).toEqual([59, 300, 59]);
  });

  it('rejects an interval that is not a positive integer', () => {
    expect(() => intervalMaxima([1], 0)).toThrow(RangeError);
    expect(() => intervalMaxima([1], 1.5)).toThrow(RangeError);
  });
});

/** An inner forecaster that remembers what it was fed and predicts the latest bucket. */
const recorder: Forecaster<readonly RateSample[]> = {
  name: 'recorder',
  initial: () => [],
  observe: (state, sample) => [...state, sample],
  predict: (state) => state.at(-1)?.rateRps ?? 0,
};

describe('bucketedForecaster', () => {
  const f = bucketedForecaster(recorder, { bucketMs: 10_000 });

  it('feeds the inner forecaster one maximum per closed bucket, at the bucket start', () => {
    let state = f.initial();
    for (const [atMs, rateRps] of [
      [1000, 3],
      [5000, 8],
      [9999, 2],
      [10_000, 4],
      [35_000, 6], // buckets 20-30 s have no sample: nothing is fed for them
      [41_000, 1],
    ] as const)
      state = f.observe(state, { atMs, rateRps });
    expect(state.inner).toEqual([
      { atMs: 0, rateRps: 8 },
      { atMs: 10_000, rateRps: 4 },
      { atMs: 30_000, rateRps: 6 },
    ]);
    expect(state.open).toEqual({ startMs: 40_000, maxRps: 1 });
  });

  it('predicts as if the open bucket closed now', () => {
    let state = f.initial();
    expect(f.predict(state, 60_000)).toBe(0);
    state = f.observe(state, { atMs: 0, rateRps: 7 });
    expect(f.predict(state, 60_000)).toBe(7);
    expect(state.inner).toEqual([]);
  });

  it('folds a late sample into the open bucket and ignores unusable ones', () => {
    let state = f.observe(f.initial(), { atMs: 25_000, rateRps: 2 });
    state = f.observe(state, { atMs: 3000, rateRps: 9 });
    expect(state).toEqual({ open: { startMs: 20_000, maxRps: 9 }, inner: [] });
    expect(f.observe(state, { atMs: 3000, rateRps: 1 })).toBe(state);
    expect(f.observe(state, { atMs: 30_000, rateRps: -5 })).toBe(state);
  });

  it('rejects a bucket length that is not positive', () => {
    expect(() => bucketedForecaster(recorder, { bucketMs: 0 })).toThrow(RangeError);
  });
});
