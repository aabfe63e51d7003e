// The InfAdapter planner on the real HiGHS (its conformance test): on seeded random small problems its
// objective equals the brute-force optimum of its formulation, it is feasible exactly when the oracle
// is, and every feasible plan passes checkPlan; infeasible problems name the binding constraint with
// the oracle's numbers; its frontier programme and its MILP (the fallback) agree. Prints the time
// spent; nothing asserts on time.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { infadapterPlanner, planInfadapter } from '../../../src/planner/infadapter/infadapter-planner.js';
import type { Plan } from '../../../src/planner/plan.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem, PlanningVariant } from '../../../src/planner/planning-problem.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { bruteForceInfadapter } from './infadapter-brute-force.js';
import { quantile, randomProblem, smallShape, sum, timed } from './infadapter-random-problem.js';

const highs = await HighsSolver.create();

describe('InfAdapter planner against the brute-force oracle (HiGHS)', () => {
  it('matches the optimum, feasibility and binding constraint on 1000 random small problems', () => {
    const failures: string[] = [];
    const planMs: number[] = [];
    const clock = timed(highs);
    let feasible = 0;
    let evaluated = 0;
    let oracleMs = 0;
    const reasons = { latency: 0, capacity: 0 };
    const kinds = { minCost: 0, twoApps: 0, twoCpuKinds: 0 };
    for (let seed = 1; seed <= 1000; seed++) {
      const rng = SeededRng.stream(seed, 'infadapter-oracle');
      const problem = randomProblem(rng, smallShape(rng));
      const start = performance.now();
      const plan: Plan = infadapterPlanner(problem, { solver: clock.solver });
      planMs.push(performance.now() - start);
      const oracleStart = performance.now();
      const oracle = bruteForceInfadapter(problem);
      oracleMs += performance.now() - oracleStart;
      if (problem.objective.kind === 'min-cost') kinds.minCost++;
      if (problem.apps.length > 1) kinds.twoApps++;
      if (problem.hardware.filter((h) => h.kind === 'cpu').length > 1) kinds.twoCpuKinds++;
      evaluated += oracle.evaluated;
      const fail = (what: string): void => {
        failures.push(`seed ${seed}: ${what}`);
      };
      if (plan.feasible !== oracle.feasible) {
        fail(`planner feasible=${plan.feasible} (${plan.reason}), oracle feasible=${oracle.feasible}`);
        continue;
      }
      if (plan.feasible) {
        feasible++;
        const gap = Math.abs(plan.objectiveValue - oracle.objectiveValue);
        if (gap > 1e-6 * Math.max(Math.abs(oracle.objectiveValue), 1e-9))
          fail(`objective ${plan.objectiveValue}, oracle ${oracle.objectiveValue}`);
        const violations = checkPlan(problem, plan);
        if (violations.length > 0) fail(`checkPlan: ${violations.join('; ')}`);
        continue;
      }
      if (/^latency:/.test(plan.reason)) reasons.latency++;
      else if (/^capacity:/.test(plan.reason)) {
        reasons.capacity++;
        const stated = /is ([\d.]+) req\/s, below/.exec(plan.reason)?.[1];
        if (problem.apps.length === 1 && Number(stated) !== Math.round(oracle.mostCarriedRps[0]! * 10) / 10)
          fail(`reason states ${stated} req/s, oracle's most is ${oracle.mostCarriedRps[0]}: ${plan.reason}`);
      } else fail(`unexpected reason: ${plan.reason}`);
    }
    console.log(
      `infadapter oracle: 1000 problems (${kinds.minCost} min-cost, ${kinds.twoApps} with two apps, ${kinds.twoCpuKinds} with two cpu kinds), ${feasible} feasible, infeasible by latency ${reasons.latency} / capacity ${reasons.capacity}; ` +
        `oracle: ${evaluated} assignments valued in ${oracleMs.toFixed(0)} ms; planner: ${sum(planMs).toFixed(0)} ms, ` +
        `${clock.solveMs.length} solves, solve ms median ${quantile(clock.solveMs, 0.5).toFixed(2)} p99 ${quantile(clock.solveMs, 0.99).toFixed(2)}`,
    );
    expect(failures).toEqual([]);
    expect(feasible).toBeGreaterThan(400);
    expect(reasons.latency).toBeGreaterThan(10);
    expect(reasons.capacity).toBeGreaterThan(10);
  });

  it('solves the same as its MILP on 1000 random problems (the frontier programme and the fallback agree)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const rng = SeededRng.stream(seed, 'infadapter-frontier-milp');
      const problem = randomProblem(rng, smallShape(rng));
      const frontier = planInfadapter(problem, highs);
      const milp = planInfadapter(problem, highs, { frontierStates: 0 });
      expect(frontier.feasible, `seed ${seed}`).toBe(milp.feasible);
      if (!frontier.feasible) continue;
      compared++;
      expect(frontier.objectiveValue, `seed ${seed}`).toBeCloseTo(milp.objectiveValue, 6);
    }
    expect(compared).toBeGreaterThan(400);
  });

  it('names the capacity bound with its numbers, and the shared budget when apps fit only alone', () => {
    const rng = SeededRng.stream(7, 'infadapter-reasons');
    const one = randomProblem(rng, {
      apps: 1,
      variants: 3,
      cpuKinds: 1,
      coreOptions: [2, 4, 8],
      maxBatch: 4,
    });
    const tight: PlanningProblem = {
      ...one,
      budget: { cores: 6 },
      apps: [{ ...one.apps[0]!, sloMs: 500, budgets: [], rateRps: 1e5 }],
    };
    const most = bruteForceInfadapter(tight).mostCarriedRps[0]!;
    expect(infadapterPlanner(tight, { solver: highs }).reason).toBe(
      `capacity: the most any combination within 6 cores carries within 500 ms is ${Math.round(most * 10) / 10} req/s, below the 100000 req/s needed`,
    );
    // Two apps, each served alone by the 8-core budget, but not both at once.
    const variant: PlanningVariant = {
      name: 'v',
      accuracy: 0.8,
      latency: { cpu: { kind: 'sponge4', gamma: 100, delta: 0, epsilon: 0, eta: 0 } },
    };
    const shared: PlanningProblem = {
      objective: { kind: 'accuracy-cost', costWeight: 0.05 },
      budget: { cores: 8 },
      hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 0.05, maxCores: 8 }],
      modules: ['m0', 'm1'].map((name) => ({ name, maxBatch: 1, variants: [variant] })),
      // l(1, c) = 100/c ms: c cores carry 9·c req/s at ρ 0.9; each app needs 50 (6 cores).
      apps: ['m0', 'm1'].map((m) => ({ name: m, modules: [m], edges: [], sloMs: 1000, rateRps: 50 })),
    };
    expect(infadapterPlanner(shared, { solver: highs }).reason).toBe(
      'capacity: each app fits alone, but within 8 cores the apps together carry at most 72 req/s of the 100 req/s they need',
    );
  });
});
