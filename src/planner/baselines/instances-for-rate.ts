/**
 * Sizing a fixed configuration for a rate: the fewest instances of one `TupleConfig` (built by
 * `configFor`, tuple-configs.ts) that carry a rate within a budget under the planning model.
 */
import { PLAN_TOLERANCE } from '../planning-model.js';
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
