/**
 * The problem the control loop hands the planner each interval: the configured problem with each app's
 * rate replaced by its forecast, the budget classes observed, the running plan as `current`, and the
 * observations the feedback baselines read (CPU usage per module over a window, latest latencies).
 * Between variant intervals each module may use only the variants it runs now.
 */
import type { Plan } from '../planner/plan.js';
import type { PlanningApp, PlanningModule, PlanningProblem } from '../planner/planning-problem.js';
import type { Observation } from './control-observer.js';

export interface PlanProblemInputs {
  readonly rates: Readonly<Record<string, number>>;
  readonly budgets: Readonly<Record<string, PlanningApp['budgets']>>;
  readonly current: Plan | undefined;
  /** Keep each module to the variants `current` runs. */
  readonly keepVariants: boolean;
  readonly observation: Observation;
  /** Per module, recent CPU usage samples of all its instances together, in cores. */
  readonly cpuUsageCores: Readonly<Record<string, readonly number[]>>;
}

export function planProblem(template: PlanningProblem, inputs: PlanProblemInputs): PlanningProblem {
  const apps = template.apps.map((app) => {
    const budgets = inputs.budgets[app.name];
    return {
      ...app,
      rateRps: Math.max(0, inputs.rates[app.name] ?? app.rateRps),
      ...(budgets === undefined ? {} : { budgets }),
    };
  });
  const modules = template.modules.map((m) => restrict(m, inputs.keepVariants ? inputs.current : undefined));
  const latencyMs: Record<string, { mean?: number; p95?: number; p99?: number }> = {};
  for (const [name, seen] of Object.entries(inputs.observation.modules)) {
    latencyMs[name] = {
      ...(seen.meanLatencyMs === undefined ? {} : { mean: seen.meanLatencyMs }),
      ...(seen.p95LatencyMs === undefined ? {} : { p95: seen.p95LatencyMs }),
      ...(seen.p99LatencyMs === undefined ? {} : { p99: seen.p99LatencyMs }),
    };
  }
  return {
    ...template,
    apps,
    modules,
    ...(inputs.current === undefined ? {} : { current: inputs.current }),
    observations: { cpuUsageCores: inputs.cpuUsageCores, latencyMs },
  };
}

function restrict(module: PlanningModule, current: Plan | undefined): PlanningModule {
  const running = new Set(
    current?.modules.find((m) => m.name === module.name)?.tuples.map((t) => t.variant) ?? [],
  );
  if (running.size === 0) return module;
  const variants = module.variants.filter((v) => running.has(v.name));
  return variants.length === 0 ? module : { ...module, variants };
}
