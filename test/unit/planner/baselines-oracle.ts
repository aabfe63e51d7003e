// Brute force of the cheapest single-tuple plan of a one-app, one-module problem under the planning
// model: any variant, any hardware kind, any core and batch option, the fewest instances that carry the
// whole rate within the worst request budget, within the instance limit and the core and cost budgets.
// Every baseline plans one tuple per module, so none can be cheaper than this and stay feasible.
import { estimateLatencyMs } from '../../../src/core/latency-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  tupleCostPerHour,
  utilisationCapOf,
  type PlanningProblem,
} from '../../../src/planner/planning-problem.js';
import { carries } from './sponge-oracle.js';

const EPS = 1e-9;

/** The least cost per hour, or undefined when no single tuple meets the problem. */
export function minCostSingleTuple(problem: PlanningProblem): number | undefined {
  const app = problem.apps[0];
  const module = problem.modules[0];
  if (app === undefined || module === undefined) return undefined;
  const budgetMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
  const rho = utilisationCapOf(problem);
  let best: number | undefined;
  for (const variant of module.variants) {
    for (const hardware of problem.hardware) {
      const model = variant.latency[hardware.name];
      if (model === undefined) continue;
      for (const c of coreOptionsOf(hardware)) {
        for (const b of batchOptionsOf(module)) {
          const l = estimateLatencyMs(model, b, c);
          if (l > budgetMs * (1 + EPS)) continue;
          // Capacity and batch fill both improve with n: the first n that carries is the cheapest.
          for (let n = 1; n <= (hardware.maxInstances ?? 5000); n++) {
            const cost = tupleCostPerHour(hardware, c, n);
            const cores = hardware.kind === 'cpu' ? n * c : 0;
            if (problem.budget?.cores !== undefined && cores > problem.budget.cores * (1 + EPS)) break;
            if (problem.budget?.costPerHour !== undefined && cost > problem.budget.costPerHour * (1 + EPS))
              break;
            if (best !== undefined && cost > best) break;
            if (carries(n, b, l, rho, app.rateRps, budgetMs)) {
              best = best === undefined ? cost : Math.min(best, cost);
              break;
            }
          }
        }
      }
    }
  }
  return best;
}
