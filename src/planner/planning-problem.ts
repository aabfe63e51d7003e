/**
 * A planning problem (DESIGN.md §4, `sluice plan --problem FILE`): the objective, the budget, the
 * hardware kinds, the modules with their variants' latency models per hardware, and the applications
 * (graphs of modules with one end-to-end SLO and an arrival rate). Every planner reads this one format
 * and returns a `Plan` (plan.ts) that the planning model (planning-model.ts) can check.
 */
import type { LatencyModel } from '../core/latency-model.js';
import type { Plan } from './plan.js';

export type Objective =
  /** Serve every application's whole rate at the lowest cost per hour. */
  | { readonly kind: 'min-cost' }
  /** Serve as much of the offered rate as the budget allows (KAIROS); then the lowest cost. */
  | { readonly kind: 'max-throughput' }
  /**
   * Serve the whole rate maximising accuracy − costWeight·cost/budget − reloadWeight·reload (InfAdapter):
   * accuracy in [0, 1] (traffic-weighted over variants, product over a pipeline's modules); cost relative
   * to the budget (cores or $/h, whichever is set); reload = load time of variants that must start and are
   * not in `current`, relative to the longest load time.
   */
  | { readonly kind: 'accuracy-cost'; readonly costWeight: number; readonly reloadWeight?: number };

export interface HardwareSpec {
  readonly name: string;
  /** `cpu`: allocated and priced per core; `fixed`: a whole machine or accelerator, priced per instance. */
  readonly kind: 'cpu' | 'fixed';
  /** `cpu`: $ per core-hour; `fixed`: $ per instance-hour. May be 0 where only cores count. */
  readonly pricePerHour: number;
  /** `cpu`: the most cores one instance may have; `fixed`: the machine's cores (each instance has them all). */
  readonly maxCores: number;
  /** Instances of this kind across the whole plan, at most; default unlimited. */
  readonly maxInstances?: number;
  /** `cpu` only: the per-instance allocations a plan may use; default every integer 1..maxCores. */
  readonly coreOptions?: readonly number[];
}

export interface PlanningVariant {
  readonly name: string;
  /** In [0, 1]. */
  readonly accuracy: number;
  /** Cold start (model load) of a new instance, in ms; default 0. */
  readonly loadMs?: number;
  /** Batch latency per hardware kind (by name); a variant can run only where it has one. */
  readonly latency: Readonly<Record<string, LatencyModel>>;
}

export interface PlanningModule {
  readonly name: string;
  /** Largest batch; 1 for a model that does not batch. */
  readonly maxBatch: number;
  /** The batch sizes a plan may use; default 1, 2, 4, ... up to maxBatch (and maxBatch itself). */
  readonly batchOptions?: readonly number[];
  readonly variants: readonly PlanningVariant[];
}

export interface PlanningEdge {
  readonly from: string;
  readonly to: string;
  /** Requests of `to` per request of `from` (e.g. text boxes per detected image); default 1. */
  readonly fanout?: number;
}

/** A share of an application's requests with its own end-to-end budget (Sponge: SLO − network delay). */
export interface BudgetClass {
  readonly budgetMs: number;
  /** Shares of all classes sum to 1. */
  readonly share: number;
}

/** A share of an application's requests that carry `rows` items each (KAIROS's query sizes). */
export interface QuerySize {
  /** Rows (items) per request: the request runs as one batch of this many rows. */
  readonly rows: number;
  /** Shares of all sizes sum to 1. */
  readonly share: number;
}

export interface PlanningApp {
  readonly name: string;
  /** Its modules; each module belongs to exactly one application. */
  readonly modules: readonly string[];
  /** A DAG over `modules`; modules without incoming edges receive the application's requests. */
  readonly edges: readonly PlanningEdge[];
  /** End-to-end latency objective, in ms. */
  readonly sloMs: number;
  /** Offered requests per second (for `max-throughput`, the most worth serving). */
  readonly rateRps: number;
  /** Per-request budgets; default every request has `sloMs`. */
  readonly budgets?: readonly BudgetClass[];
  /**
   * Request sizes (one-module apps only); default every request is one row. A sized request is a batch by
   * itself: tuples serving sized requests run batch 1 and say which sizes they carry (`PlanTuple.sizes`).
   */
  readonly querySizes?: readonly QuerySize[];
}

export interface PlanningBudget {
  /** $ per hour, at most. */
  readonly costPerHour?: number;
  /** Cores of `cpu` kinds (instances × cores), at most. */
  readonly cores?: number;
}

/** What the control loop observed, for the feedback baselines (VPA's recommender, Clipper's AIMD). */
export interface PlanningObservations {
  /** Per module, recent CPU usage samples of all its instances together, in cores. */
  readonly cpuUsageCores?: Readonly<Record<string, readonly number[]>>;
  /** Per module, the latest observed latency of its requests, in ms. */
  readonly latencyMs?: Readonly<
    Record<string, { readonly mean?: number; readonly p95?: number; readonly p99?: number }>
  >;
}

export interface PlanningProblem {
  readonly objective: Objective;
  readonly budget?: PlanningBudget;
  readonly hardware: readonly HardwareSpec[];
  readonly modules: readonly PlanningModule[];
  readonly apps: readonly PlanningApp[];
  /** ρ: the share of an instance's throughput a plan may use. Default 0.9. */
  readonly utilisationCap?: number;
  /** The plan running now (reload costs, stabilisation, feedback baselines). */
  readonly current?: Plan;
  readonly observations?: PlanningObservations;
}

/** ρ of the problem. */
export function utilisationCapOf(problem: PlanningProblem): number {
  return problem.utilisationCap ?? 0.9;
}

/** The batch sizes a module's tuples may use. */
export function batchOptionsOf(module: PlanningModule): number[] {
  if (module.batchOptions !== undefined) return [...new Set(module.batchOptions)].sort((a, b) => a - b);
  const options = new Set<number>([module.maxBatch]);
  for (let b = 1; b < module.maxBatch; b *= 2) options.add(b);
  return [...options].filter((b) => b >= 1).sort((a, b) => a - b);
}

/** The per-instance core counts a tuple on `hardware` may use (a fixed kind has exactly its own). */
export function coreOptionsOf(hardware: HardwareSpec): number[] {
  if (hardware.kind === 'fixed') return [hardware.maxCores];
  if (hardware.coreOptions !== undefined) return [...new Set(hardware.coreOptions)].sort((a, b) => a - b);
  return Array.from({ length: Math.floor(hardware.maxCores) }, (_, i) => i + 1);
}

/** $ per hour of `instances` instances of `cores` each on `hardware`. */
export function tupleCostPerHour(hardware: HardwareSpec, cores: number, instances: number): number {
  return hardware.kind === 'cpu'
    ? instances * cores * hardware.pricePerHour
    : instances * hardware.pricePerHour;
}
