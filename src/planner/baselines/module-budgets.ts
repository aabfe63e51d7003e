/**
 * The latency budget of every module for planners that do not split an SLO by cost (DNNScaler and the
 * baselines): an application's objective (its SLO, or its tightest budget class: a planner that serves
 * every request alike must meet the worst one) divided evenly along the longest path through the module.
 * Along any path P, each module's longest path is at least |P| long, so P's budgets sum to at most the
 * objective.
 */
import { appGraph } from '../app-graph.js';
import type { PlanningApp, PlanningProblem } from '../planning-problem.js';

/** The tightest end-to-end budget among an app's requests, in ms: min of its SLO and its budget classes. */
export function worstBudgetMs(app: PlanningApp): number {
  return Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
}

/** Module name → budget in ms; modules of malformed apps are absent (assemblePlan reports those). */
export function moduleBudgets(problem: PlanningProblem): Map<string, number> {
  const out = new Map<string, number>();
  for (const app of problem.apps) {
    const graph = appGraph(app);
    if (typeof graph === 'string') continue;
    const objectiveMs = worstBudgetMs(app);
    for (const name of app.modules) {
      const depth = Math.max(1, ...graph.paths.filter((p) => p.includes(name)).map((p) => p.length));
      out.set(name, objectiveMs / depth);
    }
  }
  return out;
}
