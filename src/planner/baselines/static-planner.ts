/**
 * The static baseline: a configuration fixed once and never adapted. With a running plan it keeps that
 * plan's tuples and budgets exactly (re-assembled against this problem's rate: the same tuples, the rate
 * spread over them in proportion to their capacity); a module the running plan lacks gets the default
 * configuration (`default-config.ts`: first variant, first cpu hardware, its largest core option, the
 * largest batch that fits the budget) with instances sized once for the offered rate. Budgets of new
 * modules split each app's objective evenly along its longest path (`module-budgets.ts`).
 */
import type { Plan } from '../plan.js';
import { utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { infeasiblePlan } from '../plan.js';
import { defaultConfig } from './default-config.js';
import {
  assembleFixedPlan,
  offeredModuleRps,
  type FixedModule,
  type FixedTuple,
} from './assemble-fixed-plan.js';
import { moduleBudgets } from './module-budgets.js';
import { modulePlacement } from './module-placement.js';

const NAME = 'static';

function planStatic(problem: PlanningProblem): Plan {
  const rho = utilisationCapOf(problem);
  const budgets = moduleBudgets(problem);
  const offered = offeredModuleRps(problem);
  const { current: _running, ...fresh } = problem;
  const modules: FixedModule[] = [];
  const notes: string[] = [];
  for (const name of problem.apps.flatMap((a) => a.modules)) {
    const module = problem.modules.find((m) => m.name === name);
    const budgetMs = budgets.get(name);
    if (module === undefined || budgetMs === undefined) continue;
    const running = problem.current?.modules.find((m) => m.name === name);
    const kept = running?.tuples.map((t): FixedTuple | undefined => {
      const variant = module.variants.find((v) => v.name === t.variant);
      const hardware = problem.hardware.find((h) => h.name === t.hardware);
      if (variant === undefined || hardware === undefined) return undefined;
      const base = { variant, hardware, cores: t.cores, batch: t.batch, instances: t.instances };
      return t.budgetMs === undefined ? base : { ...base, budgetMs: t.budgetMs };
    });
    if (
      running !== undefined &&
      kept !== undefined &&
      kept.length > 0 &&
      kept.every((t) => t !== undefined)
    ) {
      modules.push({ name, budgetMs: running.budgetMs, tuples: kept.filter((t) => t !== undefined) });
      notes.push(`module '${name}' keeps its ${kept.length} running tuple${kept.length === 1 ? '' : 's'}`);
      continue;
    }
    const placement = modulePlacement(fresh, module);
    if (typeof placement === 'string') return infeasiblePlan(NAME, placement);
    const { variant, hardware } = placement;
    const fixed = defaultConfig(module, variant, hardware, offered.get(name) ?? 0, budgetMs, rho);
    modules.push({
      name,
      budgetMs,
      tuples: [{ variant, hardware, cores: fixed.cores, batch: fixed.batch, instances: fixed.instances }],
    });
    notes.push(
      `module '${name}': ${fixed.instances} x ${variant.name} on ${fixed.cores} cores of ${hardware.name}, batch ${fixed.batch}, sized once`,
    );
  }
  return assembleFixedPlan(problem, NAME, modules, `static: ${notes.join('; ')}`);
}

/** A fixed configuration: the running plan as it is, or one sized once for the rate. */
export const staticPlanner: PlannerEntry = {
  name: NAME,
  summary: 'static: keeps the running plan as it is (else one configuration sized once for the rate)',
  exact: false,
  plan: planStatic,
};
