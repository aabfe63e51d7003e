// The frontier programme (src/planner/sluice/frontier-solve.ts) solves groups of one-module apps without a
// MILP. It must apply to the families it claims (so the planner really takes it), and give the MILP's
// optimum: same feasibility, same objective, on random problems of every objective it covers.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { sluiceCandidates } from '../../../src/planner/sluice/sluice-candidates.js';
import { solveByFrontier } from '../../../src/planner/sluice/frontier-solve.js';
import { createSluicePlanner, sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';

const solver = await HighsSolver.create();
const milpOnly = createSluicePlanner({ frontier: false });

function knobs(seed: number): RandomProblemKnobs {
  const rng = SeededRng.stream(seed, 'frontier');
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const pick = rng.next();
  const objective = pick < 0.5 ? 'min-cost' : pick < 0.75 ? 'max-throughput' : 'accuracy-cost';
  return {
    objective,
    apps: int(1, 2),
    variants: objective === 'accuracy-cost' ? int(2, 4) : int(1, 2),
    hardware: int(1, 2),
    coreOptions: int(1, 3),
    batchOptions: int(1, 3),
    budgetClasses: objective === 'min-cost' ? int(0, 3) : 0,
    costBudget: rng.next() < 0.4,
    load: 1 + rng.next() * 3,
  };
}

function goalOf(problem: PlanningProblem): Parameters<typeof solveByFrontier>[2] {
  const kind = problem.objective.kind;
  return kind === 'min-cost' ? { kind } : kind === 'max-throughput' ? { kind: 'max-served' } : { kind };
}

describe('sluice frontier programme', () => {
  it('applies to random one-module problems and gives the MILP optimum', () => {
    let applied = 0;
    let feasible = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 400; i++) {
      const seed = 70_000 + i;
      const problem = randomProblem(seed, knobs(seed));
      const candidates = sluiceCandidates(problem, {});
      if (solveByFrontier(problem, candidates, goalOf(problem)) !== undefined) applied++;
      const a = sluicePlanner(problem, { solver });
      const b = milpOnly(problem, { solver });
      if (a.feasible !== b.feasible) {
        mismatches.push(`seed ${seed}: feasible ${a.feasible} (frontier) vs ${b.feasible} (MILP)`);
        continue;
      }
      if (!a.feasible) continue;
      feasible++;
      const tolerance = 1e-6 * Math.max(1, Math.abs(b.objectiveValue));
      if (Math.abs(a.objectiveValue - b.objectiveValue) > tolerance)
        mismatches.push(
          `seed ${seed}: objective ${a.objectiveValue} (frontier) vs ${b.objectiveValue} (MILP)`,
        );
    }
    expect(mismatches).toEqual([]);
    expect(feasible).toBeGreaterThan(200);
    expect(applied).toBeGreaterThan(300);
  });
});
