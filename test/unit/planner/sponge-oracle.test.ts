// Sponge is exact for its own formulation: on 1500 seeded random single-model problems its plan is the
// brute-force lexicographic optimum (instances, cores, batch), its cost matches, it is feasible exactly
// when the brute force finds a solution, and every feasible plan passes the planning model.
import { describe, expect, it } from 'vitest';
import type { Solver } from '../../../src/ports/solver.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import { spongePlanner } from '../../../src/planner/sponge/sponge-planner.js';
import { spongeOracle } from './sponge-oracle.js';
import { randomSingleModelProblem } from './sponge-random-problems.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('unexpected solver call');
  },
};
const PROBLEMS = 1500;
const SEED = 20240501;

describe('spongePlanner against the brute-force oracle', () => {
  it(`agrees on ${PROBLEMS} random problems`, () => {
    let feasible = 0;
    let horizontal = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < PROBLEMS; i++) {
      const problem = randomSingleModelProblem(SEED, i);
      const plan = spongePlanner.plan(problem, { solver: noSolver });
      const oracle = spongeOracle(problem);
      if (plan.feasible) expect(checkPlan(problem, plan), `problem ${i}`).toEqual([]);
      if (plan.feasible !== (oracle !== undefined)) {
        mismatches.push(
          `problem ${i}: planner ${plan.feasible} (${plan.reason}), oracle ${JSON.stringify(oracle)}`,
        );
        continue;
      }
      if (oracle === undefined) continue;
      feasible++;
      if (oracle.instances > 1) horizontal++;
      const tuple = plan.modules[0]?.tuples[0];
      const got = tuple && [tuple.variant, tuple.hardware, tuple.instances, tuple.cores, tuple.batch];
      const want = [oracle.variant, oracle.hardware, oracle.instances, oracle.cores, oracle.batch];
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`problem ${i}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      expect(Math.abs(plan.costPerHour - oracle.costPerHour)).toBeLessThanOrEqual(
        1e-6 * Math.max(1, oracle.costPerHour),
      );
      if (problem.objective.kind === 'min-cost')
        expect(plan.objectiveValue).toBeCloseTo(oracle.costPerHour, 9);
    }
    console.log(
      `sponge oracle: ${PROBLEMS} problems, ${feasible} feasible (${horizontal} needing several instances), ${mismatches.length} mismatches`,
    );
    expect(mismatches).toEqual([]);
    // The generator must exercise both outcomes and horizontal scaling.
    expect(feasible).toBeGreaterThan(PROBLEMS * 0.3);
    expect(feasible).toBeLessThan(PROBLEMS * 0.95);
    expect(horizontal).toBeGreaterThan(PROBLEMS * 0.05);
  });
});
