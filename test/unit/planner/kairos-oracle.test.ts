// The exhaustive oracle for KAIROS: on 1000 random small problems (2-3 instance types with small
// limits, 1-4 query sizes, a $/h budget), enumerate every pool here, solve each pool's fluid LP with
// HiGHS, and compare the best with kairos's choice: the same served rate, at the same (lowest) cost;
// and the same for the homogeneous baseline over single-type pools. Every feasible plan passes
// checkPlan, stays within budget and limits, and kairos never serves less than the baseline.
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { fluidBoundModel } from '../../../src/planner/kairos/fluid-bound-model.js';
import { planKairos } from '../../../src/planner/kairos/kairos-planner.js';
import { checkPlan, tupleLatencyMs } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const RHO = 0.9;

function randomProblem(seed: number): PlanningProblem {
  const rng = new SeededRng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const types = int(2, 3);
  const sizes = int(1, 4);
  const rows = [...new Set(Array.from({ length: sizes }, () => 10 * int(1, 100)))].sort((a, b) => a - b);
  const weights = rows.map(() => rng.next() + 0.05);
  const total = weights.reduce((a, b) => a + b, 0);
  const hardware = Array.from({ length: types }, (_, h) => ({
    name: `t${h}`,
    kind: 'fixed' as const,
    pricePerHour: Math.round((0.1 + rng.next()) * 100) / 100,
    maxCores: 4,
    maxInstances: int(1, 3),
  }));
  return {
    objective: { kind: 'max-throughput' },
    budget: { costPerHour: Math.round((0.2 + 2 * rng.next()) * 100) / 100 },
    hardware,
    utilisationCap: RHO,
    modules: [
      {
        name: 'm',
        maxBatch: 1,
        variants: [
          {
            name: 'v',
            accuracy: 1,
            latency: Object.fromEntries(
              // GPU-like (large fixed, small per-row cost) to CPU-like (the reverse), each its own.
              hardware.map((h) => [
                h.name,
                {
                  kind: 'sponge4' as const,
                  gamma: 0,
                  delta: 0.02 * Math.pow(50, rng.next()),
                  epsilon: 0,
                  eta: rng.next() * 40,
                },
              ]),
            ),
          },
        ],
      },
    ],
    apps: [
      {
        name: 'a',
        modules: ['m'],
        edges: [],
        sloMs: 50 + rng.next() * 350,
        // Sometimes less than the best pool carries, so the cheapest pool serving it all must win.
        rateRps: rng.next() < 0.3 ? 5 + rng.next() * 100 : 1e6,
        querySizes: rows.map((r, i) => ({ rows: r, share: (weights[i] ?? 0) / total })),
      },
    ],
  };
}

interface Best {
  servedRps: number;
  costPerHour: number;
  mixes: number;
}

/**
 * Every pool within budget and limits, each pool's bound by HiGHS; the best served, then cheapest, over
 * all pools (`mixed`) and over single-type pools (`single`).
 */
function bruteForce(problem: PlanningProblem, solver: HighsSolver): { mixed: Best; single: Best } {
  const app = problem.apps[0]!;
  const variant = problem.modules[0]!.variants[0]!;
  const sizes = app.querySizes!;
  const latencyMs = sizes.map((q) =>
    problem.hardware.map((h) => {
      const l = tupleLatencyMs(variant, h.name, q.rows, h.maxCores)!;
      return l <= app.sloMs ? l : Number.POSITIVE_INFINITY;
    }),
  );
  const pools: number[][] = [[]];
  for (const h of problem.hardware) {
    const next: number[][] = [];
    for (const p of pools) for (let n = 0; n <= (h.maxInstances ?? 0); n++) next.push([...p, n]);
    pools.splice(0, pools.length, ...next);
  }
  const evaluated: { served: number; cost: number; single: boolean }[] = [];
  for (const pool of pools) {
    const used = pool.filter((n) => n > 0).length;
    if (used === 0) continue;
    const cost = pool.reduce((c, n, h) => c + n * problem.hardware[h]!.pricePerHour, 0);
    if (cost > problem.budget!.costPerHour! + 1e-9) continue;
    const lp = solver.solve(
      fluidBoundModel({
        shares: sizes.map((q) => q.share),
        latencyMs,
        capacityMsPerS: pool.map((n) => n * RHO * 1000),
      }),
    );
    if (lp.status !== 'optimal') throw new Error(`HiGHS: ${lp.status}`);
    evaluated.push({ served: Math.min(app.rateRps, lp.objective), cost, single: used === 1 });
  }
  const bestOf = (candidates: typeof evaluated): Best => {
    const servedRps = Math.max(0, ...candidates.map((e) => e.served));
    const top = candidates.filter((e) => e.served >= servedRps * (1 - 1e-7));
    return { servedRps, costPerHour: Math.min(...top.map((e) => e.cost)), mixes: candidates.length };
  };
  return { mixed: bestOf(evaluated), single: bestOf(evaluated.filter((e) => e.single)) };
}

describe('kairos against the exhaustive oracle', () => {
  let solver: HighsSolver;
  beforeAll(async () => {
    solver = await HighsSolver.create();
  });

  it('matches brute force over every pool on 1000 random problems', () => {
    let mixes = 0;
    let infeasible = 0;
    let mixedWins = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const problem = randomProblem(seed);
      const oracles = bruteForce(problem, solver);
      for (const singleType of [false, true]) {
        const { plan, search } = planKairos(problem, { singleType });
        const oracle = singleType ? oracles.single : oracles.mixed;
        if (!singleType) mixes += oracle.mixes;
        expect(search?.mixesEnumerated, `seed ${seed}`).toBe(oracle.mixes);
        if (oracle.servedRps === 0) {
          expect(plan.feasible, `seed ${seed}: ${plan.reason}`).toBe(false);
          if (!singleType) infeasible++;
          continue;
        }
        expect(plan.feasible, `seed ${seed}: ${plan.reason}`).toBe(true);
        expect(checkPlan(problem, plan)).toEqual([]);
        expect(Math.abs(plan.objectiveValue - oracle.servedRps), `seed ${seed}`).toBeLessThanOrEqual(
          1e-6 * oracle.servedRps,
        );
        expect(plan.costPerHour, `seed ${seed}`).toBeCloseTo(oracle.costPerHour, 9);
        expect(plan.costPerHour).toBeLessThanOrEqual(problem.budget!.costPerHour! + 1e-9);
        for (const t of plan.modules[0]!.tuples)
          expect(t.instances).toBeLessThanOrEqual(
            problem.hardware.find((h) => h.name === t.hardware)!.maxInstances!,
          );
      }
      const mixed = planKairos(problem).plan.objectiveValue;
      const single = planKairos(problem, { singleType: true }).plan.objectiveValue;
      expect(mixed).toBeGreaterThanOrEqual(single * (1 - 1e-9));
      if (mixed > single * (1 + 1e-6)) mixedWins++;
    }
    console.log(
      `kairos = brute force (HiGHS LP per pool) on 1000 problems: ${mixes} pools, ${infeasible} with no servable pool, ` +
        `${mixedWins} where a mix beats every single-type pool`,
    );
    expect(mixedWins).toBeGreaterThan(50);
    expect(infeasible).toBeLessThan(500);
  });
});
