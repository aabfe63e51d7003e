/**
 * KAIROS's setting (HPDC 2023; `shared/profiles/kairos-aws/README.md`) as Sluice problems, per model:
 * four AWS instance types with their on-demand prices and instance limits, a $2.5/h budget, a 350 ms
 * tail-latency target and the query-size mixture (8% 1-100, 65% 100-200, 22% 200-600, 5% 600-1000
 * rows, rounded up to multiples of 10: every multiple of 10 in a range equally likely).
 *
 * Two views of the same measurements, because the planner and the simulator need different ones:
 * - `planning`: one application with every size as a class and the p99 tables, as KAIROS plans (a size
 *   "fits" a type when its tail latency meets the target) and as examples/problems/kairos-*.json.
 * - `simulation(rateRps)`: the p50 tables, which the simulator's backend takes as the median batch time
 *   (it adds a log-normal spread, `spreadOver`: the median p99/p50 of the rows), and one
 *   application per size range sharing the one module. Poisson streams superpose, so this is the same
 *   arrival process and size mixture as one application; the split only lets the report break the
 *   outcomes down by size range (from the event log).
 */
import { percentile } from '../../core/percentile.js';
import type { Profile } from '../../core/profile.js';
import type { PlanningProblem, QuerySize } from '../../planner/planning-problem.js';
import { moduleFromProfiles } from '../../planner/problem-from-profiles.js';
import { importKairosProfiles } from '../../profiler/import/kairos-aws.js';

/** The five DeepRecSys models KAIROS measured, in its paper's order. */
export const KAIROS_MODELS = ['ncf', 'rm2', 'wnd', 'mtwnd', 'dien'] as const;
export type KairosModel = (typeof KAIROS_MODELS)[number];

/** KAIROS's budget, $ per hour. */
export const KAIROS_BUDGET_PER_HOUR = 2.5;
/** KAIROS's tail-latency target, ms. */
export const KAIROS_TARGET_MS = 350;

/** Instance limits in the README's order of types (which is also the order instances are listed in). */
const INSTANCE_LIMITS: readonly { readonly name: string; readonly maxInstances: number }[] = [
  { name: 'g4dn.xlarge', maxInstances: 5 },
  { name: 'c5n.2xlarge', maxInstances: 6 },
  { name: 'r5n.large', maxInstances: 17 },
  { name: 't3.xlarge', maxInstances: 15 },
];

/** A range of the query-size mixture: its sizes (multiples of 10) share its weight equally. */
export interface SizeRange {
  /** Also the range's application name in the simulation problem, e.g. `rows-110-200`. */
  readonly name: string;
  readonly fromRows: number;
  readonly toRows: number;
  /** Share of all queries. */
  readonly share: number;
  /** Its sizes, with shares within the range (summing to 1). */
  readonly sizes: readonly QuerySize[];
}

const RANGE_BOUNDS = [
  { fromRows: 10, toRows: 100, share: 0.08 },
  { fromRows: 110, toRows: 200, share: 0.65 },
  { fromRows: 210, toRows: 600, share: 0.22 },
  { fromRows: 610, toRows: 1000, share: 0.05 },
];

/** The mixture's four ranges. */
export const SIZE_RANGES: readonly SizeRange[] = RANGE_BOUNDS.map((r) => {
  const count = (r.toRows - r.fromRows) / 10 + 1;
  return {
    name: `rows-${r.fromRows}-${r.toRows}`,
    ...r,
    sizes: Array.from({ length: count }, (_, i) => ({ rows: r.fromRows + 10 * i, share: 1 / count })),
  };
});

/** Every size of the mixture with its share of all queries (100 sizes). */
export const QUERY_SIZES: readonly QuerySize[] = SIZE_RANGES.flatMap((r) =>
  r.sizes.map((s) => ({ rows: s.rows, share: s.share * r.share })),
);

export interface KairosModelProblems {
  readonly model: KairosModel;
  /** For the planners: p99 tables, one application with every size; offered rate "unbounded". */
  readonly planning: PlanningProblem;
  /** For the simulator at an offered rate (requests/s): p50 tables, one application per size range. */
  readonly simulation: (rateRps: number) => PlanningProblem;
  /**
   * The simulator's spread for pools of these instance types: the median over the model's rows on them
   * of p99/p50 (at least 1).
   */
  readonly spreadOver: (types: readonly string[]) => number;
  /** The model's profiles (one per instance type), as imported. */
  readonly profiles: readonly Profile[];
}

/** Offered rate the planners see: far above any pool's bound, so they return the pool of highest bound. */
const UNBOUNDED_RPS = 1_000_000;

/** The problems of every model from the published files (the texts of `latency.csv` and `price.csv`). */
export function kairosProblems(
  latencyCsv: string,
  priceCsv: string,
): ReadonlyMap<KairosModel, KairosModelProblems> {
  const imported = importKairosProfiles(latencyCsv, priceCsv, {
    from: 'shared/profiles/kairos-aws/latency.csv',
  });
  const hardware = INSTANCE_LIMITS.flatMap((limit) => {
    const h = imported.hardware.find((x) => x.name === limit.name);
    return h === undefined
      ? []
      : [
          {
            name: h.name,
            kind: h.kind,
            pricePerHour: h.pricePerHour,
            maxCores: h.maxCores,
            maxInstances: limit.maxInstances,
          },
        ];
  });
  const shell = {
    objective: { kind: 'max-throughput' as const },
    budget: { costPerHour: KAIROS_BUDGET_PER_HOUR },
    hardware,
  };
  const out = new Map<KairosModel, KairosModelProblems>();
  for (const model of KAIROS_MODELS) {
    const profiles = imported.profiles.filter((p) => p.module === model);
    const module = (percentile: 'p50' | 'p99') =>
      moduleFromProfiles(model, profiles, { maxBatch: 1000, latency: 'table', percentile });
    const planning: PlanningProblem = {
      ...shell,
      modules: [module('p99')],
      apps: [
        {
          name: model,
          modules: [model],
          edges: [],
          sloMs: KAIROS_TARGET_MS,
          rateRps: UNBOUNDED_RPS,
          querySizes: QUERY_SIZES,
        },
      ],
    };
    const medians = module('p50');
    const simulation = (rateRps: number): PlanningProblem => ({
      ...shell,
      modules: [medians],
      apps: SIZE_RANGES.map((r) => ({
        name: r.name,
        modules: [model],
        edges: [],
        sloMs: KAIROS_TARGET_MS,
        rateRps: rateRps * r.share,
        querySizes: r.sizes,
      })),
    });
    out.set(model, {
      model,
      planning,
      simulation,
      spreadOver: (types) => spreadOf(profiles, types),
      profiles,
    });
  }
  return out;
}

function spreadOf(profiles: readonly Profile[], types: readonly string[]): number {
  const ratios = profiles
    .filter((p) => types.includes(p.hardware.name))
    .flatMap((p) => p.points.map((point) => point.p99Ms / point.p50Ms))
    .sort((a, b) => a - b);
  return ratios.length === 0 ? 1 : Math.max(1, percentile(ratios, 0.5));
}
