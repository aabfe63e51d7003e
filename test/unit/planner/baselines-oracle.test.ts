// Every baseline on 1000 seeded random single-model problems: a plan that says feasible passes the
// planning model, and none is cheaper than the cheapest single-tuple plan (brute force); how often each
// reaches that optimum is reported, with a floor for the ones that should sometimes.
import { describe, expect, it } from 'vitest';
import type { Solver } from '../../../src/ports/solver.js';
import { clipperPlanner } from '../../../src/planner/baselines/clipper-planner.js';
import { hpaPlanner } from '../../../src/planner/baselines/hpa-planner.js';
import { staticPlanner } from '../../../src/planner/baselines/static-planner.js';
import { tritonPlanner } from '../../../src/planner/baselines/triton-planner.js';
import { vpaPlanner } from '../../../src/planner/baselines/vpa-planner.js';
import { dnnscalerPlanner } from '../../../src/planner/dnnscaler/dnnscaler-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import { spongePlanner } from '../../../src/planner/sponge/sponge-planner.js';
import { minCostSingleTuple } from './baselines-oracle.js';
import { randomSingleModelProblem } from './sponge-random-problems.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('unexpected solver call');
  },
};
const PROBLEMS = 1000;
const SEED = 777;
// This seed: static 144 of 488 (30%), hpa 214 of 482 (44%), sponge 386 of 650 (59%; it keeps one
// variant and one cpu kind, and scales vertically first).
const FLOORS = { static: 0.25, hpa: 0.4, sponge: 0.55 };
const ENTRIES = [
  staticPlanner,
  vpaPlanner,
  hpaPlanner,
  clipperPlanner,
  tritonPlanner,
  spongePlanner,
  dnnscalerPlanner,
];

describe('baselines on random problems', () => {
  it(`stay within the planning model and never beat the optimum on ${PROBLEMS} problems`, () => {
    const stats = new Map(ENTRIES.map((e) => [e.name, { feasible: 0, optimal: 0, comparable: 0 }]));
    const failures: string[] = [];
    let optimumFound = 0;
    for (let i = 0; i < PROBLEMS; i++) {
      const problem = randomSingleModelProblem(SEED, i);
      const optimum = problem.objective.kind === 'min-cost' ? minCostSingleTuple(problem) : undefined;
      if (optimum !== undefined) optimumFound++;
      for (const entry of ENTRIES) {
        const plan = entry.plan(problem, { solver: noSolver });
        const s = stats.get(entry.name)!;
        if (!plan.feasible) continue;
        s.feasible++;
        const violations = checkPlan(problem, plan);
        if (violations.length > 0) failures.push(`${entry.name} problem ${i}: ${violations[0]}`);
        if (problem.objective.kind !== 'min-cost') continue;
        s.comparable++;
        if (optimum === undefined) {
          failures.push(`${entry.name} problem ${i}: feasible where no single tuple is`);
          continue;
        }
        if (plan.costPerHour < optimum * (1 - 1e-6) - 1e-9)
          failures.push(`${entry.name} problem ${i}: ${plan.costPerHour} $/h, under the optimum ${optimum}`);
        if (plan.costPerHour <= optimum * (1 + 1e-6) + 1e-9) s.optimal++;
      }
    }
    const lines = [...stats].map(
      ([name, s]) =>
        `${name}: feasible ${s.feasible}, at the min-cost optimum ${s.optimal} of ${s.comparable}`,
    );
    console.log(
      `baselines: ${PROBLEMS} problems, ${optimumFound} with a feasible min-cost single tuple\n  ${lines.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
    const share = (name: string): number => {
      const s = stats.get(name)!;
      return s.optimal / Math.max(1, s.comparable);
    };
    // Floors a little under what this seed gives, so a regression shows.
    expect(share('static')).toBeGreaterThan(FLOORS.static);
    expect(share('hpa')).toBeGreaterThan(FLOORS.hpa);
    expect(share('sponge')).toBeGreaterThan(FLOORS.sponge);
  });
});
