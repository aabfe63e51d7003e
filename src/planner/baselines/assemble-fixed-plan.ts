/**
 * The plan of configurations a planner has already fixed (variant, hardware, cores, batch, instances per
 * tuple): each app serves its whole rate (under `max-throughput`, as much of it as the tuples carry), each
 * module's rate is spread over its tuples in proportion to their capacity, and each tuple gets the dummy
 * rate its batches need. Built through `assemblePlan`, so a configuration that breaks the planning model
 * comes back `feasible: false` with the violation in the reason: that is how a fixed baseline loses.
 */
import { appGraph } from '../app-graph.js';
import type { Plan, PlanModule, PlanTuple } from '../plan.js';
import {
  assemblePlan,
  dummyRpsNeeded,
  instanceCapacityRps,
  tupleCapacityRps,
  tupleLatencyMs,
} from '../planning-model.js';
import {
  utilisationCapOf,
  type HardwareSpec,
  type PlanningProblem,
  type PlanningVariant,
} from '../planning-problem.js';

export interface FixedTuple {
  readonly variant: PlanningVariant;
  readonly hardware: HardwareSpec;
  /** Per instance. */
  readonly cores: number;
  readonly batch: number;
  readonly instances: number;
  /** Its own budget in ms (a tuple kept from a plan with budget classes); default the module's. */
  readonly budgetMs?: number;
}

export interface FixedModule {
  readonly name: string;
  /** ms. */
  readonly budgetMs: number;
  readonly tuples: readonly FixedTuple[];
}

/** Module name → requests per second it receives when every app serves its whole offered rate. */
export function offeredModuleRps(problem: PlanningProblem): Map<string, number> {
  const out = new Map<string, number>();
  for (const app of problem.apps) {
    const graph = appGraph(app);
    for (const name of app.modules)
      out.set(name, app.rateRps * (typeof graph === 'string' ? 1 : (graph.multiplier[name] ?? 1)));
  }
  return out;
}

/** Real requests per second `tuple` carries within `budgetMs` at the utilisation cap (0 when it cannot). */
export function fixedCapacityRps(tuple: FixedTuple, budgetMs: number, rho: number): number {
  const latencyMs = tupleLatencyMs(tuple.variant, tuple.hardware.name, tuple.batch, tuple.cores);
  if (latencyMs === undefined || !(latencyMs > 0)) return 0;
  return tupleCapacityRps(latencyMs, tuple.batch, tuple.instances, rho, tuple.budgetMs ?? budgetMs);
}

/** The assembled plan of `modules` for `problem` (see the file comment). */
export function assembleFixedPlan(
  problem: PlanningProblem,
  planner: string,
  modules: readonly FixedModule[],
  reason: string,
): Plan {
  const rho = utilisationCapOf(problem);
  const byName = new Map(modules.map((m) => [m.name, m]));
  const capacity = (m: FixedModule): number =>
    m.tuples.reduce((s, t) => s + fixedCapacityRps(t, m.budgetMs, rho), 0);
  const servedRps: Record<string, number> = {};
  const moduleRps = new Map<string, number>();
  for (const app of problem.apps) {
    const graph = appGraph(app);
    const multiplier = (m: string): number => (typeof graph === 'string' ? 1 : (graph.multiplier[m] ?? 1));
    let served = app.rateRps;
    if (problem.objective.kind === 'max-throughput') {
      for (const name of app.modules) {
        const entry = byName.get(name);
        served = Math.min(served, entry === undefined ? 0 : capacity(entry) / multiplier(name));
      }
    }
    servedRps[app.name] = served;
    for (const name of app.modules) moduleRps.set(name, served * multiplier(name));
  }
  const planModules: PlanModule[] = modules.map((m) => ({
    name: m.name,
    budgetMs: m.budgetMs,
    tuples: spread(m, moduleRps.get(m.name) ?? 0, rho),
  }));
  return assemblePlan(problem, planner, { modules: planModules, servedRps, reason });
}

/** The module's rate over its tuples in proportion to what each carries (else to its raw n·μ·ρ). */
function spread(module: FixedModule, rateRps: number, rho: number): PlanTuple[] {
  const facts = module.tuples.map((t) => {
    const latencyMs = tupleLatencyMs(t.variant, t.hardware.name, t.batch, t.cores);
    const raw =
      latencyMs !== undefined && latencyMs > 0
        ? t.instances * instanceCapacityRps(latencyMs, t.batch, rho)
        : 0;
    return { tuple: t, latencyMs, raw, usable: fixedCapacityRps(t, module.budgetMs, rho) };
  });
  const usableSum = facts.reduce((s, f) => s + f.usable, 0);
  const rawSum = facts.reduce((s, f) => s + f.raw, 0);
  return facts.map((f, i) => {
    const share = usableSum > 0 ? f.usable / usableSum : rawSum > 0 ? f.raw / rawSum : i === 0 ? 1 : 0;
    const rate = rateRps * share;
    const budgetMs = f.tuple.budgetMs ?? module.budgetMs;
    const needed =
      f.latencyMs === undefined || rate <= 0 ? 0 : dummyRpsNeeded(f.latencyMs, f.tuple.batch, budgetMs, rate);
    const dummy = Math.min(Math.max(0, f.raw - rate), needed);
    return {
      variant: f.tuple.variant.name,
      hardware: f.tuple.hardware.name,
      cores: f.tuple.cores,
      batch: f.tuple.batch,
      instances: f.tuple.instances,
      rateRps: rate,
      dummyRps: Number.isFinite(dummy) ? dummy : 0,
      ...(f.tuple.budgetMs === undefined ? {} : { budgetMs: f.tuple.budgetMs }),
    };
  });
}
