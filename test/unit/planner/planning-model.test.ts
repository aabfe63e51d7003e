// The planning model of DESIGN.md §3: tuple capacity and batch-aware latency with dummy requests,
// rate conservation through fan-out, budgets along every path, budget classes, and the cost budget.
import { describe, expect, it } from 'vitest';
import { appGraph } from '../../../src/planner/app-graph.js';
import type { PlanModule } from '../../../src/planner/plan.js';
import {
  assemblePlan,
  checkPlan,
  dummyRpsNeeded,
  tupleCapacityRps,
  worstLatencyMs,
} from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { makeTuple, minInstancesForBudget, tupleConfigs } from '../../../src/planner/tuple-configs.js';

// l(b, c) = 10·b/c + 2 ms on cpu; per core-hour $1.
const problem: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 1, maxCores: 4 }],
  modules: [
    {
      name: 'det',
      maxBatch: 8,
      variants: [
        {
          name: 'v',
          accuracy: 0.9,
          latency: { cpu: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 2 } },
        },
      ],
    },
    {
      name: 'rec',
      maxBatch: 8,
      variants: [
        {
          name: 'w',
          accuracy: 0.8,
          latency: { cpu: { kind: 'sponge4', gamma: 5, delta: 0, epsilon: 0, eta: 1 } },
        },
      ],
    },
  ],
  apps: [
    {
      name: 'ocr',
      modules: ['det', 'rec'],
      edges: [{ from: 'det', to: 'rec', fanout: 3 }],
      sloMs: 100,
      rateRps: 50,
    },
  ],
};

describe('planning model', () => {
  it('batch-aware latency falls with rate; dummies make up what a slow stream lacks', () => {
    expect(worstLatencyMs(22, 4, 100)).toBeCloseTo(52, 9); // 3 requests at 100/s = 30 ms to fill
    expect(worstLatencyMs(22, 1, 0)).toBe(22);
    expect(dummyRpsNeeded(22, 4, 52, 40)).toBeCloseTo(60, 9);
    expect(dummyRpsNeeded(22, 4, 20, 40)).toBe(Number.POSITIVE_INFINITY);
    // One instance: μρ = 0.9·4/22 per ms = 163.6 req/s; filling at that rate takes 18.3 ms: 40.3 ms.
    expect(tupleCapacityRps(22, 4, 1, 0.9, 45)).toBeCloseTo((0.9 * 4000) / 22, 9);
    expect(tupleCapacityRps(22, 4, 1, 0.9, 35)).toBe(0);
  });

  it('finds the fan-out rates and every path of a graph', () => {
    const graph = appGraph({
      name: 'g',
      modules: ['a', 'b', 'c', 'd'],
      edges: [
        { from: 'a', to: 'b', fanout: 2 },
        { from: 'a', to: 'c' },
        { from: 'b', to: 'd', fanout: 3 },
        { from: 'c', to: 'd' },
      ],
      sloMs: 1,
      rateRps: 1,
    });
    expect(graph).toMatchObject({ multiplier: { a: 1, b: 2, c: 1, d: 7 } });
    expect(typeof graph !== 'string' && graph.paths).toEqual([
      ['a', 'b', 'd'],
      ['a', 'c', 'd'],
    ]);
    expect(
      appGraph({
        name: 'loop',
        modules: ['a', 'b'],
        edges: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
        sloMs: 1,
        rateRps: 1,
      }),
    ).toMatch(/no module without incoming edges/);
  });

  it('accepts a plan that meets every constraint and computes its figures', () => {
    const det = tupleConfigs(problem, problem.modules[0]!, 0.9).find((c) => c.cores === 2 && c.batch === 4)!;
    const rec = tupleConfigs(problem, problem.modules[1]!, 0.9).find((c) => c.cores === 1 && c.batch === 4)!;
    expect(minInstancesForBudget(det, 50)).toBe(1);
    const modules: PlanModule[] = [
      { name: 'det', budgetMs: 50, tuples: [makeTuple(det, 1, 50, 50)] },
      { name: 'rec', budgetMs: 50, tuples: [makeTuple(rec, 1, 150, 50)] },
    ];
    const plan = assemblePlan(problem, 'test', { modules, reason: 'hand-made' });
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(plan.feasible).toBe(true);
    expect(plan.costPerHour).toBe(3);
    expect(plan.cores).toBe(3);
    expect(plan.accuracy).toBeCloseTo(0.72, 9);
    // det: 1 instance, 0.9·4000/22 = 163.6/s; rec: 0.9·4000/21 = 171.4/s, over a fan-out of 3.
    expect(plan.apps[0]!.capacityRps).toBeCloseTo(Math.min((0.9 * 4000) / 22, (0.9 * 4000) / 21 / 3), 6);
    expect(plan.objectiveValue).toBe(3);
  });

  it('names every violated constraint', () => {
    const det = tupleConfigs(problem, problem.modules[0]!, 0.9).find((c) => c.cores === 1 && c.batch === 8)!;
    const modules: PlanModule[] = [
      { name: 'det', budgetMs: 80, tuples: [{ ...makeTuple(det, 1, 50, 80), dummyRps: 0 }] },
      {
        name: 'rec',
        budgetMs: 30,
        tuples: [
          { variant: 'w', hardware: 'cpu', cores: 1, batch: 1, instances: 1, rateRps: 100, dummyRps: 0 },
        ],
      },
    ];
    const problems = checkPlan(
      { ...problem, budget: { costPerHour: 1 } },
      { ...assemblePlan(problem, 't', { modules, reason: '' }) },
    );
    expect(problems.join('\n')).toMatch(/budgets along det -> rec sum to 110 ms, over the 100 ms objective/);
    expect(problems.join('\n')).toMatch(/module 'rec': tuples carry 100 req\/s, but it receives 150 req\/s/);
    expect(problems.join('\n')).toMatch(/module 'det' tuple 0 .*: latency: .* exceeds the 80 ms budget/);
    expect(problems.join('\n')).toMatch(/cost 2 \$\/h exceeds the budget of 1 \$\/h/);
    const plan = assemblePlan(problem, 't', { modules, reason: 'try' });
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toMatch(/^try; violates the planning model: /);
  });

  it('holds requests of a budget class to tuples no looser than their budget', () => {
    const single: PlanningProblem = {
      ...problem,
      modules: [problem.modules[0]!],
      apps: [
        {
          name: 'a',
          modules: ['det'],
          edges: [],
          sloMs: 200,
          rateRps: 100,
          budgets: [
            { budgetMs: 40, share: 0.5 },
            { budgetMs: 200, share: 0.5 },
          ],
        },
      ],
    };
    const configs = tupleConfigs(single, single.modules[0]!, 0.9);
    const fast = configs.find((c) => c.cores === 4 && c.batch === 1)!;
    const big = configs.find((c) => c.cores === 4 && c.batch === 8)!;
    const good = assemblePlan(single, 't', {
      modules: [
        { name: 'det', budgetMs: 40, tuples: [makeTuple(fast, 1, 50, 40), makeTuple(big, 1, 50, 40, 200)] },
      ],
      reason: '',
    });
    expect(checkPlan(single, good)).toEqual([]);
    const bad = assemblePlan(single, 't', {
      modules: [
        { name: 'det', budgetMs: 40, tuples: [makeTuple(fast, 1, 30, 40), makeTuple(big, 1, 70, 40, 200)] },
      ],
      reason: '',
    });
    expect(checkPlan(single, bad).join('\n')).toMatch(
      /50 req\/s have budgets of at most 40 ms, but tuples held to 40 ms or less carry 30 req\/s/,
    );
  });

  it('holds sized requests (KAIROS queries) to batch 1, their own latency and the instances time', () => {
    const sized: PlanningProblem = {
      objective: { kind: 'max-throughput' },
      hardware: [{ name: 'gpu', kind: 'fixed', pricePerHour: 0.5, maxCores: 4 }],
      modules: [
        {
          name: 'rec',
          maxBatch: 1000,
          variants: [
            {
              name: 'm',
              accuracy: 1,
              latency: { gpu: { kind: 'sponge4', gamma: 0, delta: 0.1, epsilon: 0, eta: 5 } },
            },
          ],
        },
      ],
      apps: [
        {
          name: 'a',
          modules: ['rec'],
          edges: [],
          sloMs: 50,
          rateRps: 100,
          querySizes: [
            { rows: 100, share: 0.5 },
            { rows: 400, share: 0.5 },
          ],
        },
      ],
    };
    // l(100) = 15 ms, l(400) = 45 ms: 20 + 20 req/s take 20·15 + 20·45 = 1200 ms per second: 2 instances at ρ 0.9 give 1800.
    const tuple = {
      variant: 'm',
      hardware: 'gpu',
      cores: 4,
      batch: 1,
      instances: 2,
      rateRps: 40,
      dummyRps: 0,
      sizes: [
        { rows: 100, rateRps: 20 },
        { rows: 400, rateRps: 20 },
      ],
    };
    const plan = assemblePlan(sized, 't', {
      modules: [{ name: 'rec', budgetMs: 50, tuples: [tuple] }],
      servedRps: { a: 40 },
      reason: '',
    });
    expect(checkPlan(sized, plan)).toEqual([]);
    expect(plan.capacityRps).toBeCloseTo(1800 / 30, 9);
    expect(plan.predicted.latencyMs['rec']).toBe(45);
    const tight = checkPlan(
      { ...sized, apps: [{ ...sized.apps[0]!, sloMs: 40 }] },
      { ...plan, modules: [{ name: 'rec', budgetMs: 40, tuples: [tuple] }] },
    );
    expect(tight.join('\n')).toMatch(/a request of 400 rows takes 45 ms, over the 40 ms budget/);
    const busy = checkPlan(sized, {
      ...plan,
      modules: [{ name: 'rec', budgetMs: 50, tuples: [{ ...tuple, instances: 1, rateRps: 40 }] }],
    });
    expect(busy.join('\n')).toMatch(/need 1200 ms of instance time per second, over n·ρ·1000 = 900/);
    const uneven = checkPlan(sized, {
      ...plan,
      modules: [{ name: 'rec', budgetMs: 50, tuples: [{ ...tuple, sizes: [{ rows: 100, rateRps: 40 }] }] }],
    });
    expect(uneven.join('\n')).toMatch(/requests of 400 rows: tuples carry 0 req\/s of 20 req\/s/);
  });
});
