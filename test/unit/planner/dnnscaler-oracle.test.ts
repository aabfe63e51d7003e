// DNNScaler is exact for its own knobs: on 1500 seeded random single-model problems it picks the
// brute-force approach and knob, its objective matches (cost, or served rate under max-throughput), it is
// feasible exactly when the brute force's knob meets the problem, and feasible plans pass the model.
import { describe, expect, it } from 'vitest';
import type { Solver } from '../../../src/ports/solver.js';
import { dnnscalerPlanner } from '../../../src/planner/dnnscaler/dnnscaler-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import { dnnscalerOracle } from './dnnscaler-oracle.js';
import { randomSingleModelProblem } from './sponge-random-problems.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('unexpected solver call');
  },
};
const PROBLEMS = 1500;
const SEED = 5150;

describe('dnnscalerPlanner against the brute-force oracle', () => {
  it(`agrees on ${PROBLEMS} random problems`, () => {
    const mismatches: string[] = [];
    const counts = { feasible: 0, colocation: 0, batching: 0, none: 0 };
    for (let i = 0; i < PROBLEMS; i++) {
      const problem = randomSingleModelProblem(SEED, i, { maxThroughputShare: 0.4 });
      const plan = dnnscalerPlanner.plan(problem, { solver: noSolver });
      const oracle = dnnscalerOracle(problem);
      if (plan.feasible) expect(checkPlan(problem, plan), `problem ${i}`).toEqual([]);
      if (oracle === undefined) {
        counts.none++;
        if (plan.feasible) mismatches.push(`problem ${i}: planner feasible, oracle finds no knob`);
        continue;
      }
      counts[oracle.approach === 'co-location' ? 'colocation' : 'batching']++;
      const tuple = plan.modules[0]?.tuples[0];
      const got = tuple && [tuple.instances, tuple.cores, tuple.batch];
      const want = [oracle.instances, oracle.cores, oracle.batch];
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`problem ${i}: knob ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      if (plan.feasible !== oracle.feasible)
        mismatches.push(`problem ${i}: planner ${plan.feasible} (${plan.reason}), oracle ${oracle.feasible}`);
      if (!oracle.feasible || !plan.feasible) continue;
      counts.feasible++;
      expect(Math.abs(plan.objectiveValue - oracle.objectiveValue)).toBeLessThanOrEqual(
        1e-6 * Math.max(1, Math.abs(oracle.objectiveValue)),
      );
    }
    console.log(
      `dnnscaler oracle: ${PROBLEMS} problems, ${counts.feasible} feasible; co-location chosen ${counts.colocation}, ` +
        `batching ${counts.batching}, no knob ${counts.none}; ${mismatches.length} mismatches`,
    );
    expect(mismatches).toEqual([]);
    expect(counts.feasible).toBeGreaterThan(PROBLEMS * 0.2);
    expect(counts.colocation).toBeGreaterThan(PROBLEMS * 0.05);
    expect(counts.batching).toBeGreaterThan(PROBLEMS * 0.05);
  });
});
