/**
 * The fluid capacity of a fixed pool: the most queries per second it carries with each query size
 * only on types where its latency meets the target and every instance busy a share ρ of the time.
 * By default on the latencies the simulator runs (the medians) at ρ = 1: the ceiling no dispatch beats
 * for long, which the rate search is scaled by and the simulated rates are compared to. On the p99
 * tables at ρ = 0.9 it is the planner's own bound (`Plan.capacityRps` of a kairos plan), deliberately
 * below what the simulated pool can carry.
 */
import { fluidBound } from '../../planner/kairos/fluid-bound.js';
import type { Plan } from '../../planner/plan.js';
import { tupleLatencyMs } from '../../planner/planning-model.js';
import { KAIROS_TARGET_MS, QUERY_SIZES, type KairosModelProblems } from './kairos-problems.js';

export interface PoolCapacityOptions {
  /** Which tables: `p50` (the simulator's medians, default) or `p99` (the planner's). */
  readonly percentile?: 'p50' | 'p99';
  /** Share of the time each instance may be busy. Default 1. */
  readonly rho?: number;
}

/** Fluid capacity of `plan`'s pool (see the file comment), requests/s. */
export function poolCapacity(
  problems: KairosModelProblems,
  plan: Plan,
  options: PoolCapacityOptions = {},
): number {
  const tuples = plan.modules.flatMap((m) => m.tuples);
  const problem = options.percentile === 'p99' ? problems.planning : problems.simulation(0);
  const variant = problem.modules[0]?.variants[0];
  if (variant === undefined || tuples.length === 0) return 0;
  const rho = options.rho ?? 1;
  const latencyMs = QUERY_SIZES.map((size) =>
    tuples.map((t) => {
      const l = tupleLatencyMs(variant, t.hardware, size.rows, t.cores);
      return l !== undefined && l <= KAIROS_TARGET_MS ? l : Number.POSITIVE_INFINITY;
    }),
  );
  return fluidBound({
    shares: QUERY_SIZES.map((s) => s.share),
    latencyMs,
    capacityMsPerS: tuples.map((t) => t.instances * rho * 1000),
  }).rateRps;
}
