/**
 * A module's cost as a function of its latency budget, as the split searches see it: a step function
 * that only falls as the budget grows, given by its breakpoints (the budgets at which it drops) with
 * the configuration that achieves each.
 */
import type { TupleConfig } from '../tuple-configs.js';

/** The configurations a module runs and how many instances of each: no rates yet. */
export interface ModuleSolution {
  readonly costPerHour: number;
  /** Most cost-efficient first (it takes the bulk of the rate). */
  readonly tuples: readonly { readonly config: TupleConfig; readonly instances: number }[];
}

export interface CostSteps {
  /** Strictly ascending, ms. */
  readonly budgetsMs: readonly number[];
  /** Strictly descending, $/h: the cost from `budgetsMs[i]` up to the next breakpoint. */
  readonly costsPerHour: readonly number[];
  /** What achieves each cost. */
  readonly solutions: readonly ModuleSolution[];
}

/** Relative slack on sums of budgets against an SLO (well inside the planning model's 1e-6). */
export const SPLIT_TOLERANCE = 1e-9;

/** The index of the last breakpoint at or below `budgetMs`, or -1 when the first is above it. */
export function stepAt(steps: CostSteps, budgetMs: number): number {
  const budgets = steps.budgetsMs;
  let lo = 0;
  let hi = budgets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((budgets[mid] ?? Number.POSITIVE_INFINITY) <= budgetMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The breakpoints from index `from` on. */
export function stepsFrom(steps: CostSteps, from: number): CostSteps {
  return {
    budgetsMs: steps.budgetsMs.slice(from),
    costsPerHour: steps.costsPerHour.slice(from),
    solutions: steps.solutions.slice(from),
  };
}

/** For each of `modules` modules, the indices of the paths (lists of module indices) through it. */
export function pathsThrough(modules: number, paths: readonly (readonly number[])[]): number[][] {
  return Array.from({ length: modules }, (_, m) => paths.flatMap((path, p) => (path.includes(m) ? [p] : [])));
}
