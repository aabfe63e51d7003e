/**
 * Nexus (SOSP 2019) as Harpagon's baseline (docs/papers.md §3; our reading): per module the
 * configuration nexus-module.ts picks under Nexus's rule 2·l(b) ≤ budget, one tuple, round-robin, no
 * dummy requests; the application's SLO split into module budgets either evenly along the longest path
 * through each module (`even`) or, like Nexus's dynamic program, to the least total cost over budgets on
 * a grid of `gridMs` (`dp`; on a chain this is exactly Nexus's DP, on other graphs the same optimum found
 * by the exact split search). No budget is handed back: Nexus has no latency reassigner.
 *
 * The plan is held to Sluice's planning model like every other, and Nexus's rule is looser than its
 * batch-aware formula at low rates: such a plan comes out infeasible with the tuple that breaks it,
 * never silently rescued with dummies.
 */
import { appGraph } from '../app-graph.js';
import { exactSplit } from '../harpagon/exact-split.js';
import { SPLIT_TOLERANCE, type ModuleSolution } from '../harpagon/cost-steps.js';
import { infeasiblePlan, type Plan, type PlanModule, type PlanTuple } from '../plan.js';
import { assemblePlan, indexProblem } from '../planning-model.js';
import type { PlanningApp, PlanningProblem } from '../planning-problem.js';
import { NexusModule } from './nexus-module.js';

export type NexusSplit = 'even' | 'dp';

/** Grid of Nexus's DP split, ms. */
export const NEXUS_GRID_MS = 1;

/** The Nexus plan of `problem` with the given split. Never throws for an unmet problem. */
export function planNexus(problem: PlanningProblem, split: NexusSplit, gridMs = NEXUS_GRID_MS): Plan {
  const name = split === 'even' ? 'nexus' : 'nexus-dp';
  const index = indexProblem(problem);
  if (Array.isArray(index)) return infeasiblePlan(name, `the problem is malformed: ${index.join('; ')}`);
  const modules: PlanModule[] = [];
  for (const app of problem.apps) {
    if (app.querySizes !== undefined)
      return infeasiblePlan(name, `app '${app.name}' has query sizes, which Nexus does not plan`);
    const planned = split === 'even' ? evenSplit(problem, app) : dpSplit(problem, app, gridMs);
    if (typeof planned === 'string') return infeasiblePlan(name, `${name}: ${planned}`);
    modules.push(...planned);
  }
  const how =
    split === 'even'
      ? 'SLO split evenly along the longest path'
      : `SLO split by a DP over a ${gridMs} ms grid`;
  return assemblePlan(problem, name, {
    modules,
    reason:
      `${name}: ${how}; per module the lowest cost per request with 2·l(b) ≤ budget, one tuple, ` +
      `round-robin, no dummy requests (Nexus's own latency rule, looser than Sluice's batch-aware ` +
      `(b − 1)/r + l(b) ≤ budget at low rates)`,
  });
}

interface AppModules {
  readonly graph: { readonly order: readonly string[]; readonly paths: readonly (readonly string[])[] };
  readonly sloMs: number;
  readonly nexus: readonly NexusModule[];
}

function appModules(problem: PlanningProblem, app: PlanningApp): AppModules | string {
  const graph = appGraph(app);
  if (typeof graph === 'string') return graph;
  const sloMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
  const nexus: NexusModule[] = [];
  for (const name of graph.order) {
    const module = problem.modules.find((m) => m.name === name);
    if (module === undefined)
      return `app '${app.name}' uses module '${name}', which the problem does not define`;
    nexus.push(NexusModule.of(problem, module, app.rateRps * (graph.multiplier[name] ?? 1)));
  }
  return { graph, sloMs, nexus };
}

function evenSplit(problem: PlanningProblem, app: PlanningApp): PlanModule[] | string {
  const prepared = appModules(problem, app);
  if (typeof prepared === 'string') return prepared;
  const { graph, sloMs, nexus } = prepared;
  const out: PlanModule[] = [];
  for (const [m, name] of graph.order.entries()) {
    const depth = Math.max(1, ...graph.paths.filter((p) => p.includes(name)).map((p) => p.length));
    const budgetMs = sloMs / depth;
    const module = nexus[m];
    const choice = module?.choiceAt(budgetMs);
    if (module === undefined || choice === undefined)
      return `module '${name}': no batch size b has 2·l(b) ≤ its even share of ${round(budgetMs)} ms`;
    out.push({ name, budgetMs, tuples: tuplesOf(choice, module.rateRps) });
  }
  return out;
}

function dpSplit(problem: PlanningProblem, app: PlanningApp, gridMs: number): PlanModule[] | string {
  const prepared = appModules(problem, app);
  if (typeof prepared === 'string') return prepared;
  const { graph, sloMs, nexus } = prepared;
  const position = new Map(graph.order.map((n, i) => [n, i]));
  const paths = graph.paths.map((p) => p.map((n) => position.get(n) ?? 0));
  const loMs = nexus.map((m) => Math.ceil(m.minBudgetMs / gridMs - 1e-9) * gridMs);
  for (const path of paths) {
    const needMs = path.reduce((s, m) => s + (loMs[m] ?? 0), 0);
    if (!(needMs <= sloMs * (1 + SPLIT_TOLERANCE)))
      return `along ${path.map((m) => graph.order[m]).join(' -> ')} Nexus's rule 2·l(b) ≤ budget needs at least ${round(needMs)} ms on a ${gridMs} ms grid, over the ${sloMs} ms objective`;
  }
  const steps = nexus.map((module, m) => {
    const hiMs = Math.min(
      ...paths
        .filter((p) => p.includes(m))
        .map((p) => sloMs - p.reduce((s, j) => s + (j === m ? 0 : (loMs[j] ?? 0)), 0)),
    );
    return module.steps(loMs[m] ?? 0, hiMs, gridMs);
  });
  const chosen = exactSplit(steps, paths, sloMs);
  if (chosen === undefined) return `no split on the ${gridMs} ms grid meets 2·l(b) ≤ budget in every module`;
  return graph.order.map((name, m) => {
    const at = chosen.indices[m] ?? 0;
    const choice = steps[m]?.solutions[at] ?? { costPerHour: 0, tuples: [] };
    return { name, budgetMs: steps[m]?.budgetsMs[at] ?? 0, tuples: tuplesOf(choice, nexus[m]?.rateRps ?? 0) };
  });
}

function tuplesOf(choice: ModuleSolution, rateRps: number): PlanTuple[] {
  return choice.tuples.map(({ config, instances }) => ({
    variant: config.variant.name,
    hardware: config.hardware.name,
    cores: config.cores,
    batch: config.batch,
    instances,
    rateRps,
    dummyRps: 0,
  }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
