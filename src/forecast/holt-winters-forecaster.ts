/**
 * Additive Holt-Winters (triple exponential smoothing) over per-bucket maxima: a level, a trend per bucket
 * and one seasonal offset per bucket of the season. On the Twitter trace the season is the day: with the
 * default per-minute buckets that is 1,440 slots, where per-second smoothing would need 86,400.
 */
import { bucketedForecaster, type BucketedState } from './bucketed-forecaster.js';
import { checkOption } from './check-option.js';
import { clampRateRps, type Forecaster, type RateSample } from './forecaster.js';

// Defaults tuned on days 10-13 of the Twitter trace (days 15-16 held out): per-minute maxima there are close
// to a random walk, so a fast level (0.7) does most of the work; trend and season are kept small (0.01,
// 0.05) because larger values only added error. They stay on so that slower, more regular loads benefit.
export const DEFAULT_HW_ALPHA = 0.7;
export const DEFAULT_HW_BETA = 0.01;
export const DEFAULT_HW_GAMMA = 0.05;
export const DEFAULT_HW_BUCKET_MS = 60_000;
/** One day of one-minute buckets. */
export const DEFAULT_HW_SEASON_BUCKETS = 1_440;
export const DEFAULT_HW_HEADROOM = 0.1;
/** Upper bound on `seasonBuckets`: the season is copied whenever a bucket closes. */
export const MAX_HW_SEASON_BUCKETS = 100_000;

export interface HoltWintersOptions {
  /** Level smoothing per bucket, in (0, 1]; default 0.7. */
  readonly alpha?: number;
  /** Trend smoothing per bucket, in [0, 1]; default 0.01 (0: no trend). */
  readonly beta?: number;
  /** Season smoothing per bucket, in [0, 1]; default 0.05 (0: no season). */
  readonly gamma?: number;
  /** Samples are first reduced to the maximum of each bucket of this many ms (> 0); default 60,000. */
  readonly bucketMs?: number;
  /** Season length in buckets, integer in [1, 100,000]; default 1,440 (a day of minutes). */
  readonly seasonBuckets?: number;
  /** Fractional margin over the highest forecast bucket; ≥ 0, default 0.1. */
  readonly headroom?: number;
}

export interface HoltWintersState {
  /** False before the first bucket. */
  readonly primed: boolean;
  /** Deseasonalised bucket maximum, requests per second. */
  readonly levelRps: number;
  /** Change of the level per observed bucket, requests per second. */
  readonly trendRps: number;
  /** Seasonal offsets in requests per second; slot i belongs to the buckets whose index ≡ i (mod length). */
  readonly seasonRps: readonly number[];
  /** Index (start / bucketMs) of the latest bucket observed. */
  readonly lastBucket: number;
}

/**
 * Per bucket maximum x in season slot i (slots keyed on the bucket's time, so missing buckets keep the
 * season aligned; level and trend step once per observed bucket):
 * `level ← α(x − s_i) + (1 − α)(level + trend)`, `trend ← β(Δlevel) + (1 − β)trend`,
 * `s_i ← γ(x − level) + (1 − γ)s_i`. The level starts at the first bucket, trend and season at 0.
 * Predicts `(1 + headroom) ·` the highest of the forecasts `level + h·trend + s` for the buckets
 * h = 1 … ⌈horizonMs / bucketMs⌉ after the latest, clamped at 0.
 */
export function holtWintersForecaster(
  options: HoltWintersOptions = {},
): Forecaster<BucketedState<HoltWintersState>> {
  const name = 'holt-winters';
  const alpha = checkOption(name, 'alpha', options.alpha, DEFAULT_HW_ALPHA, {
    min: 0,
    minExclusive: true,
    max: 1,
  });
  const beta = checkOption(name, 'beta', options.beta, DEFAULT_HW_BETA, { min: 0, max: 1 });
  const gamma = checkOption(name, 'gamma', options.gamma, DEFAULT_HW_GAMMA, { min: 0, max: 1 });
  const bucketMs = checkOption(name, 'bucketMs', options.bucketMs, DEFAULT_HW_BUCKET_MS, {
    min: 0,
    minExclusive: true,
  });
  const seasonBuckets = checkOption(name, 'seasonBuckets', options.seasonBuckets, DEFAULT_HW_SEASON_BUCKETS, {
    min: 1,
    max: MAX_HW_SEASON_BUCKETS,
    integer: true,
  });
  const headroom = checkOption(name, 'headroom', options.headroom, DEFAULT_HW_HEADROOM, { min: 0 });
  // Times too far out for exact integer arithmetic fall back to slot 0 rather than an index of NaN.
  const slotOf = (bucket: number): number =>
    Number.isSafeInteger(bucket) ? ((bucket % seasonBuckets) + seasonBuckets) % seasonBuckets : 0;

  const perBucket: Forecaster<HoltWintersState> = {
    name,
    initial: () => ({
      primed: false,
      levelRps: 0,
      trendRps: 0,
      seasonRps: new Array<number>(seasonBuckets).fill(0),
      lastBucket: 0,
    }),
    observe(state: HoltWintersState, bucket: RateSample): HoltWintersState {
      const x = bucket.rateRps;
      const index = Math.round(bucket.atMs / bucketMs);
      if (!state.primed) return { ...state, primed: true, levelRps: x, lastBucket: index };
      const slot = slotOf(index);
      const s = state.seasonRps[slot] ?? 0;
      const levelRps = alpha * (x - s) + (1 - alpha) * (state.levelRps + state.trendRps);
      const trendRps = beta * (levelRps - state.levelRps) + (1 - beta) * state.trendRps;
      let seasonRps = state.seasonRps;
      if (gamma !== 0) {
        const next = seasonRps.slice();
        next[slot] = gamma * (x - levelRps) + (1 - gamma) * s;
        seasonRps = next;
      }
      return { primed: true, levelRps, trendRps, seasonRps, lastBucket: index };
    },
    predict(state: HoltWintersState, horizonMs: number): number {
      if (!state.primed) return 0;
      const steps =
        Number.isFinite(horizonMs) && horizonMs > 0 ? Math.max(1, Math.ceil(horizonMs / bucketMs)) : 1;
      // Beyond one season the offsets repeat, so each slot's best step is its first (trend ≤ 0) or its
      // last (trend > 0): at most one season of steps decides the maximum.
      const from = state.trendRps > 0 ? Math.max(1, steps - seasonBuckets + 1) : 1;
      const to = Math.min(steps, from + seasonBuckets - 1);
      let best = -Infinity;
      for (let h = from; h <= to; h++) {
        const s = state.seasonRps[slotOf(state.lastBucket + h)] ?? 0;
        best = Math.max(best, state.levelRps + h * state.trendRps + s);
      }
      return clampRateRps(best * (1 + headroom));
    },
  };
  return bucketedForecaster(perBucket, { bucketMs });
}
