/**
 * Nexus (SOSP 2019) as Harpagon's baseline, with the SLO split evenly along the longest path through
 * each module; see plan-nexus.ts and nexus-module.ts for our reading of Nexus and where its latency
 * rule differs from Sluice's planning model.
 */
import type { Planner, PlannerEntry } from '../planner.js';
import { planNexus } from './plan-nexus.js';

/** Nexus with the even split. Needs no solver. */
export const nexusPlanner: Planner = (problem) => planNexus(problem, 'even');

export const nexusEntry: PlannerEntry = {
  name: 'nexus',
  summary:
    'Nexus baseline: per module the cheapest batch with 2·l(b) <= budget, round-robin, no dummies; SLO split evenly along the longest path',
  exact: false,
  plan: nexusPlanner,
};
