/**
 * The Kubernetes Horizontal Pod Autoscaler baseline (Sponge's "FA2", papers.md §1): identical 1-core
 * replicas (the smallest core option when 1 is not one) at batch 1, as many as carry the rate at the
 * target utilisation ρ: replicas = ⌈rate / (ρ · 1000 / l(1, 1))⌉. HPA's rule, desiredReplicas =
 * ⌈currentReplicas × currentUtilisation / targetUtilisation⌉ (kubernetes.io, "Horizontal Pod
 * Autoscaling", algorithm details), gives the same count at steady state, since the utilisation of n
 * replicas is rate / (n · μ).
 */
import type { Plan } from '../plan.js';
import { infeasiblePlan } from '../plan.js';
import { PLAN_TOLERANCE } from '../planning-model.js';
import { coreOptionsOf, utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { assembleFixedPlan, offeredModuleRps, type FixedModule } from './assemble-fixed-plan.js';
import { moduleBudgets } from './module-budgets.js';
import { modulePlacement } from './module-placement.js';
import { configFor } from './instances-for-rate.js';

const NAME = 'hpa';

function planHpa(problem: PlanningProblem): Plan {
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
    const options = coreOptionsOf(hardware);
    const cores = options.includes(1) ? 1 : (options[0] ?? 1);
    const config = configFor(name, variant, hardware, cores, 1, rho);
    const rateRps = offered.get(name) ?? 0;
    const replicas =
      config === undefined ? 1 : Math.max(1, Math.ceil(rateRps / config.instanceRps - PLAN_TOLERANCE));
    modules.push({ name, budgetMs, tuples: [{ variant, hardware, cores, batch: 1, instances: replicas }] });
    notes.push(
      `module '${name}': ${replicas} replica${replicas === 1 ? '' : 's'} x ${cores} core${cores === 1 ? '' : 's'} at batch 1` +
        (config === undefined ? '' : ` (${fmt(config.instanceRps)} req/s each at ρ = ${rho})`),
    );
  }
  return assembleFixedPlan(problem, NAME, modules, `hpa: ${notes.join('; ')}`);
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Kubernetes HPA: horizontal 1-core replicas at batch 1, as many as the rate needs at ρ. */
export const hpaPlanner: PlannerEntry = {
  name: NAME,
  summary: 'HPA: horizontal 1-core replicas at batch 1, as many as carry the rate at the target utilisation',
  exact: false,
  plan: planHpa,
};
