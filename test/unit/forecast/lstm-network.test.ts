// The LSTM forward pass against networks small enough to compute by hand.
import { describe, expect, it } from 'vitest';
import {
  checkLstmNetwork,
  lstmNetworkOutput,
  lstmParameterCount,
  sigmoid,
  type LstmNetwork,
} from '../../../src/forecast/lstm-network.js';

/** One unit: only the input and cell gates see the input, only the cell candidate sees h; f = o = ½. */
const oneUnit: LstmNetwork = {
  inputSize: 1,
  hiddenUnits: 1,
  inputWeights: [[1], [0], [2], [0]],
  recurrentWeights: [[0], [0], [0.5], [0]],
  gateBias: [0, 0, 0, 0],
  outputWeights: [2],
  outputBias: 0.1,
};

/** Two units, every weight different, so a transposed or mis-stacked block changes the result. */
const twoUnits: LstmNetwork = {
  inputSize: 1,
  hiddenUnits: 2,
  inputWeights: [[0.1], [-0.2], [0.3], [0.4], [-0.5], [0.6], [0.7], [-0.8]],
  recurrentWeights: [
    [0.1, 0.2],
    [0.3, -0.1],
    [-0.2, 0.5],
    [0.05, 0.1],
    [0.4, -0.3],
    [0.2, 0.2],
    [-0.1, 0.3],
    [0.6, -0.4],
  ],
  gateBias: [0.01, 0.02, 1, 1, -0.1, 0.1, 0, 0.2],
  outputWeights: [1.5, -0.7],
  outputBias: 0.3,
};

describe('lstmNetworkOutput', () => {
  it('matches a one-unit LSTM worked step by step', () => {
    // Step 1, x = 1: i = σ(1), f = ½, g = tanh(2), o = ½; c₁ = σ(1)·tanh(2); h₁ = ½·tanh(c₁).
    const c1 = sigmoid(1) * Math.tanh(2);
    const h1 = 0.5 * Math.tanh(c1);
    // Step 2, x = −1: i = σ(−1), g = tanh(−2 + ½·h₁); c₂ = ½·c₁ + i·g; h₂ = ½·tanh(c₂).
    const c2 = 0.5 * c1 + sigmoid(-1) * Math.tanh(-2 + 0.5 * h1);
    const h2 = 0.5 * Math.tanh(c2);
    expect(c1).toBeCloseTo(0.70476063245, 10);
    expect(h1).toBeCloseTo(0.30369042356, 10);
    expect(h2).toBeCloseTo(0.04808256633, 10);
    expect(lstmNetworkOutput(oneUnit, [[1], [-1]])).toBeCloseTo(2 * h2 + 0.1, 12);
    expect(lstmNetworkOutput(oneUnit, [[1], [-1]])).toBeCloseTo(0.19616513266, 10);
  });

  it('matches a two-unit LSTM computed independently (gate blocks stacked input, forget, cell, output)', () => {
    expect(lstmNetworkOutput(twoUnits, [[0.5], [-1], [2]])).toBeCloseTo(-0.188887091, 10);
  });

  it('gives the output bias for an empty sequence, and starts every call from a zero state', () => {
    expect(lstmNetworkOutput(twoUnits, [])).toBe(0.3);
    const a = lstmNetworkOutput(twoUnits, [[0.5], [-1], [2]]);
    lstmNetworkOutput(twoUnits, [[9], [9]]);
    expect(lstmNetworkOutput(twoUnits, [[0.5], [-1], [2]])).toBe(a);
  });

  it('stays finite for huge inputs (the gates saturate)', () => {
    const y = lstmNetworkOutput(twoUnits, [[1e300], [-1e300], [1e12]]);
    expect(Number.isFinite(y)).toBe(true);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });
});

describe('lstmParameterCount / checkLstmNetwork', () => {
  it('counts 4H(I + H + 1) + H + 1 parameters: 2,726 for InfAdapter’s 25 units', () => {
    expect(lstmParameterCount(1, 25)).toBe(2726);
    expect(lstmParameterCount(1, 1)).toBe(14);
  });

  it('accepts a well-formed network and names what is wrong with a damaged one', () => {
    expect(checkLstmNetwork(twoUnits)).toEqual({ network: twoUnits });
    const broken = (patch: Record<string, unknown>): string[] => {
      const r = checkLstmNetwork({ ...twoUnits, ...patch });
      return 'problems' in r ? r.problems : [];
    };
    expect(broken({ hiddenUnits: 0 })).toEqual(['hiddenUnits must be a positive integer']);
    expect(broken({ gateBias: [1, 2] })).toEqual(['gateBias must be 8 finite numbers']);
    expect(broken({ recurrentWeights: twoUnits.recurrentWeights.slice(1) })).toEqual([
      'recurrentWeights must have 8 rows',
    ]);
    expect(broken({ inputWeights: [[0.1], [Number.NaN], ...twoUnits.inputWeights.slice(2)] })).toEqual([
      'inputWeights[1] must be 1 finite numbers',
    ]);
    expect(broken({ outputBias: '0.3' })).toEqual(['outputBias must be a finite number']);
    expect(checkLstmNetwork(null)).toEqual({ problems: ['not an object'] });
  });
});
