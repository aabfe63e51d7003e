/**
 * `sluice eval kairos`: KAIROS (HPDC 2023, docs/papers.md §4). For each of the five recommendation
 * models on four AWS instance types under $2.5/h with a 350 ms tail target, the highest Poisson rate
 * served with ≥ 99% of queries within the target by three configurations:
 * - `kairos`: the pool the kairos planner picks (every mix within budget ranked by its fluid bound)
 *   with KAIROS's min-cost matching dispatch;
 * - `homogeneous`: the best single-type pool (planner `kairos-homogeneous`), same matching;
 * - `kairos-fcfs`: the kairos pool with first-come-first-served dispatch;
 * and, for rm2 only, a diagnostic outside the claim: the pool of KAIROS's released distributor config
 * (released-pool.ts) with the matching. The pools are planned once and then fixed; only the offered
 * rate varies (rate-search.ts), each probe a static simulation of the pool (probe-run.ts). Same seeds,
 * profiles and workload for every side.
 */
import type { Experiment, ExperimentContext, ExperimentReport } from '../experiment.js';
import { planKairos } from '../../planner/kairos/kairos-planner.js';
import type { Plan } from '../../planner/plan.js';
import {
  KAIROS_MODELS,
  kairosProblems,
  type KairosModel,
  type KairosModelProblems,
} from './kairos-problems.js';
import { kairosReport } from './kairos-report.js';
import type { ConfigurationResult, KairosRun, ModelResult, SideBySide } from './kairos-run.js';
import { poolCapacity } from './pool-capacity.js';
import { releasedPoolPlan } from './released-pool.js';
import { runProbe, type KairosDispatch } from './probe-run.js';
import { searchRate, type RateSearch } from './rate-search.js';

/** How much simulation a run does. */
interface RunSize {
  readonly models: readonly KairosModel[];
  /** Arrivals per probe, s, at most. */
  readonly maxDurationS: number;
  /**
   * Queries per probe, about, at most: a model's probes last maxRequests / (its kairos pool's fluid
   * capacity) seconds when that is shorter, which bounds the cost of the fast models' probes.
   */
  readonly maxRequests: number;
  /** Halvings of the rate bracket. */
  readonly steps: number;
  /** The seeds each configuration of a model is searched with (the reported rate is their median). */
  readonly seeds: (model: KairosModel) => readonly number[];
}

const SEED = 1;
/**
 * rm2's kairos pool keeps about 99% of queries within the target over a wide range of rates (its misses
 * are the largest queries, at nearly any load), so where it crosses 99% depends on the seed: rm2 is
 * searched with three seeds and reported by the median. Its probes are among the cheapest.
 */
const RM2_SEEDS = [SEED, SEED + 1, SEED + 2];

const FULL: RunSize = {
  models: KAIROS_MODELS,
  maxDurationS: 120,
  maxRequests: 10_000,
  steps: 3,
  seeds: (model) => (model === 'rm2' ? RM2_SEEDS : [SEED]),
};
/** rm2 is where the mix matters most, and its low rates make its probes the cheapest. */
const QUICK: RunSize = { models: ['rm2'], maxDurationS: 3, maxRequests: 600, steps: 2, seeds: () => [SEED] };

const CONFIGURATIONS: readonly {
  readonly name: ConfigurationResult['name'];
  /** The kairos planner's mix, the best single-type pool, or KAIROS's released config (released-pool.ts). */
  readonly pool: 'mix' | 'single-type' | 'released';
  readonly dispatch: KairosDispatch;
  /** Run for these models only (a diagnostic); default every model. */
  readonly models?: readonly KairosModel[];
}[] = [
  { name: 'kairos', pool: 'mix', dispatch: 'min-cost-matching' },
  { name: 'homogeneous', pool: 'single-type', dispatch: 'min-cost-matching' },
  { name: 'kairos-fcfs', pool: 'mix', dispatch: 'fcfs' },
  // The released config was made for rm2 (the distributor's default model), where the mix matters.
  { name: 'released-pool', pool: 'released', dispatch: 'min-cost-matching', models: ['rm2'] },
];

export const kairosExperiment: Experiment = {
  name: 'kairos',
  title: 'KAIROS: a mix of instance types under $2.5/h against the best single-type pool and FCFS',
  paperClaim: 'up to 2x the throughput (queries/s with p99 ≤ 350 ms) of the best homogeneous configuration',
  run(context: ExperimentContext): ExperimentReport {
    const size = context.quick ? QUICK : FULL;
    const all = kairosProblems(
      context.shared('profiles/kairos-aws/latency.csv'),
      context.shared('profiles/kairos-aws/price.csv'),
    );
    const models: ModelResult[] = [];
    for (const model of size.models) {
      const problems = all.get(model);
      if (problems === undefined) continue;
      models.push(runModel(problems, size, context));
    }
    const chartModel = models.find((m) => m.model === 'rm2') ?? models[0];
    const run: KairosRun = {
      quick: context.quick,
      maxDurationS: size.maxDurationS,
      maxRequests: size.maxRequests,
      steps: size.steps,
      seed: SEED,
      models,
      timeSeries: chartModel === undefined ? undefined : sideBySide(chartModel, context),
    };
    return kairosReport(run);
  },
};

function runModel(problems: KairosModelProblems, size: RunSize, context: ExperimentContext): ModelResult {
  const plans = {
    mix: planKairos(problems.planning).plan,
    'single-type': planKairos(problems.planning, { singleType: true }).plan,
    released: releasedPoolPlan(problems),
  };
  const types = [...new Set([plans.mix, plans['single-type']].flatMap(poolTypes))];
  const spread = problems.spreadOver(types);
  const mixCapacityRps = poolCapacity(problems, plans.mix);
  const durationS = roundS(
    mixCapacityRps > 0 ? Math.min(size.maxDurationS, size.maxRequests / mixCapacityRps) : size.maxDurationS,
  );
  const seeds = size.seeds(problems.model);
  // Identical pool, dispatch and seed give identical probes: search each once.
  const searched = new Map<string, RateSearch>();
  const chosen = CONFIGURATIONS.filter((c) => c.models === undefined || c.models.includes(problems.model));
  const configurations = chosen.map((c): ConfigurationResult => {
    const plan = plans[c.pool];
    const fluidRps = poolCapacity(problems, plan);
    const searches = seeds.map((seed) => {
      const key = `${poolKey(plan)}|${c.dispatch}|${seed}`;
      const known = searched.get(key);
      if (known !== undefined) return known;
      const began = Date.now();
      const settings = {
        problems,
        plan,
        dispatch: c.dispatch,
        spread,
        durationS,
        seed,
        solver: context.solver,
      };
      const search = plan.feasible
        ? searchRate((rateRps) => runProbe(settings, rateRps), { fluidRps, steps: size.steps })
        : { rateRps: 0, failRps: undefined, atCeiling: false, probes: [] };
      searched.set(key, search);
      context.log(
        `${problems.model} ${c.name} seed ${seed}: ${poolKey(plan)} → ${search.rateRps.toFixed(1)} req/s ` +
          `(${search.probes.length} probes, ${((Date.now() - began) / 1000).toFixed(1)} s)`,
      );
      return search;
    });
    const first = searches[0];
    if (first === undefined) throw new Error('a rate search needs at least one seed');
    return {
      name: c.name,
      dispatch: c.dispatch,
      diagnostic: c.models !== undefined,
      plan,
      pool: poolOf(plan),
      plannerBoundRps: plan.capacityRps,
      fluidRps,
      seeds,
      searches,
      search: first,
      rateRps: median(searches.map((x) => x.rateRps)),
    };
  });
  return { model: problems.model, spread, durationS, problems, configurations };
}

/**
 * Every configuration of `model` at one offered rate (the kairos configuration's), with their
 * per-second series: the same arrivals, so the time series differ only by pool and dispatch.
 */
function sideBySide(model: ModelResult, context: ExperimentContext): SideBySide | undefined {
  const rateRps = model.configurations[0]?.rateRps ?? 0;
  if (!(rateRps > 0)) return undefined;
  const problems = model.problems;
  const runs = model.configurations.map((c) => ({
    name: c.name,
    ...runProbe(
      {
        problems,
        plan: c.plan,
        dispatch: c.dispatch,
        spread: model.spread,
        durationS: model.durationS,
        seed: model.configurations[0]?.seeds[0] ?? SEED,
        solver: context.solver,
        keepSeries: true,
      },
      rateRps,
    ),
  }));
  return { model: model.model, rateRps, runs };
}

/** The median (the mean of the middle two for an even count); 0 for none. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Probe lengths to a tenth of a second, so that they read as they are. */
function roundS(s: number): number {
  return Math.max(0.1, Math.round(s * 10) / 10);
}

/** Instances per type of a plan's pool, in plan order. */
function poolOf(plan: Plan): Readonly<Record<string, number>> {
  const pool: Record<string, number> = {};
  for (const t of plan.modules.flatMap((m) => m.tuples))
    pool[t.hardware] = (pool[t.hardware] ?? 0) + t.instances;
  return pool;
}

function poolTypes(plan: Plan): string[] {
  return Object.keys(poolOf(plan));
}

function poolKey(plan: Plan): string {
  const pool = poolOf(plan);
  const key = Object.entries(pool)
    .map(([type, n]) => `${n}x ${type}`)
    .join(' + ');
  return key === '' ? 'no pool' : key;
}
