/**
 * Harpagon (INFOCOM 2025, docs/papers.md §3) for every application of a problem: the cheapest plan
 * that serves each application's whole rate, with batch-aware dispatch, multi-tuple configurations
 * padded by dummy requests, and the end-to-end SLO split into module budgets, either greedily by
 * latency-cost efficiency (the paper) or exactly over every module's cost breakpoints. After the split
 * the latency reassigner hands the unused budget back.
 *
 * Scope (our reading): the objective is taken as min-cost whatever the problem says (the plan's
 * objective value is still the problem's); a pipeline is planned for its tightest budget class; query
 * sizes (KAIROS) are refused. Each hardware kind's instance limit is applied per module and the core
 * budget is only checked: a plan breaking either across modules comes out infeasible with that reason.
 */
import { infeasiblePlan, type Plan, type PlanModule } from '../plan.js';
import { assemblePlan, indexProblem } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import { allSteps, prepareAppSplit, type AppSplit } from './app-split.js';
import { stepsFrom, type CostSteps } from './cost-steps.js';
import { exactSplit } from './exact-split.js';
import { descendingSplit, greedySplit } from './greedy-split.js';
import { moduleTuples } from './module-min-cost.js';
import { reassignLatency } from './reassign-latency.js';

export type HarpagonSplit = 'greedy' | 'exact';

/** The Harpagon plan of `problem` with the given latency split. Never throws for an unmet problem. */
export function planHarpagon(problem: PlanningProblem, split: HarpagonSplit): Plan {
  const name = split === 'greedy' ? 'harpagon' : 'harpagon-exact';
  const index = indexProblem(problem);
  if (Array.isArray(index)) return infeasiblePlan(name, `the problem is malformed: ${index.join('; ')}`);
  const modules: PlanModule[] = [];
  for (const app of problem.apps) {
    if (app.querySizes !== undefined)
      return infeasiblePlan(name, `app '${app.name}' has query sizes, which Harpagon does not plan`);
    const prepared = prepareAppSplit(problem, app);
    if (typeof prepared === 'string') return infeasiblePlan(name, prepared);
    const chosen = chooseSplit(prepared, split);
    if (chosen === undefined)
      return infeasiblePlan(
        name,
        `app '${app.name}': no split of its ${prepared.sloMs} ms objective fits every path`,
      );
    modules.push(...planModules(prepared, chosen.steps, chosen.indices));
  }
  const how =
    split === 'greedy'
      ? 'SLO split greedily by latency-cost efficiency'
      : 'SLO split exactly over the cost breakpoints';
  return assemblePlan(problem, name, {
    modules,
    reason: `harpagon: cheapest multi-tuple configuration per module (batch-aware dispatch, dummy requests), ${how}, unused budget handed back`,
  });
}

/** The split's breakpoint indices into the returned steps. */
function chooseSplit(
  prepared: AppSplit,
  split: HarpagonSplit,
): { steps: readonly CostSteps[]; indices: readonly number[] } | undefined {
  if (split === 'greedy') {
    const down = descendingSplit(prepared.sweeps, prepared.paths, prepared.sloMs);
    if (down !== undefined) {
      // Only the breakpoints the down pass visited are known; the up pass moves within them.
      const steps = prepared.sweeps.map((s) => s.ascending());
      const start = steps.map((s, m) => s.budgetsMs.length - 1 - (down[m] ?? 0));
      const indices = greedySplit(steps, prepared.paths, prepared.sloMs, start);
      if (indices !== undefined) return { steps, indices };
    }
  }
  const all = allSteps(prepared);
  const greedy = greedySplit(all, prepared.paths, prepared.sloMs);
  if (split === 'greedy') return greedy === undefined ? undefined : { steps: all, indices: greedy };
  // The greedy's cost bounds the optimum: drop the breakpoints that cannot be part of a cheaper plan.
  const greedyCost =
    greedy === undefined
      ? prepared.upperCostPerHour
      : greedy.reduce((s, i, m) => s + (all[m]?.costsPerHour[i] ?? 0), 0);
  const lowerTotal = prepared.lowerCostsPerHour.reduce((s, c) => s + c, 0);
  const steps = all.map((s, m) => {
    const cap = (greedyCost - (lowerTotal - (prepared.lowerCostsPerHour[m] ?? 0))) * (1 + 1e-9);
    const from = s.costsPerHour.findIndex((c) => c <= cap);
    return from <= 0 ? s : stepsFrom(s, from);
  });
  const exact = exactSplit(steps, prepared.paths, prepared.sloMs, greedyCost * (1 + 1e-9));
  if (exact !== undefined) return { steps, indices: exact.indices };
  return greedy === undefined ? undefined : { steps: all, indices: greedy };
}

function planModules(
  prepared: AppSplit,
  steps: readonly CostSteps[],
  indices: readonly number[],
): PlanModule[] {
  const solutions = steps.map((s, m) => s.solutions[indices[m] ?? 0] ?? { costPerHour: 0, tuples: [] });
  const splitMs = steps.map((s, m) => s.budgetsMs[indices[m] ?? 0] ?? 0);
  const dummyRps = solutions.map((solution, m) =>
    moduleTuples(solution, prepared.ratesRps[m] ?? 0, splitMs[m] ?? 0).reduce((s, t) => s + t.dummyRps, 0),
  );
  const budgetsMs = reassignLatency(splitMs, prepared.paths, prepared.sloMs, dummyRps);
  return prepared.names.map((name, m) => ({
    name,
    budgetMs: budgetsMs[m] ?? 0,
    tuples: moduleTuples(
      solutions[m] ?? { costPerHour: 0, tuples: [] },
      prepared.ratesRps[m] ?? 0,
      budgetsMs[m] ?? 0,
    ),
  }));
}
