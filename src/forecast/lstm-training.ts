/**
 * The training math of the LSTM load predictor (`lstm-network.ts`): the network's parameters as one flat
 * vector, a mean-squared-error loss with its exact gradient by backpropagation through time, seeded
 * initialisation and the Adam optimiser. Pure and deterministic (no clock, no `Math.random`): the same
 * seed and data give the same weights bit for bit. `scripts/train-lstm.ts` drives it offline; the tests
 * check the gradient against finite differences.
 *
 * Flat layout (all row-major): W (4H × I), then U (4H × H), then b (4H), then v (H), then d (1), gate
 * blocks in `LSTM_GATES` order.
 */
import type { SeededRng } from '../core/seeded-rng.js';
import { lstmParameterCount, sigmoid, type LstmNetwork } from './lstm-network.js';

export interface LstmShape {
  readonly inputSize: number;
  readonly hiddenUnits: number;
}

/**
 * Training sequences of equal length: sequence n's step t feature k is
 * `inputs[(n · steps + t) · inputSize + k]`, and its target is `targets[n]`.
 */
export interface SequenceSet {
  readonly steps: number;
  readonly inputSize: number;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

function offsets(shape: LstmShape): { u: number; b: number; v: number; d: number; total: number } {
  const { inputSize: i, hiddenUnits: h } = shape;
  const u = 4 * h * i;
  const b = u + 4 * h * h;
  const v = b + 4 * h;
  const d = v + h;
  return { u, b, v, d, total: lstmParameterCount(i, h) };
}

/** The network's parameters in the flat layout. */
export function packLstmNetwork(net: LstmNetwork): Float64Array {
  const shape = { inputSize: net.inputSize, hiddenUnits: net.hiddenUnits };
  const o = offsets(shape);
  const p = new Float64Array(o.total);
  const h4 = 4 * net.hiddenUnits;
  for (let r = 0; r < h4; r++) {
    for (let k = 0; k < net.inputSize; k++) p[r * net.inputSize + k] = net.inputWeights[r]?.[k] ?? 0;
    for (let k = 0; k < net.hiddenUnits; k++)
      p[o.u + r * net.hiddenUnits + k] = net.recurrentWeights[r]?.[k] ?? 0;
    p[o.b + r] = net.gateBias[r] ?? 0;
  }
  for (let j = 0; j < net.hiddenUnits; j++) p[o.v + j] = net.outputWeights[j] ?? 0;
  p[o.d] = net.outputBias;
  return p;
}

/**
 * The flat parameters as an `LstmNetwork`; with `significantDigits`, every number rounded to that many
 * significant digits (a compact weights file).
 */
export function unpackLstmNetwork(
  shape: LstmShape,
  params: Float64Array,
  significantDigits?: number,
): LstmNetwork {
  const o = offsets(shape);
  if (params.length !== o.total)
    throw new RangeError(`expected ${o.total} parameters for this shape, got ${params.length}`);
  const round = (x: number): number =>
    significantDigits === undefined ? x : Number(x.toPrecision(significantDigits));
  const { inputSize, hiddenUnits } = shape;
  const rows = (from: number, columns: number): number[][] =>
    Array.from({ length: 4 * hiddenUnits }, (_, r) =>
      Array.from(params.subarray(from + r * columns, from + (r + 1) * columns), round),
    );
  return {
    inputSize,
    hiddenUnits,
    inputWeights: rows(0, inputSize),
    recurrentWeights: rows(o.u, hiddenUnits),
    gateBias: Array.from(params.subarray(o.b, o.b + 4 * hiddenUnits), round),
    outputWeights: Array.from(params.subarray(o.v, o.v + hiddenUnits), round),
    outputBias: round(params[o.d] ?? 0),
  };
}

/**
 * Seeded starting point: every weight uniform in ±1/√H (the usual LSTM initialisation), gate biases 0
 * except the forget gate's, 1 (so the cell remembers across steps from the start: Jozefowicz et al. 2015),
 * and the output bias 0.
 */
export function initialLstmParameters(shape: LstmShape, rng: SeededRng): Float64Array {
  const o = offsets(shape);
  const p = new Float64Array(o.total);
  const bound = 1 / Math.sqrt(shape.hiddenUnits);
  for (let n = 0; n < o.b; n++) p[n] = (2 * rng.next() - 1) * bound;
  for (let j = 0; j < shape.hiddenUnits; j++) p[o.b + shape.hiddenUnits + j] = 1;
  for (let j = 0; j < shape.hiddenUnits; j++) p[o.v + j] = (2 * rng.next() - 1) * bound;
  return p;
}

/**
 * Mean squared error of the network's outputs against the targets over the sequences `indices` of `data`:
 * `(1/N) Σ (y_n − target_n)²`. When `gradient` is given (length = parameter count), it is overwritten with
 * ∂loss/∂params, computed by backpropagation through time.
 */
export function lstmLossAndGradient(
  shape: LstmShape,
  params: Float64Array,
  data: SequenceSet,
  indices: ArrayLike<number>,
  gradient?: Float64Array,
): number {
  const { inputSize: ni, hiddenUnits: h } = shape;
  if (data.inputSize !== ni) throw new RangeError(`data has ${data.inputSize} features, the network ${ni}`);
  const o = offsets(shape);
  const steps = data.steps;
  const h4 = 4 * h;
  // Per step: gate activations (i, f, g, o), cell state and hidden state; slot 0 of c/h is the zero state.
  const gates = new Float64Array(steps * h4);
  const cells = new Float64Array((steps + 1) * h);
  const hidden = new Float64Array((steps + 1) * h);
  const dz = new Float64Array(h4);
  const dh = new Float64Array(h);
  const dc = new Float64Array(h);
  const count = indices.length;
  if (gradient !== undefined) gradient.fill(0);
  let loss = 0;
  for (let e = 0; e < count; e++) {
    const n = indices[e] ?? 0;
    const base = n * steps * ni;
    // Forward.
    for (let t = 0; t < steps; t++) {
      const x = base + t * ni;
      const hPrev = t * h;
      for (let r = 0; r < h4; r++) {
        let sum = params[o.b + r]!;
        for (let k = 0; k < ni; k++) sum += params[r * ni + k]! * data.inputs[x + k]!;
        const u = o.u + r * h;
        for (let k = 0; k < h; k++) sum += params[u + k]! * hidden[hPrev + k]!;
        dz[r] = sum;
      }
      const g0 = t * h4;
      for (let j = 0; j < h; j++) {
        const ig = sigmoid(dz[j]!);
        const fg = sigmoid(dz[h + j]!);
        const gg = Math.tanh(dz[2 * h + j]!);
        const og = sigmoid(dz[3 * h + j]!);
        gates[g0 + j] = ig;
        gates[g0 + h + j] = fg;
        gates[g0 + 2 * h + j] = gg;
        gates[g0 + 3 * h + j] = og;
        const c = fg * cells[hPrev + j]! + ig * gg;
        cells[hPrev + h + j] = c;
        hidden[hPrev + h + j] = og * Math.tanh(c);
      }
    }
    const last = steps * h;
    let y = params[o.d]!;
    for (let j = 0; j < h; j++) y += params[o.v + j]! * hidden[last + j]!;
    const error = y - data.targets[n]!;
    loss += error * error;
    if (gradient === undefined) continue;
    // Backward through time.
    const dy = (2 * error) / count;
    gradient[o.d] = gradient[o.d]! + dy;
    for (let j = 0; j < h; j++) {
      gradient[o.v + j] = gradient[o.v + j]! + dy * hidden[last + j]!;
      dh[j] = dy * params[o.v + j]!;
      dc[j] = 0;
    }
    for (let t = steps - 1; t >= 0; t--) {
      const g0 = t * h4;
      const hPrev = t * h;
      for (let j = 0; j < h; j++) {
        const ig = gates[g0 + j]!;
        const fg = gates[g0 + h + j]!;
        const gg = gates[g0 + 2 * h + j]!;
        const og = gates[g0 + 3 * h + j]!;
        const tc = Math.tanh(cells[hPrev + h + j]!);
        const dcj = dc[j]! + dh[j]! * og * (1 - tc * tc);
        dz[j] = dcj * gg * ig * (1 - ig);
        dz[h + j] = dcj * cells[hPrev + j]! * fg * (1 - fg);
        dz[2 * h + j] = dcj * ig * (1 - gg * gg);
        dz[3 * h + j] = dh[j]! * tc * og * (1 - og);
        dc[j] = dcj * fg;
      }
      const x = base + t * ni;
      dh.fill(0);
      for (let r = 0; r < h4; r++) {
        const d = dz[r]!;
        if (d === 0) continue;
        gradient[o.b + r] = gradient[o.b + r]! + d;
        for (let k = 0; k < ni; k++) gradient[r * ni + k] = gradient[r * ni + k]! + d * data.inputs[x + k]!;
        const u = o.u + r * h;
        for (let k = 0; k < h; k++) {
          gradient[u + k] = gradient[u + k]! + d * hidden[hPrev + k]!;
          dh[k] = dh[k]! + d * params[u + k]!;
        }
      }
    }
  }
  return count === 0 ? 0 : loss / count;
}

/** Scales `gradient` in place so that its Euclidean norm is at most `maxNorm`; returns the norm before. */
export function clipGradientNorm(gradient: Float64Array, maxNorm: number): number {
  let sq = 0;
  for (const g of gradient) sq += g * g;
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const s = maxNorm / norm;
    for (let n = 0; n < gradient.length; n++) gradient[n] = gradient[n]! * s;
  }
  return norm;
}

export interface AdamOptions {
  /** Step size; default 0.001. */
  readonly learningRate?: number;
  /** Decay of the mean of gradients; default 0.9. */
  readonly beta1?: number;
  /** Decay of the mean of squared gradients; default 0.999. */
  readonly beta2?: number;
  /** Added to the root mean square; default 1e-8. */
  readonly epsilon?: number;
}

/**
 * Adam (Kingma & Ba 2015), bias-corrected. It owns its moment estimates; the parameters are updated in
 * place by `step`.
 */
export class AdamOptimizer {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(size: number, options: AdamOptions = {}) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.learningRate = options.learningRate ?? 0.001;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  step(params: Float64Array, gradient: Float64Array): void {
    this.t += 1;
    const { beta1, beta2 } = this;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let n = 0; n < params.length; n++) {
      const g = gradient[n]!;
      const m = beta1 * this.m[n]! + (1 - beta1) * g;
      const v = beta2 * this.v[n]! + (1 - beta2) * g * g;
      this.m[n] = m;
      this.v[n] = v;
      params[n] = params[n]! - (this.learningRate * (m / c1)) / (Math.sqrt(v / c2) + this.epsilon);
    }
  }
}
