/**
 * The profile of one model variant on one kind of hardware (`profile.json`, DESIGN.md §4): the measured
 * points, the fitted Sponge latency model with its error, the derived throughput, cold-start and in-place
 * resize times, DNNScaler's batching-versus-co-location verdict and InfAdapter's capacity per core count.
 * Profiles measured here and profiles imported from published measurements share this one format, so the
 * planners and the simulator treat them alike.
 */
import type { LatencyModel, LatencyPoint, LatencyTable, Sponge4Model } from './latency-model.js';

/** Written in every profile; a file with another value is refused rather than misread. */
export const PROFILE_FORMAT = 'sluice-profile/1';

/** The file a profile of the local machine is written to, beside the variant's model file. */
export const PROFILE_FILE = 'profile.json';

/** Which order statistic of the batch latencies a fit or a capacity is held to. */
export type LatencyPercentile = 'p50' | 'p99';

export interface ProfileHardware {
  /** `local` for this machine; an instance type (`c5n.2xlarge`) or other name for imported profiles. */
  readonly name: string;
  /** `cpu`: priced and allocated per core; `fixed`: a whole machine or accelerator, priced per instance. */
  readonly kind: 'cpu' | 'fixed';
  /** Cores the hardware has (for `fixed` kinds: its vCPUs; the points' `cores` are then that number). */
  readonly maxCores: number;
  /** The CPU, host or instance type in words. */
  readonly description: string;
  /** How a fractional allocation was enforced when measured here (`cgroup-v1`, `threads`, ...); absent when imported. */
  readonly cpuMechanism?: string;
}

/** Identifies the model file measured, so that a profile of a file changed since is detected. */
export interface ProfiledModelFile {
  /** As written in the module's `config.yaml`. */
  readonly file: string;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

export type ProfileSource =
  | {
      readonly kind: 'measured';
      /** ISO 8601. */
      readonly measuredAt: string;
      readonly host: string;
      /** The command line that measured it. */
      readonly command: string;
    }
  | {
      readonly kind: 'imported';
      /** The file imported, as given. */
      readonly from: string;
      /** How the published figures were turned into this format, in words. */
      readonly note: string;
    };

/** One measured (or imported) grid point: `instances` co-located instances, each at `cores`, running batches of `batch`. */
export interface ProfilePoint {
  readonly batch: number;
  /** Cores of each instance. */
  readonly cores: number;
  readonly instances: number;
  /** Batch latency, dispatch to result, in ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly samples: number;
  /** Requests per second all `instances` together completed while measured (batch × batches / s). */
  readonly throughputRps: number;
}

export interface FittedPoint {
  readonly batch: number;
  readonly cores: number;
  readonly measuredMs: number;
  readonly fittedMs: number;
  /** (fitted − measured) / measured. */
  readonly relativeError: number;
}

/** The Sponge model fitted by non-negative least squares to the single-instance points. */
export interface ProfileFit {
  readonly model: Sponge4Model;
  readonly percentile: LatencyPercentile;
  /** `relative`: minimises Σ((l − y)/y)², so short and long batches weigh alike; `absolute`: Σ(l − y)². */
  readonly weighting: 'relative' | 'absolute';
  readonly points: readonly FittedPoint[];
  readonly medianRelativeError: number;
  /** Largest |relative error| over the points. */
  readonly maxRelativeError: number;
}

/** h(b, c) = b / l(b, c) from the fitted model, in requests per second, at the measured grid. */
export interface ThroughputPoint {
  readonly batch: number;
  readonly cores: number;
  readonly throughputRps: number;
}

/** Spawn to ready (process start, session creation, warm-up) of a new instance. */
export interface ColdStart {
  readonly cores: number;
  /** Wall time from asking for the instance to its first possible batch, median over `samples`. */
  readonly coldStartMs: number;
  /** Of which session creation inside the process. */
  readonly loadMs: number;
  readonly samples: number;
}

/** How long an in-place resize takes to reach the new speed, against replacing the instance. */
export interface ResizeTiming {
  readonly fromCores: number;
  readonly toCores: number;
  /** Until the resize call returned (quota written, intra-op threads rebuilt). */
  readonly callMs: number;
  /** Until batches ran at the new allocation's speed (three in a row within the tolerance). */
  readonly effectiveMs: number;
  /** Batch-1 latency before and after, and the steady latency at `toCores` it was held to. */
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly targetMs: number;
  /** `coldStartMs / effectiveMs`: how much faster than starting a new instance at `toCores`. */
  readonly speedupOverColdStart: number;
}

/** DNNScaler's profiler: which knob raises throughput more within a latency target on the same total cores. */
export interface ScalingVerdict {
  readonly choice: 'batching' | 'co-location';
  readonly latencyTargetMs: number;
  /** The total allocation both ways are compared on. */
  readonly totalCores: number;
  /** Batch-1, one-instance throughput the gains are relative to. */
  readonly baseThroughputRps: number;
  /** The largest measured batch within the target, its throughput and its gain over the base. */
  readonly batching: { readonly batch: number; readonly throughputRps: number; readonly gain: number };
  /** The most co-located instances within the target (sharing `totalCores`), likewise. */
  readonly colocation: { readonly instances: number; readonly throughputRps: number; readonly gain: number };
  readonly reason: string;
}

/** InfAdapter's capacity: the highest Poisson rate whose latency percentile stays within the SLO. */
export interface CapacityPoint {
  readonly cores: number;
  /** Largest batch the batcher could form while deriving it (1: InfAdapter's own setting). */
  readonly maxBatch: number;
  readonly rateRps: number;
  /** `derived`: from the latency model by simulating Sluice's engine; `measured`: a live run. */
  readonly source: 'derived' | 'measured';
}

export interface CapacityCheck {
  readonly cores: number;
  readonly maxBatch: number;
  readonly rateRps: number;
  readonly requests: number;
  /** The percentile of end-to-end latency measured at that rate, in ms. */
  readonly measuredMs: number;
  /** Share of requests that finished within the SLO. */
  readonly attainment: number;
  readonly withinSlo: boolean;
}

export interface ProfileCapacity {
  readonly sloMs: number;
  readonly percentile: LatencyPercentile;
  readonly points: readonly CapacityPoint[];
  /** Short live runs at derived points, confirming (or not) the derivation. */
  readonly checks: readonly CapacityCheck[];
}

export interface Profile {
  readonly format: typeof PROFILE_FORMAT;
  readonly module: string;
  readonly variant: string;
  readonly hardware: ProfileHardware;
  /** Absent for imported profiles of models that have no file here. */
  readonly modelFile?: ProfiledModelFile;
  readonly source: ProfileSource;
  /** onnxruntime intra-op threads per instance while measuring: `ceil(cores)` unless stated. */
  readonly threads: 'ceil-cores' | number;
  readonly points: readonly ProfilePoint[];
  readonly fit: ProfileFit;
  readonly throughput: readonly ThroughputPoint[];
  readonly coldStart?: ColdStart;
  /** With intra-op threads following the allocation (as `sluice serve` runs by default): quota and session rebuild. */
  readonly resize?: ResizeTiming;
  /** With the target's thread count from the start, so only the CPU quota changes. */
  readonly resizeQuotaOnly?: ResizeTiming;
  readonly verdict?: ScalingVerdict;
  readonly capacity?: ProfileCapacity;
}

/** Which latency model to take from a profile (profileLatencyModel). */
export interface ProfileModelChoice {
  /** `fit`: the Sponge model; `table`: the measured points; `auto` (default): the table when the fit's worst error exceeds `maxFitError`. */
  readonly latency?: 'fit' | 'table' | 'auto';
  /** Default 0.2. */
  readonly maxFitError?: number;
  /** For tables. Default the fit's percentile. */
  readonly percentile?: LatencyPercentile;
}

/**
 * The latency model the planners and the engine both use from a profile (one rule, so that admission
 * predicts what the plan assumed): the Sponge fit, or the measured points as a table where the fit is poor.
 */
export function profileLatencyModel(profile: Profile, choice: ProfileModelChoice = {}): LatencyModel {
  const mode = choice.latency ?? 'auto';
  const useTable =
    mode === 'table' || (mode === 'auto' && profile.fit.maxRelativeError > (choice.maxFitError ?? 0.2));
  return useTable ? tableModelOf(profile, choice.percentile ?? profile.fit.percentile) : profile.fit.model;
}

/**
 * The `{kind: 'table'}` model of `profile`'s single-instance points at `percentile` (batch latency in ms
 * per (batch, cores)), sorted by batch then cores. For profiles whose Sponge fit is too coarse to plan with (KAIROS's GPU rows step at some query sizes).
 * Co-located points are left out: a table model, like the
 * fit, describes one instance. Throws a `RangeError` when there is no single-instance point or two share a
 * (batch, cores), since interpolating between them would be ambiguous.
 */
export function tableModelOf(profile: Profile, percentile: LatencyPercentile): LatencyTable {
  const points: LatencyPoint[] = profile.points
    .filter((p) => p.instances === 1)
    .map((p) => ({
      batch: p.batch,
      cores: p.cores,
      latencyMs: percentile === 'p50' ? p.p50Ms : p.p99Ms,
    }))
    .sort((a, b) => a.batch - b.batch || a.cores - b.cores);
  if (points.length === 0) {
    throw new RangeError(`profile ${profile.module}/${profile.variant} has no single-instance point`);
  }
  points.forEach((p, i) => {
    const before = points[i - 1];
    if (before !== undefined && before.batch === p.batch && before.cores === p.cores) {
      throw new RangeError(
        `profile ${profile.module}/${profile.variant} has two single-instance points at batch ${p.batch}, ` +
          `${p.cores} cores`,
      );
    }
  });
  return { kind: 'table', points };
}
