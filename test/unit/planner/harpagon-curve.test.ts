// A module's minimum cost as a function of its budget (module-cost-curve.ts) and the one-call form
// (module-min-cost.ts): a worked example with dummies, the breakpoints, instance limits, and on 500
// seeded random modules the breakpoints agree with solving at arbitrary budgets.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { stepAt } from '../../../src/planner/harpagon/cost-steps.js';
import { ModuleCostCurve } from '../../../src/planner/harpagon/module-cost-curve.js';
import { moduleMinCost } from '../../../src/planner/harpagon/module-min-cost.js';
import { assemblePlan, checkPlan } from '../../../src/planner/planning-model.js';
import { LimitSlots, minCostCover, type CoverItem } from '../../../src/planner/harpagon/min-cost-cover.js';
import {
  utilisationCapOf,
  type PlanningModule,
  type PlanningProblem,
} from '../../../src/planner/planning-problem.js';
import { minInstancesForBudget, tupleConfigs } from '../../../src/planner/tuple-configs.js';
import { integer, randomSmallPipeline, uniform } from './harpagon-random-problems.js';

// l(b, c) = 10·b/c + 2 ms, $1 per core-hour, batches 4 and 8 only: every tuple batches.
// At ρ = 0.9, cores 4 batch 4: l = 12, 300 req/s, fill 10 ms; cores 3 batch 4: l = 15.33, 234.8 req/s,
// fill 12.78 ms; cores 2 batch 4: l = 22, 163.6 req/s, fill 18.33 ms.
const problem: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 1, maxCores: 4 }],
  modules: [
    {
      name: 'det',
      maxBatch: 8,
      batchOptions: [4, 8],
      variants: [
        {
          name: 'v',
          accuracy: 0.9,
          latency: { cpu: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 2 } },
        },
      ],
    },
  ],
  apps: [{ name: 'a', modules: ['det'], edges: [], sloMs: 30, rateRps: 20 }],
};
const det = problem.modules[0]!;

describe('moduleMinCost', () => {
  it.each([
    // 30 ms: one 3-core instance fills its batches of 4 in 12.78 ms at full speed (dummies pad 20 req/s).
    { budgetMs: 30, cost: 3, cores: 3, instances: 1, dummyRps: 3000 / (30 - 40 / 3 - 2) - 20 },
    // 25 ms: the 3-core one would need 2 instances ($6); one 4-core instance ($4) fills in 10 ms.
    { budgetMs: 25, cost: 4, cores: 4, instances: 1, dummyRps: 3000 / 13 - 20 },
    // 20 ms: two 4-core instances (12 + 10/2 = 17 ms).
    { budgetMs: 20, cost: 8, cores: 4, instances: 2, dummyRps: 3000 / 8 - 20 },
  ])(
    'at $budgetMs ms: $instances x $cores cores, $cost per hour',
    ({ budgetMs, cost, cores, instances, dummyRps }) => {
      const found = moduleMinCost(problem, det, budgetMs, 20)!;
      expect(found.costPerHour).toBeCloseTo(cost, 12);
      expect(found.tuples).toHaveLength(1);
      expect(found.tuples[0]).toMatchObject({ cores, batch: 4, instances, rateRps: 20 });
      expect(found.tuples[0]!.dummyRps).toBeCloseTo(dummyRps, 9);
      const single = { ...problem, apps: [{ ...problem.apps[0]!, sloMs: budgetMs }] };
      const plan = assemblePlan(single, 't', {
        modules: [{ name: 'det', budgetMs, tuples: found.tuples }],
        reason: '',
      });
      expect(checkPlan(single, plan)).toEqual([]);
    },
  );

  it('is undefined when no batch fits the budget, and free for no traffic', () => {
    expect(moduleMinCost(problem, det, 12, 20)).toBeUndefined(); // l(4, 4) = 12 leaves no time to fill
    expect(moduleMinCost(problem, det, 30, 0)).toEqual({ costPerHour: 0, tuples: [] });
  });

  it('splits a multi-tuple configuration: the bulk on the most cost-efficient, the rest on the others', () => {
    // A gpu at $3: l(b) = b + 8 ms, batch 8 carries 450 req/s. 500 req/s within 40 ms: one gpu and one
    // 1-core batch-1 cpu instance (75 req/s for $1) cost $4, against $6 for two gpus or $7 on cpus.
    const mixed: PlanningProblem = {
      ...problem,
      hardware: [...problem.hardware, { name: 'gpu', kind: 'fixed', pricePerHour: 3, maxCores: 8 }],
      modules: [
        {
          ...det,
          batchOptions: [1, 8],
          variants: [
            {
              ...det.variants[0]!,
              latency: {
                ...det.variants[0]!.latency,
                gpu: { kind: 'sponge4', gamma: 0, delta: 1, epsilon: 0, eta: 8 },
              },
            },
          ],
        },
      ],
    };
    const found = moduleMinCost(mixed, mixed.modules[0]!, 40, 500)!;
    expect(found.costPerHour).toBeCloseTo(4, 12);
    expect(found.tuples).toMatchObject([
      { hardware: 'gpu', batch: 8, instances: 1, rateRps: 450 },
      { hardware: 'cpu', cores: 1, batch: 1, instances: 1, dummyRps: 0 },
    ]);
    expect(found.tuples[1]!.rateRps).toBeCloseTo(50, 9);
  });
});

describe('ModuleCostCurve', () => {
  const curve = ModuleCostCurve.of(problem, det, 20);

  it('lists the budgets where the cost drops, and nothing dearer than the cap', () => {
    const steps = curve.steps(curve.minBudgetMs, 40, 12);
    expect(curve.minBudgetMs).toBe(12);
    expect(steps.budgetsMs.map((b) => Math.round(b * 1000) / 1000)).toEqual([15.333, 17, 21.722, 22, 28.111]);
    expect(steps.costsPerHour).toEqual([12, 8, 6, 4, 3]);
    expect(steps.solutions.map((s) => s.costPerHour)).toEqual(steps.costsPerHour);
    expect(curve.steps(12, 40, 7).costsPerHour).toEqual([6, 4, 3]);
  });

  it('costs the same anywhere between breakpoints', () => {
    const steps = curve.steps(12, 40, 12);
    for (const budgetMs of [15.4, 16.99, 17, 21.7, 21.75, 27, 28.2, 39]) {
      expect(curve.costAt(budgetMs)).toBe(steps.costsPerHour[stepAt(steps, budgetMs)]);
    }
  });

  it("keeps within a hardware kind's instance limit", () => {
    const limited = { ...problem, hardware: [{ ...problem.hardware[0]!, maxInstances: 1 }] };
    const c = ModuleCostCurve.of(limited, det, 20);
    expect(c.costAt(20)).toBe(Number.POSITIVE_INFINITY); // two instances needed
    expect(c.steps(12, 40, Infinity).costsPerHour).toEqual([4, 3]);
    expect(ModuleCostCurve.of(limited, det, 400).costAt(40)).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with solving at arbitrary budgets on 500 random modules', () => {
    let checked = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const rng = SeededRng.stream(seed, 'curve');
      const random = randomSmallPipeline(rng, false);
      const module = random.modules[0]!;
      const c = ModuleCostCurve.of(random, module, uniform(rng, 5, 300));
      const hiMs = c.minBudgetMs * uniform(rng, 1.2, 6);
      const capPerHour = c.costAt(c.minBudgetMs + (hiMs - c.minBudgetMs) * 0.3) * uniform(rng, 1, 3);
      if (!Number.isFinite(capPerHour)) continue;
      const steps = c.steps(c.minBudgetMs, hiMs, capPerHour);
      for (let i = 1; i < steps.budgetsMs.length; i++) {
        expect(steps.budgetsMs[i]!).toBeGreaterThan(steps.budgetsMs[i - 1]!);
        expect(steps.costsPerHour[i]!).toBeLessThan(steps.costsPerHour[i - 1]!);
      }
      for (let k = 0; k < 20; k++) {
        const budgetMs = c.minBudgetMs + (hiMs - c.minBudgetMs) * rng.next();
        const cost = c.costAt(budgetMs);
        const at = stepAt(steps, budgetMs);
        if (at < 0) expect(cost, `seed ${seed} at ${budgetMs}`).toBeGreaterThan(capPerHour * (1 - 1e-9));
        else expect(cost, `seed ${seed} at ${budgetMs}`).toBeCloseTo(steps.costsPerHour[at]!, 9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('at any budget costs what the cover of every configuration costs (the budget-fixed stand-ins drop nothing needed)', () => {
    // Every configuration of the module as a cover item with its fewest instances at the budget, no
    // dominance applied: minCostCover of those is the module's true minimum at that budget.
    const direct = (random: PlanningProblem, module: PlanningModule, rateRps: number, budgetMs: number) => {
      const slots = new LimitSlots();
      const items: CoverItem[] = [];
      for (const config of tupleConfigs(random, module, utilisationCapOf(random))) {
        const least = minInstancesForBudget(config, budgetMs);
        if (!Number.isFinite(least) || least > (config.hardware.maxInstances ?? Infinity)) continue;
        items.push({ ...config, minInstances: least, limitSlot: slots.slotOf(config.hardware) });
      }
      return minCostCover(items, rateRps, slots.limits)?.costPerHour ?? Number.POSITIVE_INFINITY;
    };
    let compared = 0;
    let limited = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = SeededRng.stream(seed, 'curve-direct');
      const drawn = randomSmallPipeline(rng, false, [5, 600]);
      // Half of them with instance limits on some hardware kinds.
      const random =
        seed % 2 === 0
          ? drawn
          : {
              ...drawn,
              hardware: drawn.hardware.map((h) =>
                rng.next() < 0.7 ? { ...h, maxInstances: integer(rng, 1, 6) } : h,
              ),
            };
      const module = random.modules[0]!;
      const rateRps = uniform(rng, 5, 600);
      const c = ModuleCostCurve.of(random, module, rateRps);
      if (random.hardware.some((h) => h.maxInstances !== undefined)) limited++;
      for (let k = 0; k < 8; k++) {
        const budgetMs = c.minBudgetMs * uniform(rng, 1, 5);
        const expected = direct(random, module, rateRps, budgetMs);
        const cost = c.costAt(budgetMs);
        if (Number.isFinite(expected)) expect(cost, `seed ${seed} at ${budgetMs}`).toBeCloseTo(expected, 9);
        else expect(cost, `seed ${seed} at ${budgetMs}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBe(2400);
    expect(limited).toBeGreaterThan(20);
  });
});
