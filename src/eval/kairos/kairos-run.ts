/** What the KAIROS experiment measured (kairos-experiment.ts), as the report (kairos-report.ts) reads it. */
import type { Plan } from '../../planner/plan.js';
import type { KairosModel, KairosModelProblems } from './kairos-problems.js';
import type { KairosDispatch, ProbeOutcome } from './probe-run.js';
import type { RateSearch } from './rate-search.js';

/** The three compared, and `released-pool`: a diagnostic (released-pool.ts), never in the claim. */
export type ConfigurationName = 'kairos' | 'homogeneous' | 'kairos-fcfs' | 'released-pool';

export interface ConfigurationResult {
  readonly name: ConfigurationName;
  readonly dispatch: KairosDispatch;
  /** Run to explain a result, not one of the three compared. */
  readonly diagnostic: boolean;
  /** The pool as planned (fixed for every probe). */
  readonly plan: Plan;
  /** Instances per type. */
  readonly pool: Readonly<Record<string, number>>;
  /** The planner's fluid bound (p99 tables, ρ = 0.9), requests/s. */
  readonly plannerBoundRps: number;
  /** The pool's fluid capacity on the simulated medians at ρ = 1 (pool-capacity.ts), requests/s. */
  readonly fluidRps: number;
  /** The seeds searched with, and one search per seed in that order. */
  readonly seeds: readonly number[];
  readonly searches: readonly RateSearch[];
  /** The first seed's search: the probes shown per rate. */
  readonly search: RateSearch;
  /** Median over the seeds of the highest passing rate, requests/s: the reported rate. */
  readonly rateRps: number;
}

export interface ModelResult {
  readonly model: KairosModel;
  /** The simulator's p99/p50 spread for this model's pools. */
  readonly spread: number;
  /** Arrivals per probe of this model, s (the same for all its configurations). */
  readonly durationS: number;
  readonly problems: KairosModelProblems;
  /** In the order kairos, homogeneous, kairos-fcfs, then any diagnostic. */
  readonly configurations: readonly ConfigurationResult[];
}

/** Every configuration of one model at one offered rate, with their per-second series. */
export interface SideBySide {
  readonly model: KairosModel;
  readonly rateRps: number;
  readonly runs: readonly (ProbeOutcome & { readonly name: ConfigurationName })[];
}

export interface KairosRun {
  readonly quick: boolean;
  /** Arrivals per probe, s, at most. */
  readonly maxDurationS: number;
  /** Queries per probe, about, at most (see ModelResult.durationS). */
  readonly maxRequests: number;
  /** Halvings of the rate bracket per search. */
  readonly steps: number;
  readonly seed: number;
  readonly models: readonly ModelResult[];
  readonly timeSeries: SideBySide | undefined;
}
