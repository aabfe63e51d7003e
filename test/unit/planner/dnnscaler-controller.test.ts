// DNNScaler's online controller against a deterministic simulated latency: the batch scaler's binary
// search converges into [0.85·L, L] and stays put; the multi-tenancy scaler starts from the latency
// model's estimate, moves one instance at a time with hysteresis and does not flip-flop.
import { describe, expect, it } from 'vitest';
import { estimateLatencyMs, type Sponge4Model } from '../../../src/core/latency-model.js';
import {
  colocationEstimatesMs,
  createDnnscalerState,
  dnnscalerController,
  type DnnscalerDecision,
  type DnnscalerState,
} from '../../../src/planner/dnnscaler/dnnscaler-controller.js';

/** Runs `periods` decisions 3 s apart against `latencyOf(state)`; returns the states and decisions. */
function run(
  start: DnnscalerState,
  periods: number,
  latencyOf: (s: DnnscalerState, period: number) => number,
): { states: DnnscalerState[]; decisions: DnnscalerDecision[] } {
  const states: DnnscalerState[] = [];
  const decisions: DnnscalerDecision[] = [];
  let state = start;
  for (let i = 0; i < periods; i++) {
    const step = dnnscalerController(state, { nowMs: i * 3000, meanLatencyMs: latencyOf(state, i) });
    state = step.state;
    states.push(state);
    decisions.push(step.decision);
  }
  return { states, decisions };
}

const model: Sponge4Model = { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 20, eta: 2 };

describe('DNNScaler batch scaler', () => {
  const L = 100;
  // Mean latency = l(b, 4) = 2.5·b + 7 ms: in [85, 100] for b = 32..37.
  const latency = (s: DnnscalerState): number => estimateLatencyMs(model, s.batch, 4);

  it('binary-searches into the band and stays there', () => {
    const start = createDnnscalerState({ approach: 'batching', targetMs: L, maxBatch: 127 });
    expect(start.batch).toBe(1);
    const { states, decisions } = run(start, 60, latency);
    const settled = decisions.findLastIndex((d) => d !== undefined) + 1;
    expect(settled).toBeLessThanOrEqual(8); // ⌈log2 127⌉ = 7 halvings
    const final = states.at(-1)!;
    expect(latency(final)).toBeGreaterThanOrEqual(0.85 * L);
    expect(latency(final)).toBeLessThanOrEqual(L);
    expect(decisions.every((d) => d === undefined || 'batch' in d)).toBe(true);
    expect(decisions.slice(0, 3)).toEqual([{ batch: 64 }, { batch: 32 }, undefined]);
  });

  it('decides at most once per period', () => {
    const start = createDnnscalerState({ approach: 'batching', targetMs: L });
    const first = dnnscalerController(start, { nowMs: 0, meanLatencyMs: 10 });
    const early = dnnscalerController(first.state, { nowMs: 2999, meanLatencyMs: 500 });
    expect(first.decision).toEqual({ batch: 64 });
    expect(early).toEqual({ decision: undefined, state: first.state });
  });

  it('re-opens the search when the load changes', () => {
    const start = createDnnscalerState({ approach: 'batching', targetMs: L });
    // From period 20 on, every batch takes twice as long: the band holds b = 14..16.
    const { states } = run(start, 50, (s, i) => latency(s) * (i >= 20 ? 2 : 1));
    expect(states[19]!.batch).toBeGreaterThanOrEqual(32);
    const final = states.at(-1)!;
    expect(2 * latency(final)).toBeGreaterThanOrEqual(0.85 * L);
    expect(2 * latency(final)).toBeLessThanOrEqual(L);
  });

  it('without a batch in the band, settles below L and only re-probes now and then', () => {
    // 40·b ms: b = 2 gives 80 (under the band), b = 3 gives 120 (over L).
    const start = createDnnscalerState({ approach: 'batching', targetMs: L, maxBatch: 16 });
    const { states, decisions } = run(start, 70, (s) => 40 * s.batch);
    const tail = states.slice(10);
    expect(tail.filter((s) => s.batch === 2).length).toBeGreaterThan(tail.length * 0.7);
    expect(tail.every((s) => s.batch <= 3)).toBe(true);
    // A re-probe of b = 3 and the return to 2 at most every 5 periods, never every period.
    expect(decisions.slice(10).filter((d) => d !== undefined).length).toBeLessThanOrEqual(
      2 * Math.ceil(60 / 6),
    );
  });

  it('caps the batch at 127 and at 1', () => {
    const big = run(createDnnscalerState({ approach: 'batching', targetMs: L, maxBatch: 500 }), 20, () => 1);
    expect(big.states.at(-1)!.batch).toBe(127);
    const small = run(
      createDnnscalerState({ approach: 'batching', targetMs: L, initialBatch: 8 }),
      20,
      () => 500,
    );
    expect(small.states.at(-1)!.batch).toBe(1);
  });
});

describe('DNNScaler multi-tenancy scaler', () => {
  const L = 30;
  // k instances on 8 cores, batch 1: l(1, 8/k) = 40·k/8 + 2 = 5·k + 2 ms; estimates for k = 1..8.
  const colocated: Sponge4Model = { kind: 'sponge4', gamma: 40, delta: 0, epsilon: 0, eta: 2 };
  const estimates = colocationEstimatesMs(colocated, 8, 8);

  it('estimates k co-located instances as l(1, C/k)', () => {
    expect(estimates.slice(0, 3)).toEqual([7, 12, 17]);
  });

  it('starts from the largest instance count whose estimated latency is below L', () => {
    const start = createDnnscalerState({
      approach: 'co-location',
      targetMs: L,
      estimatedLatencyMs: estimates,
    });
    expect(start.instances).toBe(5); // 27 ms; 6 instances would take 32 ms
    expect(start.settings.maxInstances).toBe(8);
    // The estimate is right: 27 ms is in [25.5, 30]; nothing moves.
    const { decisions } = run(start, 20, (s) => estimates[s.instances - 1]!);
    expect(decisions.every((d) => d === undefined)).toBe(true);
  });

  it('adds one instance at a time while latency stays under the band, then stays put', () => {
    // The real latency is 70% of the estimate: 5 → 18.9 ms, 6 → 22.4, 7 → 25.9 (in the band).
    const start = createDnnscalerState({
      approach: 'co-location',
      targetMs: L,
      estimatedLatencyMs: estimates,
    });
    const { states, decisions } = run(start, 30, (s) => 0.7 * estimates[s.instances - 1]!);
    expect(decisions.filter((d) => d !== undefined)).toEqual([{ instances: 6 }, { instances: 7 }]);
    expect(decisions.slice(0, 4)).toEqual([undefined, { instances: 6 }, undefined, { instances: 7 }]);
    expect(states.at(-1)!.instances).toBe(7);
  });

  it('ignores a single out-of-band blip (hysteresis)', () => {
    const start = createDnnscalerState({
      approach: 'co-location',
      targetMs: L,
      estimatedLatencyMs: estimates,
    });
    const { decisions } = run(start, 20, (s, i) =>
      i === 7 ? 100 : i === 12 ? 1 : estimates[s.instances - 1]!,
    );
    expect(decisions.every((d) => d === undefined)).toBe(true);
  });

  it('does not flip-flop between a count under the band and one over L', () => {
    // 8·k ms: 3 instances give 24 (under 25.5), 4 give 32 (over 30).
    const start = createDnnscalerState({
      approach: 'co-location',
      targetMs: L,
      maxInstances: 8,
      estimatedLatencyMs: [8, 16, 24, 32, 40, 48, 56, 64],
    });
    expect(start.instances).toBe(3);
    const { states, decisions } = run(start, 70, (s) => 8 * s.instances);
    const moves = decisions.filter((d) => d !== undefined).length;
    // A naive ±1 with two-period hysteresis moves every 2 periods (35 moves); this re-probes 4 only
    // after 5 periods under the band and leaves it after 2 over L: 2 moves per 7 periods.
    expect(moves).toBeLessThanOrEqual(2 * Math.ceil(70 / 7));
    expect(states.filter((s) => s.instances === 3).length).toBeGreaterThan(states.length * 0.65);
  });
});
