// Sluice's pieces without a solver: the candidates and their exact instance bounds, dominance, the
// MILP as data (latency chords exact at integer instance counts, paths, classes, sizes, objective
// terms), the covering branch and bound, and decoding values into a plan that passes checkPlan.
import { describe, expect, it } from 'vitest';
import type { MilpConstraint, MilpModel } from '../../../src/ports/solver.js';
import { assemblePlan, checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import { dominates } from '../../../src/planner/sluice/candidate-dominance.js';
import { cheapestCover } from '../../../src/planner/sluice/cheapest-cover.js';
import { solveDecomposed } from '../../../src/planner/sluice/decomposed-solve.js';
import { withCeiling } from '../../../src/planner/sluice/candidate-bounds.js';
import { sluiceCandidates } from '../../../src/planner/sluice/sluice-candidates.js';
import { buildSluiceModel, sluiceNames } from '../../../src/planner/sluice/sluice-model.js';
import { draftFromSolution } from '../../../src/planner/sluice/sluice-solution.js';

// l(b, c) = 20·b/c + 2 ms on cpu at $0.1 per core-hour; a GPU-like fixed kind at $1 per instance.
const sponge = (gamma: number, eta: number) => ({
  kind: 'sponge4' as const,
  gamma,
  delta: 0,
  epsilon: 0,
  eta,
});
const base: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [
    { name: 'cpu', kind: 'cpu', pricePerHour: 0.1, maxCores: 4, coreOptions: [1, 2, 4] },
    { name: 'gpu', kind: 'fixed', pricePerHour: 1, maxCores: 8 },
  ],
  modules: [
    {
      name: 'det',
      maxBatch: 8,
      batchOptions: [1, 4, 8],
      variants: [
        { name: 'small', accuracy: 0.7, loadMs: 1000, latency: { cpu: sponge(20, 2), gpu: sponge(1, 5) } },
        { name: 'large', accuracy: 0.9, loadMs: 4000, latency: { cpu: sponge(40, 4), gpu: sponge(2, 8) } },
      ],
    },
    {
      name: 'rec',
      maxBatch: 4,
      batchOptions: [1, 4],
      variants: [{ name: 'r', accuracy: 0.8, latency: { cpu: sponge(10, 1) } }],
    },
  ],
  apps: [
    {
      name: 'ocr',
      modules: ['det', 'rec'],
      edges: [{ from: 'det', to: 'rec', fanout: 2 }],
      sloMs: 120,
      rateRps: 80,
    },
  ],
};
const single: PlanningProblem = {
  ...base,
  modules: [base.modules[0]!],
  apps: [{ name: 'one', modules: ['det'], edges: [], sloMs: 60, rateRps: 120 }],
};

const rowsNamed = (model: MilpModel, prefix: string): MilpConstraint[] =>
  model.constraints.filter((c) => c.name.startsWith(prefix));

describe('sluice candidates', () => {
  it('bounds pipeline budgets by the fastest execution of the other modules on each path', () => {
    const c = sluiceCandidates(base, { prune: false });
    const [det, rec] = c.apps[0]!.modules;
    // Fastest: det 1/8 + 5 = 5.125 ms on the gpu; rec 10/4 + 1 = 3.5 ms on 4 cores.
    expect(det!.maxBudgetMs).toBeCloseTo(120 - 3.5, 9);
    expect(rec!.maxBudgetMs).toBeCloseTo(120 - 5.125, 9);
    expect(rec!.multiplier).toBe(2);
    expect(rec!.offeredRps).toBe(160);
    for (const cand of det!.candidates) {
      // Never more instances than the rate or the batch fill at the loosest budget needs.
      const rate = Math.ceil(80 / cand.config.instanceRps - 1e-9);
      expect(cand.maxInstances).toBe(Math.max(cand.minInstances, rate));
    }
  });

  it('lets batching pipeline candidates run as many instances as a cost ceiling pays for', () => {
    const c = sluiceCandidates(base);
    const wide = withCeiling(base, c, 2);
    const batching = wide.apps[0]!.modules[0]!.candidates.find(
      (x) => x.config.hardware.name === 'cpu' && x.config.batch > 1,
    )!;
    expect(batching.maxInstances).toBe(Math.floor(2 / batching.config.instanceCostPerHour + 1e-9));
  });

  it('holds one-module tuples to each class budget and sized tuples to batch 1', () => {
    const classes = sluiceCandidates({
      ...single,
      apps: [
        {
          ...single.apps[0]!,
          budgets: [
            { budgetMs: 30, share: 0.4 },
            { budgetMs: 90, share: 0.6 },
          ],
        },
      ],
    });
    const app = classes.apps[0]!;
    expect(app.sloMs).toBe(30);
    expect(app.classLevels).toEqual([
      { budgetMs: 30, cumulativeShare: 0.4 },
      { budgetMs: 90, cumulativeShare: 1 },
    ]);
    expect(new Set(app.modules[0]!.candidates.map((x) => x.holdMs))).toEqual(new Set([30, 90]));
    const sized = sluiceCandidates({
      ...single,
      apps: [
        {
          ...single.apps[0]!,
          querySizes: [
            { rows: 2, share: 0.5 },
            { rows: 16, share: 0.5 },
          ],
        },
      ],
    });
    for (const cand of sized.apps[0]!.modules[0]!.candidates) {
      expect(cand.config.batch).toBe(1);
      expect(cand.sizeMs).toHaveLength(2);
      // 16 rows on one core take 322 ms: over the 60 ms SLO, so not served there.
      if (cand.config.hardware.name === 'cpu' && cand.config.cores === 1)
        expect(cand.sizeMs?.[1]).toBeUndefined();
    }
  });

  it('names the binding latency constraint when nothing fits', () => {
    const tight = sluiceCandidates({ ...single, apps: [{ ...single.apps[0]!, sloMs: 4 }] });
    expect(tight.apps[0]!.blocked).toMatch(
      /its 4 ms SLO is below every configuration's batch latency \(the fastest is 5\.125 ms: 'small' on 8 cores of 'gpu', batch 1\)/,
    );
    const path = sluiceCandidates({ ...base, apps: [{ ...base.apps[0]!, sloMs: 8 }] });
    expect(path.apps[0]!.blocked).toMatch(/along det -> rec the fastest configurations need 8\.625 ms/);
  });
});

describe('dominance', () => {
  const loose: PlanningProblem = { ...single, apps: [{ ...single.apps[0]!, sloMs: 200 }] };
  const candidates = sluiceCandidates(loose, { prune: false }).apps[0]!.modules[0]!.candidates;
  const find = (variant: string, hw: string, cores: number, batch: number) =>
    candidates.find(
      (c) =>
        c.config.variant.name === variant &&
        c.config.hardware.name === hw &&
        c.config.cores === cores &&
        c.config.batch === batch,
    )!;

  it('replaces a 4-core instance by 4 one-core instances that carry more for the same price', () => {
    // Batch 4: one 4-core instance, l = 22 ms, carries 163.6 req/s; four 1-core ones (l = 82 ms, each
    // filling its batch within 150 ms of the 200 ms SLO) carry 4 × 43.9 = 175.6 for the same price.
    // Batch 8: 1-core instances need five of them to fill batches in time (l = 162 ms), so five
    // replace one 4-core instance: more cores and cost, no replacement.
    expect(dominates(find('small', 'cpu', 1, 4), find('small', 'cpu', 4, 4), false, false)).toBe(true);
    expect(dominates(find('small', 'cpu', 1, 8), find('small', 'cpu', 4, 8), false, false)).toBe(false);
    // With a core budget the same replacement still holds (4 × 1 core = 4 cores).
    expect(dominates(find('small', 'cpu', 1, 4), find('small', 'cpu', 4, 4), false, true)).toBe(true);
  });

  it('never replaces by several instances of a kind with an instance limit', () => {
    const limited = sluiceCandidates(
      { ...loose, hardware: loose.hardware.map((h) => (h.name === 'cpu' ? { ...h, maxInstances: 3 } : h)) },
      { prune: false },
    ).apps[0]!.modules[0]!.candidates;
    const a = limited.find(
      (c) =>
        c.config.variant.name === 'small' &&
        c.config.cores === 1 &&
        c.config.batch === 4 &&
        c.config.hardware.name === 'cpu',
    )!;
    const b = limited.find(
      (c) =>
        c.config.variant.name === 'small' &&
        c.config.cores === 4 &&
        c.config.batch === 4 &&
        c.config.hardware.name === 'cpu',
    )!;
    expect(dominates(a, b, false, false)).toBe(false);
  });

  it('keeps accurate variants for accuracy-cost and drops them for min-cost', () => {
    const kept = (objective: PlanningProblem['objective']) =>
      new Set(
        sluiceCandidates({ ...single, objective }).apps[0]!.modules[0]!.candidates.map(
          (c) => c.config.variant.name,
        ),
      );
    expect(kept({ kind: 'min-cost' })).toEqual(new Set(['small']));
    expect(kept({ kind: 'accuracy-cost', costWeight: 0.05 })).toEqual(new Set(['small', 'large']));
  });
});

describe('the MILP as data', () => {
  it('has a budget per pipeline module within its range and one row per path', () => {
    const c = sluiceCandidates(base);
    const model = buildSluiceModel(base, c, { goal: { kind: 'min-cost' } });
    const budget = model.variables.find((v) => v.name === sluiceNames.budget(0, 0))!;
    expect(budget.lower).toBeCloseTo(c.apps[0]!.modules[0]!.minBudgetMs, 9);
    expect(budget.upper).toBeCloseTo(c.apps[0]!.modules[0]!.maxBudgetMs, 9);
    expect(rowsNamed(model, 'path_')).toEqual([
      {
        name: 'path_0_0',
        terms: [
          { variable: 'L_0_0', coefficient: 1 },
          { variable: 'L_0_1', coefficient: 1 },
        ],
        upper: 120,
      },
    ]);
    expect(model.sense).toBe('minimize');
    // Objective: $/h per instance.
    const n = model.variables.find((v) => v.name === sluiceNames.instances(0, 0, 0))!;
    expect(n.objective).toBeCloseTo(c.apps[0]!.modules[0]!.candidates[0]!.config.instanceCostPerHour, 12);
  });

  it('makes the module budget at least l + fill/n at every integer instance count (chords)', () => {
    const c = withCeiling(base, sluiceCandidates(base), 3);
    const model = buildSluiceModel(base, c, { goal: { kind: 'min-cost' } });
    const mod = c.apps[0]!.modules[0]!;
    for (const [i, cand] of mod.candidates.entries()) {
      if (cand.fillMs === 0) continue;
      const n = sluiceNames.instances(0, 0, i);
      const y = sluiceNames.used(0, 0, i);
      const rows = model.constraints.filter(
        (r) => r.terms.some((t) => t.variable === n) && r.terms.some((t) => t.variable === 'L_0_0'),
      );
      for (let k = cand.minInstances; k <= cand.maxInstances; k++) {
        // The least L each row allows at n = k, y = 1; the largest must be λ(k) exactly.
        const need = Math.max(
          ...rows.map((r) => {
            const coefficient = (v: string) => r.terms.find((t) => t.variable === v)?.coefficient ?? 0;
            return ((r.lower ?? 0) - coefficient(n) * k - coefficient(y)) / coefficient('L_0_0');
          }),
        );
        expect(need).toBeCloseTo(cand.config.latencyMs + cand.fillMs / k, 9);
      }
    }
  });

  it('writes class shares, size carries, budgets and the accuracy-cost terms', () => {
    const problem: PlanningProblem = {
      ...single,
      objective: { kind: 'accuracy-cost', costWeight: 0.1, reloadWeight: 0.01 },
      budget: { cores: 8, costPerHour: 2 },
      apps: [
        {
          ...single.apps[0]!,
          budgets: [
            { budgetMs: 30, share: 0.4 },
            { budgetMs: 90, share: 0.6 },
          ],
        },
      ],
    };
    const model = buildSluiceModel(problem, sluiceCandidates(problem), { goal: { kind: 'accuracy-cost' } });
    const classRow = rowsNamed(model, 'class_')[0]!;
    expect(classRow.lower).toBe(0);
    expect(classRow.terms.find((t) => t.variable === 's_0')?.coefficient).toBe(-0.4);
    expect(rowsNamed(model, 'budget_').map((r) => [r.name, r.upper])).toEqual([
      ['budget_cost', 2],
      ['budget_cores', 8],
    ]);
    expect(model.sense).toBe('maximize');
    // Accuracy per request over the total rate; cost relative to the core budget; reload of both
    // variants (nothing runs now) as binaries weighted by β·load/longest.
    const rate = model.variables.find((v) => v.name.startsWith('r_0_0_'))!;
    expect([0.7 / 120, 0.9 / 120].some((a) => Math.abs((rate.objective ?? 0) - a) < 1e-12)).toBe(true);
    const loads = model.variables.filter((v) => v.name.startsWith('u_')).map((v) => v.objective);
    expect(loads).toEqual([-0.01 * (1000 / 4000), -0.01]);
    const sized: PlanningProblem = {
      ...single,
      objective: { kind: 'max-throughput' },
      budget: { costPerHour: 3 },
      apps: [
        {
          ...single.apps[0]!,
          querySizes: [
            { rows: 2, share: 0.25 },
            { rows: 8, share: 0.75 },
          ],
        },
      ],
    };
    const sizedModel = buildSluiceModel(sized, sluiceCandidates(sized), { goal: { kind: 'max-served' } });
    expect(rowsNamed(sizedModel, 'carry_0_0_').map((r) => r.terms.at(-1))).toEqual([
      { variable: 's_0', coefficient: -0.25 },
      { variable: 's_0', coefficient: -0.75 },
    ]);
    const capacity = rowsNamed(sizedModel, 'capacity_')[0]!;
    expect(capacity.terms.at(-1)?.coefficient).toBeCloseTo(-900, 9);
  });
});

describe('the decomposition', () => {
  it('covers a rate at least cost by branch and bound', () => {
    const options = [
      { capacityRps: 10, costPerHour: 1, fewest: 1, most: 10 },
      { capacityRps: 25, costPerHour: 2, fewest: 1, most: 4 },
    ];
    expect(cheapestCover(options, 30)).toEqual({ status: 'optimal', cost: 3, counts: [1, 1] });
    expect(cheapestCover(options, 50)).toEqual({ status: 'optimal', cost: 4, counts: [0, 2] });
    expect(cheapestCover(options, 201)).toEqual({ status: 'infeasible' });
    expect(cheapestCover([{ capacityRps: 10, costPerHour: 1, fewest: 3, most: 5 }], 12)).toEqual({
      status: 'optimal',
      cost: 3,
      counts: [3],
    });
  });

  it('solves a pipeline into values that decode to a plan passing checkPlan', () => {
    const c = sluiceCandidates(base);
    const found = solveDecomposed(c);
    expect(found.status).toBe('optimal');
    if (found.status !== 'optimal') return;
    const plan = assemblePlan(base, 'sluice', draftFromSolution(c, found.values, 'test'));
    expect(checkPlan(base, plan)).toEqual([]);
    expect(plan.costPerHour).toBeCloseTo(found.cost, 9);
    // The spare objective is handed back: budgets use the whole SLO along the path.
    expect(plan.modules.reduce((s, m) => s + m.budgetMs, 0)).toBeCloseTo(120, 9);
  });
});
