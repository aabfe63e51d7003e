// Variants change only every variantIntervalMs, except when the running variants cannot carry the forecast
// at all: a burst beyond the accurate variant's reach switches to the fast one at the next tick instead of
// refusing requests until the interval is over.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { windowMaxForecaster } from '../../../src/forecast/window-max-forecaster.js';
import { plannerByName } from '../../../src/planner/planner-registry.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { runSimulation } from '../../../src/sim/run-simulation.js';
import { buildWorkload } from '../../../src/sim/workload/build-workload.js';
import { parseWorkloadSpec } from '../../../src/sim/workload/workload-spec.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

// Two cores; the accurate variant carries about 8 req/s on both, the fast one about 40.
const problem: PlanningProblem = {
  objective: { kind: 'accuracy-cost', costWeight: 0.05 },
  budget: { cores: 2 },
  hardware: [{ name: 'local', kind: 'cpu', pricePerHour: 1, maxCores: 2, coreOptions: [0.5, 1, 2] }],
  modules: [
    {
      name: 'm',
      maxBatch: 4,
      variants: [
        {
          name: 'accurate',
          accuracy: 0.78,
          loadMs: 500,
          latency: { local: { kind: 'sponge4', gamma: 230, delta: 5, epsilon: 0, eta: 10 } },
        },
        {
          name: 'fast',
          accuracy: 0.7,
          loadMs: 200,
          latency: { local: { kind: 'sponge4', gamma: 40, delta: 2, epsilon: 0, eta: 5 } },
        },
      ],
    },
  ],
  apps: [{ name: 'app', modules: ['m'], edges: [], sloMs: 1000, rateRps: 4 }],
};

const STEP_MS = 20_000;

function run(variantIntervalMs: number) {
  const workload = buildWorkload(parseWorkloadSpec('steps:3@20,25@20'));
  return runSimulation({
    problem,
    arrivals: new Map([['app', workload.arrivals(SeededRng.stream(1, 'arrivals'))]]),
    planner: plannerByName('sluice')!,
    solver,
    forecasters: new Map([['app', windowMaxForecaster({})]]),
    control: { intervalMs: 1000, variantIntervalMs },
    batching: { policy: 'deadline', admission: 'reject', maxQueueDelayMs: 0, maxQueueLength: 100_000 },
    seed: 1,
  });
}

describe('control loop: variant interval', () => {
  it('switches variants at once when the running ones cannot carry a burst', () => {
    const r = run(60_000);
    const before = r.decisions.filter((d) => d.atMs < STEP_MS && d.outcome === 'applied');
    expect(before.length).toBeGreaterThan(0);
    expect(before.at(-1)!.plan.tuples.join(' ')).toContain('accurate');
    const after = r.decisions.filter((d) => d.atMs >= STEP_MS);
    const firstFast = after.find((d) => d.outcome === 'applied' && d.plan.tuples.join(' ').includes('fast'));
    expect(firstFast).toBeDefined();
    // One or two ticks for the forecast to see the step, long before the 60-s interval is over.
    expect(firstFast!.atMs).toBeLessThanOrEqual(STEP_MS + 3000);
    expect(after.filter((d) => d.outcome === 'infeasible')).toEqual([]);
    expect(r.withinSlo / r.requests).toBeGreaterThan(0.95);
  });
});
