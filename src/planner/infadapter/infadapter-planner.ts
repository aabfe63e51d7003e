/**
 * The InfAdapter planner (papers.md §2): for one-module applications, choose the set of variants, the
 * cores of each variant's one instance and the traffic split, maximising accuracy − α·cost − β·reload
 * (objective `accuracy-cost`, valued exactly as `objectiveValueOf` does), with batching allowed and any
 * variant free to hold spare capacity. The program is built as data (infadapter-model.ts) and solved
 * exactly by the frontier programme (infadapter-frontier.ts), or through the `Solver` port when that
 * passes its state limit; for `min-cost` the same program minimises cost. InfAdapter's load predictor
 * and its scale-down rule belong to the control loop, not here.
 */
import { infeasiblePlan, type Plan } from '../plan.js';
import type { Planner, PlannerEntry } from '../planner.js';
import { assemblePlan } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { Solver } from '../../ports/solver.js';
import { solveInfadapterFrontier } from './infadapter-frontier.js';
import { buildInfadapterModel } from './infadapter-model.js';
import { exceedsCapacityBound, infeasibilityReason, latencyReason } from './infeasibility-reason.js';

const NAME = 'infadapter';

export interface InfadapterOptions {
  /** States the frontier programme may hold before the MILP decides instead; default 20 000. */
  readonly frontierStates?: number;
}

/**
 * Plans `problem` with InfAdapter's program. Never throws: a problem it cannot meet (or does not plan:
 * `max-throughput`, pipelines, query sizes) gives `feasible: false` with the binding constraint.
 */
export function planInfadapter(
  problem: PlanningProblem,
  solver: Solver,
  options: InfadapterOptions = {},
): Plan {
  const built = buildInfadapterModel(problem);
  if (typeof built === 'string') return infeasiblePlan(NAME, built);
  const early = latencyReason(built.scope);
  if (early !== undefined) return infeasiblePlan(NAME, early);
  if (exceedsCapacityBound(problem, built.scope))
    return infeasiblePlan(NAME, infeasibilityReason(problem, built.scope, solver));
  const exact = solveInfadapterFrontier(problem, built.scope, options.frontierStates);
  if (exact?.status === 'optimal') return assemblePlan(problem, NAME, built.decode(exact.values));
  if (exact?.status === 'infeasible')
    return infeasiblePlan(NAME, infeasibilityReason(problem, built.scope, solver));
  const solution = solver.solve(built.model);
  if (solution.status === 'infeasible')
    return infeasiblePlan(NAME, infeasibilityReason(problem, built.scope, solver));
  if (solution.status !== 'optimal') return infeasiblePlan(NAME, `solver: ${solution.message}`);
  return assemblePlan(problem, NAME, built.decode(solution.values));
}

/** InfAdapter's planner (the frontier programme, the MILP past its state limit). */
export const infadapterPlanner: Planner = (problem, { solver }): Plan => planInfadapter(problem, solver);

/** The registry entry of the InfAdapter planner. */
export const infadapterEntry: PlannerEntry = {
  name: NAME,
  summary:
    'InfAdapter: variants, cores per variant and traffic split for one-module apps, maximising accuracy - cost - reload',
  exact: true,
  plan: infadapterPlanner,
};
