/**
 * Aggregation before smoothing: turns a forecaster of per-bucket maxima (one sample per minute, say) into a
 * forecaster of raw samples (one per second). Smoothing per-second data with a daily season would need an
 * 86,400-slot season; per-minute maxima need 1,440, and they are also the quantity the planner provisions
 * for (InfAdapter predicts the next minute's maximum). The future LSTM plugs in the same way.
 */
import { isUsableSample, type Forecaster, type RateSample } from './forecaster.js';

/** The bucket still receiving samples. */
export interface OpenBucket {
  /** Start of the bucket, a multiple of the bucket length, in ms. */
  readonly startMs: number;
  /** Highest rate seen in it so far, in requests per second. */
  readonly maxRps: number;
}

export interface BucketedState<S> {
  /** Null before the first sample. */
  readonly open: OpenBucket | null;
  /** The inner forecaster's state: every bucket before `open`, closed. */
  readonly inner: S;
}

export interface BucketedOptions {
  /** Bucket length in ms (e.g. 60,000 for per-minute maxima); > 0. Buckets start at multiples of it. */
  readonly bucketMs: number;
  /** Name of the resulting forecaster; default the inner one's. */
  readonly name?: string;
}

/**
 * A forecaster that folds samples into buckets of `bucketMs` and feeds `inner` one sample per closed bucket:
 * `{ atMs: bucket start, rateRps: bucket maximum }`. A bucket closes when a sample of a later bucket arrives;
 * buckets with no sample at all (missing data) are never fed, so `inner` sees a time jump and must key any
 * season on `atMs`, not on a sample count.
 *
 * `predict` lets `inner` see the open bucket as if it closed now. At a bucket boundary (the control loop
 * ticking on whole buckets) that is exact; mid-bucket the partial maximum is a low estimate of the bucket,
 * still fresher than nothing. It costs one extra `inner.observe` per prediction.
 */
export function bucketedForecaster<S>(
  inner: Forecaster<S>,
  options: BucketedOptions,
): Forecaster<BucketedState<S>> {
  const { bucketMs } = options;
  if (!(Number.isFinite(bucketMs) && bucketMs > 0))
    throw new RangeError(`bucketMs must be a positive number, not ${bucketMs}`);
  const closed = (state: BucketedState<S>): S =>
    state.open === null
      ? state.inner
      : inner.observe(state.inner, { atMs: state.open.startMs, rateRps: state.open.maxRps });
  return {
    name: options.name ?? inner.name,
    initial: () => ({ open: null, inner: inner.initial() }),
    observe(state: BucketedState<S>, sample: RateSample): BucketedState<S> {
      if (!isUsableSample(sample)) return state;
      const startMs = Math.floor(sample.atMs / bucketMs) * bucketMs;
      const { open } = state;
      if (open === null) return { open: { startMs, maxRps: sample.rateRps }, inner: state.inner };
      // A sample of an earlier bucket arrived late: it counts in the open one (time never goes back).
      if (startMs <= open.startMs) {
        if (sample.rateRps <= open.maxRps) return state;
        return { open: { startMs: open.startMs, maxRps: sample.rateRps }, inner: state.inner };
      }
      return { open: { startMs, maxRps: sample.rateRps }, inner: closed(state) };
    },
    predict: (state: BucketedState<S>, horizonMs: number): number => inner.predict(closed(state), horizonMs),
  };
}
