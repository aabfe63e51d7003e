// Trains the LSTM load predictor (src/forecast/lstm-forecaster.ts) offline, as InfAdapter did: on the first
// 14 days of the Twitter trace, inputs the last 10 per-minute maxima of the per-second counts, target the
// next minute's maximum. Writes src/forecast/lstm-weights.json. Deterministic: the same seed gives the same
// file, byte for byte.
//
//   npx tsx scripts/train-lstm.ts [--seed N] [--max-epochs N] [--out FILE] [--traces DIR]
//
// Data: days are 86,400-s blocks from the trace's start, numbered from 0 (the InfAdapter slice is day 15).
// Minutes that touch a collection gap (a run of ≥ 10 zero seconds, TwitterTrace.collectionGaps) are missing
// data; a window is used only when its 10 inputs and its target are 11 consecutive whole minutes. Windows
// whose target lies in days 0-11 train the network; those with the target in days 12-13 (the 13th and 14th
// days) are the validation set, which picks the epoch to keep (early stopping) and is never trained on.
// Days 15-16 stay held out for the evaluation (test/unit/forecast/twitter-evaluation.test.ts).
//
// Loss: mean squared error on normalised values. InfAdapter's predictor is a plain regressor with its
// margin applied afterwards (+10%); keeping the loss symmetric keeps the margin in one visible, tunable place
// (the forecaster's `headroom`) and makes the LSTM comparable with the other forecasters, which all add their
// margin the same way. A loss that punishes under-prediction harder would hide a second margin inside the
// weights, one that can only be changed by retraining.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { SeededRng } from '../src/core/seeded-rng.js';
import { LSTM_MODEL_FORMAT, type LstmModel } from '../src/forecast/lstm-model.js';
import { lstmNetworkOutput, lstmParameterCount, type LstmNetwork } from '../src/forecast/lstm-network.js';
import {
  AdamOptimizer,
  clipGradientNorm,
  initialLstmParameters,
  lstmLossAndGradient,
  unpackLstmNetwork,
  type SequenceSet,
} from '../src/forecast/lstm-training.js';
import { TwitterTrace } from '../src/sim/workload/twitter-trace.js';
import { TRACE_FILES } from '../src/sim/workload/workload-spec.js';

const ROOT = resolve(import.meta.dirname, '..');
const DAY_S = 86_400;
const MINUTE_S = 60;
const WINDOW = 10;
const HIDDEN = 25;
const TRAIN_DAYS = 12;
const VALIDATION_DAYS = 2;
const BATCH = 64;
const LEARNING_RATE = 0.003;
const CLIP_NORM = 1;
/** Halve the learning rate after this many epochs without a better validation loss; stop after STOP_AFTER. */
const PLATEAU_EPOCHS = 3;
const STOP_AFTER = 8;
const SIGNIFICANT_DIGITS = 6;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    'max-epochs': { type: 'string', default: '40' },
    out: { type: 'string', default: join(ROOT, 'src/forecast/lstm-weights.json') },
    traces: { type: 'string', default: resolve(ROOT, '../shared/traces') },
  },
});
const seed = Number(values.seed);
const maxEpochs = Number(values['max-epochs']);
if (!Number.isInteger(seed) || !Number.isInteger(maxEpochs) || maxEpochs < 1)
  throw new Error('--seed and --max-epochs must be integers (max-epochs ≥ 1)');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const began = performance.now();
const trace = TwitterTrace.parse(readFileSync(join(values.traces, TRACE_FILES.twitter), 'utf8'));
const minutes = ((TRAIN_DAYS + VALIDATION_DAYS) * DAY_S) / MINUTE_S;
const gapSecond = new Uint8Array(trace.lengthS);
for (const g of trace.collectionGaps()) gapSecond.fill(1, g.startS, g.endS);
const maxima = new Float64Array(minutes);
const whole = new Uint8Array(minutes);
for (let m = 0; m < minutes; m++) {
  let max = 0;
  let ok = 1;
  for (let s = m * MINUTE_S; s < (m + 1) * MINUTE_S; s++) {
    if (gapSecond[s] === 1) ok = 0;
    max = Math.max(max, trace.countsRps[s] ?? 0);
  }
  maxima[m] = max;
  whole[m] = ok;
}
const trainMinutes = (TRAIN_DAYS * DAY_S) / MINUTE_S;
let scaleRps = 0;
for (let m = 0; m < trainMinutes; m++) if (whole[m] === 1) scaleRps = Math.max(scaleRps, maxima[m]!);

/** Target minutes in [from, to) whose window of WINDOW minutes before them is whole too. */
function windows(from: number, to: number): SequenceSet & { count: number } {
  const targets: number[] = [];
  for (let m = Math.max(from, WINDOW); m < to; m++) {
    let ok = true;
    for (let k = m - WINDOW; k <= m && ok; k++) ok = whole[k] === 1;
    if (ok) targets.push(m);
  }
  const inputs = new Float64Array(targets.length * WINDOW);
  targets.forEach((m, n) => {
    for (let t = 0; t < WINDOW; t++) inputs[n * WINDOW + t] = maxima[m - WINDOW + t]! / scaleRps;
  });
  return {
    steps: WINDOW,
    inputSize: 1,
    inputs,
    targets: Float64Array.from(targets, (m) => maxima[m]! / scaleRps),
    count: targets.length,
  };
}
const train = windows(0, trainMinutes);
const validation = windows(trainMinutes, minutes);
const all = (set: { count: number }): Int32Array => Int32Array.from({ length: set.count }, (_, i) => i);
const validationAll = all(validation);

/** Mean squared error (normalised) of always predicting the latest input: the bar the network must clear. */
function lastValueMse(set: SequenceSet & { count: number }): number {
  let sum = 0;
  for (let n = 0; n < set.count; n++) sum += (set.inputs[n * WINDOW + WINDOW - 1]! - set.targets[n]!) ** 2;
  return sum / set.count;
}
log(
  `data: ${train.count} training windows (days 0-${TRAIN_DAYS - 1}), ${validation.count} validation windows ` +
    `(days ${TRAIN_DAYS}-${TRAIN_DAYS + VALIDATION_DAYS - 1}), scale ${scaleRps} req/s; ` +
    `last-value MSE: train ${lastValueMse(train).toFixed(6)}, validation ${lastValueMse(validation).toFixed(6)}`,
);

const shape = { inputSize: 1, hiddenUnits: HIDDEN };
const rng = SeededRng.stream(seed, 'lstm-training');
const params = initialLstmParameters(shape, rng);
const gradient = new Float64Array(params.length);
const adam = new AdamOptimizer(params.length, { learningRate: LEARNING_RATE });
log(`network: 1 × ${HIDDEN} LSTM + dense, ${lstmParameterCount(1, HIDDEN)} parameters; seed ${seed}`);

let best = {
  epoch: 0,
  loss: lstmLossAndGradient(shape, params, validation, validationAll),
  params: params.slice(),
};
let sinceBest = 0;
let epochs = 0;
const order = all(train);
for (let epoch = 1; epoch <= maxEpochs; epoch++) {
  epochs = epoch;
  // Fisher-Yates with the seeded stream: the visiting order is part of what makes training reproducible.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  // The training loss reported is the mean over the epoch's batches, each before its step (a full pass
  // afterwards would cost a quarter of the epoch again).
  let trainSum = 0;
  for (let from = 0; from < order.length; from += BATCH) {
    const batch = order.subarray(from, from + BATCH);
    trainSum += batch.length * lstmLossAndGradient(shape, params, train, batch, gradient);
    clipGradientNorm(gradient, CLIP_NORM);
    adam.step(params, gradient);
  }
  const trainLoss = trainSum / order.length;
  const validationLoss = lstmLossAndGradient(shape, params, validation, validationAll);
  const improved = validationLoss < best.loss;
  if (improved) {
    best = { epoch, loss: validationLoss, params: params.slice() };
    sinceBest = 0;
  } else {
    sinceBest += 1;
    if (sinceBest % PLATEAU_EPOCHS === 0) adam.learningRate /= 2;
  }
  log(
    `epoch ${String(epoch).padStart(3)}: train MSE ${trainLoss.toFixed(6)}, validation MSE ` +
      `${validationLoss.toFixed(6)}${improved ? ' *' : ''}, lr ${adam.learningRate.toExponential(1)}, ` +
      `${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  if (sinceBest >= STOP_AFTER) break;
}

// The shipped network is the best epoch's, rounded; its losses are recomputed with the forward pass the
// forecaster runs, so the numbers in the file describe the file.
const network: LstmNetwork = unpackLstmNetwork(shape, best.params, SIGNIFICANT_DIGITS);
function shippedScores(set: SequenceSet & { count: number }): { mse: number; mape: number; under: number } {
  let sq = 0;
  let ape = 0;
  let under = 0;
  for (let n = 0; n < set.count; n++) {
    const window = Array.from(set.inputs.subarray(n * WINDOW, (n + 1) * WINDOW), (x) => [x]);
    const y = lstmNetworkOutput(network, window);
    const target = set.targets[n]!;
    sq += (y - target) ** 2;
    const predicted = Math.max(0, y) * 1.1;
    ape += Math.abs(predicted - target) / target;
    if (target > predicted) under += 1;
  }
  return { mse: sq / set.count, mape: ape / set.count, under: under / set.count };
}
const trainScore = shippedScores(train);
const validationScore = shippedScores(validation);
const model: LstmModel = {
  format: LSTM_MODEL_FORMAT,
  bucketMs: MINUTE_S * 1000,
  windowBuckets: WINDOW,
  scaleRps,
  network,
  training: {
    trace: TRACE_FILES.twitter,
    trainSeconds: [0, TRAIN_DAYS * DAY_S],
    validationSeconds: [TRAIN_DAYS * DAY_S, (TRAIN_DAYS + VALIDATION_DAYS) * DAY_S],
    loss: 'mean squared error of maximum / scaleRps',
    seed,
    epochs,
    bestEpoch: best.epoch,
    trainLoss: Number(trainScore.mse.toPrecision(SIGNIFICANT_DIGITS)),
    validationLoss: Number(validationScore.mse.toPrecision(SIGNIFICANT_DIGITS)),
  },
};
const text = await prettier.format(JSON.stringify(model), {
  ...(await prettier.resolveConfig(values.out)),
  filepath: values.out,
});
writeFileSync(values.out, text);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
log(
  `kept epoch ${best.epoch} of ${epochs}: validation MSE ${validationScore.mse.toFixed(6)} ` +
    `(last value ${lastValueMse(validation).toFixed(6)}), train MSE ${trainScore.mse.toFixed(6)}; ` +
    `with +10%: validation MAPE ${pct(validationScore.mape)}, under-predicted ${pct(validationScore.under)}`,
);
log(
  `wrote ${relative(process.cwd(), values.out)} (${text.length} bytes) in ${((performance.now() - began) / 1000).toFixed(1)} s`,
);
