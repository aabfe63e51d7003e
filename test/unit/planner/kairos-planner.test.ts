// KAIROS's pool enumeration and planner on hand-solved problems: the mix it picks, the plan it builds,
// the cheapest pool when the offered rate is below the best bound, and why it cannot plan a problem.
import { describe, expect, it } from 'vitest';
import {
  kairosEntry,
  kairosHomogeneousEntry,
  planKairos,
} from '../../../src/planner/kairos/kairos-planner.js';
import { poolMixes } from '../../../src/planner/kairos/pool-mixes.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningApp, PlanningProblem } from '../../../src/planner/planning-problem.js';
import type { Solver } from '../../../src/ports/solver.js';

describe('poolMixes', () => {
  const aws = [
    { pricePerHour: 0.526, cores: 0, maxInstances: 5 },
    { pricePerHour: 0.432, cores: 0, maxInstances: 6 },
    { pricePerHour: 0.149, cores: 0, maxInstances: 17 },
    { pricePerHour: 0.1664, cores: 0, maxInstances: 15 },
  ];
  it.each([
    // KAIROS's ≈12,000 is the whole grid of counts up to the limits (6·7·18·16 − 1); $2.5/h buys 696 of them.
    { name: 'the KAIROS AWS limits, no budget', budget: {}, count: 6 * 7 * 18 * 16 - 1 },
    { name: 'the KAIROS AWS limits at $2.5/h', budget: { costPerHour: 2.5 }, count: 696 },
    {
      name: 'single-type pools at $2.5/h',
      budget: { costPerHour: 2.5 },
      singleType: true,
      count: 4 + 5 + 16 + 15,
    },
    { name: 'a budget below every price', budget: { costPerHour: 0.1 }, count: 0 },
  ])('$name: $count mixes', ({ budget, singleType, count }) => {
    const mixes = poolMixes(aws, budget, { singleType: singleType ?? false });
    expect(Array.isArray(mixes) && mixes.length).toBe(count);
  });

  it('lists mixes in lexicographic order, counting a pool that costs exactly the budget', () => {
    expect(
      poolMixes(
        [
          { pricePerHour: 0.1, cores: 0 },
          { pricePerHour: 0.2, cores: 0, maxInstances: 1 },
        ],
        { costPerHour: 0.3 },
      ),
    ).toEqual([
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
      [3, 0],
    ]);
  });

  it('counts cpu cores against the cores budget', () => {
    expect(poolMixes([{ pricePerHour: 0, cores: 4 }], { cores: 10 })).toEqual([[1], [2]]);
  });

  it('says when the budget does not bound the enumeration or it grows too large', () => {
    expect(poolMixes([{ pricePerHour: 1, cores: 0 }], {})).toMatch(/type 0 has no instance limit/);
    expect(poolMixes([{ pricePerHour: 1, cores: 0, maxInstances: 100 }], {}, { maxMixes: 10 })).toMatch(
      /more than 10 mixes/,
    );
  });
});

// A GPU ($1/h, at most 2) takes a 1000-row query in 15 ms and a 100-row one in 6; a CPU ($0.25/h, at
// most 8) takes 11 ms and 101 ms, over the 100 ms target. At ρ 0.9 each instance has 900 ms per second.
// One GPU carries the large fifth of the queries up to R = 900 / (0.2·15) = 300 req/s, and three CPUs
// the small ones (0.8·300·11 = 2640 ≤ 2700 ms/s): 300 req/s for $1.75/h. Two GPUs alone ($2/h) carry
// 1800 / (0.8·6 + 0.2·15) = 230.8 req/s; CPUs alone nothing.
const app: PlanningApp = {
  name: 'recs',
  modules: ['rec'],
  edges: [],
  sloMs: 100,
  rateRps: 1e6,
  querySizes: [
    { rows: 100, share: 0.8 },
    { rows: 1000, share: 0.2 },
  ],
};
const problem: PlanningProblem = {
  objective: { kind: 'max-throughput' },
  budget: { costPerHour: 2 },
  hardware: [
    { name: 'gpu', kind: 'fixed', pricePerHour: 1, maxCores: 4, maxInstances: 2 },
    { name: 'cpu', kind: 'fixed', pricePerHour: 0.25, maxCores: 8, maxInstances: 8 },
  ],
  modules: [
    {
      name: 'rec',
      maxBatch: 1,
      variants: [
        {
          name: 'v',
          accuracy: 0.9,
          latency: {
            gpu: { kind: 'sponge4', gamma: 0, delta: 0.01, epsilon: 0, eta: 5 },
            cpu: { kind: 'sponge4', gamma: 0, delta: 0.1, epsilon: 0, eta: 1 },
          },
        },
      ],
    },
  ],
  apps: [app],
};
const { maxInstances: _limit, ...unlimitedGpu } = problem.hardware[0]!;
const noSolver: Solver = {
  solve: () => {
    throw new Error('kairos needs no solver');
  },
};

describe('kairos planner', () => {
  it('buys one GPU for the large queries and CPUs for the small ones', () => {
    const plan = kairosEntry.plan(problem, { solver: noSolver });
    expect(plan.feasible).toBe(true);
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(plan.planner).toBe('kairos');
    expect(plan.objectiveValue).toBeCloseTo(300, 9);
    expect(plan.costPerHour).toBeCloseTo(1.75, 12);
    expect(plan.modules).toHaveLength(1);
    const [gpu, cpu] = plan.modules[0]!.tuples;
    expect(plan.modules[0]!.budgetMs).toBe(100);
    expect(gpu).toMatchObject({
      variant: 'v',
      hardware: 'gpu',
      cores: 4,
      batch: 1,
      instances: 1,
      dummyRps: 0,
    });
    expect(gpu!.rateRps).toBeCloseTo(60, 9);
    expect(gpu!.sizes).toEqual([{ rows: 1000, rateRps: expect.closeTo(60, 9) }]);
    expect(cpu).toMatchObject({ hardware: 'cpu', cores: 8, instances: 3 });
    expect(cpu!.sizes).toEqual([{ rows: 100, rateRps: expect.closeTo(240, 9) }]);
    expect(plan.reason).toMatch(
      /^best mix 1x gpu \+ 3x cpu \(1\.75 \$\/h of 2, variant v\): fluid bound 300 req\/s within 100 ms/,
    );
    expect(plan.reason).toMatch(/ranked 14 mixes, \d+ solved exactly$/);
  });

  it('has a homogeneous baseline: the best single-type pool', () => {
    const plan = kairosHomogeneousEntry.plan(problem, { solver: noSolver });
    expect(plan.feasible).toBe(true);
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(plan.planner).toBe('kairos-homogeneous');
    expect(plan.objectiveValue).toBeCloseTo(1800 / 7.8, 9);
    expect(plan.modules[0]!.tuples).toMatchObject([{ hardware: 'gpu', instances: 2 }]);
    expect(plan.reason).toMatch(/^best single-type pool 2x gpu/);
  });

  it.each([
    { objective: 'max-throughput', rateRps: 250, mix: { gpu: 1, cpu: 3 }, costPerHour: 1.75 },
    // 1 GPU + 2 CPUs carry 1881.8 / 7.8 = 241.3 req/s: enough for 200, not for 250.
    { objective: 'max-throughput', rateRps: 200, mix: { gpu: 1, cpu: 2 }, costPerHour: 1.5 },
    { objective: 'min-cost', rateRps: 200, mix: { gpu: 1, cpu: 2 }, costPerHour: 1.5 },
    { objective: 'min-cost', rateRps: 100, mix: { gpu: 1 }, costPerHour: 1 },
  ] as const)(
    '$objective at $rateRps req/s: the cheapest pool that serves it all',
    ({ objective, rateRps, mix, costPerHour }) => {
      const p: PlanningProblem = { ...problem, objective: { kind: objective }, apps: [{ ...app, rateRps }] };
      const { plan } = planKairos(p);
      expect(plan.feasible).toBe(true);
      expect(checkPlan(p, plan)).toEqual([]);
      expect(plan.apps[0]!.servedRps).toBeCloseTo(rateRps, 9);
      expect(plan.costPerHour).toBeCloseTo(costPerHour, 12);
      expect(Object.fromEntries(plan.modules[0]!.tuples.map((t) => [t.hardware, t.instances]))).toEqual(mix);
    },
  );

  it('plans requests without sizes as one-row requests on batch-1 tuples', () => {
    const { querySizes: _sizes, ...unsized } = app;
    const p: PlanningProblem = { ...problem, apps: [{ ...unsized, rateRps: 500 }] };
    const { plan } = planKairos(p);
    expect(plan.feasible).toBe(true);
    expect(checkPlan(p, plan)).toEqual([]);
    expect(plan.modules[0]!.tuples.every((t) => t.batch === 1 && t.sizes === undefined)).toBe(true);
    // A one-row request takes 1.1 ms on a CPU: one CPU carries 818 req/s for $0.25/h.
    expect(plan.modules[0]!.tuples).toMatchObject([{ hardware: 'cpu', instances: 1, rateRps: 500 }]);
  });

  it('holds every request to the tightest budget class', () => {
    const p: PlanningProblem = {
      ...problem,
      apps: [
        {
          ...app,
          budgets: [
            { budgetMs: 10, share: 0.5 },
            { budgetMs: 100, share: 0.5 },
          ],
        },
      ],
    };
    const { plan } = planKairos(p);
    // 1000-row queries take 15 ms on the GPU: over 10 ms everywhere.
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toMatch(
      /requests of 1000 rows meet the 10 ms target on no affordable instance type \(fastest: 15 ms on gpu\)/,
    );
  });

  it('serves with the variant that carries the most', () => {
    const slow = problem.modules[0]!.variants[0]!;
    const fast = {
      ...slow,
      name: 'fast',
      accuracy: 0.5,
      latency: { gpu: { kind: 'sponge4' as const, gamma: 0, delta: 0.005, epsilon: 0, eta: 2 } },
    };
    const p: PlanningProblem = { ...problem, modules: [{ ...problem.modules[0]!, variants: [slow, fast] }] };
    const { plan, search } = planKairos(p);
    expect(checkPlan(p, plan)).toEqual([]);
    // Two fast GPUs: 1800 / (0.8·2.5 + 0.2·7) = 529 req/s, more than 300.
    expect(plan.objectiveValue).toBeCloseTo(1800 / 3.4, 9);
    expect(plan.modules[0]!.tuples).toMatchObject([{ variant: 'fast', hardware: 'gpu', instances: 2 }]);
    expect(search?.mixesEnumerated).toBe(14 + 2);
  });

  it('counts cpu kinds as whole instances of their largest allocation', () => {
    const p: PlanningProblem = {
      ...problem,
      budget: { costPerHour: 10, cores: 16 },
      hardware: [
        problem.hardware[0]!,
        { name: 'cpu', kind: 'cpu', pricePerHour: 0.05, maxCores: 8, coreOptions: [2, 4] },
      ],
    };
    const { plan } = planKairos(p);
    expect(plan.feasible).toBe(true);
    expect(checkPlan(p, plan)).toEqual([]);
    const cpu = plan.modules[0]!.tuples.find((t) => t.hardware === 'cpu');
    expect(cpu).toMatchObject({ cores: 4, instances: 4 });
    expect(plan.cores).toBe(16);
  });

  it('plans nothing when nothing is offered', () => {
    const p: PlanningProblem = { ...problem, apps: [{ ...app, rateRps: 0 }] };
    const { plan } = planKairos(p);
    expect(plan.feasible).toBe(true);
    expect(plan.costPerHour).toBe(0);
    expect(plan.modules[0]!.tuples).toEqual([]);
  });

  it.each([
    {
      name: 'an objective it does not optimise',
      problem: { ...problem, objective: { kind: 'accuracy-cost', costWeight: 0.1 } },
      reason: /KAIROS maximises throughput .* not 'accuracy-cost'/,
    },
    {
      name: 'two applications',
      problem: { ...problem, apps: [app, { ...app, name: 'other' }] },
      reason: /one application of one module; the problem has 2 applications/,
    },
    {
      name: 'a budget that buys nothing',
      problem: { ...problem, budget: { costPerHour: 0.2 } },
      reason: /the budget of 0.2 \$\/h buys no instance \(the cheapest, cpu, costs 0.25 \$\/h\)/,
    },
    {
      name: 'a budget that buys no GPU, the only type fast enough for the large queries',
      problem: { ...problem, budget: { costPerHour: 0.9 } },
      reason:
        /requests of 1000 rows meet the 100 ms target on no affordable instance type \(fastest: 101 ms on cpu\)/,
    },
    {
      name: 'no budget and no limit',
      problem: { ...problem, budget: {}, hardware: [unlimitedGpu] },
      reason: /variant 'v': instance type 'gpu' has no instance limit and the budget does not bound it/,
    },
    {
      name: 'min-cost at a rate no pool carries',
      problem: { ...problem, objective: { kind: 'min-cost' }, apps: [{ ...app, rateRps: 400 }] },
      reason:
        /fluid bound 300 req\/s .* violates the planning model: app 'recs': serves 300(\.\d+)? req\/s of the 400 req\/s offered/,
    },
  ] as { name: string; problem: PlanningProblem; reason: RegExp }[])(
    'returns an infeasible plan naming why for $name',
    ({ problem: p, reason }) => {
      const { plan } = planKairos(p);
      expect(plan.feasible).toBe(false);
      expect(plan.reason).toMatch(reason);
    },
  );
});
