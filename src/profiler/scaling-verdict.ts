/**
 * DNNScaler's profiler decision: on the same total allocation, does a larger batch (one instance) or more
 * co-located instances (batch 1, sharing the cores) raise throughput more within the latency target?
 * Each way's best is the highest measured throughput among its points whose p99 batch latency meets the
 * target; the gains are relative to one instance at batch 1 on all the cores.
 */
import type { ProfilePoint, ScalingVerdict } from '../core/profile.js';

export interface VerdictInput {
  /** One instance on `totalCores`, batches 1, 2, ... */
  readonly batching: readonly ProfilePoint[];
  /** k instances at batch 1, each on `totalCores / k`. */
  readonly colocation: readonly ProfilePoint[];
  readonly totalCores: number;
  readonly latencyTargetMs: number;
}

/** The verdict, or undefined when neither way has the batch-1, one-instance base point within the target. */
export function scalingVerdict(input: VerdictInput): ScalingVerdict | undefined {
  const within = (p: ProfilePoint): boolean => p.p99Ms <= input.latencyTargetMs;
  const base = input.batching.find((p) => p.batch === 1 && p.instances === 1);
  if (base === undefined || !within(base)) return undefined;
  const best = (points: readonly ProfilePoint[]): ProfilePoint =>
    points.filter(within).reduce((a, b) => (b.throughputRps > a.throughputRps ? b : a), base);
  const batched = best(input.batching);
  const colocated = best(input.colocation);
  const baseRps = base.throughputRps;
  const batching = {
    batch: batched.batch,
    throughputRps: batched.throughputRps,
    gain: batched.throughputRps / baseRps,
  };
  const colocation = {
    instances: colocated.instances,
    throughputRps: colocated.throughputRps,
    gain: colocated.throughputRps / baseRps,
  };
  const choice = colocation.gain > batching.gain ? 'co-location' : 'batching';
  const fmt = (x: number): string => x.toFixed(2);
  const reason =
    `within ${input.latencyTargetMs} ms on ${input.totalCores} cores: batch ${batching.batch} gives ` +
    `${fmt(batching.throughputRps)} req/s (${fmt(batching.gain)}x batch 1), ${colocation.instances} co-located ` +
    `instances give ${fmt(colocation.throughputRps)} req/s (${fmt(colocation.gain)}x); ${choice} raises throughput more`;
  return {
    choice,
    latencyTargetMs: input.latencyTargetMs,
    totalCores: input.totalCores,
    baseThroughputRps: baseRps,
    batching,
    colocation,
    reason,
  };
}
