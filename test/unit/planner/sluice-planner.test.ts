// The Sluice planner on the real HiGHS adapter: infeasible problems name the binding constraint with
// its numbers, hand-made cases show the knobs at work (multi-tuple covers with dummies, tuples held to
// looser budget classes, variants traded against cost and reload), the specialised planners'
// restrictions never beat it, and a sample of every oracle family agrees with the brute force here too.
import { describe, expect, it } from 'vitest';
import { checkPlan, tupleCapacityRps } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { sluicePlanner, sluicePlannerEntry } from '../../../src/planner/sluice/sluice-planner.js';
import { tupleConfigs } from '../../../src/planner/tuple-configs.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { randomProblem } from './random-problems.js';
import { compareWithOracle } from './sluice-oracle-check.js';

const solver = await HighsSolver.create();
const plan = (problem: PlanningProblem) => sluicePlanner(problem, { solver });

// l(b, c) = 20·b/c + 2 ms; $0.1 per core-hour; cores 1..8.
const problem: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 0.1, maxCores: 8 }],
  modules: [
    {
      name: 'det',
      maxBatch: 8,
      variants: [
        {
          name: 'v',
          accuracy: 0.9,
          latency: { cpu: { kind: 'sponge4', gamma: 20, delta: 0, epsilon: 0, eta: 2 } },
        },
      ],
    },
  ],
  apps: [{ name: 'a', modules: ['det'], edges: [], sloMs: 100, rateRps: 100 }],
};
const withApp = (p: PlanningProblem, app: Partial<PlanningProblem['apps'][number]>): PlanningProblem => ({
  ...p,
  apps: [{ ...p.apps[0]!, ...app }],
});

describe('sluice planner: binding constraints', () => {
  it('rate too high for the core budget', () => {
    const result = plan({ ...withApp(problem, { rateRps: 2000 }), budget: { cores: 16 } });
    expect(result.feasible).toBe(false);
    // One core carries at most 0.9·1000·b/(20·b + 2) < 45 req/s: 2000 req/s need more than 44 cores.
    const cores = Number(/needs at least ([\d.]+) cores; the budget is 16 cores/.exec(result.reason)?.[1]);
    expect(cores).toBeGreaterThan(44);
    expect(result.reason).toMatch(/^serving app 'a' at 2000 req\/s within the SLO/);
  });

  it('SLO below every l(1, max cores)', () => {
    const result = plan(withApp(problem, { sloMs: 4 }));
    expect(result).toMatchObject({ feasible: false, planner: 'sluice' });
    expect(result.reason).toBe(
      "app 'a': its 4 ms SLO is below every configuration's batch latency (the fastest is 4.5 ms: 'v' on 8 cores of 'cpu', batch 1)",
    );
  });

  it('cost budget too small, quoting the least cost', () => {
    const cheapest = plan(problem);
    expect(cheapest.feasible).toBe(true);
    const result = plan({ ...problem, budget: { costPerHour: 0.2 } });
    expect(result.feasible).toBe(false);
    expect(result.reason).toBe(
      `serving app 'a' at 100 req/s within the SLO needs at least ${Math.round(cheapest.costPerHour * 1000) / 1000} $/h; the budget is 0.2 $/h`,
    );
  });

  it('a path whose fastest modules exceed the SLO, an instance limit, an oversized query, nothing to serve', () => {
    const pipeline: PlanningProblem = {
      ...problem,
      modules: [...problem.modules, { ...problem.modules[0]!, name: 'rec' }],
      apps: [
        { name: 'p', modules: ['det', 'rec'], edges: [{ from: 'det', to: 'rec' }], sloMs: 8, rateRps: 10 },
      ],
    };
    expect(plan(pipeline).reason).toMatch(
      /along det -> rec the fastest configurations need 9 ms \(det 4\.5 ms, rec 4\.5 ms\), over the 8 ms SLO/,
    );
    const limited = plan({
      ...withApp(problem, { rateRps: 1000 }),
      hardware: [{ ...problem.hardware[0]!, maxInstances: 2 }],
    });
    expect(limited.reason).toMatch(/needs at least \d+ instances of 'cpu', over its limit of 2$/);
    const sized = plan(
      withApp(problem, {
        querySizes: [
          { rows: 1, share: 0.5 },
          { rows: 64, share: 0.5 },
        ],
      }),
    );
    expect(sized.reason).toBe(
      "app 'a': requests of 64 rows take longer than the 100 ms SLO on every configuration",
    );
    const broke = plan({ ...problem, objective: { kind: 'max-throughput' }, budget: { costPerHour: 0.05 } });
    expect(broke.feasible).toBe(false);
    expect(broke.reason).toMatch(
      /^serving any traffic of 'a' within the SLO needs at least 0\.1 \$\/h; the budget is 0\.05 \$\/h$/,
    );
  });
});

describe('sluice planner: the knobs', () => {
  it('covers a rate with a cost-efficient bulk tuple and a small remainder tuple', () => {
    // A GPU-like machine ($1/h) carries about 1000 req/s; 1100 req/s: one GPU and a few cores for the
    // remainder beat two GPUs ($2/h) and an all-CPU plan (about 25 cores, $2.5/h).
    const mixed: PlanningProblem = {
      ...withApp(problem, { rateRps: 1100, sloMs: 60 }),
      hardware: [...problem.hardware, { name: 'gpu', kind: 'fixed', pricePerHour: 1, maxCores: 8 }],
      modules: [
        {
          ...problem.modules[0]!,
          variants: [
            {
              ...problem.modules[0]!.variants[0]!,
              latency: {
                ...problem.modules[0]!.variants[0]!.latency,
                gpu: { kind: 'sponge4', gamma: 0, delta: 0.5, epsilon: 0, eta: 3 },
              },
            },
          ],
        },
      ],
    };
    const result = plan(mixed);
    expect(checkPlan(mixed, result)).toEqual([]);
    const tuples = result.modules[0]!.tuples;
    expect(new Set(tuples.map((t) => t.hardware))).toEqual(new Set(['gpu', 'cpu']));
    expect(tuples.find((t) => t.hardware === 'gpu')?.instances).toBe(1);
    expect(result.costPerHour).toBeLessThan(2);
  });

  it('pads lightly loaded batching tuples with dummies, and splits modules over tuples (random problems)', () => {
    const count = (
      knobs: Parameters<typeof randomProblem>[1],
      test: (p: ReturnType<typeof plan>) => boolean,
    ): number => {
      let hits = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const p = randomProblem(seed, knobs);
        const result = plan(p);
        if (!result.feasible) continue;
        expect(checkPlan(p, result)).toEqual([]);
        if (test(result)) hits++;
      }
      return hits;
    };
    const pipelines = {
      modules: 2,
      hardware: 2,
      kinds: 'mixed',
      coreOptions: 2,
      batchOptions: 3,
      load: 3,
    } as const;
    expect(
      count(pipelines, (r) => r.modules.some((m) => m.tuples.some((t) => t.dummyRps > 0))),
    ).toBeGreaterThan(50);
    const mixes = { hardware: 2, kinds: 'mixed', coreOptions: 3, batchOptions: 4, load: 3 } as const;
    expect(count(mixes, (r) => r.modules.some((m) => m.tuples.length > 1))).toBeGreaterThan(3);
  });

  it('holds big batches to the loose class and serves tight requests with small ones', () => {
    // l(b, c) = 2·b/c + 20 ms: batching pays (batch 8 carries 200 req/s per core, batch 1 only 41),
    // but only batch 1 fits a 25 ms budget.
    const overhead: PlanningProblem = {
      ...problem,
      modules: [
        {
          ...problem.modules[0]!,
          variants: [
            {
              name: 'v',
              accuracy: 0.9,
              latency: { cpu: { kind: 'sponge4', gamma: 2, delta: 0, epsilon: 0, eta: 20 } },
            },
          ],
        },
      ],
    };
    const classes = withApp(overhead, {
      rateRps: 300,
      sloMs: 200,
      budgets: [
        { budgetMs: 25, share: 0.3 },
        { budgetMs: 200, share: 0.7 },
      ],
    });
    const result = plan(classes);
    expect(checkPlan(classes, result)).toEqual([]);
    const tuples = result.modules[0]!.tuples;
    expect(tuples.some((t) => t.budgetMs === 200 && t.batch > 1)).toBe(true);
    expect(tuples.filter((t) => t.budgetMs === 25).every((t) => t.batch === 1)).toBe(true);
    // Cheaper than holding every request to the tightest budget.
    expect(result.costPerHour).toBeLessThan(plan(withApp(overhead, { rateRps: 300, sloMs: 25 })).costPerHour);
  });

  it('trades accuracy against cost and keeps a running variant to avoid a reload', () => {
    const two: PlanningProblem = {
      ...problem,
      objective: { kind: 'accuracy-cost', costWeight: 0.05, reloadWeight: 0.5 },
      budget: { cores: 40 },
      modules: [
        {
          ...problem.modules[0]!,
          variants: [
            { ...problem.modules[0]!.variants[0]!, name: 'fast', accuracy: 0.7, loadMs: 1000 },
            {
              name: 'good',
              accuracy: 0.9,
              loadMs: 9000,
              latency: { cpu: { kind: 'sponge4', gamma: 40, delta: 0, epsilon: 0, eta: 4 } },
            },
          ],
        },
      ],
    };
    const fresh = plan(two);
    expect(fresh.modules[0]!.tuples.every((t) => t.variant === 'fast')).toBe(true);
    const running = {
      ...two,
      current: {
        ...fresh,
        modules: [
          { name: 'det', budgetMs: 100, tuples: [{ ...fresh.modules[0]!.tuples[0]!, variant: 'good' }] },
        ],
      },
    };
    const kept = plan(running);
    expect(kept.modules[0]!.tuples.some((t) => t.variant === 'good')).toBe(true);
    expect(kept.objectiveValue).toBeGreaterThan(fresh.objectiveValue);
  });

  it('chooses batching or co-location for throughput on fixed cores (DNNScaler)', () => {
    const fixedCores: PlanningProblem = {
      ...withApp(problem, { rateRps: 10_000 }),
      objective: { kind: 'max-throughput' },
      budget: { cores: 8 },
    };
    const result = plan(fixedCores);
    // Best of one 8-core batching instance and eight 1-core batch-1 instances (both fit 8 cores).
    const configs = tupleConfigs(problem, problem.modules[0]!, 0.9);
    const batching = Math.max(
      ...configs.filter((c) => c.cores === 8).map((c) => tupleCapacityRps(c.latencyMs, c.batch, 1, 0.9, 100)),
    );
    const colocated = tupleCapacityRps(
      configs.find((c) => c.cores === 1 && c.batch === 1)!.latencyMs,
      1,
      8,
      0.9,
      100,
    );
    expect(result.objectiveValue).toBeGreaterThanOrEqual(Math.max(batching, colocated) - 1e-6);
    expect(result.cores).toBeLessThanOrEqual(8);
  });

  it('serves the apps it can when another app cannot meet its SLO, and plans apps with no traffic', () => {
    const two: PlanningProblem = {
      ...problem,
      objective: { kind: 'max-throughput' },
      budget: { costPerHour: 1 },
      modules: [...['a', 'b', 'c'].map((name) => ({ ...problem.modules[0]!, name }))],
      apps: [
        { name: 'slow', modules: ['a', 'b'], edges: [{ from: 'a', to: 'b' }], sloMs: 8, rateRps: 50 },
        { name: 'ok', modules: ['c'], edges: [], sloMs: 100, rateRps: 50 },
      ],
    };
    const result = plan(two);
    expect(result.feasible).toBe(true);
    expect(result.apps.map((a) => a.servedRps)).toEqual([0, 50]);
    expect(checkPlan(two, result)).toEqual([]);
    const idle: PlanningProblem = {
      ...two,
      objective: { kind: 'min-cost' },
      apps: [{ ...two.apps[0]!, sloMs: 100, rateRps: 0 }, two.apps[1]!],
    };
    const quiet = plan(idle);
    expect(quiet.feasible).toBe(true);
    expect(quiet.modules.filter((m) => m.tuples.length === 0).map((m) => m.name)).toEqual(['a', 'b']);
  });

  it('is the registry entry named sluice', () => {
    expect(sluicePlannerEntry).toMatchObject({ name: 'sluice', exact: true });
    expect(sluicePlannerEntry.plan(problem, { solver }).feasible).toBe(true);
  });
});

describe('sluice planner on the real HiGHS adapter against the oracle', () => {
  it('agrees on a sample of every family', () => {
    const families = [
      {
        objective: 'min-cost',
        variants: 2,
        hardware: 2,
        kinds: 'mixed',
        coreOptions: 2,
        batchOptions: 2,
        coreBudget: true,
      },
      { objective: 'min-cost', modules: 2, hardware: 1, coreOptions: 2, batchOptions: 2, coreBudget: true },
      {
        objective: 'accuracy-cost',
        variants: 3,
        coreOptions: 2,
        batchOptions: 2,
        current: true,
        coreBudget: true,
      },
      { objective: 'max-throughput', hardware: 3, kinds: 'mixed', coreOptions: 1, querySizes: 2 },
      { objective: 'min-cost', coreOptions: 2, batchOptions: 3, budgetClasses: 2 },
    ] as const;
    const sample = families.flatMap((knobs, f) =>
      Array.from({ length: 12 }, (_, i) => ({
        seed: 90_000 + 100 * f + i,
        problem: randomProblem(90_000 + 100 * f + i, knobs),
      })),
    );
    const result = compareWithOracle(sample, sluicePlanner, solver);
    expect(result.failures).toEqual([]);
    expect(result.feasible).toBeGreaterThan(30);
  });
});
