// The training math of the LSTM predictor: the analytic gradient (backpropagation through time) against
// central finite differences on tiny networks, agreement of its forward pass with the shipped one, Adam,
// clipping, seeded initialisation, and a small fit that learns.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { lstmNetworkOutput, lstmParameterCount } from '../../../src/forecast/lstm-network.js';
import {
  AdamOptimizer,
  clipGradientNorm,
  initialLstmParameters,
  lstmLossAndGradient,
  packLstmNetwork,
  unpackLstmNetwork,
  type LstmShape,
  type SequenceSet,
} from '../../../src/forecast/lstm-training.js';

function randomSet(rng: SeededRng, count: number, steps: number, inputSize: number): SequenceSet {
  return {
    steps,
    inputSize,
    inputs: Float64Array.from({ length: count * steps * inputSize }, () => 2 * rng.next() - 1),
    targets: Float64Array.from({ length: count }, () => 2 * rng.next() - 1),
  };
}

/** Parameters spread over ±1.5, wider than the initialisation, so that no gate sits in its linear middle. */
function randomParams(shape: LstmShape, rng: SeededRng): Float64Array {
  return Float64Array.from(
    { length: lstmParameterCount(shape.inputSize, shape.hiddenUnits) },
    () => 3 * rng.next() - 1.5,
  );
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('lstmLossAndGradient', () => {
  it.each([
    [{ inputSize: 1, hiddenUnits: 1 }, 1],
    [{ inputSize: 1, hiddenUnits: 2 }, 5],
    [{ inputSize: 2, hiddenUnits: 3 }, 4],
  ])('has the gradient of its loss (central differences) for %j over %i steps', (shape, steps) => {
    const rng = new SeededRng(7 + steps);
    const data = randomSet(rng, 3, steps, shape.inputSize);
    const params = randomParams(shape, rng);
    const indices = [0, 1, 2, 1]; // a repeated sequence counts twice
    const analytic = new Float64Array(params.length);
    lstmLossAndGradient(shape, params, data, indices, analytic);
    // Central differences are exact to O(eps²) ≈ 1e-10 here; rounding adds about 1e-16 / eps.
    const eps = 1e-5;
    let worst = 0;
    for (let n = 0; n < params.length; n++) {
      const p = params.slice();
      p[n] = params[n]! + eps;
      const up = lstmLossAndGradient(shape, p, data, indices);
      p[n] = params[n]! - eps;
      const down = lstmLossAndGradient(shape, p, data, indices);
      const numeric = (up - down) / (2 * eps);
      // Relative where the gradient is large, absolute (1e-8) where it is close to 0.
      const error = Math.abs(numeric - analytic[n]!) / Math.max(1e-3, Math.abs(numeric));
      worst = Math.max(worst, error);
    }
    expect(worst).toBeLessThan(1e-5);
    // And it is not trivially zero.
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('computes the same outputs as the forward pass the forecaster runs', () => {
    const shape = { inputSize: 2, hiddenUnits: 3 };
    const rng = new SeededRng(3);
    const data = randomSet(rng, 4, 6, 2);
    const params = randomParams(shape, rng);
    const net = unpackLstmNetwork(shape, params);
    for (let n = 0; n < 4; n++) {
      const window = range(6).map((t) => [data.inputs[(n * 6 + t) * 2]!, data.inputs[(n * 6 + t) * 2 + 1]!]);
      const y = lstmNetworkOutput(net, window);
      expect(lstmLossAndGradient(shape, params, data, [n])).toBeCloseTo((y - data.targets[n]!) ** 2, 12);
    }
  });

  it('overwrites the gradient it is given and returns 0 for no sequences', () => {
    const shape = { inputSize: 1, hiddenUnits: 2 };
    const rng = new SeededRng(4);
    const data = randomSet(rng, 2, 3, 1);
    const params = randomParams(shape, rng);
    const a = new Float64Array(params.length);
    const b = new Float64Array(params.length).fill(42);
    lstmLossAndGradient(shape, params, data, [0, 1], a);
    lstmLossAndGradient(shape, params, data, [0, 1], b);
    expect(b).toEqual(a);
    expect(lstmLossAndGradient(shape, params, data, [], b)).toBe(0);
    expect(b.every((g) => g === 0)).toBe(true);
  });
});

describe('parameters, initialisation, optimiser', () => {
  it('packs and unpacks a network without loss, and rounds on request', () => {
    const shape = { inputSize: 2, hiddenUnits: 3 };
    const params = randomParams(shape, new SeededRng(5));
    expect(packLstmNetwork(unpackLstmNetwork(shape, params))).toEqual(params);
    const rounded = unpackLstmNetwork(shape, params, 3);
    expect(rounded.outputBias).toBe(Number(params.at(-1)!.toPrecision(3)));
    expect(() => unpackLstmNetwork(shape, params.subarray(1))).toThrow(RangeError);
  });

  it('initialises the same for the same seed, within ±1/√H, forget biases 1', () => {
    const shape = { inputSize: 1, hiddenUnits: 25 };
    const a = initialLstmParameters(shape, new SeededRng(1));
    expect(initialLstmParameters(shape, new SeededRng(1))).toEqual(a);
    expect(initialLstmParameters(shape, new SeededRng(2))).not.toEqual(a);
    const net = unpackLstmNetwork(shape, a);
    expect(net.gateBias.slice(25, 50)).toEqual(Array<number>(25).fill(1));
    expect([...net.gateBias.slice(0, 25), ...net.gateBias.slice(50)].every((b) => b === 0)).toBe(true);
    expect(net.recurrentWeights.flat().every((w) => Math.abs(w) <= 0.2)).toBe(true);
    expect(net.outputBias).toBe(0);
  });

  it('Adam moves each parameter by the learning rate on its first step, and minimises a quadratic', () => {
    const adam = new AdamOptimizer(2, { learningRate: 0.1 });
    const x = Float64Array.from([3, -2]);
    adam.step(x, Float64Array.from([6, -4]));
    expect(x[0]).toBeCloseTo(2.9, 6);
    expect(x[1]).toBeCloseTo(-1.9, 6);
    for (let i = 0; i < 2000; i++) adam.step(x, Float64Array.from([2 * x[0]!, 2 * x[1]!]));
    expect(Math.abs(x[0]!)).toBeLessThan(1e-3);
    expect(Math.abs(x[1]!)).toBeLessThan(1e-3);
    expect(adam.steps).toBe(2001);
  });

  it('clips the gradient to a norm, leaving short ones alone', () => {
    const g = Float64Array.from([3, 4]);
    expect(clipGradientNorm(g, 1)).toBe(5);
    expect(g[0]).toBeCloseTo(0.6, 12);
    expect(g[1]).toBeCloseTo(0.8, 12);
    const short = Float64Array.from([0.1, 0.2]);
    clipGradientNorm(short, 1);
    expect([...short]).toEqual([0.1, 0.2]);
  });

  it('learns a small sequence task: the mean of the last two inputs', () => {
    const shape = { inputSize: 1, hiddenUnits: 4 };
    const rng = new SeededRng(11);
    const count = 200;
    const steps = 5;
    const inputs = Float64Array.from({ length: count * steps }, () => rng.next());
    const targets = Float64Array.from(
      { length: count },
      (_, n) => (inputs[n * steps + steps - 1]! + inputs[n * steps + steps - 2]!) / 2,
    );
    const data = { steps, inputSize: 1, inputs, targets };
    const params = initialLstmParameters(shape, rng);
    const gradient = new Float64Array(params.length);
    const adam = new AdamOptimizer(params.length, { learningRate: 0.01 });
    const all = range(count);
    const before = lstmLossAndGradient(shape, params, data, all);
    for (let epoch = 0; epoch < 60; epoch++) {
      for (let from = 0; from < count; from += 20) {
        lstmLossAndGradient(shape, params, data, all.slice(from, from + 20), gradient);
        adam.step(params, gradient);
      }
    }
    const after = lstmLossAndGradient(shape, params, data, all);
    expect(after).toBeLessThan(before / 10);
  });
});
