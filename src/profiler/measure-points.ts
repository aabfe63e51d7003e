/**
 * The measurements behind a profile, on real instances through the `InstanceHost`: batch latency of one
 * instance at a batch size, throughput of k co-located instances at batch 1, and the time to start an
 * instance (cold start).
 */
import type { InferencePayload } from '../core/inference.js';
import { summarizeSamples } from '../core/percentile.js';
import type { ProfilePoint } from '../core/profile.js';
import type { Clock } from '../ports/clock.js';
import type { HostedInstance, InstanceHost } from '../ports/instance-host.js';
import { BatchRunner, type BatchTiming, type SampleOptions } from './batch-runner.js';

export interface ProbeTarget {
  /** `module/variant`. */
  readonly group: string;
  readonly modelPath: string;
  readonly payload: InferencePayload;
  /** Intra-op threads per instance; default ceil(cores). */
  readonly threads?: number;
}

export interface MeasureContext {
  readonly host: InstanceHost;
  readonly clock: Clock;
  readonly runner: BatchRunner;
  /** A fresh instance id for `group`, unique within this context. */
  readonly instanceId: (group: string) => string;
}

export function measureContext(host: InstanceHost, clock: Clock): MeasureContext {
  let seq = 0;
  return {
    host,
    clock,
    runner: new BatchRunner(host, clock),
    instanceId: (group) => `${group}#profile-${++seq}`,
  };
}

export interface StartedProbe {
  readonly instanceId: string;
  readonly info: HostedInstance;
  /** From asking for the instance to its being ready, in ms. */
  readonly coldStartMs: number;
}

/** Starts a fresh instance of the target at `cores` and times it. */
export async function startProbe(
  ctx: MeasureContext,
  target: ProbeTarget,
  cores: number,
): Promise<StartedProbe> {
  const instanceId = ctx.instanceId(target.group);
  const began = ctx.clock.nowMs();
  const info = await ctx.host.startInstance({
    instanceId,
    group: target.group,
    modelPath: target.modelPath,
    cores,
    ...(target.threads === undefined ? {} : { intraOpThreads: target.threads }),
  });
  return { instanceId, info, coldStartMs: ctx.clock.nowMs() - began };
}

/** Latency of batches of `batch` on one running instance. */
export async function measureBatchPoint(
  ctx: MeasureContext,
  target: ProbeTarget,
  probe: StartedProbe,
  batch: number,
  sampling: SampleOptions,
): Promise<ProfilePoint> {
  const timings = await ctx.runner.sample(probe.instanceId, target.group, target.payload, batch, sampling);
  return pointOf(batch, probe.info.cores, 1, timings, sumWall(timings));
}

/**
 * `instances` instances of the target, each on `totalCores / instances` cores, every one running batch-1
 * requests back to back; throughput is all completions over the common measuring window.
 */
export async function measureColocationPoint(
  ctx: MeasureContext,
  target: ProbeTarget,
  totalCores: number,
  instances: number,
  sampling: SampleOptions,
): Promise<ProfilePoint> {
  const cores = totalCores / instances;
  const probes: StartedProbe[] = [];
  try {
    for (let i = 0; i < instances; i++) probes.push(await startProbe(ctx, target, cores));
    // Warm every instance, then measure them all over one window.
    await Promise.all(
      probes.map((p) =>
        ctx.runner.sample(p.instanceId, target.group, target.payload, 1, {
          warmup: sampling.warmup ?? 2,
          minSamples: 0,
          maxSamples: 0,
        }),
      ),
    );
    const began = ctx.clock.nowMs();
    const minSamples = sampling.minSamples ?? 10;
    const budgetMs = sampling.budgetMs ?? 2000;
    const maxSamples = Math.max(minSamples, sampling.maxSamples ?? 200);
    const perInstance = await Promise.all(
      probes.map(async (p) => {
        const timings: BatchTiming[] = [];
        while (
          timings.length < minSamples ||
          (timings.length < maxSamples && ctx.clock.nowMs() - began < budgetMs)
        ) {
          timings.push(await ctx.runner.run(p.instanceId, target.group, target.payload, 1));
        }
        return timings;
      }),
    );
    const all = perInstance.flat();
    const windowMs = Math.max(...all.map((t) => t.finishedMs)) - began;
    return pointOf(1, cores, instances, all, windowMs);
  } finally {
    await Promise.all(probes.map((p) => ctx.host.stopInstance(p.instanceId)));
  }
}

function sumWall(timings: readonly BatchTiming[]): number {
  return timings.reduce((sum, t) => sum + t.wallMs, 0);
}

function pointOf(
  batch: number,
  cores: number,
  instances: number,
  timings: readonly BatchTiming[],
  windowMs: number,
): ProfilePoint {
  const summary = summarizeSamples(timings.map((t) => t.wallMs));
  return {
    batch,
    cores,
    instances,
    p50Ms: summary.p50,
    p99Ms: summary.p99,
    meanMs: summary.mean,
    samples: summary.samples,
    throughputRps: windowMs > 0 ? (batch * timings.length * 1000) / windowMs : 0,
  };
}
