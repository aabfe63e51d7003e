// A simulated run of the real engine, control loop and planners: every request answered exactly once,
// the same seed gives the same event log byte for byte, adaptation follows a step in load, and a static
// deployment that cannot carry the load loses requests.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { windowMaxForecaster } from '../../../src/forecast/window-max-forecaster.js';
import { plannerByName } from '../../../src/planner/planner-registry.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { runSimulation } from '../../../src/sim/run-simulation.js';
import type { SimulationSpec } from '../../../src/sim/simulation-types.js';
import { buildWorkload } from '../../../src/sim/workload/build-workload.js';
import { parseWorkloadSpec } from '../../../src/sim/workload/workload-spec.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

// The full ResNet-50 profiled on this machine: l(b,c) = 94.6·b/c + 6.98·b + 11.2 ms.
const problem: PlanningProblem = {
  objective: { kind: 'min-cost' },
  budget: { cores: 16 },
  hardware: [{ name: 'local', kind: 'cpu', pricePerHour: 1, maxCores: 16 }],
  modules: [
    {
      name: 'resnet',
      maxBatch: 8,
      variants: [
        {
          name: 'resnet50',
          accuracy: 0.76,
          loadMs: 720,
          latency: { local: { kind: 'sponge4', gamma: 94.6, delta: 6.98, epsilon: 0, eta: 11.2 } },
        },
      ],
    },
  ],
  apps: [{ name: 'classify', modules: ['resnet'], edges: [], sloMs: 1000, rateRps: 20 }],
};

function spec(over: Partial<SimulationSpec> & { workload?: string } = {}): SimulationSpec {
  const workload = buildWorkload(parseWorkloadSpec(over.workload ?? 'steps:20@30,40@30,10@30'));
  return {
    problem,
    arrivals: new Map([['classify', workload.arrivals(SeededRng.stream(over.seed ?? 1, 'arrivals'))]]),
    planner: plannerByName('sponge')!,
    solver,
    forecasters: new Map([['classify', windowMaxForecaster({})]]),
    control: { intervalMs: 1000 },
    batching: { policy: 'deadline', admission: 'reject', maxQueueDelayMs: 0, maxQueueLength: 100_000 },
    seed: 1,
    eventLog: true,
    ...over,
  };
}

const hash = (lines: readonly string[] | undefined): string =>
  createHash('sha256')
    .update((lines ?? []).join('\n'))
    .digest('hex');

describe('runSimulation', () => {
  it('answers every request exactly once and accounts for its outcome', () => {
    const r = runSimulation(spec());
    const { completed, rejected, expired, failed } = r.outcomes;
    expect(completed + rejected + expired + failed).toBe(r.requests);
    expect(r.requests).toBeGreaterThan(1500);
    expect(r.withinSlo).toBeLessThanOrEqual(completed);
    expect(r.series.reduce((s, p) => s + p.arrivals, 0)).toBe(r.requests);
    expect(r.series.reduce((s, p) => s + p.completed, 0)).toBe(completed);
    const outcomes = (r.eventLog ?? []).filter((l) => / (completed|rejected|expired|failed) /.test(l));
    expect(outcomes).toHaveLength(r.requests);
  });

  it('gives a byte-identical event log for the same seed, and another for another seed', () => {
    const a = runSimulation(spec());
    const b = runSimulation(spec());
    const c = runSimulation(spec({ seed: 2 }));
    expect(hash(a.eventLog)).toBe(hash(b.eventLog));
    expect(a.eventLog?.length).toBe(b.eventLog?.length);
    expect(hash(c.eventLog)).not.toBe(hash(a.eventLog));
  });

  it('scales up when the load steps up and back down after it falls', () => {
    // Down only once the 60 s forecast window and the 30 s stabilisation window have both passed.
    const r = runSimulation(spec({ workload: 'steps:20@30,40@30,10@120' }));
    const coresAt = (tS: number): number => r.series.find((p) => p.tS === tS)?.cores ?? Number.NaN;
    expect(coresAt(45)).toBeGreaterThan(coresAt(15));
    expect(coresAt(170)).toBeLessThan(coresAt(45));
    expect(r.planChanges).toBeGreaterThanOrEqual(2);
    expect(r.attainment).toBeGreaterThan(0.97);
  });

  it('loses requests when a static deployment sized for 20 req/s meets 40', () => {
    const r = runSimulation(spec({ control: undefined, workload: 'poisson:40:30' }));
    expect(r.planChanges).toBe(0);
    expect(r.attainment).toBeLessThan(0.9);
    expect(r.outcomes.rejected + r.outcomes.expired).toBeGreaterThan(0);
  });
});
