// The InfAdapter planner's decoding of noisy solutions, its capacity program, and the infeasibility
// reasons that need no solve (or only a stand-in for one).
import { describe, expect, it } from 'vitest';
import { buildCapacityModel } from '../../../src/planner/infadapter/capacity-model.js';
import {
  infadapterEntry,
  infadapterPlanner,
  planInfadapter,
} from '../../../src/planner/infadapter/infadapter-planner.js';
import {
  exceedsCapacityBound,
  infeasibilityReason,
  latencyReason,
} from '../../../src/planner/infadapter/infeasibility-reason.js';
import { assemblePlan, checkPlan } from '../../../src/planner/planning-model.js';
import type { Solver } from '../../../src/ports/solver.js';
import { base, modelOf, noSolver, scopeOf } from './infadapter-fixture.js';

describe('InfAdapter decoding', () => {
  it('cleans solver noise: rounds choices, clamps to capacity, drops idle variants, carries the rate exactly', () => {
    const built = modelOf(base);
    // y1 = small on 4 cores (120 req/s at batch 8), y3 = large on 4 cores (60 req/s at batch 8).
    const draft = built.decode({
      y0: 1e-7,
      y1: 0.9999998,
      y2: 0,
      y3: 1,
      lam_a0_v0: -1e-9,
      lam_a0_v1: 50 + 1e-8,
    });
    expect(draft.modules).toHaveLength(1);
    const tuples = draft.modules[0]!.tuples;
    expect(tuples.map((t) => [t.variant, t.cores, t.batch, t.instances])).toEqual([['large', 4, 8, 1]]);
    expect(tuples[0]!.rateRps).toBeCloseTo(50, 12);
    // A batch of 8 must fill within 300 − 120 ms: 7 requests in 180 ms = 38.9 req/s, which 50 exceeds.
    expect(tuples[0]!.dummyRps).toBe(0);
    const plan = assemblePlan(base, 'infadapter', draft);
    expect(checkPlan(base, plan)).toEqual([]);
    expect(draft.reason).toMatch(/large on 4 cores of cpu \(batch 8\) carries 50 of 60 req\/s/);
  });

  it('moves a shortfall to the chosen variants with room, most accurate first, and pads slow batches', () => {
    const busy = { ...base, apps: [{ ...base.apps[0]!, rateRps: 100 }] };
    const built = modelOf(busy);
    const draft = built.decode({ y0: 1, y3: 1, lam_a0_v0: 30, lam_a0_v1: 55 });
    const rates = Object.fromEntries(draft.modules[0]!.tuples.map((t) => [t.variant, t.rateRps]));
    expect(rates).toEqual({ large: 60, small: 40 });
    const small = draft.modules[0]!.tuples.find((t) => t.variant === 'small')!;
    // small on 2 cores at batch 8: l = 120 ms; 7 requests must arrive within 180 ms: 38.9 req/s, 40 carried.
    expect(small.dummyRps).toBe(0);
    expect(checkPlan(busy, assemblePlan(busy, 't', draft))).toEqual([]);
  });
});

describe('InfAdapter capacity program and early reasons', () => {
  it('maximises the carried rate with no rate row when free, and up to the rate when at-most', () => {
    const scope = scopeOf(base);
    const free = buildCapacityModel(base, scope);
    expect(free.sense).toBe('maximize');
    expect(free.constraints.some((c) => c.name.startsWith('rate_'))).toBe(false);
    expect(free.variables.filter((v) => v.objective === 1).map((v) => v.name)).toEqual([
      'lam_a0_v0',
      'lam_a0_v1',
    ]);
    const capped = buildCapacityModel(base, scope, { rates: 'at-most' });
    expect(capped.constraints.find((c) => c.name === 'rate_a0')).toEqual({
      name: 'rate_a0',
      terms: [
        { variable: 'lam_a0_v0', coefficient: 1 },
        { variable: 'lam_a0_v1', coefficient: 1 },
      ],
      upper: 50,
    });
  });

  it.each([
    {
      sloMs: 20,
      reason:
        "latency: module 'cls' must answer within 20 ms, below every variant's fastest batch: the fastest is 'small' at l(1, 4 cores) = 25 ms on cpu",
    },
    { sloMs: 25, reason: undefined },
  ])('names the latency bound without solving (SLO $sloMs ms)', ({ sloMs, reason }) => {
    const problem = { ...base, apps: [{ ...base.apps[0]!, sloMs }] };
    expect(latencyReason(scopeOf(problem))).toBe(reason);
    if (reason !== undefined) expect(infadapterPlanner(problem, { solver: noSolver }).reason).toBe(reason);
  });

  it('reports a solver failure as the reason (the MILP decides once the frontier programme gives up)', () => {
    const failing: Solver = { solve: () => ({ status: 'error', message: 'out of time' }) };
    expect(infadapterPlanner(base, { solver: failing }).feasible).toBe(true); // no MILP needed
    expect(planInfadapter(base, failing, { frontierStates: 0 })).toMatchObject({
      feasible: false,
      reason: 'solver: out of time',
    });
    expect(infadapterEntry).toMatchObject({ name: 'infadapter', exact: true });
  });

  it.each([
    // base: small carries at most 120 req/s on one allocation within the budget, large 60.
    { rateRps: 180, budget: { cores: 8 }, exceeds: false },
    { rateRps: 181, budget: { cores: 8 }, exceeds: true },
    // Within 2 cores: 60 + 22.5.
    { rateRps: 83, budget: { cores: 2 }, exceeds: true },
    { rateRps: 82, budget: { cores: 2 }, exceeds: false },
    // $0.1/h buys 2 cores.
    { rateRps: 83, budget: { costPerHour: 0.1 }, exceeds: true },
  ])('bounds capacity without solving: $rateRps req/s within $budget', ({ rateRps, budget, exceeds }) => {
    const problem = { ...base, budget, apps: [{ ...base.apps[0]!, rateRps }] };
    expect(exceedsCapacityBound(problem, scopeOf(problem))).toBe(exceeds);
  });

  it.each([
    {
      budget: { cores: 8, costPerHour: 0.3 },
      maxInstances: 1,
      // One 4-core instance of small at batch 8: 8 / (240 ms / 4) · 0.9 = 120 req/s.
      phrase: 'within 8 cores and 0.3 $/h and 1 instance of cpu carries within 300 ms is 120 req/s',
    },
    {
      budget: {},
      maxInstances: undefined,
      // Small and large on 4 cores each: 120 + 60 req/s.
      phrase: 'within one instance per variant of at most 4 cores carries within 300 ms is 180 req/s',
    },
  ])('names the budgets that bound capacity: $budget', ({ budget, maxInstances, phrase }) => {
    const cpu = { ...base.hardware[0]!, ...(maxInstances === undefined ? {} : { maxInstances }) };
    const problem = {
      ...base,
      budget,
      hardware: [cpu, base.hardware[1]!],
      apps: [{ ...base.apps[0]!, rateRps: 1000 }],
    };
    const reason = infeasibilityReason(problem, scopeOf(problem), noSolver);
    expect(reason).toMatch(/^capacity: the most any combination /);
    expect(reason).toContain(phrase);
    expect(reason).toMatch(/below the 1000 req\/s needed$/);
  });
});
