// KAIROS on its own published data: five recommendation models on four AWS instance types, at most
// [5, 6, 17, 15] instances of g4dn.xlarge, c5n.2xlarge, r5n.large and t3.xlarge (the README's order),
// $2.5/h, a 350 ms p99 target and the README's query-size mixture. Prints each model's best mix and
// bound against the best homogeneous pool; asserts only what holds by construction.
import { describe, expect, it } from 'vitest';
import { tableModelOf } from '../../../src/core/profile.js';
import { planKairos } from '../../../src/planner/kairos/kairos-planner.js';
import { kairosSetting } from '../../../src/planner/kairos/kairos-setting.js';
import { searchPools } from '../../../src/planner/kairos/pool-search.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem, QuerySize } from '../../../src/planner/planning-problem.js';
import { importKairosProfiles } from '../../../src/profiler/import/kairos-aws.js';
import { KAIROS_LATENCY, KAIROS_PRICE, readProfileCsv } from '../profiler/profiles-dir.js';

const MODELS = ['ncf', 'rm2', 'wnd', 'mtwnd', 'dien'];
const MAX_INSTANCES: Readonly<Record<string, number>> = {
  'g4dn.xlarge': 5,
  'c5n.2xlarge': 6,
  'r5n.large': 17,
  't3.xlarge': 15,
};
const BUDGET_PER_HOUR = 2.5;
const TARGET_MS = 350;

/**
 * The README's mixture as a grid of the measured sizes: each range uniform, rounded up to a multiple
 * of 10: 8% over 10..100, 65% over 110..200, 22% over 210..600, 5% over 610..1000.
 */
function mixtureGrid(): QuerySize[] {
  const ranges = [
    { from: 10, to: 100, share: 0.08 },
    { from: 110, to: 200, share: 0.65 },
    { from: 210, to: 600, share: 0.22 },
    { from: 610, to: 1000, share: 0.05 },
  ];
  return ranges.flatMap((r) => {
    const count = (r.to - r.from) / 10 + 1;
    return Array.from({ length: count }, (_, i) => ({ rows: r.from + 10 * i, share: r.share / count }));
  });
}

/** The same mixture at each range's midpoint (rounded up to a multiple of 10). */
const MIDPOINTS: QuerySize[] = [
  { rows: 50, share: 0.08 },
  { rows: 150, share: 0.65 },
  { rows: 400, share: 0.22 },
  { rows: 800, share: 0.05 },
];

describe('KAIROS on the published AWS measurements', () => {
  const imported = importKairosProfiles(readProfileCsv(KAIROS_LATENCY), readProfileCsv(KAIROS_PRICE), {
    from: KAIROS_LATENCY,
  });
  const problemFor = (model: string, querySizes: QuerySize[], budgetPerHour: number): PlanningProblem => ({
    objective: { kind: 'max-throughput' },
    budget: { costPerHour: budgetPerHour },
    hardware: Object.keys(MAX_INSTANCES).map((name) => {
      const hw = imported.hardware.find((h) => h.name === name);
      if (hw === undefined) throw new Error(`the data has no ${name}`);
      return {
        name,
        kind: 'fixed' as const,
        pricePerHour: hw.pricePerHour,
        maxCores: hw.maxCores,
        maxInstances: MAX_INSTANCES[name] ?? 0,
      };
    }),
    modules: [
      {
        name: model,
        maxBatch: 1,
        variants: [
          {
            name: model,
            accuracy: 1,
            latency: Object.fromEntries(
              imported.profiles
                .filter((p) => p.module === model)
                .map((p) => [p.hardware.name, tableModelOf(p, 'p99')]),
            ),
          },
        ],
      },
    ],
    // More than any pool can carry: the plan then serves its bound.
    apps: [{ name: model, modules: [model], edges: [], sloMs: TARGET_MS, rateRps: 1e7, querySizes }],
  });

  it.each([
    { mixture: 'the size grid (100 classes)', sizes: mixtureGrid(), budget: BUDGET_PER_HOUR },
    { mixture: 'the range midpoints (4 classes)', sizes: MIDPOINTS, budget: BUDGET_PER_HOUR },
    // Σ limits × prices = $10.251/h: all 12,095 mixes up to the limits (KAIROS's ≈12,000) are within it.
    { mixture: 'the size grid, every mix up to the limits', sizes: mixtureGrid(), budget: 10.26 },
  ])(
    'chooses a mix within budget and caps that serves at least the best homogeneous pool: $mixture at $budget $/h',
    ({ sizes, budget }) => {
      const lines: string[] = [];
      for (const model of MODELS) {
        const problem = problemFor(model, sizes, budget);
        const started = performance.now();
        const mixed = planKairos(problem);
        const mixedMs = performance.now() - started;
        const single = planKairos(problem, { singleType: true });
        for (const { plan } of [mixed, single]) {
          expect(plan.feasible).toBe(true);
          expect(checkPlan(problem, plan)).toEqual([]);
          expect(plan.costPerHour).toBeLessThanOrEqual(budget + 1e-9);
          for (const t of plan.modules[0]?.tuples ?? [])
            expect(t.instances).toBeLessThanOrEqual(MAX_INSTANCES[t.hardware] ?? 0);
        }
        expect(single.plan.modules[0]?.tuples.length).toBe(1);
        const bound = mixed.search?.best?.boundRps ?? 0;
        const homogeneous = single.search?.best?.boundRps ?? 0;
        expect(bound).toBeGreaterThanOrEqual(homogeneous * (1 - 1e-9));
        expect(mixed.plan.objectiveValue).toBeCloseTo(bound, 6);
        // Pruning by the dual bounds picks what solving every mix would (checked at the paper's budget).
        const setting = kairosSetting(problem);
        if (typeof setting === 'string') throw new Error(setting);
        if (budget === BUDGET_PER_HOUR) {
          const every = searchPools(setting, { exhaustive: true });
          expect(every.best?.instances).toEqual(mixed.search?.best?.instances);
          expect(every.best?.boundRps).toBeCloseTo(bound, 6);
        }
        const mix = (plan: typeof mixed.plan): string =>
          (plan.modules[0]?.tuples ?? []).map((t) => `${t.instances}x ${t.hardware}`).join(' + ');
        lines.push(
          `${model.padEnd(6)} mix ${mix(mixed.plan)} (${mixed.plan.costPerHour.toFixed(3)} $/h): ${bound.toFixed(0)} req/s` +
            ` | homogeneous ${mix(single.plan)} (${single.plan.costPerHour.toFixed(3)} $/h): ${homogeneous.toFixed(0)} req/s` +
            ` | ratio ${(bound / homogeneous).toFixed(2)} | ${mixed.search?.mixesEnumerated} mixes ranked, ` +
            `${mixed.search?.mixesSolved} solved exactly, in ${mixedMs.toFixed(1)} ms`,
        );
      }
      console.log(lines.join('\n'));
    },
  );
});
