import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import { holtWintersForecaster } from '../../../src/forecast/holt-winters-forecaster.js';

const MINUTE_MS = 60_000;

describe('holtWintersForecaster', () => {
  it('hand-computed: α = β = γ = 0.5, season of 2 buckets, buckets 10, 20, 30', () => {
    const f = holtWintersForecaster({ alpha: 0.5, beta: 0.5, gamma: 0.5, seasonBuckets: 2, headroom: 0 });
    let state = f.initial();
    for (const [i, rateRps] of [10, 20, 30].entries())
      state = f.observe(state, { atMs: i * MINUTE_MS, rateRps });
    // The third bucket is still open; closing it gives level 23.75, trend 5.625, season [3.125, 2.5].
    const closed = f.observe(state, { atMs: 3 * MINUTE_MS, rateRps: 0 }).inner;
    expect(closed.levelRps).toBeCloseTo(23.75, 12);
    expect(closed.trendRps).toBeCloseTo(5.625, 12);
    expect(closed.seasonRps).toEqual([3.125, 2.5]);
    // Next minute: slot 1 → 23.75 + 5.625 + 2.5; two minutes: slot 0 → 23.75 + 2·5.625 + 3.125 is higher.
    expect(f.predict(state, MINUTE_MS)).toBeCloseTo(31.875, 12);
    expect(f.predict(state, 2 * MINUTE_MS)).toBeCloseTo(38.125, 12);
    expect(f.predict(state, 90_000)).toBeCloseTo(38.125, 12);
  });

  it('recovers a linear trend: 100 + 2 rps per minute', () => {
    const f = holtWintersForecaster({ alpha: 0.5, beta: 0.3, gamma: 0, headroom: 0 });
    let state = f.initial();
    for (let i = 0; i < 200; i++) state = f.observe(state, { atMs: i * MINUTE_MS, rateRps: 100 + 2 * i });
    expect(state.inner.trendRps).toBeCloseTo(2, 9);
    expect(f.predict(state, MINUTE_MS)).toBeCloseTo(500, 6);
    expect(f.predict(state, 5 * MINUTE_MS)).toBeCloseTo(508, 6);
    // Headroom scales the forecast.
    const g = holtWintersForecaster({ alpha: 0.5, beta: 0.3, gamma: 0, headroom: 0.1 });
    expect(g.predict(state, MINUTE_MS)).toBeCloseTo(550, 6);
  });

  it('recovers a periodic pattern, per-second samples aggregated into per-minute maxima', () => {
    const pattern = [10, 50, 20, 80];
    const f = holtWintersForecaster({ alpha: 0.3, beta: 0, gamma: 0.5, seasonBuckets: 4, headroom: 0 });
    let state = f.initial();
    const minutes = 4 * 60;
    for (let s = 0; s < minutes * 60; s++) {
      const minute = Math.floor(s / 60);
      // Every second below the minute's peak except the last, so only the maximum carries the pattern.
      const peak = pattern[minute % 4]!;
      state = f.observe(state, { atMs: s * 1000, rateRps: s % 60 === 59 ? peak : peak / 2 });
    }
    // The last minute was slot 3 (80): the next ones are 10, 50, 20, 80.
    expect(f.predict(state, MINUTE_MS)).toBeCloseTo(10, 3);
    expect(f.predict(state, 2 * MINUTE_MS)).toBeCloseTo(50, 3);
    expect(f.predict(state, 3 * MINUTE_MS)).toBeCloseTo(50, 3);
    expect(f.predict(state, 4 * MINUTE_MS)).toBeCloseTo(80, 3);
  });

  it('keys the season on time: a missing minute keeps the phase', () => {
    const pattern = [10, 50, 20, 80];
    const f = holtWintersForecaster({ alpha: 0.3, beta: 0, gamma: 0.5, seasonBuckets: 4, headroom: 0 });
    let state = f.initial();
    for (let m = 0; m < 240; m++) {
      if (m === 201) continue; // no sample at all in minute 201
      state = f.observe(state, { atMs: m * MINUTE_MS, rateRps: pattern[m % 4]! });
    }
    expect(f.predict(state, MINUTE_MS)).toBeCloseTo(10, 2);
    expect(f.predict(state, 2 * MINUTE_MS)).toBeCloseTo(50, 2);
  });

  it('horizons beyond a season: with a rising trend the last season of steps decides', () => {
    const f = holtWintersForecaster({ alpha: 0.5, beta: 0.3, gamma: 0.1, seasonBuckets: 3, headroom: 0 });
    let state = f.initial();
    for (let i = 0; i < 100; i++) state = f.observe(state, { atMs: i * MINUTE_MS, rateRps: 10 + i });
    // Brute force over every step of a 50-minute horizon.
    const closed = f.observe(state, { atMs: 100 * MINUTE_MS, rateRps: 0 }).inner;
    let best = -Infinity;
    for (let h = 1; h <= 50; h++)
      best = Math.max(best, closed.levelRps + h * closed.trendRps + closed.seasonRps[(99 + h) % 3]!);
    expect(f.predict(state, 50 * MINUTE_MS)).toBeCloseTo(best, 9);
  });

  it('never predicts below 0, even when the trend points down', () => {
    const f = holtWintersForecaster({ alpha: 0.9, beta: 0.9, gamma: 0, headroom: 0 });
    let state = f.initial();
    for (const [i, rateRps] of [500, 300, 100, 0].entries())
      state = f.observe(state, { atMs: i * MINUTE_MS, rateRps });
    expect(f.predict(state, MINUTE_MS)).toBe(0);
  });

  it('rejects bad options with INVALID_CONFIG naming the key', () => {
    expect(() => holtWintersForecaster({ alpha: 0 })).toThrow(/alpha/);
    expect(() => holtWintersForecaster({ beta: 2 })).toThrow(/beta/);
    expect(() => holtWintersForecaster({ gamma: -0.1 })).toThrow(/gamma/);
    expect(() => holtWintersForecaster({ seasonBuckets: 1.5 })).toThrow(/seasonBuckets/);
    expect(() => holtWintersForecaster({ seasonBuckets: 1_000_000 })).toThrow(SluiceError);
    expect(() => holtWintersForecaster({ bucketMs: 0 })).toThrow(/bucketMs/);
  });
});
