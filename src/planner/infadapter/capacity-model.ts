/**
 * The most requests per second InfAdapter's allocations can carry within the budgets, as a program on the
 * shared rows (infadapter-rows.ts): maximise Σ λ_{a,m} over the chosen apps. With `rates: 'free'` it is
 * the apps' pure capacity; with `at-most` each app counts only up to its offered rate. The planner uses it
 * to name the binding constraint when its own program is infeasible.
 */
import type { MilpModel } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { InfadapterScope } from './infadapter-candidates.js';
import { infadapterRows } from './infadapter-rows.js';

export interface CapacityModelOptions {
  /** `free`: pure capacity; `at-most`: each app's rate counts up to its offered rate. Default `free`. */
  readonly rates?: 'free' | 'at-most';
  /** Indices of the apps to include; default all. */
  readonly apps?: readonly number[];
}

/** The capacity program of `scope` (req/s; the objective is the carried rate, unscaled). */
export function buildCapacityModel(
  problem: PlanningProblem,
  scope: InfadapterScope,
  options: CapacityModelOptions = {},
): MilpModel {
  const rows = infadapterRows(problem, scope, {
    rates: options.rates ?? 'free',
    ...(options.apps === undefined ? {} : { apps: options.apps }),
  });
  return {
    sense: 'maximize',
    variables: rows.variables.map((v) => (v.type === 'continuous' ? { ...v, objective: 1 } : v)),
    constraints: rows.constraints,
  };
}
