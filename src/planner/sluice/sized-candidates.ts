/**
 * Candidates for apps with query sizes (KAIROS): a sized request is a batch by itself, so these run
 * batch 1 on every (variant, hardware, cores) and know the time of each size they can serve within
 * their budget; their capacity is instance time, Σ rate·time ≤ 1000·ρ·n.
 */
import { instanceCapacityRps, PLAN_TOLERANCE, tupleLatencyMs } from '../planning-model.js';
import {
  coreOptionsOf,
  tupleCostPerHour,
  type PlanningModule,
  type PlanningProblem,
  type QuerySize,
} from '../planning-problem.js';
import type { TupleConfig } from '../tuple-configs.js';
import { resourceCap } from './candidate-bounds.js';
import type { SluiceCandidate } from './candidate-types.js';

const EPS = 1e-9;

export function sizedCandidate(
  problem: PlanningProblem,
  config: TupleConfig,
  sizes: readonly QuerySize[],
  budgetMs: number,
  offeredRps: number,
  rho: number,
): SluiceCandidate | undefined {
  const sizeMs = sizes.map((s) => {
    const ms = tupleLatencyMs(config.variant, config.hardware.name, s.rows, config.cores);
    return ms !== undefined && ms > 0 && ms <= budgetMs * (1 + PLAN_TOLERANCE) ? ms : undefined;
  });
  if (sizeMs.every((ms) => ms === undefined) || offeredRps <= 0) return undefined;
  const busyMsPerS = sizes.reduce((t, s, i) => t + offeredRps * s.share * (sizeMs[i] ?? 0), 0);
  const rateBound = Math.max(1, Math.ceil(busyMsPerS / (1000 * rho) - EPS));
  const maxInstances = Math.min(rateBound, resourceCap(problem, config));
  if (maxInstances < 1) return undefined;
  return { config, minInstances: 1, maxInstances, fillMs: 0, sizeMs };
}

/** Batch-1 configurations (variant, hardware, cores) for sized requests: each request is its own batch. */
export function sizedConfigs(problem: PlanningProblem, module: PlanningModule, rho: number): TupleConfig[] {
  const out: TupleConfig[] = [];
  for (const variant of module.variants) {
    for (const hardware of problem.hardware) {
      for (const cores of coreOptionsOf(hardware)) {
        const latencyMs = tupleLatencyMs(variant, hardware.name, 1, cores);
        if (latencyMs === undefined || !(latencyMs > 0)) continue;
        out.push({
          module: module.name,
          variant,
          hardware,
          cores,
          batch: 1,
          latencyMs,
          instanceRps: instanceCapacityRps(latencyMs, 1, rho),
          instanceCostPerHour: tupleCostPerHour(hardware, cores, 1),
        });
      }
    }
  }
  return out;
}
