// Harpagon against the brute-force oracle on 1000 seeded random small pipelines (2-4 modules: chains,
// a fan-out and a diamond; 1-2 hardware kinds incl. a fixed GPU-like kind; 2-3 core options; 2-4
// batch options; sometimes a binding $/h budget): harpagon-exact's cost equals the optimum and it is
// feasible exactly when the oracle is; every feasible plan passes checkPlan; the greedy's share of
// optimal plans is printed and floored at the 95% goal (the paper reports 91.5%).
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { appGraph } from '../../../src/planner/app-graph.js';
import { harpagonExactPlanner } from '../../../src/planner/harpagon/harpagon-exact-planner.js';
import { harpagonPlanner } from '../../../src/planner/harpagon/harpagon-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { Solver } from '../../../src/ports/solver.js';
import { bruteForceMinCost } from './harpagon-oracle.js';
import { randomSmallPipeline } from './harpagon-random-problems.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('Harpagon needs no solver');
  },
};

const PROBLEMS = 1000;

describe('harpagon vs the brute-force oracle', () => {
  it('harpagon-exact is optimal, the greedy mostly so, and every feasible plan checks', () => {
    let feasible = 0;
    let greedyOptimal = 0;
    let greedyFeasible = 0;
    let worstGap = 0;
    let vectors = 0;
    let multiTuple = 0;
    let padded = 0;
    let graphs = 0;
    let overBudget = 0;
    const failures: string[] = [];
    for (let seed = 1; seed <= PROBLEMS; seed++) {
      const problem = randomSmallPipeline(SeededRng.stream(seed, 'harpagon-oracle'));
      const greedy = harpagonPlanner(problem, { solver: noSolver });
      const exact = harpagonExactPlanner(problem, { solver: noSolver });
      for (const plan of [greedy, exact]) {
        if (plan.feasible) expect(checkPlan(problem, plan), `seed ${seed} ${plan.planner}`).toEqual([]);
        else expect(plan.reason, `seed ${seed}`).not.toBe('');
      }
      const known = [greedy, exact].filter((p) => p.feasible).map((p) => p.costPerHour);
      const oracle = bruteForceMinCost(problem, Math.min(Infinity, ...known));
      vectors += oracle.vectors;
      if (oracle.feasible !== exact.feasible) {
        failures.push(
          `seed ${seed}: oracle feasible ${oracle.feasible}, exact ${exact.feasible} (${exact.reason})`,
        );
        continue;
      }
      const graph = appGraph(problem.apps[0]!);
      if (typeof graph !== 'string' && graph.paths.length > 1) graphs++;
      if (!oracle.feasible) {
        if (problem.budget !== undefined) overBudget++;
        continue;
      }
      feasible++;
      if (exact.modules.some((m) => m.tuples.length > 1)) multiTuple++;
      if (exact.modules.some((m) => m.tuples.some((t) => t.dummyRps > 0))) padded++;
      const relative = (exact.costPerHour - oracle.costPerHour) / oracle.costPerHour;
      if (Math.abs(relative) > 1e-6)
        failures.push(`seed ${seed}: exact ${exact.costPerHour}, oracle ${oracle.costPerHour}`);
      if (greedy.feasible) {
        greedyFeasible++;
        const gap = (greedy.costPerHour - oracle.costPerHour) / oracle.costPerHour;
        worstGap = Math.max(worstGap, gap);
        if (gap <= 1e-6) greedyOptimal++;
      }
    }
    const share = greedyOptimal / feasible;
    console.log(
      `harpagon oracle: ${PROBLEMS} problems, ${feasible} feasible; harpagon-exact optimal on all; ` +
        `harpagon (greedy) optimal on ${greedyOptimal}/${feasible} = ${(100 * share).toFixed(1)}% ` +
        `(feasible on ${greedyFeasible}), worst gap ${(100 * worstGap).toFixed(1)}%; ${vectors} oracle vectors; ` +
        `optimal plans with a multi-tuple module ${multiTuple}, with dummies ${padded}; ${graphs} DAGs with several paths; ` +
        `${overBudget} infeasible over their $/h budget`,
    );
    expect(failures).toEqual([]);
    expect(feasible).toBeGreaterThan(PROBLEMS / 2);
    expect(Math.min(multiTuple, padded, graphs, overBudget)).toBeGreaterThan(20);
    expect(share).toBeGreaterThanOrEqual(0.95);
  });
});
