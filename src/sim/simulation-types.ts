/**
 * What a simulated run takes and gives back. The run (run-simulation.ts) wires Sluice's own engine,
 * control loop, forecaster and planner to a simulated backend and actuator on a virtual clock.
 */
import type { ControlLoopOptions, Decision } from '../control/control-loop.js';
import type { AnyForecaster } from '../forecast/forecaster.js';
import type { Plan } from '../planner/plan.js';
import type { PlannerEntry } from '../planner/planner.js';
import type { PlanningProblem } from '../planner/planning-problem.js';
import type { BatchingSpec } from '../core/model-spec.js';
import type { Solver } from '../ports/solver.js';
import type { Arrival } from './workload/workload.js';

export interface SimulationSpec {
  /** Modules, hardware, apps (their SLOs; rates are the initial plan's), objective and budget. */
  readonly problem: PlanningProblem;
  /** Per app (by name), its arrivals in time order; `sloMs` / `networkMs` on an arrival override the app's SLO. */
  readonly arrivals: ReadonlyMap<string, Iterable<Arrival>>;
  readonly planner: PlannerEntry;
  readonly solver: Solver;
  /** Per app, its forecaster; none: plan for the rate observed over the last interval. */
  readonly forecasters: ReadonlyMap<string, AnyForecaster>;
  /** Undefined: no adaptation (the plan made at the start for the problem's rates stays). */
  readonly control: ControlLoopOptions | undefined;
  /** Start from this plan instead of the planner's first plan (e.g. a fixed pool under a varied rate). */
  readonly fixedPlan?: Plan;
  readonly batching: Omit<BatchingSpec, 'preferredBatch'>;
  /** How queued requests reach instances (GroupSettings.dispatch). Default `batch`. */
  readonly dispatch?: 'batch' | 'min-cost-matching' | 'fcfs';
  /** Cold start of a new instance, ms: per variant from its `loadMs` unless given here. */
  readonly startMs?: number;
  /** In-place resize to full effect, ms. Default 50. */
  readonly resizeMs?: number;
  /** p99/p50 of batch times around the latency model (the measured spread). Default 1.1. */
  readonly spread?: number;
  readonly seed: number;
  /** Keep the event log (one line per arrival, outcome, decision and instance event). Default false. */
  readonly eventLog?: boolean;
  /** Time series step, ms. Default 1000. */
  readonly seriesStepMs?: number;
}

export interface LatencySummaryMs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface SeriesPoint {
  /** Start of the step, s from the run's start. */
  readonly tS: number;
  readonly arrivals: number;
  readonly completed: number;
  readonly withinSlo: number;
  /** Cores of cpu kinds allocated at the step's end (starting instances included). */
  readonly cores: number;
  /** $ per hour of everything allocated at the step's end. */
  readonly costPerHour: number;
  /** Of requests finished in the step, ms (0 when none). */
  readonly p99Ms: number;
}

export interface SimulationResult {
  readonly requests: number;
  readonly outcomes: Readonly<Record<'completed' | 'rejected' | 'expired' | 'failed', number>>;
  /** Completed within their deadline. */
  readonly withinSlo: number;
  /** withinSlo / requests. */
  readonly attainment: number;
  /** Requests within their deadline per second of the run. */
  readonly goodputRps: number;
  /** End to end (arrival to outcome) of completed requests. */
  readonly latencyMs: LatencySummaryMs;
  readonly cost: { readonly coreSeconds: number; readonly dollars: number };
  /** Traffic-weighted accuracy of the completed requests' variants. */
  readonly accuracy: number;
  /** Plans applied after the first. */
  readonly planChanges: number;
  readonly durationS: number;
  readonly decisions: readonly Decision[];
  readonly series: readonly SeriesPoint[];
  /** When asked for: the event log, one line per event, in event order. */
  readonly eventLog: readonly string[] | undefined;
}
