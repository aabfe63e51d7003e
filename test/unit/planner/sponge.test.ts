// Sponge (papers.md §1): one vertically scaled instance per model, then horizontal; the worst request
// budget; its backlog rule; and the binding constraint named when nothing fits.
import { describe, expect, it } from 'vitest';
import type { Solver } from '../../../src/ports/solver.js';
import { infeasiblePlan } from '../../../src/planner/plan.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningApp, PlanningProblem } from '../../../src/planner/planning-problem.js';
import { spongeBacklog } from '../../../src/planner/sponge/sponge-backlog.js';
import { spongePlanner } from '../../../src/planner/sponge/sponge-planner.js';
import { spongeSearch } from '../../../src/planner/sponge/sponge-search.js';
import { tupleConfigs } from '../../../src/planner/tuple-configs.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('Sponge enumerates its grid; it must not call the solver');
  },
};

// l(b, c) = 10·b/c + 2 ms on cpu (4 cores, $1 per core-hour); a second variant twice as fast.
const base: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [
    { name: 'gpu', kind: 'fixed', pricePerHour: 3, maxCores: 8 },
    { name: 'cpu', kind: 'cpu', pricePerHour: 1, maxCores: 4 },
  ],
  modules: [
    {
      name: 'det',
      maxBatch: 8,
      variants: [
        {
          name: 'v',
          accuracy: 0.9,
          latency: {
            gpu: { kind: 'sponge4', gamma: 0, delta: 0.1, epsilon: 0, eta: 1 },
            cpu: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 2 },
          },
        },
        {
          name: 'w',
          accuracy: 0.8,
          latency: { cpu: { kind: 'sponge4', gamma: 5, delta: 0, epsilon: 0, eta: 1 } },
        },
      ],
    },
  ],
  apps: [{ name: 'a', modules: ['det'], edges: [], sloMs: 100, rateRps: 50 }],
};

const withApp = (app: Partial<PlanningApp>, rest: Partial<PlanningProblem> = {}): PlanningProblem => ({
  ...base,
  ...rest,
  apps: [{ ...base.apps[0]!, ...app }],
});

const plan = (problem: PlanningProblem) => spongePlanner.plan(problem, { solver: noSolver });

describe('spongePlanner', () => {
  it.each([
    // rate, budget classes, expected (instances, cores, batch)
    { what: 'a light load: one core, batch 1', rateRps: 50, expected: [1, 1, 1] },
    // c = 1, 2 cannot carry 200/s at any batch; 3 cores at batch 2 carry 207.7/s in 13.5 ms.
    { what: 'vertical scaling first', rateRps: 200, expected: [1, 3, 2] },
    // One instance of 4 cores carries at most 327/s; two at batch 4 carry 600/s.
    { what: 'then horizontal', rateRps: 590, expected: [2, 4, 4] },
    {
      what: 'the worst budget among the requests',
      rateRps: 190,
      budgets: [
        { budgetMs: 10, share: 0.2 },
        { budgetMs: 100, share: 0.8 },
      ],
      expected: [1, 4, 1],
    },
  ])('$what', ({ rateRps, budgets, expected }) => {
    const problem = withApp({ rateRps, ...(budgets === undefined ? {} : { budgets }) });
    const result = plan(problem);
    expect(result.feasible, result.reason).toBe(true);
    expect(checkPlan(problem, result)).toEqual([]);
    const tuple = result.modules[0]!.tuples[0]!;
    expect([tuple.instances, tuple.cores, tuple.batch]).toEqual(expected);
    expect({ variant: tuple.variant, hardware: tuple.hardware }).toEqual({ variant: 'v', hardware: 'cpu' });
    expect(result.costPerHour).toBe(expected[0]! * expected[1]!);
    expect(result.modules[0]!.budgetMs).toBe(budgets === undefined ? 100 : 10);
  });

  it('keeps the variant the running plan uses', () => {
    const current = {
      ...infeasiblePlan('earlier', ''),
      modules: [
        {
          name: 'det',
          budgetMs: 100,
          tuples: [
            { variant: 'w', hardware: 'cpu', cores: 4, batch: 1, instances: 1, rateRps: 50, dummyRps: 0 },
          ],
        },
      ],
    };
    const result = plan(withApp({ rateRps: 200 }, { current }));
    // w: l(b, c) = 5·b/c + 1: one core at batch 2 carries 0.9·2000/11 = 163.6/s; 2 cores at batch 1, 257/s.
    expect(result.feasible).toBe(true);
    expect(result.modules[0]!.tuples[0]).toMatchObject({ variant: 'w', cores: 2, batch: 1, instances: 1 });
  });

  it('reports its own backlog rule alongside the plan, which is no substitute for the planning model', () => {
    // A second's arrivals (100 batches of 8.67 ms) cannot drain within 0.9 × a 100 ms SLO, although the
    // planning model's batch-aware latency is 13.5 ms: the rule was built for second-long SLOs.
    expect(plan(withApp({ rateRps: 200 })).reason).toMatch(
      /module 'det': 1 instance x 3 cores at batch 2 carry 200 req\/s within 100 ms .*backlog rule does not hold \(866.67 ms vs 90 ms\)/,
    );
    // Sponge's setting: a 1000 ms SLO with 200 ms spent on the network (the worst request's budget is
    // 800 ms): 50 batches of 12 ms + 200 ms = 800 ms.
    const mobile = plan(
      withApp({
        rateRps: 50,
        sloMs: 1000,
        budgets: [
          { budgetMs: 800, share: 0.5 },
          { budgetMs: 1000, share: 0.5 },
        ],
      }),
    );
    expect(mobile.feasible).toBe(true);
    expect(mobile.reason).toMatch(/backlog rule holds \(800 ms vs 900 ms\)/);
  });

  it.each([
    {
      what: 'latency',
      problem: withApp({ sloMs: 3 }),
      reason:
        /module 'det': even the fastest configuration \(4 cores, batch 1\) takes 4.5 ms, over the 3 ms budget/,
    },
    {
      what: 'instances',
      problem: { ...withApp({ rateRps: 600 }), hardware: [{ ...base.hardware[1]!, maxInstances: 1 }] },
      reason:
        /module 'det': even 1 instance of the fastest tuple \(4 cores, batch 8\) carries 327.27 req\/s of the 600 req\/s needed within 100 ms/,
    },
    {
      what: 'cost budget',
      problem: withApp({ rateRps: 200 }, { budget: { costPerHour: 2.5 } }),
      reason: /budget: the cheapest feasible plan for module 'det' costs 3 \$\/h, over the 2.5 \$\/h budget/,
    },
    {
      what: 'core budget',
      problem: withApp({ rateRps: 590 }, { budget: { cores: 6 } }),
      reason: /budget: module 'det' needs at least 7 cores, over the 6 cores/,
    },
    {
      what: 'a pipeline',
      problem: {
        ...base,
        modules: [...base.modules, { ...base.modules[0]!, name: 'rec' }],
        apps: [
          { name: 'p', modules: ['det', 'rec'], edges: [{ from: 'det', to: 'rec' }], sloMs: 100, rateRps: 5 },
        ],
      },
      reason: /Sponge plans single models: app 'p' has 2 modules/,
    },
  ])('names the binding constraint: $what', ({ problem, reason }) => {
    const result = plan(problem);
    expect(result.feasible).toBe(false);
    expect(result.reason).toMatch(reason);
  });

  it('plans each single-model app within what the earlier ones left of the budget', () => {
    const problem: PlanningProblem = {
      ...base,
      budget: { cores: 5 },
      modules: [...base.modules, { ...base.modules[0]!, name: 'cls' }],
      apps: [
        { name: 'a', modules: ['det'], edges: [], sloMs: 100, rateRps: 200 },
        { name: 'b', modules: ['cls'], edges: [], sloMs: 100, rateRps: 150 },
      ],
    };
    const result = plan(problem);
    expect(result.feasible, result.reason).toBe(true);
    expect(checkPlan(problem, result)).toEqual([]);
    expect(result.modules.map((m) => [m.name, m.tuples[0]!.cores])).toEqual([
      ['det', 3],
      ['cls', 2],
    ]);
    const tight = plan({ ...problem, budget: { cores: 4 } });
    expect(tight.reason).toMatch(
      /budget: module 'cls' needs at least 2 cores, over the 1 cores left after the earlier apps/,
    );
  });

  it('uses fractional core options (in-place resize to half a core)', () => {
    const problem = withApp(
      { rateRps: 40 },
      { hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 1, maxCores: 4, coreOptions: [0.5, 1, 2, 4] }] },
    );
    // On 0.5 cores, l(1) = 22 ms: 40.9/s at ρ 0.9.
    expect(plan(problem).modules[0]!.tuples[0]).toMatchObject({ cores: 0.5, batch: 1, instances: 1 });
  });
});

describe('spongeSearch', () => {
  const configs = tupleConfigs(base, base.modules[0]!, 0.9).filter(
    (c) => c.variant.name === 'v' && c.hardware.name === 'cpu',
  );
  it('takes the fewest instances, then the fewest cores, then the smallest batch', () => {
    const result = spongeSearch(configs, 590, 100);
    expect(result.kind === 'chosen' && [result.instances, result.config.cores, result.config.batch]).toEqual([
      2, 4, 4,
    ]);
  });
  it('reports no configuration for an empty grid', () => {
    expect(spongeSearch([], 10, 100)).toEqual({ kind: 'no-configuration' });
  });
});

describe('spongeBacklog', () => {
  it.each([
    // ⌈100/4⌉ = 25 batches of 20 ms + 200 ms network = 700 ms ≤ 0.9 × 1000.
    {
      input: { rateRps: 100, batch: 4, latencyMs: 20, sloMs: 1000, networkMs: 200 },
      backlogMs: 700,
      met: true,
    },
    // Two instances halve the backlog: ⌈50/4⌉ = 13 batches.
    {
      input: { rateRps: 100, batch: 4, latencyMs: 60, instances: 2, sloMs: 1000 },
      backlogMs: 780,
      met: true,
    },
    { input: { rateRps: 100, batch: 1, latencyMs: 10, sloMs: 1000 }, backlogMs: 1000, met: false },
    { input: { rateRps: 90, batch: 1, latencyMs: 10, sloMs: 1000, margin: 1 }, backlogMs: 900, met: true },
  ])('⌈λ/(n·b)⌉·l + d_net ≤ m·SLO: $backlogMs ms', ({ input, backlogMs, met }) => {
    const result = spongeBacklog(input);
    expect(result.backlogMs).toBeCloseTo(backlogMs, 9);
    expect(result.met).toBe(met);
  });
});
