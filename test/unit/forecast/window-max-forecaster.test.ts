import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import type { Forecaster } from '../../../src/forecast/forecaster.js';
import { windowMaxForecaster } from '../../../src/forecast/window-max-forecaster.js';

/** Folds per-second rates (second i at atMs = i·1000) into a state. */
function feed<S>(f: Forecaster<S>, ratesRps: readonly number[], state = f.initial(), firstS = 0): S {
  return ratesRps.reduce((s, rateRps, i) => f.observe(s, { atMs: (firstS + i) * 1000, rateRps }), state);
}

describe('windowMaxForecaster', () => {
  const f = windowMaxForecaster();

  it('predicts 0 before any sample', () => {
    expect(f.predict(f.initial(), 60_000)).toBe(0);
  });

  it('holds a spike for one window (60 s) and then forgets it; +10% headroom', () => {
    // Seconds 0-29 at 10 rps, a spike of 100 at second 30, then 20 rps.
    const before = feed(f, Array<number>(30).fill(10));
    expect(f.predict(before, 60_000)).toBeCloseTo(11, 12);
    const spiked = f.observe(before, { atMs: 30_000, rateRps: 100 });
    expect(f.predict(spiked, 60_000)).toBeCloseTo(110, 12);
    // Second 89: the window is (29 s, 89 s], the spike is still in it.
    const at89 = feed(f, Array<number>(59).fill(20), spiked, 31);
    expect(f.predict(at89, 60_000)).toBeCloseTo(110, 12);
    // Second 90: the window is (30 s, 90 s]: the spike left it.
    const at90 = f.observe(at89, { atMs: 90_000, rateRps: 20 });
    expect(f.predict(at90, 60_000)).toBeCloseTo(22, 12);
  });

  it('keeps only the decreasing tail of the window, not every sample', () => {
    const state = feed(f, [5, 9, 3, 7, 1, 2]);
    expect(state.entries).toEqual([
      { atMs: 1000, rateRps: 9 },
      { atMs: 3000, rateRps: 7 },
      { atMs: 5000, rateRps: 2 },
    ]);
  });

  it('takes window and headroom options', () => {
    const g = windowMaxForecaster({ windowMs: 3_000, headroom: 0 });
    const state = feed(g, [50, 1, 2, 3]);
    expect(g.predict(state, 60_000)).toBe(3);
    expect(g.predict(feed(g, [50, 1, 2]), 60_000)).toBe(50);
  });

  it('a pause in observations keeps the last window instead of predicting 0', () => {
    const state = feed(f, [40, 30]);
    // Nothing observed for an hour: the forecaster has no clock, the prediction stands.
    expect(f.predict(state, 60_000)).toBeCloseTo(44, 12);
    // The first sample after the pause moves the window past everything before it.
    expect(f.predict(f.observe(state, { atMs: 3_600_000, rateRps: 5 }), 60_000)).toBeCloseTo(5.5, 12);
  });

  it('counts a late sample at the latest time seen, and ignores unusable samples', () => {
    const state = feed(f, [10, 10]);
    const late = f.observe(state, { atMs: 0, rateRps: 30 });
    expect(late.entries).toEqual([{ atMs: 1000, rateRps: 30 }]);
    for (const bad of [
      { atMs: 2000, rateRps: -1 },
      { atMs: 2000, rateRps: Number.NaN },
      { atMs: 2000, rateRps: Infinity },
      { atMs: Number.NaN, rateRps: 1 },
    ])
      expect(f.observe(state, bad)).toBe(state);
  });

  it('rejects bad options with INVALID_CONFIG naming the key', () => {
    expect(() => windowMaxForecaster({ windowMs: 0 })).toThrow(/windowMs/);
    expect(() => windowMaxForecaster({ headroom: -0.1 })).toThrow(SluiceError);
    expect(() => windowMaxForecaster({ headroom: Number.NaN })).toThrow(/headroom/);
  });
});
