/**
 * KAIROS (HPDC 2023, docs/papers.md §4): the most queries served within a tail-latency target by a mix
 * of instance types under a $/h budget, chosen without online exploration. Every mix within budget and
 * instance limits is enumerated and ranked by an optimistic bound on its throughput, and the best is
 * picked (pool-search.ts). The bound is the fluid relaxation (fluid-bound.ts), which is exactly the
 * planning model's capacity for sized requests, so the plan built from the best mix (one tuple per type
 * it buys, its full cores, batch 1, the bound's split of each query size) is feasible as stated, and
 * the planner is exact for the planning model. The `kairos-homogeneous` entry is the paper's
 * baseline: the best pool of a single type, same machinery. It needs no solver.
 *
 * Latencies are the module's models (KAIROS: p99 tables) at each type's full cores; the target is the
 * application's SLO (or its tightest budget class). For `min-cost` problems the same ranking gives the
 * cheapest pool that serves the whole rate.
 */
import { infeasiblePlan, type Plan, type PlanTuple } from '../plan.js';
import type { Planner, PlannerEntry } from '../planner.js';
import { assemblePlan } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import { kairosSetting, type KairosSetting } from './kairos-setting.js';
import { searchPools, type PoolChoice, type PoolSearch } from './pool-search.js';

export interface KairosOptions {
  /** The plan's `planner` name. Default 'kairos' ('kairos-homogeneous' with `singleType`). */
  readonly name?: string;
  /** Only pools of one instance type. Default false. */
  readonly singleType?: boolean;
  /** Give up past this many mixes per variant. Default 1,000,000. */
  readonly maxMixes?: number;
}

export interface KairosOutcome {
  readonly plan: Plan;
  /** The pool search behind it (undefined when the problem is not one KAIROS plans). */
  readonly search?: PoolSearch;
}

/** The KAIROS plan for `problem` and the search that chose it. Never throws for a problem it cannot meet. */
export function planKairos(problem: PlanningProblem, options: KairosOptions = {}): KairosOutcome {
  const singleType = options.singleType ?? false;
  const name = options.name ?? (singleType ? 'kairos-homogeneous' : 'kairos');
  const setting = kairosSetting(problem);
  if (typeof setting === 'string') return { plan: infeasiblePlan(name, setting) };
  if (!(setting.app.rateRps > 0)) {
    const plan = assemblePlan(problem, name, {
      modules: [{ name: setting.module.name, budgetMs: setting.targetMs, tuples: [] }],
      servedRps: { [setting.app.name]: 0 },
      reason: 'nothing is offered: no instances',
    });
    return { plan };
  }
  const search = searchPools(setting, {
    singleType,
    ...(options.maxMixes === undefined ? {} : { maxMixes: options.maxMixes }),
  });
  const best = search.best;
  if (best === undefined)
    return { plan: infeasiblePlan(name, search.reason ?? 'no pool serves anything'), search };
  const plan = assemblePlan(problem, name, {
    modules: [{ name: setting.module.name, budgetMs: setting.targetMs, tuples: tuplesOf(setting, best) }],
    servedRps: { [setting.app.name]: best.servedRps },
    reason: reasonOf(setting, best, search, singleType),
  });
  return { plan, search };
}

/** KAIROS: the best mix of instance types within the budget by the fluid throughput bound. */
export const kairosPlanner: Planner = (problem) => planKairos(problem).plan;

/** KAIROS's baseline: the best pool of one instance type within the budget. */
export const kairosHomogeneousPlanner: Planner = (problem) => planKairos(problem, { singleType: true }).plan;

export const kairosEntry: PlannerEntry = {
  name: 'kairos',
  summary:
    'KAIROS: most sized queries within the latency target from a mix of instance types under a $/h budget (every mix ranked by its fluid bound)',
  exact: true,
  plan: kairosPlanner,
};

export const kairosHomogeneousEntry: PlannerEntry = {
  name: 'kairos-homogeneous',
  summary: "KAIROS's baseline: the best pool of a single instance type under the $/h budget",
  exact: false,
  plan: kairosHomogeneousPlanner,
};

function tuplesOf(setting: KairosSetting, best: PoolChoice): PlanTuple[] {
  const tuples: PlanTuple[] = [];
  setting.types.forEach((type, h) => {
    const instances = best.instances[h] ?? 0;
    if (instances === 0) return;
    const sizes = setting.classes
      .map((c, s) => ({ rows: c.rows, rateRps: best.ratesRps[s]?.[h] ?? 0 }))
      .filter((c) => c.rateRps > 0);
    tuples.push({
      variant: best.variant.name,
      hardware: type.hardware.name,
      cores: type.instanceCores,
      batch: 1,
      instances,
      rateRps: sizes.reduce((sum, c) => sum + c.rateRps, 0),
      dummyRps: 0,
      ...(setting.sized ? { sizes } : {}),
    });
  });
  return tuples;
}

function reasonOf(setting: KairosSetting, best: PoolChoice, search: PoolSearch, singleType: boolean): string {
  const mix = setting.types
    .map((t, h) => ({ name: t.hardware.name, n: best.instances[h] ?? 0 }))
    .filter((t) => t.n > 0)
    .map((t) => `${t.n}x ${t.name}`)
    .join(' + ');
  const budget = setting.budget.costPerHour;
  return (
    `${singleType ? 'best single-type pool' : 'best mix'} ${mix} (${round(best.costPerHour)} $/h${
      budget === undefined ? '' : ` of ${budget}`
    }, variant ${best.variant.name}): fluid bound ${round(best.boundRps)} req/s within ${setting.targetMs} ms, ` +
    `serving ${round(best.servedRps)} of ${round(setting.app.rateRps)} req/s; ` +
    `ranked ${search.mixesEnumerated} mixes, ${search.mixesSolved} solved exactly`
  );
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
