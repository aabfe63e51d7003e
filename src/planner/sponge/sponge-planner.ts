/**
 * Sponge (papers.md §1) for single models on cpu hardware: one vertically scaled instance, its cores and
 * batch the smallest that carry the rate within the worst budget among the app's requests (its SLO and
 * budget classes: Sponge holds every queued request to the worst remaining budget, not the latest one's);
 * when even the most cores cannot, the fewest identical instances (vertical first, then horizontal).
 * Sponge does not choose variants: it keeps the one running, else the module's first. Apps are planned
 * in order, each within what the earlier ones left of the budget and the hardware's instance limit.
 * Sponge always serves the whole offered rate, whatever the objective.
 */
import { modulePlacement } from '../baselines/module-placement.js';
import { worstBudgetMs } from '../baselines/module-budgets.js';
import { infeasiblePlan, type Plan, type PlanModule } from '../plan.js';
import { assemblePlan, indexProblem } from '../planning-model.js';
import { utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { makeTuple, tupleConfigs } from '../tuple-configs.js';
import { spongeBacklog } from './sponge-backlog.js';
import { spongeSearch, type SpongeLimits, type SpongeSearchResult } from './sponge-search.js';

const NAME = 'sponge';

function planSponge(problem: PlanningProblem): Plan {
  const index = indexProblem(problem);
  if (Array.isArray(index)) return infeasiblePlan(NAME, `the problem is malformed: ${index.join('; ')}`);
  const rho = utilisationCapOf(problem);
  const modules: PlanModule[] = [];
  const notes: string[] = [];
  const used = { instances: new Map<string, number>(), cores: 0, costPerHour: 0 };
  for (const app of problem.apps) {
    if (app.modules.length !== 1)
      return infeasiblePlan(
        NAME,
        `Sponge plans single models: app '${app.name}' has ${app.modules.length} modules`,
      );
    if (app.querySizes !== undefined)
      return infeasiblePlan(NAME, `Sponge does not plan sized queries (app '${app.name}')`);
    const name = app.modules[0] ?? '';
    const module = index.modules.get(name);
    if (module === undefined) return infeasiblePlan(NAME, `app '${app.name}': no module '${name}'`);
    const placement = modulePlacement(problem, module);
    if (typeof placement === 'string') return infeasiblePlan(NAME, placement);
    const { variant, hardware } = placement;
    const configs = tupleConfigs(problem, module, rho).filter(
      (c) => c.variant === variant && c.hardware === hardware,
    );
    const budgetMs = worstBudgetMs(app);
    const limits: SpongeLimits = {
      ...(hardware.maxInstances === undefined
        ? {}
        : { instances: hardware.maxInstances - (used.instances.get(hardware.name) ?? 0) }),
      ...(problem.budget?.cores === undefined ? {} : { cores: problem.budget.cores - used.cores }),
      ...(problem.budget?.costPerHour === undefined
        ? {}
        : { costPerHour: problem.budget.costPerHour - used.costPerHour }),
    };
    const result = spongeSearch(configs, app.rateRps, budgetMs, limits);
    if (result.kind !== 'chosen')
      return infeasiblePlan(NAME, failureReason(result, name, app.rateRps, budgetMs, modules.length > 0));
    const { config, instances } = result;
    used.instances.set(hardware.name, (used.instances.get(hardware.name) ?? 0) + instances);
    used.cores += instances * config.cores;
    used.costPerHour += instances * config.instanceCostPerHour;
    modules.push({ name, budgetMs, tuples: [makeTuple(config, instances, app.rateRps, budgetMs)] });
    const backlog = spongeBacklog({
      rateRps: app.rateRps,
      batch: config.batch,
      latencyMs: config.latencyMs,
      instances,
      sloMs: app.sloMs,
      networkMs: app.sloMs - budgetMs,
    });
    const scale =
      instances === 1
        ? `1 instance x ${cores(config.cores)}`
        : `${instances} instances x ${cores(config.cores)} (one instance cannot carry it)`;
    notes.push(
      `module '${name}': ${scale} at batch ${config.batch} carry ${fmt(app.rateRps)} req/s within ` +
        `${fmt(budgetMs)} ms (the worst budget of its requests); Sponge's backlog rule ` +
        `${backlog.met ? 'holds' : 'does not hold'} (${fmt(backlog.backlogMs)} ms vs ${fmt(backlog.limitMs)} ms)`,
    );
  }
  return assemblePlan(problem, NAME, { modules, reason: notes.join('; ') });
}

function failureReason(
  result: Exclude<SpongeSearchResult, { kind: 'chosen' }>,
  module: string,
  rateRps: number,
  budgetMs: number,
  shared: boolean,
): string {
  const left = shared ? ' left after the earlier apps' : '';
  switch (result.kind) {
    case 'no-configuration':
      return `module '${module}': its hardware offers no core or batch option`;
    case 'latency':
      return (
        `module '${module}': even the fastest configuration (${result.fastest.cores} cores, batch ` +
        `${result.fastest.batch}) takes ${fmt(result.fastest.latencyMs)} ms, over the ${fmt(budgetMs)} ms budget`
      );
    case 'instances':
      return (
        `module '${module}': even ${result.limit} instance${result.limit === 1 ? '' : 's'} of the fastest tuple` +
        (result.best === undefined ? '' : ` (${result.best.cores} cores, batch ${result.best.batch})`) +
        ` ${result.limit === 1 ? 'carries' : 'carry'} ${fmt(result.carriedRps)} req/s of the ${fmt(rateRps)} req/s needed within ${fmt(budgetMs)} ms`
      );
    case 'cores':
      return `budget: module '${module}' needs at least ${fmt(result.needed)} cores, over the ${fmt(result.limit)} cores${left}`;
    case 'cost':
      return `budget: the cheapest feasible plan for module '${module}' costs ${fmt(result.needed)} $/h, over the ${fmt(result.limit)} $/h budget${left}`;
  }
}

function cores(n: number): string {
  return `${fmt(n)} core${n === 1 ? '' : 's'}`;
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Sponge: in-place vertical scaling of one instance per model, then horizontal (papers.md §1). */
export const spongePlanner: PlannerEntry = {
  name: NAME,
  summary:
    'Sponge: the fewest cores and smallest batch of one vertically scaled instance per model (then the fewest instances) within the worst request budget',
  exact: true,
  plan: planSponge,
};
