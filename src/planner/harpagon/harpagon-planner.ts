/**
 * Harpagon (INFOCOM 2025, docs/papers.md §3), the paper's planner: the cheapest multi-tuple
 * configuration per module with batch-aware dispatch and dummy requests, and the SLO split greedily by
 * latency-cost efficiency (greedy-split.ts), unused budget handed back (reassign-latency.ts). Not exact:
 * the greedy reaches the optimum on most small pipelines (the paper: 91.5% of workloads; our figure in
 * test/unit/planner/harpagon-oracle.test.ts). See plan-harpagon.ts for what it plans and what not.
 */
import type { Planner, PlannerEntry } from '../planner.js';
import { planHarpagon } from './plan-harpagon.js';

/** Harpagon with the greedy latency split. Needs no solver. */
export const harpagonPlanner: Planner = (problem) => planHarpagon(problem, 'greedy');

export const harpagonEntry: PlannerEntry = {
  name: 'harpagon',
  summary:
    'Harpagon: min cost for module graphs; multi-tuple configurations with dummy requests, SLO split greedily by latency-cost efficiency',
  exact: false,
  plan: harpagonPlanner,
};
