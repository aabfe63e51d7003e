/**
 * How many instances a candidate may run: a bound that loses no optimum. A tuple never needs more than
 * max(fewest, ⌈rate/capacity⌉) instances at its budget (dropping one more keeps it feasible and costs no
 * more), nor more than the $/h and core budgets, its hardware's limit or a cost ceiling allow. In a
 * pipeline a batching tuple may run more instances than its rate needs, only to fill batches faster
 * and so need less budget; that many are bounded only by cost: a ceiling, the cost of a plan already
 * found (which the optimum cannot exceed), raises them (`withCeiling`).
 */
import type { PlanningProblem } from '../planning-problem.js';
import type { TupleConfig } from '../tuple-configs.js';
import type { SluiceApp, SluiceCandidate, SluiceCandidates, SluiceModule } from './candidate-types.js';

const EPS = 1e-9;

/**
 * `candidates` under a cost ceiling ($/h for the whole group, or per module by name): pipeline
 * candidates may run as many instances as the ceiling pays for (latency-bound counts), and none more
 * than it allows. Pruning does not depend on instance bounds (candidate-dominance.ts), so only the
 * bounds change.
 */
export function withCeiling(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
  ceilingPerHour: number | ReadonlyMap<string, number>,
): SluiceCandidates {
  const apps = candidates.apps.map((app): SluiceApp => {
    if (app.modules.every((m) => m.fixedBudgetMs !== undefined)) return app;
    const modules = app.modules.map((m): SluiceModule => {
      const ceiling =
        typeof ceilingPerHour === 'number'
          ? ceilingPerHour
          : (ceilingPerHour.get(m.module.name) ?? Number.POSITIVE_INFINITY);
      const kept = m.candidates
        .map((c) => ({
          ...c,
          maxInstances: instanceBound(problem, c.config, c.minInstances, m.offeredRps, true, ceiling),
        }))
        .filter((c) => c.maxInstances >= c.minInstances);
      return { ...m, candidates: kept, minBudgetMs: leastBudget(kept) };
    });
    // Latency blocks do not depend on instance bounds: the app keeps its own.
    return { ...app, modules };
  });
  return { ...candidates, apps };
}

/** The least budget any of `candidates` can work in: l + fill/most. */
export function leastBudget(candidates: readonly SluiceCandidate[]): number {
  return Math.min(...candidates.map((c) => c.config.latencyMs + c.fillMs / c.maxInstances));
}

/** Instances the budgets allow, at most: cost, cores and the hardware's limit. */
export function resourceCap(problem: PlanningProblem, config: TupleConfig, ceilingPerHour?: number): number {
  let cap = config.hardware.maxInstances ?? Number.POSITIVE_INFINITY;
  const cost = config.instanceCostPerHour;
  for (const limit of [problem.budget?.costPerHour, ceilingPerHour]) {
    if (limit !== undefined && cost > 0) cap = Math.min(cap, Math.floor(limit / cost + EPS));
  }
  const cores = problem.budget?.cores;
  if (cores !== undefined && config.hardware.kind === 'cpu')
    cap = Math.min(cap, Math.floor(cores / config.cores + EPS));
  return cap;
}

/**
 * Most instances worth running: max(fewest, ⌈rate/capacity⌉), and in a pipeline as many as the cost
 * ceiling (or $/h budget) pays for, batching candidates only; never more than the budgets allow.
 */
export function instanceBound(
  problem: PlanningProblem,
  config: TupleConfig,
  minInstances: number,
  offeredRps: number,
  pipeline: boolean,
  ceilingPerHour: number | undefined,
): number {
  if (ceilingPerHour !== undefined && !Number.isFinite(ceilingPerHour))
    return instanceBound(problem, config, minInstances, offeredRps, pipeline, undefined);
  const rateBound = Math.max(1, Math.ceil(offeredRps / config.instanceRps - EPS));
  let useful = Math.max(minInstances, rateBound);
  const cost = config.instanceCostPerHour;
  const ceiling = Math.min(
    ceilingPerHour ?? Number.POSITIVE_INFINITY,
    problem.budget?.costPerHour ?? Number.POSITIVE_INFINITY,
  );
  if (pipeline && config.batch > 1 && Number.isFinite(ceiling) && cost > 0)
    useful = Math.max(useful, Math.floor(ceiling / cost + EPS));
  return Math.min(useful, resourceCap(problem, config, ceilingPerHour));
}
