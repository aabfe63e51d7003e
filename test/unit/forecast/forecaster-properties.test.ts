// Properties every forecaster keeps (src/forecast/forecaster.ts): finite non-negative predictions for any
// non-negative input, including long zero runs (the trace's collection gaps); determinism; no mutation of
// the state passed in; states that survive a JSON round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import type { AnyForecaster, RateSample } from '../../../src/forecast/forecaster.js';
import { FORECASTERS, forecasterByName } from '../../../src/forecast/forecaster-registry.js';

const CONFIGS: readonly [string, Record<string, number>][] = [
  ['window-max', {}],
  ['window-max', { windowMs: 1500, headroom: 0 }],
  ['ewma', {}],
  ['ewma', { bucketMs: 60_000, alpha: 1, deviationAlpha: 1, k: 0 }],
  ['holt-winters', {}],
  ['holt-winters', { bucketMs: 1000, seasonBuckets: 7, alpha: 1, beta: 1, gamma: 1 }],
];

function build(name: string, options: Record<string, number>): AnyForecaster {
  const f = forecasterByName(name, options);
  if (f === undefined) throw new Error(`no forecaster ${name}`);
  return f;
}

/** Runs of samples one second apart, each run a constant (0 for a gap) or random rates, then a time jump. */
const samplesArb = fc
  .array(
    fc.record({
      jumpMs: fc.oneof(fc.constant(1000), fc.integer({ min: 0, max: 3_600_000 })),
      rates: fc.oneof(
        fc.integer({ min: 1, max: 2000 }).map((n) => Array<number>(n).fill(0)),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 200 }),
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 50 }),
      ),
    }),
    { maxLength: 6 },
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

const horizonArb = fc.oneof(
  fc.constantFrom(60_000, 30_000, 1, 0, -5, Number.NaN, Infinity, 1e15),
  fc.double({ min: 0, max: 1e8, noNaN: true }),
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe.each(CONFIGS)('%s %j', (name, options) => {
  const f = build(name, options);

  it('predicts a finite number ≥ 0 for any non-negative samples and any horizon', () => {
    fc.assert(
      fc.property(samplesArb, horizonArb, (samples, horizonMs) => {
        let state = f.initial();
        const check = (): void => {
          const p = f.predict(state, horizonMs);
          expect(Number.isFinite(p) && p >= 0, `prediction ${p}`).toBe(true);
        };
        check();
        samples.forEach((sample, i) => {
          state = f.observe(state, sample);
          if (i % 97 === 0) check();
        });
        check();
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic, never mutates the state it is given, and its state survives JSON', () => {
    fc.assert(
      fc.property(
        samplesArb.filter((s) => s.length < 400),
        (samples) => {
          const run = (): { states: string[]; predictions: number[] } => {
            let state = deepFreeze(f.initial());
            const states: string[] = [];
            const predictions: number[] = [];
            for (const sample of samples) {
              state = deepFreeze(f.observe(state, sample));
              states.push(JSON.stringify(state));
              predictions.push(f.predict(state, 60_000));
            }
            return { states, predictions };
          };
          const first = run();
          expect(run()).toEqual(first);
          // Half way through, a state read back from its log continues exactly like the live one.
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
          expect(f.predict(restored, 45_000)).toBe(f.predict(live, 45_000));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('FORECASTERS / forecasterByName', () => {
  it('has window-max, ewma, holt-winters and lstm, each built with its defaults', () => {
    expect(FORECASTERS.map((e) => e.name)).toEqual(['window-max', 'ewma', 'holt-winters', 'lstm']);
    for (const entry of FORECASTERS) expect(build(entry.name, {}).name).toBe(entry.name);
  });

  it('returns undefined for an unknown name', () => {
    expect(forecasterByName('prophet')).toBeUndefined();
  });

  it('rejects unknown keys, non-numbers and out-of-range values with INVALID_CONFIG naming the key', () => {
    const invalid = (name: string, options: Record<string, unknown>, key: RegExp): void => {
      let error: unknown;
      try {
        forecasterByName(name, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SluiceError);
      expect((error as SluiceError).code).toBe('INVALID_CONFIG');
      expect((error as SluiceError).message).toMatch(key);
    };
    invalid('window-max', { window: 60_000 }, /unknown option window .*windowMs/);
    invalid('ewma', { k: '4' }, /option k must be a number/);
    invalid('holt-winters', { seasonBuckets: 0 }, /seasonBuckets/);
  });

  it('every option an entry documents is one its factory reads', () => {
    for (const entry of FORECASTERS)
      for (const key of Object.keys(entry.options))
        expect(() => entry.create({ [key]: Number.NaN }), `${entry.name}.${key}`).toThrow(SluiceError);
  });
});
