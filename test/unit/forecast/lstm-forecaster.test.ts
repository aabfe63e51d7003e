// The LSTM forecaster: the shipped weights load and give sensible forecasts; the window-max fallback, the
// restart after missing minutes, headroom, scale and roll-out; and the Forecaster contract (plain-JSON state,
// determinism, no mutation, finite non-negative predictions for any input).
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import { forecasterByName } from '../../../src/forecast/forecaster-registry.js';
import type { Forecaster, RateSample } from '../../../src/forecast/forecaster.js';
import {
  lstmForecaster,
  lstmPerStrideForecaster,
  MAX_LSTM_ROLLOUT_BUCKETS,
  shippedLstmModel,
} from '../../../src/forecast/lstm-forecaster.js';
import { checkLstmModel } from '../../../src/forecast/lstm-model.js';
import { lstmParameterCount } from '../../../src/forecast/lstm-network.js';

const MINUTE_MS = 60_000;
const DAY_S = 86_400;

/** Per-second samples from `fromS` on, one rate per second. */
function feed<S>(f: Forecaster<S>, rates: readonly number[], fromS = 0, state = f.initial()): S {
  let s = state;
  rates.forEach((rateRps, i) => {
    s = f.observe(s, { atMs: (fromS + i) * 1000, rateRps });
  });
  return s;
}

/** Minutes of per-second samples, each minute's samples rising to the given maximum. */
function minutes(maxima: readonly number[]): number[] {
  return maxima.flatMap((max) => Array.from({ length: 60 }, (_, s) => (max * (s + 1)) / 60));
}

describe('the shipped weights (src/forecast/lstm-weights.json)', () => {
  const model = shippedLstmModel();

  it("are InfAdapter's shape: 25 units over 10 per-minute maxima, about 2.7k parameters in a small file", () => {
    expect(model.network.inputSize).toBe(1);
    expect(model.network.hiddenUnits).toBe(25);
    expect(model.windowBuckets).toBe(10);
    expect(model.bucketMs).toBe(MINUTE_MS);
    expect(lstmParameterCount(1, 25)).toBe(2726);
    expect(model.scaleRps).toBeGreaterThan(100);
    const bytes = statSync(
      fileURLToPath(new URL('../../../src/forecast/lstm-weights.json', import.meta.url)),
    ).size;
    expect(bytes).toBeLessThan(80_000);
  });

  it('were trained on days 0-11 and validated on days 12-13, never on the held-out days 15-16', () => {
    expect(model.training.trainSeconds).toEqual([0, 12 * DAY_S]);
    expect(model.training.validationSeconds).toEqual([12 * DAY_S, 14 * DAY_S]);
    expect(model.training.validationLoss).toBeGreaterThan(0);
    expect(model.training.validationLoss).toBeLessThan(0.01);
    expect(model.training.bestEpoch).toBeGreaterThanOrEqual(1);
  });

  it('forecast a steady load near its level, plus 10%', () => {
    const f = lstmForecaster({ headroom: 0 });
    for (const level of [40, 100, 200]) {
      const p = f.predict(feed(f, Array<number>(11 * 60).fill(level)), MINUTE_MS);
      expect(p, `level ${level}`).toBeGreaterThan(0.85 * level);
      expect(p, `level ${level}`).toBeLessThan(1.25 * level);
    }
  });

  it('forecast a rising load higher than a falling one through the same last minute', () => {
    const f = lstmForecaster();
    const rising = f.predict(
      feed(f, minutes([60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160])),
      MINUTE_MS,
    );
    const falling = f.predict(
      feed(f, minutes([260, 250, 240, 230, 220, 210, 200, 190, 180, 170, 160])),
      MINUTE_MS,
    );
    expect(rising).toBeGreaterThan(falling);
  });
});

describe('lstmForecaster', () => {
  it('falls back to the highest minute seen, plus headroom, until 10 minutes are held', () => {
    const f = lstmForecaster();
    // Five closed minutes; `predict` also counts the open one as closed.
    const state = feed(f, minutes([10, 50, 20, 30, 40]));
    expect(f.predict(state, MINUTE_MS)).toBeCloseTo(55, 10);
    expect(f.predict(f.initial(), MINUTE_MS)).toBe(0);
  });

  it('uses the network once 10 minutes are held', () => {
    const f = lstmForecaster();
    const maxima = [100, 100, 100, 100, 100, 100, 100, 100, 100, 20];
    // The fallback would say 110; the network reads the drop in the last minute.
    expect(f.predict(feed(f, minutes(maxima)), MINUTE_MS)).toBeLessThan(100);
  });

  it('restarts its history after missing minutes (a collection gap)', () => {
    const f = lstmForecaster();
    const before = feed(f, minutes(Array<number>(12).fill(100)));
    // Five minutes without samples, then one minute at 30: only that minute is history.
    const after = feed(f, minutes([30]), 17 * 60, before);
    expect(f.predict(after, MINUTE_MS)).toBeCloseTo(33, 10);
  });

  it('keeps the network on when samples come only every 30 s (a slow control loop)', () => {
    const f = lstmForecaster();
    let state = f.initial();
    for (let t = 0; t <= 11 * 60; t += 30) state = f.observe(state, { atMs: t * 1000, rateRps: 100 });
    const p = f.predict(state, MINUTE_MS);
    // Not the fallback's 110: the network's forecast of a steady 100, plus 10%.
    expect(p).not.toBeCloseTo(110, 3);
    const everySecond = lstmForecaster();
    expect(p).toBeCloseTo(
      everySecond.predict(feed(everySecond, Array<number>(11 * 60 + 1).fill(100)), MINUTE_MS),
      9,
    );
  });

  it('per stride: keeps ten minutes of strides, folds a stride not later than the latest into it', () => {
    const f = lstmPerStrideForecaster({ strideMs: 30_000 });
    let s = f.observe(f.initial(), { atMs: 0, rateRps: 5 });
    s = f.observe(s, { atMs: 30_000, rateRps: 7 });
    s = f.observe(s, { atMs: 30_000, rateRps: 9 });
    s = f.observe(s, { atMs: 0, rateRps: 3 });
    expect(s).toEqual({
      strides: [
        { index: 0, maxRps: 5 },
        { index: 1, maxRps: 9 },
      ],
      sinceStride: 0,
    });
    for (let i = 2; i <= 25; i++) s = f.observe(s, { atMs: i * 30_000, rateRps: i });
    expect(s.strides.map((x) => x.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    expect(s.sinceStride).toBe(0);
    // A stride one minute after the latest still continues the history; a later one restarts it.
    expect(f.observe(s, { atMs: 27 * 30_000, rateRps: 1 }).sinceStride).toBe(0);
    expect(f.observe(s, { atMs: 28 * 30_000, rateRps: 1 })).toEqual({
      strides: [{ index: 28, maxRps: 1 }],
      sinceStride: 28,
    });
    expect(() => lstmPerStrideForecaster({ strideMs: 7_000 })).toThrow(/strideMs must divide 60000/);
  });

  it('reads the same minutes at a minute boundary whatever the stride', () => {
    const rates = minutes([80, 90, 120, 100, 95, 130, 110, 105, 90, 100, 115]);
    const predictions = [60_000, 20_000, 5_000, 1_000].map((strideMs) => {
      const f = lstmForecaster({ strideMs });
      return f.predict(feed(f, rates), MINUTE_MS);
    });
    for (const p of predictions) expect(p).toBeCloseTo(predictions[0]!, 9);
  });

  it('multiplies the network’s forecast by 1 + headroom', () => {
    const rates = minutes([80, 90, 120, 100, 95, 130, 110, 105, 90, 100, 115]);
    const bare = lstmForecaster({ headroom: 0 });
    const def = lstmForecaster();
    const wide = lstmForecaster({ headroom: 0.5 });
    const p0 = bare.predict(feed(bare, rates), MINUTE_MS);
    expect(def.predict(feed(def, rates), MINUTE_MS)).toBeCloseTo(1.1 * p0, 9);
    expect(wide.predict(feed(wide, rates), MINUTE_MS)).toBeCloseTo(1.5 * p0, 9);
  });

  it('on a load damped by k, with scaleRps divided by k, forecasts the undamped forecast divided by k', () => {
    const maxima = [80, 90, 120, 100, 95, 130, 110, 105, 90, 100, 115];
    const f = lstmForecaster();
    const damped = lstmForecaster({ scaleRps: shippedLstmModel().scaleRps / 8 });
    const p = f.predict(feed(f, minutes(maxima)), MINUTE_MS);
    const q = damped.predict(feed(damped, minutes(maxima.map((m) => m / 8))), MINUTE_MS);
    expect(q).toBeCloseTo(p / 8, 9);
  });

  it('rolls out longer horizons: the highest of the next k minutes, capped at an hour', () => {
    const f = lstmForecaster();
    const state = feed(f, minutes([60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160]));
    const one = f.predict(state, MINUTE_MS);
    expect(f.predict(state, 30_000)).toBe(one);
    expect(f.predict(state, 0)).toBe(one);
    expect(f.predict(state, 5 * MINUTE_MS)).toBeGreaterThanOrEqual(one);
    expect(f.predict(state, 1e15)).toBe(f.predict(state, MAX_LSTM_ROLLOUT_BUCKETS * MINUTE_MS));
  });
});

describe('the Forecaster contract', () => {
  const f = forecasterByName('lstm')!;

  const samplesArb = fc
    .array(
      fc.record({
        jumpMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_600_000 })),
        rates: fc.oneof(
          fc.integer({ min: 1, max: 1500 }).map((n) => Array<number>(n).fill(0)),
          fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 900 }),
          fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 50 }),
        ),
      }),
      { maxLength: 5 },
    )
    .map((runs) => {
      const samples: RateSample[] = [];
      let atMs = 0;
      for (const run of runs) {
        atMs += run.jumpMs;
        for (const rateRps of run.rates) samples.push({ atMs: (atMs += 1000), rateRps });
      }
      return samples;
    });

  function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
  }

  it('is registered as lstm, validates its options, and rejects a damaged model', () => {
    expect(f.name).toBe('lstm');
    expect(() => forecasterByName('lstm', { headroom: -1 })).toThrow(SluiceError);
    expect(() => forecasterByName('lstm', { scaleRps: 0 })).toThrow(/scaleRps/);
    expect(() => forecasterByName('lstm', { window: 10 })).toThrow(/unknown option window/);
    const model = shippedLstmModel();
    expect(() => checkLstmModel({ ...model, format: 'keras' })).toThrow(/format/);
    expect(() => checkLstmModel({ ...model, network: { ...model.network, outputBias: null } })).toThrow(
      /network: outputBias/,
    );
    expect(() => checkLstmModel({ ...model, windowBuckets: 2.5 })).toThrow(/windowBuckets/);
  });

  it('predicts a finite number ≥ 0 for any non-negative samples and any horizon', () => {
    fc.assert(
      fc.property(
        samplesArb,
        fc.constantFrom(60_000, 30_000, 0, -5, Number.NaN, Infinity, 600_000),
        (samples, horizonMs) => {
          let state = f.initial();
          samples.forEach((sample, i) => {
            state = f.observe(state, sample);
            if (i % 53 === 0) {
              const p = f.predict(state, horizonMs);
              expect(Number.isFinite(p) && p >= 0, `prediction ${p}`).toBe(true);
            }
          });
          const p = f.predict(state, horizonMs);
          expect(Number.isFinite(p) && p >= 0, `prediction ${p}`).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('ignores unusable samples', () => {
    const state = feed(f, minutes([10, 20]));
    expect(f.observe(state, { atMs: Number.NaN, rateRps: 5 })).toBe(state);
    expect(f.observe(state, { atMs: 200_000, rateRps: -1 })).toBe(state);
    expect(f.observe(state, { atMs: 200_000, rateRps: Infinity })).toBe(state);
  });

  it('is deterministic, never mutates its state, and its state survives JSON', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const run = (): { states: string[]; predictions: number[] } => {
          let state = deepFreeze(f.initial());
          const states: string[] = [];
          const predictions: number[] = [];
          samples.forEach((sample, i) => {
            state = deepFreeze(f.observe(state, sample));
            if (i % 17 === 0) {
              states.push(JSON.stringify(state));
              predictions.push(f.predict(state, 60_000));
            }
          });
          return { states, predictions };
        };
        const first = run();
        expect(run()).toEqual(first);
        const half = Math.floor(samples.length / 2);
        let live: unknown = f.initial();
        for (const sample of samples.slice(0, half)) live = f.observe(live, sample);
        let restored: unknown = JSON.parse(JSON.stringify(live));
        expect(f.predict(restored, 60_000)).toBe(f.predict(live, 60_000));
        for (const sample of samples.slice(half)) {
          live = f.observe(live, sample);
          restored = f.observe(restored, sample);
        }
        expect(JSON.stringify(restored)).toBe(JSON.stringify(live));
        expect(f.predict(restored, 120_000)).toBe(f.predict(live, 120_000));
      }),
      { numRuns: 30 },
    );
  });
});
