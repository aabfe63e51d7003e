/**
 * A trained LSTM load predictor as data: the network (`lstm-network.ts`) and what its inputs and output
 * mean (bucket length, window, normalisation scale), plus how it was trained. `lstm-weights.json` holds
 * one; `scripts/train-lstm.ts` writes it.
 */
import { SluiceError } from '../core/errors.js';
import { checkLstmNetwork, type LstmNetwork } from './lstm-network.js';

export const LSTM_MODEL_FORMAT = 'sluice-lstm-forecaster/1';

/** How a model was trained: provenance only, the forecaster does not read it. */
export interface LstmTrainingSummary {
  readonly trace: string;
  /** Seconds of the trace the network was fitted on, [from, to). */
  readonly trainSeconds: readonly [number, number];
  /** Seconds used for early stopping, [from, to). */
  readonly validationSeconds: readonly [number, number];
  readonly loss: string;
  readonly seed: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  /** Mean squared error on normalised values, of the shipped (rounded) weights. */
  readonly trainLoss: number;
  readonly validationLoss: number;
}

/** A trained predictor as shipped: the network and what its inputs and output mean. */
export interface LstmModel {
  readonly format: typeof LSTM_MODEL_FORMAT;
  /** Bucket length the network was trained on, ms (60,000: per-minute maxima). */
  readonly bucketMs: number;
  /** Buckets the network reads before predicting the next one. */
  readonly windowBuckets: number;
  /** Inputs are `maximum / scaleRps`, the output is in the same unit: requests per second / scaleRps. */
  readonly scaleRps: number;
  readonly network: LstmNetwork;
  readonly training: LstmTrainingSummary;
}

/** `data` as an `LstmModel`; throws INVALID_CONFIG naming what is wrong. */
export function checkLstmModel(data: unknown, source = 'lstm model'): LstmModel {
  const fail = (what: string): never => {
    throw new SluiceError('INVALID_CONFIG', `${source}: ${what}`);
  };
  if (typeof data !== 'object' || data === null) return fail('not an object');
  const d = data as Record<string, unknown>;
  if (d.format !== LSTM_MODEL_FORMAT) fail(`format must be '${LSTM_MODEL_FORMAT}'`);
  const positive = (key: string, integer: boolean): void => {
    const v = d[key];
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v))))
      fail(`${key} must be a positive ${integer ? 'integer' : 'number'}`);
  };
  positive('bucketMs', false);
  positive('windowBuckets', true);
  positive('scaleRps', false);
  const checked = checkLstmNetwork(d.network);
  if ('problems' in checked) fail(`network: ${checked.problems.join('; ')}`);
  if (typeof d.training !== 'object' || d.training === null) fail('training must be an object');
  return data as LstmModel;
}
