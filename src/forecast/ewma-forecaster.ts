/**
 * Exponentially weighted mean plus a multiple of the exponentially weighted absolute deviation, the
 * estimator TCP uses for its retransmission timeout (Jacobson 1988: SRTT + 4 · RTTVAR). Unlike a window it
 * never forgets a burst at once, it discounts it; and its margin scales with how noisy the load is rather
 * than with how high it is.
 */
import { bucketedForecaster, type BucketedState } from './bucketed-forecaster.js';
import { checkOption } from './check-option.js';
import { clampRateRps, type Forecaster, type RateSample } from './forecaster.js';

// Defaults: TCP's mean weight (1/8), and the deviation weight and k that, on per-second samples of days
// 10-13 of the Twitter trace, under-predict the next minute's maximum about as often as `window-max`'s
// +10% (15%) at the same cost; days 15-16 are kept out of tuning for the held-out evaluation.
export const DEFAULT_EWMA_ALPHA = 0.125;
export const DEFAULT_EWMA_DEVIATION_ALPHA = 0.125;
export const DEFAULT_EWMA_K = 4.5;
export const DEFAULT_EWMA_BUCKET_MS = 1_000;

export interface EwmaOptions {
  /** Weight of the newest bucket in the mean, in (0, 1]; default 0.125. */
  readonly alpha?: number;
  /** Weight of the newest absolute error in the deviation, in (0, 1]; default 0.125. */
  readonly deviationAlpha?: number;
  /** Deviations added to the mean; ≥ 0, default 4.5. */
  readonly k?: number;
  /**
   * Samples are first reduced to the maximum of each bucket of this many ms (> 0); default 1,000, which on
   * per-second samples smooths every sample.
   */
  readonly bucketMs?: number;
}

export interface EwmaState {
  /** False before the first bucket: the first one sets the mean instead of blending into a made-up prior. */
  readonly primed: boolean;
  /** Smoothed bucket maximum, requests per second. */
  readonly meanRps: number;
  /** Smoothed |bucket maximum − mean before it|, requests per second. */
  readonly deviationRps: number;
}

/**
 * Per bucket maximum x: `deviation ← (1 − β)·deviation + β·|x − mean|`, then `mean ← (1 − α)·mean + α·x`;
 * predicts `mean + k · deviation`. The horizon is ignored: `k` is what sets how far above the typical bucket
 * the prediction reaches, so tune it for the horizon the planner asks about.
 */
export function ewmaForecaster(options: EwmaOptions = {}): Forecaster<BucketedState<EwmaState>> {
  const name = 'ewma';
  const unit = { min: 0, minExclusive: true, max: 1 };
  const alpha = checkOption(name, 'alpha', options.alpha, DEFAULT_EWMA_ALPHA, unit);
  const beta = checkOption(
    name,
    'deviationAlpha',
    options.deviationAlpha,
    DEFAULT_EWMA_DEVIATION_ALPHA,
    unit,
  );
  const k = checkOption(name, 'k', options.k, DEFAULT_EWMA_K, { min: 0 });
  const bucketMs = checkOption(name, 'bucketMs', options.bucketMs, DEFAULT_EWMA_BUCKET_MS, {
    min: 0,
    minExclusive: true,
  });
  const perBucket: Forecaster<EwmaState> = {
    name,
    initial: () => ({ primed: false, meanRps: 0, deviationRps: 0 }),
    observe(state: EwmaState, bucket: RateSample): EwmaState {
      const x = bucket.rateRps;
      if (!state.primed) return { primed: true, meanRps: x, deviationRps: 0 };
      return {
        primed: true,
        meanRps: (1 - alpha) * state.meanRps + alpha * x,
        deviationRps: (1 - beta) * state.deviationRps + beta * Math.abs(x - state.meanRps),
      };
    },
    predict: (state: EwmaState): number => clampRateRps(state.meanRps + k * state.deviationRps),
  };
  return bucketedForecaster(perBucket, { bucketMs });
}
