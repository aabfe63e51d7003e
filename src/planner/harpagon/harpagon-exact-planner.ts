/**
 * Harpagon with the exact latency split (exact-split.ts): the same exact per-module minimum costs as
 * `harpagon`, combined over every module's cost breakpoints (a Pareto DP along a chain, branch and
 * bound on other graphs), bounded by the greedy split's cost. Exact for min-cost problems whose only
 * coupling between modules is the SLO along the paths and the $/h budget (no per-kind instance limits
 * or core budget across modules); fast for up to about six modules with modest breakpoint counts.
 */
import type { Planner, PlannerEntry } from '../planner.js';
import { planHarpagon } from './plan-harpagon.js';

/** Harpagon with the exact latency split. Needs no solver. */
export const harpagonExactPlanner: Planner = (problem) => planHarpagon(problem, 'exact');

export const harpagonExactEntry: PlannerEntry = {
  name: 'harpagon-exact',
  summary:
    'Harpagon with the exact SLO split over every module cost breakpoint (DP on chains, branch and bound on small DAGs)',
  exact: true,
  plan: harpagonExactPlanner,
};
