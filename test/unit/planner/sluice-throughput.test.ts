// Sluice against the brute-force oracle on 1000 max-throughput problems within a $/h budget, most
// with query sizes (KAIROS: sized requests run alone, on a mix of cpu and fixed kinds), some with
// instance limits. The most served rate must match the oracle's (ties broken by cost are not
// compared), as must whether anything can be served at all; every feasible plan passes checkPlan.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { compareWithOracle, timing } from './sluice-oracle-check.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create();

function knobs(seed: number): RandomProblemKnobs {
  const rng = SeededRng.stream(seed, 'max-throughput');
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const sized = rng.next() < 0.8;
  return {
    objective: 'max-throughput',
    variants: sized ? 1 : int(1, 2),
    hardware: int(2, 3),
    kinds: 'mixed',
    coreOptions: int(1, 2),
    batchOptions: int(1, 2),
    querySizes: sized ? int(2, 3) : 0,
    instanceLimits: rng.next() < 0.3,
    coreBudget: rng.next() < 0.15,
    load: 1 + rng.next() * 4,
  };
}

const problems = Array.from({ length: 1000 }, (_, i) => ({
  seed: 30_000 + i,
  problem: randomProblem(30_000 + i, knobs(30_000 + i)),
}));

describe('sluice max-throughput against the oracle', () => {
  it('serves the most the $/h budget allows on 1000 problems, most with query sizes', () => {
    const result = compareWithOracle(problems, sluicePlanner, solver);
    console.log(
      `max-throughput: ${result.feasible} feasible, ${result.infeasible} serve nothing; sluice ${timing(result.plannerMs)}; oracle ${(result.oracleMs / problems.length).toFixed(2)} ms each`,
    );
    expect(result.failures).toEqual([]);
    expect(result.feasible).toBeGreaterThan(500);
    const partial = result.plans.filter(
      (plan, i) =>
        plan.feasible && (plan.apps[0]?.servedRps ?? 0) < problems[i]!.problem.apps[0]!.rateRps * (1 - 1e-6),
    );
    // The budget binds in a good share of them: less than the offered rate is served.
    expect(partial.length).toBeGreaterThan(100);
  });
});
