// Sluice against the brute-force oracle on 1000 min-cost single-module problems (variants, cpu and
// fixed kinds, cores, batches; sometimes $/h, core and instance budgets). The default planner (exact
// decomposition where no budget couples tuples, the MILP otherwise) and the MILP alone must both give
// the optimum, agree on feasibility, and pass checkPlan; pruning must not change the MILP's optimum.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { createSluicePlanner, sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { compareWithOracle, timing } from './sluice-oracle-check.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

function singleModule(seed: number): RandomProblemKnobs {
  const rng = SeededRng.stream(seed, 'min-cost-single');
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  return {
    objective: 'min-cost',
    variants: int(1, 2),
    hardware: int(1, 2),
    kinds: 'mixed',
    coreOptions: int(1, 3),
    batchOptions: int(1, 3),
    costBudget: rng.next() < 0.3,
    coreBudget: rng.next() < 0.2,
    instanceLimits: rng.next() < 0.2,
    load: 1 + rng.next() * 3,
  };
}

const singles = Array.from({ length: 1000 }, (_, i) => ({
  seed: i + 1,
  problem: randomProblem(i + 1, singleModule(i + 1)),
}));

describe('sluice min-cost against the oracle', () => {
  it('finds the optimum of 1000 single-module problems', () => {
    const result = compareWithOracle(singles, sluicePlanner, solver);
    console.log(
      `min-cost single-module problems: ${result.feasible} feasible, ${result.infeasible} infeasible; sluice ${timing(result.plannerMs)}; oracle ${(result.oracleMs / singles.length).toFixed(2)} ms each`,
    );
    expect(result.failures).toEqual([]);
    expect(result.feasible).toBeGreaterThan(500);
    expect(result.infeasible).toBeGreaterThan(20);
  });

  it('the MILP alone (no decomposition) finds the same optima', () => {
    const milp = createSluicePlanner({ decompose: false });
    const result = compareWithOracle(singles.slice(0, 250), milp, solver);
    console.log(
      `min-cost single-module problems, MILP only: ${result.feasible} feasible; sluice ${timing(result.plannerMs)}`,
    );
    expect(result.failures).toEqual([]);
  });

  it('pruning dominated candidates keeps the MILP optimum', () => {
    const unpruned = createSluicePlanner({ decompose: false, prune: false });
    const pruned = createSluicePlanner({ decompose: false });
    const differences: string[] = [];
    for (const { seed, problem } of singles.slice(250, 400)) {
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
