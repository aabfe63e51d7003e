/**
 * InfAdapter's capacity of one instance, derived from the latency model instead of measured for every
 * point: the highest Poisson rate at which Sluice's own engine (EDF queue, deadline-aware batcher) keeps
 * the chosen percentile of end-to-end latency within the SLO, found by bisection on simulated runs over a
 * virtual clock, with batch times drawn from the model and its measured spread.
 */
import { throughputPerMs, type LatencyModel } from '../core/latency-model.js';
import type { LatencyPercentile } from '../core/profile.js';
import { SeededRng } from '../core/seeded-rng.js';
import { ProfileBackend } from '../sim/profile-backend.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { PROBE_GROUP, startPoissonLoad, type PoissonRunResult } from './poisson-run.js';

export interface CapacityQuestion {
  /** Median batch latency. */
  readonly latency: LatencyModel;
  /** Log-normal σ of batch times around the median. */
  readonly sigma: number;
  readonly cores: number;
  readonly maxBatch: number;
  readonly sloMs: number;
  readonly percentile: LatencyPercentile;
  /** Default 1. */
  readonly seed?: number;
  /** Simulated requests per trial rate. Default 3000. */
  readonly requests?: number;
  /** Relative precision of the answer. Default 0.01. */
  readonly tolerance?: number;
}

/** The highest rate (requests/s) within the SLO; 0 when even a lone request misses it. */
export function deriveCapacityRps(question: CapacityQuestion): number {
  const saturationRps =
    1000 * throughputPerMs(question.latency, Math.max(1, question.maxBatch), question.cores);
  const meets = (rateRps: number): boolean => {
    const result = simulate(question, rateRps);
    const value = question.percentile === 'p99' ? result.p99Ms : result.p50Ms;
    return value <= question.sloMs;
  };
  const tolerance = question.tolerance ?? 0.01;
  let hi = saturationRps;
  if (meets(hi)) return hi;
  if (!meets(hi * tolerance)) return 0;
  let lo = hi * tolerance;
  while ((hi - lo) / hi > tolerance) {
    const mid = (lo + hi) / 2;
    if (meets(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** One simulated run at `rateRps` (the same seed every time, so rates are compared on the same draws). */
export function simulate(question: CapacityQuestion, rateRps: number): PoissonRunResult {
  const clock = new VirtualClock();
  const seed = question.seed ?? 1;
  const backend = new ProfileBackend<undefined>(clock, new SeededRng(seed * 2 + 1));
  backend.setGroup(PROBE_GROUP, { latency: question.latency, sigma: question.sigma });
  backend.setInstanceCores('probe#0', question.cores);
  let result: PoissonRunResult | undefined;
  startPoissonLoad(
    {
      clock,
      backend,
      rng: new SeededRng(seed * 2),
      instances: [{ id: 'probe#0', cores: question.cores }],
      maxBatch: question.maxBatch,
      prior: question.latency,
      rateRps,
      requests: question.requests ?? 3000,
      sloMs: question.sloMs,
      payload: undefined,
    },
    (r) => (result = r),
  );
  clock.runAll();
  if (result === undefined)
    throw new Error(`simulated run did not finish (virtual time ${clock.nowMs()} ms)`);
  return result;
}
