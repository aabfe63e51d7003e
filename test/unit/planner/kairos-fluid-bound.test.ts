// KAIROS's fluid bound of a pool: hand-solved cases, the LP stated as data, and the column-generation
// solver against that LP solved by HiGHS on random pools.
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import {
  boundFromPrices,
  fluidBound,
  FluidBoundSolver,
  type FluidPool,
} from '../../../src/planner/kairos/fluid-bound.js';
import {
  FLUID_RATE_VARIABLE,
  fluidBoundModel,
  fluidRateVariable,
} from '../../../src/planner/kairos/fluid-bound-model.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const X = Number.POSITIVE_INFINITY;

/** Every class carried in full and every type within its time: the bound's rates are a plan. */
function expectFeasible(pool: FluidPool, bound: ReturnType<typeof fluidBound>): void {
  pool.shares.forEach((share, s) => {
    const row = bound.ratesRps[s] ?? [];
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(bound.rateRps * share, 6);
    row.forEach((r, h) => {
      expect(r).toBeGreaterThanOrEqual(0);
      if (r > 0) expect(Number.isFinite(pool.latencyMs[s]?.[h] ?? X)).toBe(true);
    });
  });
  pool.capacityMsPerS.forEach((capacity, h) => {
    const used = pool.shares.reduce((u, _, s) => {
      const r = bound.ratesRps[s]?.[h] ?? 0;
      return r > 0 ? u + r * (pool.latencyMs[s]?.[h] ?? X) : u;
    }, 0);
    expect(used).toBeLessThanOrEqual(capacity * (1 + 1e-9));
  });
}

describe('fluid bound', () => {
  const cases: { name: string; pool: FluidPool; rateRps: number }[] = [
    {
      // One type: R · Σ p_s l_s = C → R = 900 / (0.5·10 + 0.5·30) = 45.
      name: 'one type: capacity over mean time',
      pool: { shares: [0.5, 0.5], latencyMs: [[10], [30]], capacityMsPerS: [900] },
      rateRps: 45,
    },
    {
      // Small queries take 10 ms on the CPU, 5 on the GPU; large ones 200 and 20. The GPU is relatively
      // fastest for the large ones, so it takes only large (x req/s): 20x = 1000 → x = 50; the CPU takes
      // the rest: 200·(R/2 − 50) + 10·R/2 = 1000 → R = 11000/105.
      name: 'two types: the GPU takes the large queries',
      pool: {
        shares: [0.5, 0.5],
        latencyMs: [
          [10, 5],
          [200, 20],
        ],
        capacityMsPerS: [1000, 1000],
      },
      rateRps: 11000 / 105,
    },
    {
      name: 'a class that fits no type the pool has: nothing',
      pool: {
        shares: [0.9, 0.1],
        latencyMs: [
          [10, 5],
          [X, 20],
        ],
        capacityMsPerS: [1000, 0],
      },
      rateRps: 0,
    },
    {
      name: 'a class that fits only one type is held there',
      pool: {
        shares: [0.5, 0.5],
        latencyMs: [
          [10, 10],
          [X, 40],
        ],
        capacityMsPerS: [1000, 1000],
      },
      // GPU carries all large: 0.5R·40 ≤ 1000 → R ≤ 50; small 25·10 = 250 on the CPU fits.
      rateRps: 50,
    },
    {
      name: 'no instances: nothing',
      pool: { shares: [1], latencyMs: [[10]], capacityMsPerS: [0] },
      rateRps: 0,
    },
  ];
  it.each(cases)('$name', ({ pool, rateRps }) => {
    const bound = fluidBound(pool);
    expect(bound.optimal).toBe(true);
    expect(bound.rateRps).toBeCloseTo(rateRps, 9);
    expectFeasible(pool, bound);
  });

  it('states the LP as data: one rate per feasible pair, one row per class and per type', () => {
    const model = fluidBoundModel({
      shares: [0.25, 0.75, 0],
      latencyMs: [
        [10, 4],
        [X, 30],
        [1, 1],
      ],
      capacityMsPerS: [900, 1800],
    });
    expect(model.sense).toBe('maximize');
    expect(model.variables.map((v) => v.name)).toEqual([
      FLUID_RATE_VARIABLE,
      fluidRateVariable(0, 0),
      fluidRateVariable(0, 1),
      fluidRateVariable(1, 1),
    ]);
    expect(model.variables[0]).toMatchObject({ objective: 1 });
    expect(model.constraints).toEqual([
      {
        name: 'class_0',
        terms: [
          { variable: 'R', coefficient: -0.25 },
          { variable: 'y_0_0', coefficient: 1 },
          { variable: 'y_0_1', coefficient: 1 },
        ],
        lower: 0,
        upper: 0,
      },
      {
        name: 'class_1',
        terms: [
          { variable: 'R', coefficient: -0.75 },
          { variable: 'y_1_1', coefficient: 1 },
        ],
        lower: 0,
        upper: 0,
      },
      { name: 'type_0', terms: [{ variable: 'y_0_0', coefficient: 10 }], upper: 900 },
      {
        name: 'type_1',
        terms: [
          { variable: 'y_0_1', coefficient: 4 },
          { variable: 'y_1_1', coefficient: 30 },
        ],
        upper: 1800,
      },
    ]);
  });

  it("prices every pool's bound from above with one pool's duals, and its own exactly", () => {
    const rng = new SeededRng(7);
    let tight = 0;
    for (let trial = 0; trial < 300; trial++) {
      const types = 1 + Math.floor(rng.next() * 4);
      const classes = 1 + Math.floor(rng.next() * 8);
      const shares = Array.from({ length: classes }, () => 1 / classes);
      const latencyMs = shares.map((_, s) =>
        Array.from({ length: types }, () => (rng.next() < 0.1 ? X : 1 + rng.next() * 10 * (s + 1))),
      );
      const solver = new FluidBoundSolver({ shares, latencyMs });
      const pool = () => Array.from({ length: types }, () => Math.floor(rng.next() * 4) * 900);
      const base = pool();
      const solved = solver.solve(base);
      if (solved.pricesPerMs === undefined) continue;
      expect(boundFromPrices(solved.pricesPerMs, base)).toBeCloseTo(solved.rateRps, 6);
      for (let k = 0; k < 10; k++) {
        const other = pool();
        const exact = solver.solve(other).rateRps;
        const upper = boundFromPrices(solved.pricesPerMs, other);
        expect(upper).toBeGreaterThanOrEqual(exact * (1 - 1e-9) - 1e-9);
        if (upper <= exact * (1 + 1e-9)) tight++;
      }
    }
    expect(tight).toBeGreaterThan(100);
  });

  describe('against the LP solved by HiGHS', () => {
    let solver: HighsSolver;
    beforeAll(async () => {
      solver = await HighsSolver.create();
    });

    it('agrees on 1000 random pools of 1-5 types and 1-12 size classes', () => {
      const rng = new SeededRng(20230616);
      const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
      let positive = 0;
      let maxPivots = 0;
      for (let trial = 0; trial < 1000; trial++) {
        const types = int(1, 5);
        const classes = int(1, 12);
        const weights = Array.from({ length: classes }, () => rng.next() + 0.01);
        const total = weights.reduce((a, b) => a + b, 0);
        // Latencies grow with the class, at a rate and offset of the type's own; some pairs miss the target.
        const slope = Array.from({ length: types }, () => 0.5 + rng.next() * 20);
        const offset = Array.from({ length: types }, () => rng.next() * 30);
        const pool: FluidPool = {
          shares: weights.map((w) => w / total),
          latencyMs: weights.map((_, s) =>
            slope.map((a, h) =>
              rng.next() < 0.15 ? X : (offset[h] ?? 0) + a * (s + 1) * (0.5 + rng.next()),
            ),
          ),
          capacityMsPerS: slope.map(() => (rng.next() < 0.2 ? 0 : int(1, 6) * 900)),
        };
        const bound = fluidBound(pool);
        const lp = solver.solve(fluidBoundModel(pool));
        expect(lp.status).toBe('optimal');
        if (lp.status !== 'optimal') continue;
        expect(bound.optimal).toBe(true);
        expect(Math.abs(bound.rateRps - lp.objective)).toBeLessThanOrEqual(1e-6 * Math.max(1, lp.objective));
        expectFeasible(pool, bound);
        if (bound.rateRps > 0) positive++;
        maxPivots = Math.max(maxPivots, bound.pivots);
      }
      console.log(
        `fluid bound = HiGHS LP on 1000 pools (${positive} with a positive bound); at most ${maxPivots} pivots`,
      );
      expect(positive).toBeGreaterThan(500);
    });
  });
});
