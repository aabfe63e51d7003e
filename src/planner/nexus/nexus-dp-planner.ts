/**
 * Nexus (SOSP 2019) as Harpagon's baseline, with Nexus's own latency split: the module budgets on a
 * 1 ms grid that minimise the total cost of Nexus's per-module choices; see plan-nexus.ts.
 */
import type { Planner, PlannerEntry } from '../planner.js';
import { planNexus } from './plan-nexus.js';

/** Nexus with its DP split over a 1 ms grid. Needs no solver. */
export const nexusDpPlanner: Planner = (problem) => planNexus(problem, 'dp');

export const nexusDpEntry: PlannerEntry = {
  name: 'nexus-dp',
  summary:
    'Nexus baseline with its DP latency split: per module the cheapest batch with 2·l(b) <= budget, budgets on a 1 ms grid at least total cost',
  exact: false,
  plan: nexusDpPlanner,
};
