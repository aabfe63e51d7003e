/**
 * Harpagon's per-module step (docs/papers.md §3, levels 1 and 2) as one call: the minimum-cost
 * multi-tuple configuration of a module at a budget and a rate, with the rate split over its tuples
 * (the bulk on the most cost-efficient, the remainder on the others) and each tuple's dummy rate set so
 * its batches fill in time. For many budgets of one module, hold a `ModuleCostCurve` instead: it
 * prepares the configurations once.
 */
import type { PlanTuple } from '../plan.js';
import type { PlanningModule, PlanningProblem } from '../planning-problem.js';
import { makeTuple } from '../tuple-configs.js';
import type { ModuleSolution } from './cost-steps.js';
import { ModuleCostCurve } from './module-cost-curve.js';

export interface ModuleMinCost {
  readonly costPerHour: number;
  /** Carrying the whole rate within the budget (dummies included), most cost-efficient first. */
  readonly tuples: readonly PlanTuple[];
}

/**
 * The cheapest way `module` carries `rateRps` (its own rate, fan-out included) within `budgetMs`, over
 * every variant, hardware kind, core count and batch size (accuracy ignored: Harpagon minimises cost),
 * with each hardware kind's `maxInstances` applied to this module alone; undefined when none does.
 */
export function moduleMinCost(
  problem: PlanningProblem,
  module: PlanningModule,
  budgetMs: number,
  rateRps: number,
): ModuleMinCost | undefined {
  const solution = ModuleCostCurve.of(problem, module, rateRps).solveAt(budgetMs);
  if (solution === undefined) return undefined;
  return { costPerHour: solution.costPerHour, tuples: moduleTuples(solution, rateRps, budgetMs) };
}

/**
 * The tuples of `solution` carrying `rateRps` within `budgetMs`: each in turn filled to its capacity,
 * the last taking what is left; a tuple left with nothing is dropped. Dummies per `makeTuple`.
 */
export function moduleTuples(solution: ModuleSolution, rateRps: number, budgetMs: number): PlanTuple[] {
  const out: PlanTuple[] = [];
  let leftRps = rateRps;
  solution.tuples.forEach(({ config, instances }, i) => {
    const last = i === solution.tuples.length - 1;
    const rate = last ? leftRps : Math.min(leftRps, instances * config.instanceRps);
    if (!(rate > 0)) return;
    leftRps -= rate;
    out.push(makeTuple(config, instances, rate, budgetMs));
  });
  return out;
}
