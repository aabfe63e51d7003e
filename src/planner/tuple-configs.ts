/**
 * The candidate configurations a planner chooses tuples from: every (variant, hardware, cores, batch) a
 * module may run, with its batch latency, per-instance capacity at the utilisation cap and price, and
 * the helpers that turn a configuration, an instance count and a rate into a feasible `PlanTuple`.
 */
import { float64Columns } from '../core/columns.js';
import { estimateLatencyMs, type LatencyModel } from '../core/latency-model.js';
import type { PlanTuple } from './plan.js';
import { dummyRpsNeeded, instanceCapacityRps, PLAN_TOLERANCE, tupleLatencyMs } from './planning-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  tupleCostPerHour,
  type HardwareSpec,
  type PlanningModule,
  type PlanningProblem,
  type PlanningVariant,
} from './planning-problem.js';

export interface TupleConfig {
  readonly module: string;
  readonly variant: PlanningVariant;
  readonly hardware: HardwareSpec;
  /** Per instance. */
  readonly cores: number;
  readonly batch: number;
  /** l(b, c), ms. */
  readonly latencyMs: number;
  /** Requests per second one instance carries at the utilisation cap. */
  readonly instanceRps: number;
  /** $ per hour of one instance. */
  readonly instanceCostPerHour: number;
}

/** Every configuration of `module` the problem allows, in variant, hardware, cores, batch order. */
export function tupleConfigs(problem: PlanningProblem, module: PlanningModule, rho: number): TupleConfig[] {
  const out: TupleConfig[] = [];
  const batches = batchOptionsOf(module);
  const coresOf = new Map(problem.hardware.map((h) => [h.name, coreOptionsOf(h)]));
  for (const variant of module.variants) {
    for (const hardware of problem.hardware) {
      if (variant.latency[hardware.name] === undefined) continue;
      for (const cores of coresOf.get(hardware.name) ?? []) {
        for (const batch of batches) {
          const config = configFor(module.name, variant, hardware, cores, batch, rho);
          if (config !== undefined) out.push(config);
        }
      }
    }
  }
  return out;
}

/**
 * Configurations as columns, for planners that scan hundreds per module and return a few: the
 * `TupleConfig` of one is made only when asked (`configOfColumns`), with the same values.
 */
export interface ConfigColumns {
  readonly module: string;
  readonly rho: number;
  readonly count: number;
  readonly variant: readonly PlanningVariant[];
  readonly hardware: readonly HardwareSpec[];
  readonly cores: Float64Array;
  readonly batch: Float64Array;
  /** l(b, c), ms. */
  readonly latencyMs: Float64Array;
  readonly instanceRps: Float64Array;
  readonly instanceCostPerHour: Float64Array;
}

/**
 * Per (hardware, cores, batch), the configuration of the fastest variant there (the first of equals
 * in variant order), in hardware, cores, batch order: what a planner that ignores accuracy needs.
 */
export function fastestConfigColumns(
  problem: PlanningProblem,
  module: PlanningModule,
  rho: number,
): ConfigColumns {
  const batches = batchOptionsOf(module);
  const coresOf = problem.hardware.map(coreOptionsOf);
  const room = coresOf.reduce((s, c) => s + c.length, 0) * batches.length;
  const columns = float64Columns(room, ['cores', 'batch', 'latencyMs', 'instanceRps', 'instanceCostPerHour']);
  const variantOf: PlanningVariant[] = [];
  const hardwareOf: HardwareSpec[] = [];
  let count = 0;
  problem.hardware.forEach((hardware, h) => {
    const variants: PlanningVariant[] = [];
    const models: LatencyModel[] = [];
    for (const variant of module.variants) {
      const model = variant.latency[hardware.name];
      if (model === undefined) continue;
      variants.push(variant);
      models.push(model);
    }
    for (const cores of coresOf[h] ?? []) {
      const price = tupleCostPerHour(hardware, cores, 1);
      for (const batch of batches) {
        let fastest = -1;
        let fastestMs = Number.POSITIVE_INFINITY;
        for (let v = 0; v < models.length; v++) {
          const latencyMs = estimateLatencyMs(models[v]!, batch, cores);
          if (latencyMs > 0 && latencyMs < fastestMs) {
            fastest = v;
            fastestMs = latencyMs;
          }
        }
        if (fastest < 0) continue;
        variantOf.push(variants[fastest]!);
        hardwareOf.push(hardware);
        columns.cores[count] = cores;
        columns.batch[count] = batch;
        columns.latencyMs[count] = fastestMs;
        columns.instanceRps[count] = instanceCapacityRps(fastestMs, batch, rho);
        columns.instanceCostPerHour[count] = price;
        count++;
      }
    }
  });
  return { module: module.name, rho, count, variant: variantOf, hardware: hardwareOf, ...columns };
}

/** `fastestConfigColumns` as `TupleConfig` objects, in the same order. */
export function fastestConfigs(problem: PlanningProblem, module: PlanningModule, rho: number): TupleConfig[] {
  const columns = fastestConfigColumns(problem, module, rho);
  return Array.from({ length: columns.count }, (_, i) => configOfColumns(columns, i));
}

/** The configuration in row `i` of `columns`. */
export function configOfColumns(columns: ConfigColumns, i: number): TupleConfig {
  return configAt(
    columns.module,
    columns.variant[i]!,
    columns.hardware[i]!,
    columns.cores[i]!,
    columns.batch[i]!,
    columns.latencyMs[i]!,
    columns.rho,
  );
}

/** The configuration of `variant` on `hardware` at `cores` and `batch`, or undefined without a latency model. */
export function configFor(
  module: string,
  variant: PlanningVariant,
  hardware: HardwareSpec,
  cores: number,
  batch: number,
  rho: number,
): TupleConfig | undefined {
  const latencyMs = tupleLatencyMs(variant, hardware.name, batch, cores);
  if (latencyMs === undefined || !(latencyMs > 0)) return undefined;
  return configAt(module, variant, hardware, cores, batch, latencyMs, rho);
}

/** The configuration with its batch latency l(b, c) already known. */
function configAt(
  module: string,
  variant: PlanningVariant,
  hardware: HardwareSpec,
  cores: number,
  batch: number,
  latencyMs: number,
  rho: number,
): TupleConfig {
  return {
    module,
    variant,
    hardware,
    cores,
    batch,
    latencyMs,
    instanceRps: instanceCapacityRps(latencyMs, batch, rho),
    instanceCostPerHour: tupleCostPerHour(hardware, cores, 1),
  };
}

/**
 * The fewest instances of `config` whose batches can fill within `budgetMs` when dummies pad the stream
 * to the instances' capacity: (b − 1)/(n·μ·ρ) + l ≤ L. +∞ when l(b, c) alone exceeds the budget.
 */
export function minInstancesForBudget(config: TupleConfig, budgetMs: number): number {
  return minInstancesAt(config.latencyMs, config.batch, config.instanceRps, budgetMs);
}

/** `minInstancesForBudget` of a configuration given by its latency, batch and capacity (columns). */
export function minInstancesAt(
  latencyMs: number,
  batch: number,
  instanceRps: number,
  budgetMs: number,
): number {
  if (latencyMs > budgetMs * (1 + PLAN_TOLERANCE)) return Number.POSITIVE_INFINITY;
  if (batch <= 1) return 1;
  const slackMs = budgetMs - latencyMs;
  if (slackMs <= 0) return Number.POSITIVE_INFINITY;
  const needRps = (1000 * (batch - 1)) / slackMs;
  return Math.max(1, Math.ceil(needRps / instanceRps - PLAN_TOLERANCE));
}

/**
 * The tuple of `instances` instances of `config` carrying `rateRps` within `budgetMs`, with the dummy
 * rate its batches need (never more than its spare capacity; the planning model checks the rest).
 */
export function makeTuple(
  config: TupleConfig,
  instances: number,
  rateRps: number,
  budgetMs: number,
  tupleBudgetMs?: number,
): PlanTuple {
  const spare = Math.max(0, instances * config.instanceRps - rateRps);
  const dummy =
    rateRps > 0
      ? Math.min(spare, dummyRpsNeeded(config.latencyMs, config.batch, tupleBudgetMs ?? budgetMs, rateRps))
      : 0;
  return {
    variant: config.variant.name,
    hardware: config.hardware.name,
    cores: config.cores,
    batch: config.batch,
    instances,
    rateRps,
    dummyRps: Number.isFinite(dummy) ? dummy : 0,
    ...(tupleBudgetMs === undefined ? {} : { budgetMs: tupleBudgetMs }),
  };
}
