// The InfAdapter planner at InfAdapter's own size on the real HiGHS: 5 variants x 20 core options x
// 8 batch sizes within a 20-core budget and a 750 ms SLO. Prints the median and p99 time per solve and
// per plan over 100 seeded random problems; nothing asserts on time (BENCHMARKS.md records timings).
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { infadapterPlanner } from '../../../src/planner/infadapter/infadapter-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { distinctSorted, quantile, randomProblem, timed, uniform } from './infadapter-random-problem.js';

const highs = await HighsSolver.create();

/** InfAdapter's setting: α = 0.05, β = 0.001, 20 cores (1..20 per variant), 750 ms, 20-300 req/s. */
function realistic(seed: number): PlanningProblem {
  const rng = SeededRng.stream(seed, 'infadapter-size');
  const shape = {
    apps: 1,
    variants: 5,
    cpuKinds: 1,
    coreOptions: distinctSorted(rng, 20, 20),
    maxBatch: 128,
  };
  const random = randomProblem(rng, shape);
  const app = random.apps[0]!;
  return {
    ...random,
    objective: { kind: 'accuracy-cost', costWeight: 0.05, reloadWeight: 0.001 },
    budget: { cores: 20 },
    apps: [{ name: app.name, modules: app.modules, edges: [], sloMs: 750, rateRps: uniform(rng, 20, 300) }],
  };
}

describe('InfAdapter planner at realistic size (HiGHS)', () => {
  it('prints solve times at InfAdapter size: 5 variants x 20 core options x 8 batch sizes, 20 cores', () => {
    const plans: number[] = [];
    const solves: number[] = [];
    let feasible = 0;
    // The first solves run HiGHS's WebAssembly before the engine has optimised it: warm up, untimed.
    for (let seed = 1; seed <= 20; seed++) infadapterPlanner(realistic(seed), { solver: highs });
    for (let seed = 1; seed <= 100; seed++) {
      const problem = realistic(seed);
      const clock = timed(highs);
      const start = performance.now();
      const plan = infadapterPlanner(problem, { solver: clock.solver });
      plans.push(performance.now() - start);
      solves.push(...clock.solveMs);
      if (plan.feasible) {
        feasible++;
        expect(checkPlan(problem, plan)).toEqual([]);
      }
    }
    console.log(
      `infadapter at size (100 problems, ${feasible} feasible): solve ms median ${quantile(solves, 0.5).toFixed(2)}, ` +
        `p99 ${quantile(solves, 0.99).toFixed(2)}, max ${Math.max(...solves).toFixed(2)}; whole plan ms median ${quantile(plans, 0.5).toFixed(2)}, p99 ${quantile(plans, 0.99).toFixed(2)}`,
    );
    expect(feasible).toBeGreaterThan(0);
  });
});
