/**
 * A one-layer LSTM with a dense output, as plain data plus a pure forward pass: InfAdapter's load
 * predictor reads a window of normalised per-minute maxima and outputs the next one. The weights are a
 * JSON structure (shipped in `lstm-weights.json`, written by `scripts/train-lstm.ts`), so a model is
 * data that can be logged, diffed and validated, not code.
 *
 * Gates are stacked in the order input, forget, cell candidate, output (as PyTorch and Keras do). With
 * z = W·x_t + U·h_{t−1} + b split into those four blocks of `hiddenUnits`:
 * `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_g)`, `o = σ(z_o)`, `c_t = f ⊙ c_{t−1} + i ⊙ g`,
 * `h_t = o ⊙ tanh(c_t)`; the output is `v · h_T + d` after the last step. h_0 = c_0 = 0.
 */

/** The four gate blocks, in the order their rows are stacked. */
export const LSTM_GATES = ['input', 'forget', 'cell', 'output'] as const;

export interface LstmNetwork {
  /** Features per step (1 for a series of scalars). */
  readonly inputSize: number;
  /** Hidden units H. */
  readonly hiddenUnits: number;
  /** W: 4·H rows (gate blocks in `LSTM_GATES` order) of `inputSize` weights. */
  readonly inputWeights: readonly (readonly number[])[];
  /** U: 4·H rows of H weights on the previous hidden state. */
  readonly recurrentWeights: readonly (readonly number[])[];
  /** b: 4·H biases. */
  readonly gateBias: readonly number[];
  /** v: H weights of the dense output on the last hidden state. */
  readonly outputWeights: readonly number[];
  /** d: the dense output's bias. */
  readonly outputBias: number;
}

/** The logistic function, without overflow warnings for large |x|. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * The network's output after reading `inputs` (one vector of `inputSize` per step, oldest first) from a
 * zero state. Pure; allocates two vectors of H per call. An empty sequence gives the output bias.
 */
export function lstmNetworkOutput(net: LstmNetwork, inputs: readonly (readonly number[])[]): number {
  const h = net.hiddenUnits;
  let hidden = new Array<number>(h).fill(0);
  const cell = new Array<number>(h).fill(0);
  const z = new Array<number>(4 * h).fill(0);
  for (const x of inputs) {
    for (let r = 0; r < 4 * h; r++) {
      let sum = net.gateBias[r] ?? 0;
      const w = net.inputWeights[r] ?? [];
      for (let k = 0; k < net.inputSize; k++) sum += (w[k] ?? 0) * (x[k] ?? 0);
      const u = net.recurrentWeights[r] ?? [];
      for (let k = 0; k < h; k++) sum += (u[k] ?? 0) * (hidden[k] ?? 0);
      z[r] = sum;
    }
    const next = new Array<number>(h);
    for (let j = 0; j < h; j++) {
      const i = sigmoid(z[j] ?? 0);
      const f = sigmoid(z[h + j] ?? 0);
      const g = Math.tanh(z[2 * h + j] ?? 0);
      const o = sigmoid(z[3 * h + j] ?? 0);
      const c = f * (cell[j] ?? 0) + i * g;
      cell[j] = c;
      next[j] = o * Math.tanh(c);
    }
    hidden = next;
  }
  let out = net.outputBias;
  for (let j = 0; j < h; j++) out += (net.outputWeights[j] ?? 0) * (hidden[j] ?? 0);
  return out;
}

/** Number of weights and biases of a network of this shape: 4H(I + H + 1) + H + 1. */
export function lstmParameterCount(inputSize: number, hiddenUnits: number): number {
  return 4 * hiddenUnits * (inputSize + hiddenUnits + 1) + hiddenUnits + 1;
}

/**
 * `data` as an `LstmNetwork` when it has that shape with finite numbers everywhere; otherwise a list of
 * what is wrong (the first few problems), so a damaged weights file fails loudly where it is loaded.
 */
export function checkLstmNetwork(data: unknown): { network: LstmNetwork } | { problems: string[] } {
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null) return { problems: ['not an object'] };
  const d = data as Record<string, unknown>;
  const positiveInt = (key: string): number => {
    const v = d[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
    problems.push(`${key} must be a positive integer`);
    return 0;
  };
  const inputSize = positiveInt('inputSize');
  const hiddenUnits = positiveInt('hiddenUnits');
  if (problems.length > 0) return { problems };
  const vector = (value: unknown, length: number, what: string): boolean => {
    const ok =
      Array.isArray(value) &&
      value.length === length &&
      value.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!ok) problems.push(`${what} must be ${length} finite numbers`);
    return ok;
  };
  const matrix = (key: string, rows: number, columns: number): void => {
    const m = d[key];
    if (!Array.isArray(m) || m.length !== rows) {
      problems.push(`${key} must have ${rows} rows`);
      return;
    }
    m.every((row, r) => vector(row, columns, `${key}[${r}]`));
  };
  matrix('inputWeights', 4 * hiddenUnits, inputSize);
  matrix('recurrentWeights', 4 * hiddenUnits, hiddenUnits);
  vector(d.gateBias, 4 * hiddenUnits, 'gateBias');
  vector(d.outputWeights, hiddenUnits, 'outputWeights');
  if (!(typeof d.outputBias === 'number' && Number.isFinite(d.outputBias)))
    problems.push('outputBias must be a finite number');
  return problems.length > 0 ? { problems: problems.slice(0, 5) } : { network: data as LstmNetwork };
}
