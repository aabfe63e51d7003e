// Two plans run the same deployment when they hold the same instances per configuration, however their
// tuples split them (budget classes, query sizes); a different count or configuration is another shape.
import { describe, expect, it } from 'vitest';
import { samePlanShape } from '../../../src/control/plan-shape.js';
import type { Plan, PlanTuple } from '../../../src/planner/plan.js';
import { infeasiblePlan } from '../../../src/planner/plan.js';

const tuple = (instances: number, budgetMs: number, cores = 1, batch = 2): PlanTuple => ({
  variant: 'v',
  hardware: 'cpu',
  cores,
  batch,
  instances,
  rateRps: 10 * instances,
  dummyRps: 0,
  budgetMs,
});

const plan = (...tuples: PlanTuple[]): Plan => ({
  ...infeasiblePlan('test', ''),
  feasible: true,
  modules: [{ name: 'm', budgetMs: 500, tuples }],
});

describe('samePlanShape', () => {
  it('counts instances per configuration, whatever tuples split them', () => {
    expect(samePlanShape(plan(tuple(2, 200), tuple(1, 500)), plan(tuple(3, 500)))).toBe(true);
    expect(samePlanShape(plan(tuple(1, 200), tuple(2, 500)), plan(tuple(2, 200), tuple(1, 500)))).toBe(true);
  });

  it('tells apart another count, core size or batch', () => {
    expect(samePlanShape(plan(tuple(3, 500)), plan(tuple(4, 500)))).toBe(false);
    expect(samePlanShape(plan(tuple(3, 500)), plan(tuple(3, 500, 2)))).toBe(false);
    expect(samePlanShape(plan(tuple(3, 500)), plan(tuple(3, 500, 1, 4)))).toBe(false);
  });
});
