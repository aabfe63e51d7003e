// Held-out evaluation on the Twitter trace: every forecaster predicts the maximum of the next 60 s at each
// minute of days 15-16, from the history before it. Defaults were tuned on days 10-13, never on these.
// Under-prediction (the real maximum above the prediction) is what turns into SLO misses; MAPE and the
// provisioned ratio say what the margin costs.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyForecaster } from '../../../src/forecast/forecaster.js';
import { forecasterByName } from '../../../src/forecast/forecaster-registry.js';
import { markdownTable } from '../../../src/report/markdown-table.js';
import { TwitterTrace } from '../../../src/sim/workload/twitter-trace.js';
import { TRACE_FILES } from '../../../src/sim/workload/workload-spec.js';
import { readTrace } from '../workload/traces-dir.js';

const DAY_S = 86_400;
const HORIZON_S = 60;
/** A week of history before the held-out days: enough for a daily season to form. */
const HISTORY_FROM_S = 8 * DAY_S;
const HELD_OUT_FROM_S = 15 * DAY_S;
const HELD_OUT_TO_S = 17 * DAY_S;

interface Score {
  readonly name: string;
  readonly intervals: number;
  /** Mean of |predicted − actual| / actual. */
  readonly mape: number;
  /** Share of intervals whose actual maximum exceeded the prediction. */
  readonly underShare: number;
  /** Largest (actual − predicted) / actual. */
  readonly worstShortfall: number;
  /** Σ predicted / Σ actual: what the margin costs. */
  readonly provisioned: number;
}

/** The naive baseline: tomorrow looks like the latest second. */
const lastValue: AnyForecaster = {
  name: 'last value (1 s)',
  initial: () => 0,
  observe: (_state, sample) => sample.rateRps,
  predict: (state) => state as number,
};

function named(name: string, options: Record<string, number>, label = name): AnyForecaster {
  const f = forecasterByName(name, options);
  if (f === undefined) throw new Error(`no forecaster ${name}`);
  return { ...f, name: label };
}

/**
 * Feeds every second from HISTORY_FROM_S on (collection-gap seconds are missing data: not observed) and
 * scores each held-out minute whose 60 s, and the 60 s before it, hold no gap second: right after a gap
 * there is no recent history to predict from, which says nothing about the forecaster.
 */
function score(f: AnyForecaster, counts: Int32Array, gap: Uint8Array): Score {
  let state = f.initial();
  let intervals = 0;
  let apeSum = 0;
  let under = 0;
  let worstShortfall = 0;
  let predictedSum = 0;
  let actualSum = 0;
  for (let s = HISTORY_FROM_S; s < HELD_OUT_TO_S; s++) {
    if (
      s >= HELD_OUT_FROM_S &&
      (s - HELD_OUT_FROM_S) % HORIZON_S === 0 &&
      !gap.subarray(s - HORIZON_S, s + HORIZON_S).includes(1)
    ) {
      const predicted = f.predict(state, HORIZON_S * 1000);
      let actual = 0;
      for (let i = s; i < s + HORIZON_S; i++) actual = Math.max(actual, counts[i]!);
      intervals++;
      apeSum += Math.abs(predicted - actual) / actual;
      if (actual > predicted) under++;
      worstShortfall = Math.max(worstShortfall, (actual - predicted) / actual);
      predictedSum += predicted;
      actualSum += actual;
    }
    if (gap[s] === 0) state = f.observe(state, { atMs: s * 1000, rateRps: counts[s]! });
  }
  return {
    name: f.name,
    intervals,
    mape: apeSum / intervals,
    underShare: under / intervals,
    worstShortfall,
    provisioned: predictedSum / actualSum,
  };
}

describe('forecasters on held-out days 15-16 of the Twitter trace (next 60 s maximum)', () => {
  let scores: Score[];
  beforeAll(() => {
    const trace = TwitterTrace.parse(readTrace(TRACE_FILES.twitter));
    const gap = new Uint8Array(trace.lengthS);
    for (const g of trace.collectionGaps()) gap.fill(1, g.startS, g.endS);
    const forecasters = [
      lastValue,
      named('window-max', { headroom: 0 }, 'last minute max (window-max, +0%)'),
      named('window-max', {}),
      named('ewma', {}),
      named('holt-winters', {}),
      named('holt-winters', { gamma: 0 }, 'holt-winters, no season (γ = 0)'),
      // Trained on days 0-13 (scripts/train-lstm.ts), so days 15-16 are held out for it too.
      named('lstm', { headroom: 0 }, 'lstm, +0%'),
      named('lstm', {}),
    ];
    scores = forecasters.map((f) => score(f, trace.countsRps, gap));
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
    console.log(
      markdownTable(
        [
          'forecaster',
          'intervals',
          'MAPE',
          'under-predicted',
          'worst shortfall',
          'provisioned (Σ pred / Σ max)',
        ],
        scores.map((s) => [
          s.name,
          s.intervals,
          pct(s.mape),
          pct(s.underShare),
          pct(s.worstShortfall),
          s.provisioned.toFixed(3),
        ]),
        { align: ['left', 'right', 'right', 'right', 'right', 'right'] },
      ),
    );
  });

  it('scores every gap-free minute of the two days, the same ones for every forecaster', () => {
    // 2 × 1,440 minutes less those touching the nightly gaps (about 30 minutes each).
    for (const s of scores) expect(s.intervals).toBe(scores[0]!.intervals);
    expect(scores[0]!.intervals).toBeGreaterThan(2_750);
    expect(scores[0]!.intervals).toBeLessThan(2_880);
  });

  it('every forecaster under-predicts less often, and errs less, than the last value', () => {
    const [naive, ...rest] = scores;
    // The maximum of 60 seconds is almost always above any one of them.
    expect(naive!.underShare).toBeGreaterThan(0.9);
    for (const s of rest) {
      expect(s.underShare, s.name).toBeLessThan(naive!.underShare);
      expect(s.mape, s.name).toBeLessThan(naive!.mape);
    }
  });

  it('the LSTM, without its margin, errs less than the last minute’s maximum', () => {
    // Per-minute maxima here are close to a random walk, so the gain is small (9.1% against 9.4% MAPE with
    // the shipped weights); the test guards against a retrained network that is worse than doing nothing.
    const byName = new Map(scores.map((s) => [s.name, s]));
    expect(byName.get('lstm, +0%')!.mape).toBeLessThan(byName.get('last minute max (window-max, +0%)')!.mape);
  });

  it('headroom trades under-prediction for provisioning', () => {
    const byName = new Map(scores.map((s) => [s.name, s]));
    const bare = byName.get('last minute max (window-max, +0%)')!;
    const withHeadroom = byName.get('window-max')!;
    expect(withHeadroom.underShare).toBeLessThan(bare.underShare);
    expect(withHeadroom.provisioned).toBeGreaterThan(bare.provisioned);
  });
});
