// Sluice against the brute-force oracle on 1000 min-cost pipelines of 2-3 modules (chains, fan-outs
// above 1, sometimes $/h and core budgets): the SLO split is a decision. The default planner (exact
// decomposition where no budget couples modules, the MILP otherwise) and the MILP alone must both give
// the optimum, agree on feasibility, and pass checkPlan; pruning must not change the MILP's optimum.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { createSluicePlanner, sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { compareWithOracle, timing } from './sluice-oracle-check.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

function pipeline(seed: number): RandomProblemKnobs {
  const rng = SeededRng.stream(seed, 'min-cost-pipeline');
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  return {
    objective: 'min-cost',
    modules: int(2, 3),
    branching: rng.next() < 0.3,
    variants: 1,
    hardware: int(1, 2),
    kinds: 'mixed',
    coreOptions: int(1, 2),
    batchOptions: 2,
    costBudget: rng.next() < 0.2,
    coreBudget: rng.next() < 0.15,
    load: 1 + rng.next() * 2,
  };
}

const pipelines = Array.from({ length: 1000 }, (_, i) => ({
  seed: 5000 + i,
  problem: randomProblem(5000 + i, pipeline(5000 + i)),
}));

describe('sluice min-cost against the oracle', () => {
  it('finds the optimum of 1000 pipelines of 2-3 modules', () => {
    const result = compareWithOracle(pipelines, sluicePlanner, solver);
    console.log(
      `min-cost pipelines of 2-3 modules: ${result.feasible} feasible, ${result.infeasible} infeasible; sluice ${timing(result.plannerMs)}; oracle ${(result.oracleMs / pipelines.length).toFixed(2)} ms each`,
    );
    expect(result.failures).toEqual([]);
    expect(result.feasible).toBeGreaterThan(500);
    expect(result.infeasible).toBeGreaterThan(20);
  });

  it('the MILP alone (no decomposition) finds the same optima', () => {
    const milp = createSluicePlanner({ decompose: false });
    const result = compareWithOracle(pipelines.slice(0, 100), milp, solver);
    console.log(
      `min-cost pipelines of 2-3 modules, MILP only: ${result.feasible} feasible; sluice ${timing(result.plannerMs)}`,
    );
    expect(result.failures).toEqual([]);
  });

  it('pruning dominated candidates keeps the MILP optimum', () => {
    const unpruned = createSluicePlanner({ decompose: false, prune: false });
    const pruned = createSluicePlanner({ decompose: false });
    const differences: string[] = [];
    for (const { seed, problem } of pipelines.slice(100, 180)) {
      const a = pruned(problem, { solver });
      const b = unpruned(problem, { solver });
      const gap = Math.abs(a.objectiveValue - b.objectiveValue);
      if (a.feasible !== b.feasible || gap > 1e-6 * Math.max(1, b.objectiveValue))
        differences.push(
          `seed ${seed}: pruned ${a.feasible} ${a.objectiveValue}, unpruned ${b.feasible} ${b.objectiveValue}`,
        );
    }
    expect(differences).toEqual([]);
  });
});
