// Sluice against the brute-force oracle on 1000 accuracy-cost single-module problems: several
// variants (more accurate is slower), a current plan running some of them (reload of the others
// costs β·load/longest), the cost term relative to a core budget, a $/h budget or neither, sometimes
// instance limits. The optimum of accuracy − α·cost − β·reload (objectiveValueOf) must match, as must
// feasibility; every feasible plan passes checkPlan.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { compareWithOracle, timing } from './sluice-oracle-check.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

function knobs(seed: number): RandomProblemKnobs {
  const rng = SeededRng.stream(seed, 'accuracy-cost');
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const budget = rng.next();
  return {
    objective: 'accuracy-cost',
    variants: int(2, 3),
    hardware: int(1, 2),
    kinds: 'mixed',
    coreOptions: int(1, 3),
    batchOptions: int(1, 2),
    current: rng.next() < 0.8,
    coreBudget: budget < 0.5,
    costBudget: budget >= 0.3 && budget < 0.8,
    instanceLimits: rng.next() < 0.15,
    load: 1 + rng.next() * 2,
  };
}

const problems = Array.from({ length: 1000 }, (_, i) => ({
  seed: 20_000 + i,
  problem: randomProblem(20_000 + i, knobs(20_000 + i)),
}));

describe('sluice accuracy-cost against the oracle', () => {
  it('finds the optimum of 1000 single-module problems with a current plan and reload', () => {
    const result = compareWithOracle(problems, sluicePlanner, solver);
    console.log(
      `accuracy-cost: ${result.feasible} feasible, ${result.infeasible} infeasible; sluice ${timing(result.plannerMs)}; oracle ${(result.oracleMs / problems.length).toFixed(2)} ms each`,
    );
    expect(result.failures).toEqual([]);
    expect(result.feasible).toBeGreaterThan(500);
    expect(result.infeasible).toBeGreaterThan(20);
  });
});
