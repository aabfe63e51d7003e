/**
 * A plan built for latency alone, whose only use is its cost: an upper bound on the optimum when the
 * first solve (instance counts bounded by what each tuple's rate needs) finds nothing and no $/h budget
 * bounds cost. Pipelines can always meet a latency objective above the sum of their fastest batch
 * latencies by running enough instances of a batching tuple (its batches fill faster), so: give each
 * module its fastest latency plus an even share of the spare objective along its longest path, pick
 * the cheapest single tuple meeting that budget, and run as many instances as its rate or its batch
 * fill needs. If this plan also meets the core and instance budgets, its cost is a valid ceiling and
 * the second solve is exact.
 */
import { minInstancesForBudget } from '../tuple-configs.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { SluiceCandidates } from './candidate-types.js';
import { sluiceNames } from './sluice-model.js';

export interface LatencyFirstPlan {
  /** The plan as MILP variable values (sluice-model.ts names). */
  readonly values: Record<string, number>;
  readonly costPerHour: number;
}

/** The latency-first plan of every app of `candidates`, or undefined if it breaks a budget. */
export function latencyFirstPlan(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
): LatencyFirstPlan | undefined {
  const values: Record<string, number> = {};
  let cost = 0;
  let cores = 0;
  const perHardware = new Map<string, number>();
  for (const [a, app] of candidates.apps.entries()) {
    values[sluiceNames.served(a)] = app.app.rateRps;
    const fastest = app.modules.map((m) => Math.min(...m.candidates.map((c) => c.config.latencyMs)));
    const names = app.modules.map((m) => m.module.name);
    const paths = app.paths.map((p) => p.map((n) => names.indexOf(n)));
    const longest = Math.max(1, ...paths.map((p) => p.length));
    const spare = app.sloMs - Math.max(0, ...paths.map((p) => p.reduce((s, m) => s + (fastest[m] ?? 0), 0)));
    if (app.modules.some((m) => m.fixedBudgetMs === undefined) && !(spare > 0)) return undefined;
    for (const [m, mod] of app.modules.entries()) {
      const budgetMs = mod.fixedBudgetMs ?? (fastest[m] ?? 0) + spare / longest;
      let best: { i: number; n: number; cost: number } | undefined;
      for (const [i, c] of mod.candidates.entries()) {
        if (c.sizeMs !== undefined || c.holdMs !== undefined) return undefined;
        const fewest = minInstancesForBudget(c.config, budgetMs);
        if (!Number.isFinite(fewest)) continue;
        const n = Math.max(fewest, Math.ceil(mod.offeredRps / c.config.instanceRps - 1e-9), 1);
        const total = n * c.config.instanceCostPerHour;
        if (best === undefined || total < best.cost) best = { i, n, cost: total };
      }
      if (best === undefined) return undefined;
      const chosen = mod.candidates[best.i];
      if (chosen === undefined) return undefined;
      values[sluiceNames.instances(a, m, best.i)] = best.n;
      values[sluiceNames.rate(a, m, best.i)] = mod.offeredRps;
      values[sluiceNames.budget(a, m)] = budgetMs;
      cost += best.cost;
      if (chosen.config.hardware.kind === 'cpu') cores += best.n * chosen.config.cores;
      perHardware.set(
        chosen.config.hardware.name,
        (perHardware.get(chosen.config.hardware.name) ?? 0) + best.n,
      );
    }
  }
  const budget = problem.budget;
  if (budget?.costPerHour !== undefined && cost > budget.costPerHour * (1 + 1e-9)) return undefined;
  if (budget?.cores !== undefined && cores > budget.cores * (1 + 1e-9)) return undefined;
  for (const h of problem.hardware)
    if (h.maxInstances !== undefined && (perHardware.get(h.name) ?? 0) > h.maxInstances) return undefined;
  return { values, costPerHour: cost };
}
