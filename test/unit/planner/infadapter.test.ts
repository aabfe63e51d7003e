// The InfAdapter planner's candidates and program without a solver: batch-aware capacities per
// allocation, refusals, and the program as data, whose objective is exactly objectiveValueOf.
import { describe, expect, it } from 'vitest';
import { infadapterCandidates } from '../../../src/planner/infadapter/infadapter-candidates.js';
import { buildInfadapterModel } from '../../../src/planner/infadapter/infadapter-model.js';
import { infadapterPlanner } from '../../../src/planner/infadapter/infadapter-planner.js';
import { infeasiblePlan } from '../../../src/planner/plan.js';
import { assemblePlan } from '../../../src/planner/planning-model.js';
import type { MilpModel } from '../../../src/ports/solver.js';
import { base, modelOf, noSolver, scopeOf } from './infadapter-fixture.js';

const coefficient = (model: MilpModel, name: string): number | undefined =>
  model.variables.find((v) => v.name === name)?.objective;

describe('InfAdapter candidates', () => {
  it.each([
    // budget (SLO), variant, cores → the batch giving cap_m(n) and cap_m(n) in req/s
    { sloMs: 300, variant: 'small', cores: 2, batch: 8, capacityRps: 60 },
    { sloMs: 300, variant: 'small', cores: 4, batch: 8, capacityRps: 120 },
    { sloMs: 100, variant: 'small', cores: 2, batch: 2, capacityRps: 30 },
    { sloMs: 100, variant: 'small', cores: 4, batch: 4, capacityRps: 90 },
    { sloMs: 300, variant: 'large', cores: 2, batch: 4, capacityRps: 22.5 },
    { sloMs: 300, variant: 'large', cores: 4, batch: 8, capacityRps: 60 },
  ])('$variant on $cores cores within $sloMs ms: batch $batch, $capacityRps req/s', (row) => {
    const scope = scopeOf({ ...base, apps: [{ ...base.apps[0]!, sloMs: row.sloMs }] });
    const c = scope.apps[0]!.candidates.find(
      (x) => x.config.variant.name === row.variant && x.config.cores === row.cores,
    );
    expect(c?.config.batch).toBe(row.batch);
    expect(c?.capacityRps).toBeCloseTo(row.capacityRps, 9);
    expect(c?.config.hardware.name).toBe('cpu');
  });

  it('leaves out fixed hardware and allocations that carry nothing in time', () => {
    // Within 40 ms: small answers only on 4 cores (l(1, 4) = 25 ms; l(1, 2) = 50 ms), large nowhere.
    const scope = scopeOf({ ...base, apps: [{ ...base.apps[0]!, sloMs: 40 }] });
    const candidates = scope.apps[0]!.candidates;
    expect(candidates.map((c) => [c.config.variant.name, c.config.cores, c.config.batch])).toEqual([
      ['small', 4, 1],
    ]);
    expect(scope.apps[0]!.fastest?.latencyMs).toBe(25);
    expect(scope.rho).toBe(0.9);
  });

  it('holds the module to the tightest budget class, and charges reload only for variants not running', () => {
    const current = {
      ...infeasiblePlan('x', ''),
      modules: [
        {
          name: 'cls',
          budgetMs: 300,
          tuples: [
            { variant: 'large', hardware: 'cpu', cores: 4, batch: 8, instances: 1, rateRps: 1, dummyRps: 0 },
          ],
        },
      ],
    };
    const scope = scopeOf({
      ...base,
      current,
      apps: [
        {
          ...base.apps[0]!,
          budgets: [
            { budgetMs: 100, share: 0.2 },
            { budgetMs: 300, share: 0.8 },
          ],
        },
      ],
    });
    expect(scope.apps[0]!.budgetMs).toBe(100);
    const reload = Object.fromEntries(
      scope.apps[0]!.candidates.map((c) => [c.config.variant.name, c.reloadShare]),
    );
    expect(reload).toEqual({ small: 0.25, large: 0 });
  });

  it.each([
    {
      what: 'a pipeline',
      problem: {
        ...base,
        modules: [...base.modules, { ...base.modules[0]!, name: 'other' }],
        apps: [{ ...base.apps[0]!, modules: ['cls', 'other'], edges: [{ from: 'cls', to: 'other' }] }],
      },
      reason: /one-module apps only: app 'a' has 2 modules/,
    },
    {
      what: 'query sizes',
      problem: { ...base, apps: [{ ...base.apps[0]!, querySizes: [{ rows: 2, share: 1 }] }] },
      reason: /does not plan query sizes/,
    },
    {
      what: 'a malformed problem',
      problem: { ...base, apps: [{ ...base.apps[0]!, modules: ['nope'] }] },
      reason: /malformed: .*'nope'/,
    },
  ])('refuses $what with a reason', ({ problem, reason }) => {
    expect(infadapterCandidates(problem)).toMatch(reason);
    const plan = infadapterPlanner(problem, { solver: noSolver });
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toMatch(reason);
  });
});

describe('InfAdapter program', () => {
  it('has one binary per candidate, a rate per variant and the rows of the formulation', () => {
    const { model, objectiveScale } = modelOf(base);
    expect(model.sense).toBe('maximize');
    expect(model.variables.map((v) => `${v.name}:${v.type}`)).toEqual([
      'lam_a0_v0:continuous',
      'y0:binary',
      'y1:binary',
      'lam_a0_v1:continuous',
      'y2:binary',
      'y3:binary',
    ]);
    expect(model.variables.find((v) => v.name === 'lam_a0_v1')?.upper).toBeCloseTo(60, 9);
    const rows = Object.fromEntries(model.constraints.map((c) => [c.name, c]));
    expect(Object.keys(rows)).toEqual([
      'one_a0_v0',
      'cap_a0_v0',
      'one_a0_v1',
      'cap_a0_v1',
      'rate_a0',
      'cores',
    ]);
    expect(rows['one_a0_v1']).toMatchObject({ upper: 1 });
    expect(rows['cap_a0_v1']!.terms.map((t) => t.coefficient)).toEqual([1, -22.5, -60]);
    expect(rows['cap_a0_v1']!.upper).toBe(0);
    expect(rows['rate_a0']).toMatchObject({ lower: 50, upper: 50 });
    expect(rows['cores']).toMatchObject({ upper: 8 });
    expect(rows['cores']!.terms.map((t) => t.coefficient)).toEqual([2, 4, 2, 4]);
    // accuracy / Λ per req/s; −(α·n/B + β·load/longest) per choice, all times the scale.
    expect(coefficient(model, 'lam_a0_v1')! / objectiveScale).toBeCloseTo(0.9 / 50, 12);
    expect(coefficient(model, 'y0')! / objectiveScale).toBeCloseTo(-(0.1 * (2 / 8) + 0.01 * 0.25), 12);
    expect(coefficient(model, 'y3')! / objectiveScale).toBeCloseTo(-(0.1 * (4 / 8) + 0.01 * 1), 12);
  });

  it.each([
    { budget: { costPerHour: 0.4 }, y3: -(0.1 * (0.2 / 0.4) + 0.01), row: 'cost', upper: 0.4 },
    { budget: {}, y3: -(0.1 * 0.2 + 0.01), row: undefined, upper: undefined },
  ])('normalises cost by the budget objectiveValueOf uses: $budget', ({ budget, y3, row, upper }) => {
    const { model, objectiveScale } = modelOf({ ...base, budget });
    expect(coefficient(model, 'y3')! / objectiveScale).toBeCloseTo(y3, 12);
    const names = model.constraints.map((c) => c.name);
    expect(names.filter((n) => n === 'cost' || n === 'cores')).toEqual(row === undefined ? [] : [row]);
    if (row !== undefined) expect(model.constraints.find((c) => c.name === row)?.upper).toBe(upper);
  });

  it('for min-cost minimises the price of the choices, with no accuracy term', () => {
    const { model, objectiveScale } = modelOf({ ...base, objective: { kind: 'min-cost' } });
    expect(model.sense).toBe('minimize');
    expect(coefficient(model, 'lam_a0_v0')).toBe(0);
    expect(coefficient(model, 'y3')! / objectiveScale).toBeCloseTo(0.2, 12);
  });

  it('limits instances per hardware when the hardware has a limit', () => {
    const { model } = modelOf({
      ...base,
      hardware: [{ ...base.hardware[0]!, maxInstances: 1 }, base.hardware[1]!],
    });
    expect(model.constraints.find((c) => c.name === 'instances_h0')).toMatchObject({ upper: 1 });
  });

  it('refuses max-throughput, which is not its problem', () => {
    expect(buildInfadapterModel({ ...base, objective: { kind: 'max-throughput' } })).toMatch(
      /max-throughput is not InfAdapter/,
    );
    const plan = infadapterPlanner({ ...base, objective: { kind: 'max-throughput' } }, { solver: noSolver });
    expect(plan).toMatchObject({ feasible: false, planner: 'infadapter' });
  });

  it('values every assignment exactly as objectiveValueOf values the decoded plan', () => {
    const problem = { ...base, apps: [{ ...base.apps[0]!, rateRps: 70 }] };
    const built = modelOf(problem);
    const candidates = built.scope.apps[0]!.candidates;
    let compared = 0;
    // Every (nothing | allocation) per variant; the split fills the most accurate first.
    for (const small of [undefined, ...candidates.filter((c) => c.variant === 0)])
      for (const large of [undefined, ...candidates.filter((c) => c.variant === 1)]) {
        const values: Record<string, number> = {};
        for (const c of candidates) values[`y${c.index}`] = c === small || c === large ? 1 : 0;
        const lamLarge = Math.min(70, large?.capacityRps ?? 0);
        const lamSmall = 70 - lamLarge;
        if (lamSmall > (small?.capacityRps ?? 0) || (small !== undefined && lamSmall === 0)) continue;
        if ((small?.config.cores ?? 0) + (large?.config.cores ?? 0) > 8) continue;
        values['lam_a0_v0'] = lamSmall;
        values['lam_a0_v1'] = lamLarge;
        const modelValue = built.model.variables.reduce(
          (s, v) => s + (v.objective ?? 0) * (values[v.name] ?? 0),
          0,
        );
        const plan = assemblePlan(problem, 'infadapter', built.decode(values));
        expect(plan.feasible).toBe(true);
        expect(modelValue / built.objectiveScale).toBeCloseTo(plan.objectiveValue, 12);
        compared++;
      }
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});
