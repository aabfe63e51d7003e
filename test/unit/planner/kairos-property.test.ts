// KAIROS on 1000 random problems of every shape it accepts (fixed and cpu kinds, limits or budgets,
// several variants, sized or unsized requests, budget classes, max-throughput or min-cost): it never
// throws, every plan it calls feasible passes checkPlan within budget and limits, pruning by the dual
// bounds picks what solving every mix picks, mixing never serves less than one type, and a larger
// budget never serves less.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { planKairos } from '../../../src/planner/kairos/kairos-planner.js';
import { kairosSetting } from '../../../src/planner/kairos/kairos-setting.js';
import { searchPools } from '../../../src/planner/kairos/pool-search.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { HardwareSpec, PlanningApp, PlanningProblem } from '../../../src/planner/planning-problem.js';

function randomProblem(seed: number): PlanningProblem {
  const rng = new SeededRng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const hardware: HardwareSpec[] = Array.from({ length: int(1, 4) }, (_, h) => {
    const limit = rng.next() < 0.8 ? { maxInstances: int(0, 4) } : {};
    return rng.next() < 0.25
      ? { name: `cpu${h}`, kind: 'cpu', pricePerHour: 0.02 + rng.next() * 0.1, maxCores: int(1, 8), ...limit }
      : { name: `hw${h}`, kind: 'fixed', pricePerHour: 0.1 + rng.next(), maxCores: 4, ...limit };
  });
  const variants = Array.from({ length: int(1, 2) }, (_, v) => ({
    name: `v${v}`,
    accuracy: 0.5 + rng.next() / 2,
    latency: Object.fromEntries(
      hardware
        .filter(() => rng.next() < 0.9)
        .map((h) => [
          h.name,
          {
            kind: 'sponge4' as const,
            gamma: rng.next() * 2,
            delta: 0.02 * Math.pow(30, rng.next()),
            epsilon: rng.next() * 5,
            eta: rng.next() * 30,
          },
        ]),
    ),
  }));
  const rows = [...new Set(Array.from({ length: int(1, 6) }, () => 10 * int(1, 60)))];
  const weights = rows.map(() => rng.next() + 0.05);
  const total = weights.reduce((a, b) => a + b, 0);
  const sloMs = 30 + rng.next() * 300;
  const app: PlanningApp = {
    name: 'a',
    modules: ['m'],
    edges: [],
    sloMs,
    rateRps: rng.next() < 0.5 ? 10 + rng.next() * 300 : 1e6,
    ...(rng.next() < 0.8
      ? { querySizes: rows.map((r, i) => ({ rows: r, share: (weights[i] ?? 0) / total })) }
      : {}),
    ...(rng.next() < 0.15
      ? {
          budgets: [
            { budgetMs: sloMs * 0.7, share: 0.3 },
            { budgetMs: sloMs, share: 0.7 },
          ],
        }
      : {}),
  };
  return {
    objective: { kind: rng.next() < 0.75 ? 'max-throughput' : 'min-cost' },
    budget: {
      costPerHour: 0.2 + rng.next() * 3,
      ...(rng.next() < 0.3 ? { cores: int(2, 24) } : {}),
    },
    hardware,
    utilisationCap: 0.6 + rng.next() * 0.4,
    modules: [{ name: 'm', maxBatch: 1, variants }],
    apps: [app],
  };
}

describe('kairos on random problems', () => {
  it('plans feasibly, prunes exactly, and never serves less with more choice', () => {
    let feasible = 0;
    let solvedShare = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const problem = randomProblem(seed);
        const { plan, search } = planKairos(problem);
        expect(plan.reason.length).toBeGreaterThan(0);
        if (plan.feasible) {
          feasible++;
          expect(checkPlan(problem, plan)).toEqual([]);
          expect(plan.costPerHour).toBeLessThanOrEqual(
            (problem.budget?.costPerHour ?? Infinity) * (1 + 1e-6),
          );
          for (const t of plan.modules[0]?.tuples ?? []) {
            const limit = problem.hardware.find((h) => h.name === t.hardware)?.maxInstances;
            if (limit !== undefined) expect(t.instances).toBeLessThanOrEqual(limit);
          }
        }
        const setting = kairosSetting(problem);
        if (typeof setting === 'string') return;
        const every = searchPools(setting, { exhaustive: true });
        expect(search?.best?.instances).toEqual(every.best?.instances);
        expect(search?.best?.variant.name).toEqual(every.best?.variant.name);
        if (every.best !== undefined && search?.best !== undefined) {
          expect(search.best.boundRps).toBeCloseTo(every.best.boundRps, 6);
          solvedShare += search.mixesSolved / search.mixesEnumerated;
        }
        const single = searchPools(setting, { singleType: true }).best?.servedRps ?? 0;
        expect(search?.best?.servedRps ?? 0).toBeGreaterThanOrEqual(single * (1 - 1e-9));
        const richer = kairosSetting({
          ...problem,
          budget: { ...problem.budget, costPerHour: (problem.budget?.costPerHour ?? 0) * 1.5 },
        });
        if (typeof richer === 'string') return;
        expect(searchPools(richer).best?.servedRps ?? 0).toBeGreaterThanOrEqual(
          (search?.best?.servedRps ?? 0) * (1 - 1e-9),
        );
      }),
      { seed: 20230616, numRuns: 1000 },
    );
    console.log(
      `1000 random problems: ${feasible} feasible plans; on average ${((100 * solvedShare) / 1000).toFixed(1)}% of the mixes solved exactly`,
    );
    expect(feasible).toBeGreaterThan(300);
  });
});
