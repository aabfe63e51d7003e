/**
 * InfAdapter's load predictor: an LSTM (one layer of 25 units and a dense output) reads the maxima of the
 * last 10 minutes, normalised by a scale stored with the weights, and predicts the next minute's maximum;
 * the forecast is that times 1.1 (InfAdapter's +10%). The weights are trained offline on the first 14 days
 * of the Twitter trace by `scripts/train-lstm.ts` and shipped as `lstm-weights.json`.
 *
 * The minutes end at the latest sample rather than on the clock's minute boundaries: samples are folded
 * into 5-s strides and each "minute" is the highest of 12 consecutive strides, so a control loop asking
 * mid-minute gets the forecast the network was trained to make (see `strideMs`).
 */
import weightsFile from './lstm-weights.json' with { type: 'json' };
import { SluiceError } from '../core/errors.js';
import { bucketedForecaster, type BucketedState } from './bucketed-forecaster.js';
import { checkOption } from './check-option.js';
import { clampRateRps, type Forecaster, type RateSample } from './forecaster.js';
import { checkLstmModel, type LstmModel } from './lstm-model.js';
import { lstmNetworkOutput } from './lstm-network.js';

export const DEFAULT_LSTM_HEADROOM = 0.1;
/** Longest roll-out, in buckets, for horizons beyond one bucket (an hour of minutes). */
export const MAX_LSTM_ROLLOUT_BUCKETS = 60;

let shipped: LstmModel | undefined;

/** The model in `lstm-weights.json`, checked on first use. */
export function shippedLstmModel(): LstmModel {
  shipped ??= checkLstmModel(weightsFile, 'src/forecast/lstm-weights.json');
  return shipped;
}

export interface LstmForecasterOptions {
  /** Fractional margin over the network's forecast; ≥ 0, default 0.1 (InfAdapter's). */
  readonly headroom?: number;
  /**
   * Rate that the network's unit 1 stands for, requests per second; > 0, default the model's `scaleRps`.
   * The network learnt the Twitter trace's dynamics at its own level; for a load of the same shape at another
   * level (a trace damped by k), pass `scaleRps / k` so that the network sees the values it was trained on.
   */
  readonly scaleRps?: number;
  /**
   * How often the window of minutes slides, ms: the model's bucket length (60,000) divided by a whole
   * number; default 5,000. With 60,000 the minutes are the clock's, and a prediction between two minute
   * boundaries reads the current minute's partial maximum as a whole minute, which is low (on days 15-16
   * of the Twitter trace, predicting every 7 s, under-prediction rises from 13% to 26%); with 5,000 the
   * latest "minute" is the last 55-60 s, never more than 5 s out of step with now (13.5%).
   */
  readonly strideMs?: number;
  /** The trained model; default the shipped one. */
  readonly model?: LstmModel;
}

export const DEFAULT_LSTM_STRIDE_MS = 5_000;

/** The highest rate seen in one stride. */
export interface LstmStride {
  /** Start of the stride / strideMs. */
  readonly index: number;
  readonly maxRps: number;
}

export interface LstmState {
  /**
   * The strides seen in the last `windowBuckets` buckets (ten minutes), oldest first; strides without a
   * sample are absent.
   */
  readonly strides: readonly LstmStride[];
  /** Index of the first stride since the history (re)started; null before any sample. */
  readonly sinceStride: number | null;
}

/**
 * Per stride maximum (fed in time order by `bucketedForecaster`): the network reads the maxima of the
 * `windowBuckets` buckets that end with the latest stride (each the highest stride in it) and predicts
 * `(1 + headroom) ·` its forecast of the next bucket; for a horizon of k > 1 buckets (at most
 * `MAX_LSTM_ROLLOUT_BUCKETS`), the highest of k forecasts, each fed back as the next input.
 *
 * Missing strides are fine as long as every bucket keeps one (a control loop that samples every 30 s feeds
 * every sixth stride); a silence longer than a bucket (the trace's nightly collection gap) restarts the
 * history, since the network was trained on unbroken windows only. Until the history spans `windowBuckets`
 * buckets, it falls back to the highest stride held times `(1 + headroom)`, the window-max rule.
 */
export function lstmPerStrideForecaster(options: LstmForecasterOptions = {}): Forecaster<LstmState> {
  const name = 'lstm';
  const model = options.model ?? shippedLstmModel();
  const { bucketMs, windowBuckets, network } = model;
  const headroom = checkOption(name, 'headroom', options.headroom, DEFAULT_LSTM_HEADROOM, { min: 0 });
  const scaleRps = checkOption(name, 'scaleRps', options.scaleRps, model.scaleRps, {
    min: 0,
    minExclusive: true,
  });
  const strideMs = checkOption(name, 'strideMs', options.strideMs, defaultStrideMs(model), {
    min: 0,
    minExclusive: true,
    max: bucketMs,
  });
  const perBucket = bucketMs / strideMs;
  if (!Number.isInteger(perBucket))
    throw new SluiceError('INVALID_CONFIG', `forecaster ${name}: option strideMs must divide ${bucketMs}`);
  const span = windowBuckets * perBucket;
  return {
    name,
    initial: () => ({ strides: [], sinceStride: null }),
    observe(state: LstmState, sample: RateSample): LstmState {
      const index = Math.round(sample.atMs / strideMs);
      const x = sample.rateRps;
      const { strides, sinceStride } = state;
      const latest = strides.at(-1);
      if (latest === undefined || sinceStride === null || index - latest.index > perBucket)
        return { strides: [{ index, maxRps: x }], sinceStride: index };
      if (index <= latest.index) {
        // Not a later stride: it adds to the latest one.
        if (x <= latest.maxRps) return state;
        return { strides: [...strides.slice(0, -1), { index: latest.index, maxRps: x }], sinceStride };
      }
      let first = 0;
      while (first < strides.length && (strides[first]?.index ?? Infinity) <= index - span) first++;
      return { strides: [...strides.slice(first), { index, maxRps: x }], sinceStride };
    },
    predict(state: LstmState, horizonMs: number): number {
      const { strides, sinceStride } = state;
      const latest = strides.at(-1);
      if (latest === undefined || sinceStride === null) return 0;
      if (latest.index - sinceStride + 1 < span) {
        let max = 0;
        for (const s of strides) max = Math.max(max, s.maxRps);
        return clampRateRps(max * (1 + headroom));
      }
      // Bucket k (0 = oldest) holds the strides (latest − (windowBuckets − k)·perBucket, … + perBucket].
      const maxima = new Array<number>(windowBuckets).fill(0);
      for (const s of strides) {
        const k = windowBuckets - 1 - Math.floor((latest.index - s.index) / perBucket);
        if (k >= 0) maxima[k] = Math.max(maxima[k] ?? 0, s.maxRps);
      }
      const window = maxima.map((m) => [m / scaleRps]);
      const steps =
        Number.isFinite(horizonMs) && horizonMs > 0
          ? Math.min(MAX_LSTM_ROLLOUT_BUCKETS, Math.max(1, Math.ceil(horizonMs / bucketMs)))
          : 1;
      let best = -Infinity;
      for (let k = 0; k < steps; k++) {
        const next = lstmNetworkOutput(network, window);
        best = Math.max(best, next);
        window.shift();
        window.push([next]);
      }
      return clampRateRps(best * scaleRps * (1 + headroom));
    },
  };
}

function defaultStrideMs(model: LstmModel): number {
  return model.bucketMs % DEFAULT_LSTM_STRIDE_MS === 0 ? DEFAULT_LSTM_STRIDE_MS : model.bucketMs;
}

/**
 * The LSTM forecaster on raw samples (one per second, say): samples are folded into per-stride maxima by
 * `bucketedForecaster` (which lets a prediction see the open stride as if it closed now), and
 * `lstmPerStrideForecaster` predicts from those.
 */
export function lstmForecaster(options: LstmForecasterOptions = {}): Forecaster<BucketedState<LstmState>> {
  const model = options.model ?? shippedLstmModel();
  const inner = lstmPerStrideForecaster({ ...options, model });
  return bucketedForecaster(inner, { bucketMs: options.strideMs ?? defaultStrideMs(model) });
}
