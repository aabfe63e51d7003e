/**
 * Where a single-variant planner (Sponge, DNNScaler and the baselines) runs a module: the variant the
 * running plan uses for it (else the module's first), on the cpu hardware the running plan uses (else the
 * first cpu kind the variant has a latency model for). These planners do not choose variants or mix
 * hardware; keeping what runs avoids a reload they would not account for.
 */
import type { PlanTuple } from '../plan.js';
import type { HardwareSpec, PlanningModule, PlanningProblem, PlanningVariant } from '../planning-problem.js';

export interface ModulePlacement {
  readonly variant: PlanningVariant;
  /** A `cpu` kind on which `variant` has a latency model. */
  readonly hardware: HardwareSpec;
  /** The module's tuples in `problem.current`; empty when it runs nothing there. */
  readonly running: readonly PlanTuple[];
  /** The module's budget in `problem.current`, in ms, when it has an entry there. */
  readonly runningBudgetMs?: number;
}

/** The placement of `module`, or a sentence saying why it has none. */
export function modulePlacement(problem: PlanningProblem, module: PlanningModule): ModulePlacement | string {
  const entry = problem.current?.modules.find((m) => m.name === module.name);
  const running = entry?.tuples ?? [];
  const first = running[0];
  const variant = module.variants.find((v) => v.name === first?.variant) ?? module.variants[0];
  if (variant === undefined) return `module '${module.name}' has no variants`;
  const usable = (h: HardwareSpec): boolean => h.kind === 'cpu' && variant.latency[h.name] !== undefined;
  const hardware =
    problem.hardware.find((h) => h.name === first?.hardware && usable(h)) ?? problem.hardware.find(usable);
  if (hardware === undefined)
    return `module '${module.name}': variant '${variant.name}' has no latency model on any cpu hardware`;
  return {
    variant,
    hardware,
    running,
    ...(entry === undefined ? {} : { runningBudgetMs: entry.budgetMs }),
  };
}
