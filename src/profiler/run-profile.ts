/**
 * One variant's whole profile: the batch × cores grid on single instances, co-location at batch 1, the
 * Sponge fit, DNNScaler's verdict, cold start and in-place resize times, and InfAdapter's capacity
 * (derived on Sluice's engine, checked live at one point). Measures through the `InstanceHost` port on
 * the injected clock; the caller supplies the identity of what is measured (model file, hardware).
 */
import { throughputPerMs, type Sponge4Model } from '../core/latency-model.js';
import type { InferencePayload } from '../core/inference.js';
import { summarizeSamples } from '../core/percentile.js';
import {
  PROFILE_FORMAT,
  type CapacityCheck,
  type CapacityPoint,
  type ColdStart,
  type LatencyPercentile,
  type Profile,
  type ProfileHardware,
  type ProfilePoint,
  type ProfiledModelFile,
  type ProfileSource,
} from '../core/profile.js';
import { SeededRng } from '../core/seeded-rng.js';
import type { Clock } from '../ports/clock.js';
import type { InstanceHost } from '../ports/instance-host.js';
import { spreadSigma } from '../sim/profile-backend.js';
import type { SampleOptions } from './batch-runner.js';
import { deriveCapacityRps } from './derive-capacity.js';
import { fitSponge4 } from './fit-sponge.js';
import {
  measureBatchPoint,
  measureColocationPoint,
  measureContext,
  startProbe,
  type MeasureContext,
  type ProbeTarget,
  type StartedProbe,
} from './measure-points.js';
import { measureResize } from './measure-resize.js';
import { runPoissonLoad } from './poisson-run.js';
import { ProgressTracker, type ProfileProgress, type ProgressStep } from './progress-tracker.js';
import { scalingVerdict } from './scaling-verdict.js';

export interface ProfileGrid {
  readonly batches: readonly number[];
  readonly cores: readonly number[];
  /** Co-located instance counts (1 is the batching base and always included). */
  readonly instances: readonly number[];
  /** Total cores the co-location and batching verdict are compared on. */
  readonly colocationCores: number;
}

export interface ProfileRequest {
  readonly module: string;
  readonly variant: string;
  readonly modelPath: string;
  readonly modelFile?: ProfiledModelFile;
  readonly hardware: ProfileHardware;
  readonly source: ProfileSource;
  /** One request's probe payload (probe-inputs.ts). */
  readonly payload: InferencePayload;
  /** The module's largest batch (0: it does not batch). */
  readonly maxBatch: number;
  readonly grid: ProfileGrid;
  readonly sampling: SampleOptions;
  /** Intra-op threads per instance; default ceil(cores). */
  readonly threads?: number;
  readonly percentile: LatencyPercentile;
  /** DNNScaler's latency target for the verdict, in ms. */
  readonly latencyTargetMs: number;
  /** InfAdapter's SLO for the capacity, in ms. */
  readonly sloMs: number;
  /** Live check of one derived capacity point: at these cores, with this many requests at most. */
  readonly capacityCheck: { readonly cores: number; readonly requests: number } | undefined;
  /** In-place resize measurement between two of the grid's core counts. */
  readonly resize: { readonly fromCores: number; readonly toCores: number } | undefined;
  /** Extra instance starts at the resize target to time the cold start. Default 2. */
  readonly coldStartRuns?: number;
  /** Seed of the Poisson arrivals (derivation and check). Default 1. */
  readonly seed?: number;
}

export interface ProfileDeps {
  readonly host: InstanceHost;
  readonly clock: Clock;
  readonly onProgress?: (progress: ProfileProgress) => void;
}

/** Measures and fits one variant's profile (see the file's header). */
export async function runProfile(request: ProfileRequest, deps: ProfileDeps): Promise<Profile> {
  const ctx = measureContext(deps.host, deps.clock);
  const target: ProbeTarget = {
    group: `${request.module}/${request.variant}`,
    modelPath: request.modelPath,
    payload: request.payload,
    ...(request.threads === undefined ? {} : { threads: request.threads }),
  };
  const grid = normaliseGrid(request);
  const estimate = new LatencyGuess();
  const sampling = request.sampling;
  const pointMs = (batch: number, cores: number): number =>
    Math.max(sampling.budgetMs ?? 2000, (sampling.minSamples ?? 10) * estimate.ms(batch, cores));

  const steps: ProgressStep[] = [];
  for (const cores of grid.cores) {
    steps.push({ label: `${request.variant}: start on ${cores} cores`, predictMs: () => 500 });
    for (const batch of grid.batches)
      steps.push({
        label: `${request.variant}: batch ${batch} on ${cores} cores`,
        predictMs: () => pointMs(batch, cores),
      });
  }
  for (const k of grid.instances.filter((n) => n > 1)) {
    steps.push({
      label: `${request.variant}: ${k} co-located instances on ${grid.colocationCores} cores`,
      predictMs: () => pointMs(1, grid.colocationCores / k) + 500 * k,
    });
  }
  const coldStartRuns = request.resize === undefined ? 0 : (request.coldStartRuns ?? 2);
  for (let i = 0; i < coldStartRuns; i++)
    steps.push({ label: `${request.variant}: cold start ${i + 1}/${coldStartRuns}`, predictMs: () => 500 });
  if (request.resize !== undefined) {
    const { fromCores, toCores } = request.resize;
    steps.push({
      label: `${request.variant}: in-place resize ${fromCores} -> ${toCores} cores`,
      predictMs: () => 500 + 10 * estimate.ms(1, fromCores),
    });
    if (Math.ceil(fromCores) !== Math.ceil(toCores) && request.threads === undefined) {
      steps.push({
        label: `${request.variant}: in-place resize ${fromCores} -> ${toCores} cores, quota only`,
        predictMs: () => 500 + 10 * estimate.ms(1, fromCores),
      });
    }
  }
  if (request.capacityCheck !== undefined) {
    const check = request.capacityCheck;
    steps.push({
      label: `${request.variant}: capacity check on ${check.cores} cores`,
      predictMs: () => Math.min(20_000, check.requests * estimate.ms(1, check.cores)),
    });
  }
  const progress = new ProgressTracker(steps, () => deps.clock.nowMs(), deps.onProgress ?? (() => undefined));

  // 1. The grid on single instances; each core count on a fresh instance, whose start is a cold start.
  const single: ProfilePoint[] = [];
  const starts: StartedProbe[] = [];
  let mechanism = request.hardware.cpuMechanism;
  for (const cores of grid.cores) {
    const probe = await progress.step(() => startProbe(ctx, target, cores));
    starts.push(probe);
    mechanism ??= probe.info.cpuMechanism;
    try {
      for (const batch of grid.batches) {
        const point = await progress.step(() => measureBatchPoint(ctx, target, probe, batch, sampling));
        single.push(point);
        estimate.learn(point);
      }
    } finally {
      await ctx.host.stopInstance(probe.instanceId);
    }
  }

  // 2. Co-location at batch 1 on the same total cores.
  const colocation: ProfilePoint[] = [];
  for (const k of grid.instances.filter((n) => n > 1)) {
    colocation.push(
      await progress.step(() => measureColocationPoint(ctx, target, grid.colocationCores, k, sampling)),
    );
  }

  // 3. Fit and derived throughput.
  const fitOf = (percentile: LatencyPercentile) =>
    fitSponge4(
      single.map((p) => ({
        batch: p.batch,
        cores: p.cores,
        latencyMs: percentile === 'p99' ? p.p99Ms : p.p50Ms,
      })),
      { percentile },
    );
  const fit = fitOf(request.percentile);
  const throughput = single.map((p) => ({
    batch: p.batch,
    cores: p.cores,
    throughputRps: 1000 * throughputPerMs(fit.model, p.batch, p.cores),
  }));

  // 4. Cold start and in-place resize.
  let coldStart: ColdStart | undefined;
  let resize: Profile['resize'];
  let resizeQuotaOnly: Profile['resizeQuotaOnly'];
  if (request.resize !== undefined) {
    const { fromCores, toCores } = request.resize;
    const atTarget = starts.filter((s) => s.info.cores === toCores);
    for (let i = 0; i < coldStartRuns; i++) {
      const probe = await progress.step(() => startProbe(ctx, target, toCores));
      atTarget.push(probe);
      await ctx.host.stopInstance(probe.instanceId);
    }
    coldStart = {
      cores: toCores,
      coldStartMs: summarizeSamples(atTarget.map((s) => s.coldStartMs)).p50,
      loadMs: summarizeSamples(atTarget.map((s) => s.info.loadMs)).p50,
      samples: atTarget.length,
    };
    const steady = single.find((p) => p.batch === 1 && p.cores === toCores);
    const coldStartMs = coldStart.coldStartMs;
    resize = await progress.step(() =>
      measureResize(ctx, target, {
        fromCores,
        toCores,
        targetMs: steady?.p50Ms ?? estimate.ms(1, toCores),
        coldStartMs,
      }),
    );
    // With threads following cores the resize rebuilds the session; with the target's thread count from
    // the start, only the CPU quota changes. Measured both ways, when they differ.
    if (Math.ceil(fromCores) !== Math.ceil(toCores) && request.threads === undefined) {
      resizeQuotaOnly = await progress.step(() =>
        measureResize(
          ctx,
          { ...target, threads: Math.max(1, Math.ceil(toCores)) },
          { fromCores, toCores, targetMs: steady?.p50Ms ?? estimate.ms(1, toCores), coldStartMs },
        ),
      );
    }
  }

  // 5. DNNScaler's verdict.
  const verdict = scalingVerdict({
    batching: single.filter((p) => p.cores === grid.colocationCores),
    colocation,
    totalCores: grid.colocationCores,
    latencyTargetMs: request.latencyTargetMs,
  });

  // 6. InfAdapter's capacity, derived from the median fit and the measured spread, checked live once.
  const median = fitOf('p50').model;
  const sigma = spreadSigma(summarizeSamples(single.map((p) => (p.p50Ms > 0 ? p.p99Ms / p.p50Ms : 1))).p50);
  const maxBatches = [...new Set([1, Math.max(1, request.maxBatch)])];
  const seed = request.seed ?? 1;
  const capacityPoints: CapacityPoint[] = grid.cores.flatMap((cores) =>
    maxBatches.map((maxBatch) => ({
      cores,
      maxBatch,
      rateRps: deriveCapacityRps({
        latency: median,
        sigma,
        cores,
        maxBatch,
        sloMs: request.sloMs,
        percentile: request.percentile,
        seed,
      }),
      source: 'derived' as const,
    })),
  );
  const checks: CapacityCheck[] = [];
  if (request.capacityCheck !== undefined) {
    const check = request.capacityCheck;
    // InfAdapter's own setting (batch 1): one request per batch, so the check exercises the model itself.
    const derived = capacityPoints.find((p) => p.cores === check.cores && p.maxBatch === 1);
    if (derived !== undefined && derived.rateRps > 0) {
      checks.push(
        await progress.step(() => checkCapacity(ctx, target, derived, check.requests, request, median, seed)),
      );
    }
  }

  return {
    format: PROFILE_FORMAT,
    module: request.module,
    variant: request.variant,
    hardware: { ...request.hardware, ...(mechanism === undefined ? {} : { cpuMechanism: mechanism }) },
    ...(request.modelFile === undefined ? {} : { modelFile: request.modelFile }),
    source: request.source,
    threads: request.threads ?? 'ceil-cores',
    points: [...single, ...colocation],
    fit,
    throughput,
    ...(coldStart === undefined ? {} : { coldStart }),
    ...(resize === undefined ? {} : { resize }),
    ...(resizeQuotaOnly === undefined ? {} : { resizeQuotaOnly }),
    ...(verdict === undefined ? {} : { verdict }),
    capacity: { sloMs: request.sloMs, percentile: request.percentile, points: capacityPoints, checks },
  };
}

/** A short live run at a derived capacity on one real instance, through Sluice's engine. */
async function checkCapacity(
  ctx: MeasureContext,
  target: ProbeTarget,
  point: CapacityPoint,
  maxRequests: number,
  request: ProfileRequest,
  prior: Sponge4Model,
  seed: number,
): Promise<CapacityCheck> {
  const probe = await startProbe(ctx, target, point.cores);
  try {
    // Bounded in time too: about 20 s of arrivals at most.
    const requests = Math.max(50, Math.min(maxRequests, Math.round(point.rateRps * 20)));
    const result = await runPoissonLoad({
      clock: ctx.clock,
      backend: ctx.host,
      rng: new SeededRng(seed * 2 + 7),
      instances: [{ id: probe.instanceId, cores: point.cores }],
      maxBatch: point.maxBatch,
      prior,
      rateRps: point.rateRps,
      requests,
      sloMs: request.sloMs,
      payload: target.payload,
    });
    const measuredMs = request.percentile === 'p99' ? result.p99Ms : result.p50Ms;
    return {
      cores: point.cores,
      maxBatch: point.maxBatch,
      rateRps: point.rateRps,
      requests,
      measuredMs,
      attainment: result.attainment,
      withinSlo: measuredMs <= request.sloMs,
    };
  } finally {
    await ctx.host.stopInstance(probe.instanceId);
  }
}

/** The grid in ascending order without duplicates, batches within the module's max batch. */
function normaliseGrid(request: ProfileRequest): ProfileGrid {
  const sorted = (values: readonly number[]): number[] => [...new Set(values)].sort((a, b) => a - b);
  const limit = Math.max(1, request.maxBatch);
  return {
    batches: sorted(request.grid.batches.filter((b) => b <= limit)),
    // The verdict compares batching and co-location on the same total cores: measure batches there too.
    cores: sorted([...request.grid.cores, request.grid.colocationCores]),
    instances: sorted([1, ...request.grid.instances]),
    colocationCores: request.grid.colocationCores,
  };
}

/** Rough batch latency from what has been measured so far, for the progress estimate: ms ∝ batch / cores. */
class LatencyGuess {
  private msPerUnit: number | undefined;

  learn(point: ProfilePoint): void {
    const unit = point.meanMs / (point.batch / point.cores);
    this.msPerUnit = this.msPerUnit === undefined ? unit : Math.max(this.msPerUnit, unit);
  }

  ms(batch: number, cores: number): number {
    return (this.msPerUnit ?? 5) * (batch / cores);
  }
}
