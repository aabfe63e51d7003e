/**
 * What a planner is: a pure function from a planning problem to a plan, with the solver as its only
 * dependency. Planners never throw for a problem they cannot meet: they return `feasible: false` with
 * the binding constraint as the reason.
 */
import type { Solver } from '../ports/solver.js';
import type { Plan } from './plan.js';
import type { PlanningProblem } from './planning-problem.js';

export interface PlannerDeps {
  readonly solver: Solver;
}

export type Planner = (problem: PlanningProblem, deps: PlannerDeps) => Plan;

export interface PlannerEntry {
  readonly name: string;
  /** One line for `sluice plan --help`. */
  readonly summary: string;
  /** True when the planner is exact for the problems it accepts (checked against the oracle). */
  readonly exact: boolean;
  /** True when the plan depends on `problem.observations` (feedback baselines): never reuse its plans. */
  readonly feedback?: boolean;
  /** True when its resizes are applied by restarting the instance (VPA), not in place. */
  readonly resizesByRestart?: boolean;
  readonly plan: Planner;
}
