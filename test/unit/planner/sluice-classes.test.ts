// Sluice against the brute-force oracle on 1000 single-module problems with budget classes (each
// share of requests has its own end-to-end budget): tuples may be held to looser classes, so large
// batches serve loose requests and small batches tight ones. Min-cost mostly, some max-throughput
// within a $/h budget. Optimum, feasibility and checkPlan as in the other families.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { compareWithOracle, timing } from './sluice-oracle-check.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

function knobs(seed: number): RandomProblemKnobs {
  const rng = SeededRng.stream(seed, 'budget-classes');
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  return {
    objective: rng.next() < 0.8 ? 'min-cost' : 'max-throughput',
    variants: 1,
    hardware: 1,
    coreOptions: int(1, 2),
    batchOptions: int(2, 3),
    budgetClasses: int(2, 3),
    costBudget: rng.next() < 0.2,
    load: 1 + rng.next() * 2,
  };
}

const problems = Array.from({ length: 1000 }, (_, i) => ({
  seed: 40_000 + i,
  problem: randomProblem(40_000 + i, knobs(40_000 + i)),
}));

describe('sluice with budget classes against the oracle', () => {
  it('finds the optimum of 1000 problems with 2-3 budget classes', () => {
    const result = compareWithOracle(problems, sluicePlanner, solver);
    console.log(
      `budget classes: ${result.feasible} feasible, ${result.infeasible} infeasible; sluice ${timing(result.plannerMs)}; oracle ${(result.oracleMs / problems.length).toFixed(2)} ms each`,
    );
    expect(result.failures).toEqual([]);
    expect(result.feasible).toBeGreaterThan(500);
    // Some optimal plans hold a tuple to a looser class than the module's budget.
    const held = result.plans.filter((plan) =>
      plan.modules.some((m) => m.tuples.some((t) => t.budgetMs !== undefined && t.budgetMs > m.budgetMs)),
    );
    expect(held.length).toBeGreaterThan(50);
  });
});
