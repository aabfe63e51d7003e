/**
 * Sizing a fixed configuration for a rate: the `TupleConfig` of one (variant, hardware, cores, batch) and
 * the fewest instances of it that carry a rate within a budget under the planning model.
 */
import { instanceCapacityRps, PLAN_TOLERANCE, tupleLatencyMs } from '../planning-model.js';
import { tupleCostPerHour, type HardwareSpec, type PlanningVariant } from '../planning-problem.js';
import { minInstancesForBudget, type TupleConfig } from '../tuple-configs.js';

/**
 * The fewest instances (at least 1) of `config` that carry `rateRps` at the utilisation cap with batches
 * filling within `budgetMs` (dummies pad a slow stream); +∞ when l(b, c) alone exceeds the budget.
 */
export function instancesForRate(config: TupleConfig, rateRps: number, budgetMs: number): number {
  const forBudget = minInstancesForBudget(config, budgetMs);
  if (!Number.isFinite(forBudget)) return forBudget;
  const forRate = Math.ceil(rateRps / config.instanceRps - PLAN_TOLERANCE);
  return Math.max(1, forBudget, forRate);
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
