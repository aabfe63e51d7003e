/**
 * Every forecaster by name, for the control loop, scenarios and `--forecaster NAME`. To add one: write its
 * factory in its own file and append an entry here.
 */
import { SluiceError } from '../core/errors.js';
import {
  DEFAULT_EWMA_ALPHA,
  DEFAULT_EWMA_BUCKET_MS,
  DEFAULT_EWMA_DEVIATION_ALPHA,
  DEFAULT_EWMA_K,
  ewmaForecaster,
} from './ewma-forecaster.js';
import type { AnyForecaster } from './forecaster.js';
import {
  DEFAULT_HW_ALPHA,
  DEFAULT_HW_BETA,
  DEFAULT_HW_BUCKET_MS,
  DEFAULT_HW_GAMMA,
  DEFAULT_HW_HEADROOM,
  DEFAULT_HW_SEASON_BUCKETS,
  holtWintersForecaster,
  MAX_HW_SEASON_BUCKETS,
} from './holt-winters-forecaster.js';
import { DEFAULT_LSTM_HEADROOM, DEFAULT_LSTM_STRIDE_MS, lstmForecaster } from './lstm-forecaster.js';
import { DEFAULT_WINDOW_HEADROOM, DEFAULT_WINDOW_MS, windowMaxForecaster } from './window-max-forecaster.js';

/** Options as they come from a scenario file or the command line: numbers by key. */
export type ForecasterOptions = Readonly<Record<string, number>>;

export interface ForecasterEntry {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** The options the factory accepts, each with a one-line description (units, default). */
  readonly options: Readonly<Record<string, string>>;
  /** Builds the forecaster; throws `SluiceError('INVALID_CONFIG')` for a value out of range. */
  readonly create: (options: ForecasterOptions) => AnyForecaster;
}

export const FORECASTERS: readonly ForecasterEntry[] = [
  {
    name: 'window-max',
    summary: 'maximum of the last window of samples, plus headroom (Sponge/InfAdapter-style rule)',
    options: {
      windowMs: `look-back window in ms; default ${DEFAULT_WINDOW_MS}`,
      headroom: `fractional margin over the maximum; default ${DEFAULT_WINDOW_HEADROOM}`,
    },
    create: (options) => windowMaxForecaster(options),
  },
  {
    name: 'ewma',
    summary: 'exponentially weighted mean + k · exponentially weighted absolute deviation',
    options: {
      alpha: `weight of the newest bucket in the mean, (0, 1]; default ${DEFAULT_EWMA_ALPHA}`,
      deviationAlpha: `weight of the newest error in the deviation, (0, 1]; default ${DEFAULT_EWMA_DEVIATION_ALPHA}`,
      k: `deviations above the mean; default ${DEFAULT_EWMA_K}`,
      bucketMs: `samples are reduced to per-bucket maxima of this many ms first; default ${DEFAULT_EWMA_BUCKET_MS}`,
    },
    create: (options) => ewmaForecaster(options),
  },
  {
    name: 'holt-winters',
    summary: 'additive Holt-Winters (level, trend, daily season) over per-minute maxima, plus headroom',
    options: {
      alpha: `level smoothing per bucket, (0, 1]; default ${DEFAULT_HW_ALPHA}`,
      beta: `trend smoothing per bucket, [0, 1]; default ${DEFAULT_HW_BETA}`,
      gamma: `season smoothing per bucket, [0, 1]; default ${DEFAULT_HW_GAMMA}`,
      bucketMs: `bucket length in ms; default ${DEFAULT_HW_BUCKET_MS}`,
      seasonBuckets: `season length in buckets, ≤ ${MAX_HW_SEASON_BUCKETS}; default ${DEFAULT_HW_SEASON_BUCKETS}`,
      headroom: `fractional margin over the highest forecast; default ${DEFAULT_HW_HEADROOM}`,
    },
    create: (options) => holtWintersForecaster(options),
  },
  {
    name: 'lstm',
    summary:
      "InfAdapter's LSTM (25 units) over the last 10 per-minute maxima, trained on the Twitter trace, plus headroom",
    options: {
      headroom: `fractional margin over the network's forecast; default ${DEFAULT_LSTM_HEADROOM}`,
      scaleRps:
        "req/s the network reads as 1; default the shipped weights' (the Twitter trace's); for the trace damped by k, divide it by k",
      strideMs: `the window of minutes slides this often, ms, a divisor of 60000; default ${DEFAULT_LSTM_STRIDE_MS}`,
    },
    create: (options) => lstmForecaster(options),
  },
];

/** The entry called `name`, or undefined. */
export function forecasterEntry(name: string): ForecasterEntry | undefined {
  return FORECASTERS.find((entry) => entry.name === name);
}

/**
 * The forecaster called `name` built with `options`, or undefined when no forecaster has that name. Throws
 * `SluiceError('INVALID_CONFIG')` naming the key when an option is unknown to it, not a number, or out of range.
 */
export function forecasterByName(
  name: string,
  options: Readonly<Record<string, unknown>> = {},
): AnyForecaster | undefined {
  const entry = forecasterEntry(name);
  if (entry === undefined) return undefined;
  const numbers: Record<string, number> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(entry.options, key)) {
      const known = Object.keys(entry.options).join(', ');
      throw new SluiceError(
        'INVALID_CONFIG',
        `forecaster ${name}: unknown option ${key} (options: ${known})`,
      );
    }
    if (typeof value !== 'number')
      throw new SluiceError('INVALID_CONFIG', `forecaster ${name}: option ${key} must be a number`);
    numbers[key] = value;
  }
  return entry.create(numbers);
}
