// The harpagon and harpagon-exact planners end to end on hand-made problems: a two-module pipeline
// with fan-out, what each plan states, the latency reassigner's budgets, the budget classes, several
// apps, and the reasons of plans they cannot make.
import { describe, expect, it } from 'vitest';
import {
  harpagonExactEntry,
  harpagonExactPlanner,
} from '../../../src/planner/harpagon/harpagon-exact-planner.js';
import { harpagonEntry, harpagonPlanner } from '../../../src/planner/harpagon/harpagon-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import type { Solver } from '../../../src/ports/solver.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('Harpagon needs no solver');
  },
};
const deps = { solver: noSolver };

// det: l(b, c) = 10·b/c + 2 ms; rec: 5·b/c + 1 ms; cpu at $1 per core-hour, up to 4 cores; a gpu at $3
// on which det runs in b + 8 ms. 50 req/s, each image giving 3 text boxes to rec.
const problem: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [
    { name: 'cpu', kind: 'cpu', pricePerHour: 1, maxCores: 4 },
    { name: 'gpu', kind: 'fixed', pricePerHour: 3, maxCores: 8 },
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
            cpu: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 2 },
            gpu: { kind: 'sponge4', gamma: 0, delta: 1, epsilon: 0, eta: 8 },
          },
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

describe.each([
  { entry: harpagonEntry, planner: harpagonPlanner },
  { entry: harpagonExactEntry, planner: harpagonExactPlanner },
])('$entry.name', ({ entry, planner }) => {
  it('plans a pipeline within its SLO at the least cost it finds, every number stated', () => {
    const plan = planner(problem, deps);
    expect(plan.feasible, plan.reason).toBe(true);
    expect(plan.planner).toBe(entry.name);
    expect(checkPlan(problem, plan)).toEqual([]);
    // The reassigner hands the unused budget back: the path is used in full.
    expect(plan.modules.reduce((s, m) => s + m.budgetMs, 0)).toBeCloseTo(100, 9);
    for (const m of plan.modules)
      expect(plan.predicted.latencyMs[m.name]).toBeLessThanOrEqual(m.budgetMs + 1e-9);
    expect(plan.modules.find((m) => m.name === 'rec')!.tuples.reduce((s, t) => s + t.rateRps, 0)).toBeCloseTo(
      150,
      9,
    );
    // One 1-core instance at batch 1 carries det's 50 req/s (75 at ρ = 0.9); rec's 150 req/s fit two
    // 1-core instances at batch 1 (2 × 150) or one at batch 2 within what the SLO leaves.
    expect(plan.costPerHour).toBe(2);
    expect(plan.objectiveValue).toBe(plan.costPerHour);
  });

  it('pads lightly loaded batches with dummy requests', () => {
    const batched = {
      ...problem,
      modules: problem.modules.map((m) => ({ ...m, batchOptions: [4, 8] })),
      apps: [{ ...problem.apps[0]!, sloMs: 60, rateRps: 5 }],
    };
    const plan = planner(batched, deps);
    expect(plan.feasible, plan.reason).toBe(true);
    expect(checkPlan(batched, plan)).toEqual([]);
    expect(plan.modules.flatMap((m) => m.tuples).some((t) => t.dummyRps > 0)).toBe(true);
  });

  it('plans a pipeline with budget classes for its tightest class', () => {
    const classes = {
      ...problem,
      apps: [
        {
          ...problem.apps[0]!,
          budgets: [
            { budgetMs: 40, share: 0.2 },
            { budgetMs: 100, share: 0.8 },
          ],
        },
      ],
    };
    const plan = planner(classes, deps);
    expect(plan.feasible, plan.reason).toBe(true);
    expect(plan.modules.reduce((s, m) => s + m.budgetMs, 0)).toBeCloseTo(40, 9);
  });

  it('plans every app and adds their costs', () => {
    const second = {
      ...problem,
      modules: [...problem.modules, { ...problem.modules[1]!, name: 'solo' }],
      apps: [...problem.apps, { name: 'one', modules: ['solo'], edges: [], sloMs: 50, rateRps: 10 }],
    };
    const plan = planner(second, deps);
    expect(plan.feasible, plan.reason).toBe(true);
    expect(plan.modules.map((m) => m.name).sort()).toEqual(['det', 'rec', 'solo']);
    expect(plan.costPerHour).toBe(3);
  });

  it('serves no traffic with no instances', () => {
    const idle = { ...problem, apps: [{ ...problem.apps[0]!, rateRps: 0 }] };
    const plan = planner(idle, deps);
    expect(plan.feasible, plan.reason).toBe(true);
    expect(plan.costPerHour).toBe(0);
  });

  it.each([
    {
      name: 'an SLO the fastest batches cannot meet',
      change: (p: PlanningProblem): PlanningProblem => ({ ...p, apps: [{ ...p.apps[0]!, sloMs: 5 }] }),
      reason: /app 'ocr': along det -> rec the fastest batches alone take 6\.75 ms, over the 5 ms objective/,
    },
    {
      name: 'a $/h budget below the cheapest plan',
      change: (p: PlanningProblem): PlanningProblem => ({ ...p, budget: { costPerHour: 1.5 } }),
      reason: /violates the planning model: cost 2 \$\/h exceeds the budget of 1.5 \$\/h/,
    },
    {
      name: 'an instance limit no budget can meet',
      change: (p: PlanningProblem): PlanningProblem => ({
        ...p,
        hardware: p.hardware.map((h) => ({ ...h, maxInstances: 1 })),
        apps: [{ ...p.apps[0]!, rateRps: 5000 }],
      }),
      reason:
        /module 'det': no configuration carries 5000 req\/s even within its largest possible budget of 97\.75 ms/,
    },
    {
      name: 'an instance limit broken only across modules',
      change: (p: PlanningProblem): PlanningProblem => ({
        ...p,
        hardware: [{ ...p.hardware[0]!, maxInstances: 1 }],
      }),
      reason: /violates the planning model: hardware 'cpu': 2 instances, over its limit of 1/,
    },
    {
      name: 'query sizes',
      change: (p: PlanningProblem): PlanningProblem => ({
        ...p,
        apps: [{ ...p.apps[0]!, querySizes: [{ rows: 2, share: 1 }] }],
      }),
      reason: /app 'ocr' has query sizes, which Harpagon does not plan/,
    },
    {
      name: 'a module no hardware runs',
      change: (p: PlanningProblem): PlanningProblem => ({ ...p, hardware: [p.hardware[1]!] }),
      reason: /module 'rec' has no variant with a latency model on any hardware kind/,
    },
    {
      name: 'a malformed problem',
      change: (p: PlanningProblem): PlanningProblem => ({
        ...p,
        apps: [{ ...p.apps[0]!, modules: ['det', 'nope'] }],
      }),
      reason: /the problem is malformed: .*'nope'/,
    },
  ])('refuses $name, naming what binds', ({ change, reason }) => {
    const changed = change(problem);
    const plan = planner(changed, deps);
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toMatch(reason);
  });
});
