/**
 * The Triton baseline: a dynamic batcher with a fixed max batch (the module's maxBatch, or the running
 * tuple's batch) and a static instance group (the running tuple's instance count, else one), on the
 * running cpu hardware (else the first) at its largest core option (or the running cores). It does not
 * adapt: when that configuration cannot carry the rate within the budget the plan is infeasible, with
 * the numbers (under `max-throughput` it serves what it carries).
 */
import type { Plan } from '../plan.js';
import { infeasiblePlan } from '../plan.js';
import { PLAN_TOLERANCE } from '../planning-model.js';
import { utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { largestCores } from './default-config.js';
import {
  assembleFixedPlan,
  fixedCapacityRps,
  offeredModuleRps,
  type FixedModule,
} from './assemble-fixed-plan.js';
import { moduleBudgets } from './module-budgets.js';
import { modulePlacement } from './module-placement.js';

const NAME = 'triton';

function planTriton(problem: PlanningProblem): Plan {
  const rho = utilisationCapOf(problem);
  const budgets = moduleBudgets(problem);
  const offered = offeredModuleRps(problem);
  const modules: FixedModule[] = [];
  const notes: string[] = [];
  for (const name of problem.apps.flatMap((a) => a.modules)) {
    const module = problem.modules.find((m) => m.name === name);
    const budgetMs = budgets.get(name);
    if (module === undefined || budgetMs === undefined) continue;
    const placement = modulePlacement(problem, module);
    if (typeof placement === 'string') return infeasiblePlan(NAME, placement);
    const { variant, hardware } = placement;
    const running = placement.running.find((t) => t.hardware === hardware.name && t.variant === variant.name);
    const tuple = {
      variant,
      hardware,
      cores: running?.cores ?? largestCores(hardware),
      batch: Math.min(module.maxBatch, running?.batch ?? module.maxBatch),
      instances: running?.instances ?? 1,
    };
    modules.push({ name, budgetMs, tuples: [tuple] });
    const carriesRps = fixedCapacityRps(tuple, budgetMs, rho);
    const needRps = offered.get(name) ?? 0;
    const short =
      problem.objective.kind !== 'max-throughput' && carriesRps < needRps * (1 - PLAN_TOLERANCE)
        ? ` carry ${fmt(carriesRps)} req/s of the ${fmt(needRps)} req/s needed within ${fmt(budgetMs)} ms`
        : ` carry up to ${fmt(carriesRps)} req/s within ${fmt(budgetMs)} ms`;
    notes.push(
      `module '${name}': ${tuple.instances} instance${tuple.instances === 1 ? '' : 's'} x ${fmt(tuple.cores)} cores at max batch ${tuple.batch}${short}`,
    );
  }
  return assembleFixedPlan(problem, NAME, modules, `triton: ${notes.join('; ')}`);
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Triton: fixed max batch and a static instance group; it does not adapt. */
export const tritonPlanner: PlannerEntry = {
  name: NAME,
  summary:
    'Triton: fixed max batch and a static instance group at full cores; infeasible when they cannot carry the rate',
  exact: false,
  plan: planTriton,
};
