/**
 * `sluice profile` measuring: for each chosen variant of a repository, a profile measured on real
 * instance processes (the serving core's `OnnxWorkerPool`, confined the way `sluice serve` confines
 * them), written beside the model as `<module>/<variant>/profile.json`.
 */
import { availableParallelism, cpus, hostname } from 'node:os';
import { relative } from 'node:path';
import type { ModuleSpec, VariantSpec } from '../core/model-spec.js';
import type { LatencyPercentile, Profile } from '../core/profile.js';
import type { SampleOptions } from '../profiler/batch-runner.js';
import { probePayload, probeShapes, type ProbeShapeOptions } from '../profiler/probe-inputs.js';
import type { ProfileProgress } from '../profiler/progress-tracker.js';
import { runProfile, type ProfileGrid } from '../profiler/run-profile.js';
import { CgroupCpuAllocator } from '../runtime/cgroup-cpu-allocator.js';
import { OnnxWorkerPool } from '../runtime/onnx-worker-pool.js';
import { describeModelFile, profilePath, writeProfile } from '../runtime/profile-file.js';
import { SystemClock } from '../runtime/system-clock.js';

export interface GridChoice {
  readonly batches?: readonly number[];
  readonly cores?: readonly number[];
  readonly instances?: readonly number[];
  readonly colocationCores?: number;
}

export interface ProfileVariantsOptions {
  readonly modules: readonly ModuleSpec[];
  /** Restrict to these variants (by name) of the chosen modules. */
  readonly variants?: readonly string[];
  readonly grid: GridChoice;
  readonly sampling: SampleOptions;
  readonly shapes: ProbeShapeOptions;
  readonly percentile: LatencyPercentile;
  readonly latencyTargetMs?: number;
  readonly sloMs?: number;
  readonly threads?: number;
  readonly resize: boolean;
  readonly capacityCheck: boolean;
  readonly noCgroup: boolean;
  /** Write here instead of beside the model (one variant only). */
  readonly out?: string;
  readonly command: string;
  readonly onProgress?: (progress: ProfileProgress) => void;
  readonly log?: (line: string) => void;
}

export interface ProfiledVariant {
  readonly path: string;
  readonly profile: Profile;
  readonly wallMs: number;
}

/** The default grid on this machine: batches 1-8, a half core to every core, 1-2 co-located instances. */
export function defaultGrid(module: ModuleSpec, machineCores: number): ProfileGrid {
  const maxBatch = Math.max(1, module.maxBatch);
  return {
    batches: [1, 2, 4, 8].filter((b) => b <= maxBatch),
    cores: [...new Set([0.5, 1, machineCores])].filter((c) => c <= machineCores),
    instances: machineCores >= 2 ? [1, 2] : [1],
    colocationCores: machineCores,
  };
}

export async function profileVariants(options: ProfileVariantsOptions): Promise<ProfiledVariant[]> {
  const machineCores = availableParallelism();
  const clock = new SystemClock();
  const allocator = new CgroupCpuAllocator(
    options.noCgroup ? { cgroupV1Root: '/nonexistent', cgroupV2Root: '/nonexistent' } : {},
  );
  const mechanism = await allocator.mechanism();
  const pool = new OnnxWorkerPool({ allocator, clock });
  const chosen: { module: ModuleSpec; variant: VariantSpec }[] = options.modules.flatMap((module) =>
    module.variants
      .filter((v) => options.variants === undefined || options.variants.includes(v.name))
      .map((variant) => ({ module, variant })),
  );
  const results: ProfiledVariant[] = [];
  try {
    for (const { module, variant } of chosen) {
      const defaults = defaultGrid(module, machineCores);
      const grid: ProfileGrid = {
        batches: options.grid.batches ?? defaults.batches,
        cores: options.grid.cores ?? defaults.cores,
        instances: options.grid.instances ?? defaults.instances,
        colocationCores: options.grid.colocationCores ?? defaults.colocationCores,
      };
      const cores = [...grid.cores].sort((a, b) => a - b);
      const low = cores[0] ?? 1;
      const high = cores[cores.length - 1] ?? 1;
      const fileAsWritten = relative(module.dir, variant.file);
      const began = clock.nowMs();
      const profile = await runProfile(
        {
          module: module.name,
          variant: variant.name,
          modelPath: variant.file,
          modelFile: await describeModelFile(
            variant.file,
            fileAsWritten.startsWith('..') ? variant.file : fileAsWritten,
          ),
          hardware: {
            name: 'local',
            kind: 'cpu',
            maxCores: machineCores,
            description: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${machineCores} cores (${hostname()})`,
            cpuMechanism: mechanism,
          },
          source: {
            kind: 'measured',
            measuredAt: new Date().toISOString(),
            host: hostname(),
            command: options.command,
          },
          payload: probePayload(module, probeShapes(module, options.shapes)),
          maxBatch: module.maxBatch,
          grid,
          sampling: options.sampling,
          ...(options.threads === undefined ? {} : { threads: options.threads }),
          percentile: options.percentile,
          latencyTargetMs: options.latencyTargetMs ?? module.defaultSloMs,
          sloMs: options.sloMs ?? module.defaultSloMs,
          capacityCheck: options.capacityCheck
            ? { cores: cores.includes(1) ? 1 : high, requests: 400 }
            : undefined,
          resize: options.resize && low < high ? { fromCores: low, toCores: high } : undefined,
        },
        {
          host: pool,
          clock,
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        },
      );
      const path = options.out ?? profilePath(module.dir, variant.name);
      await writeProfile(path, profile);
      const wallMs = clock.nowMs() - began;
      results.push({ path, profile, wallMs });
      options.log?.(summaryLine(profile, path, wallMs));
    }
  } finally {
    await pool.close();
  }
  return results;
}

function summaryLine(profile: Profile, path: string, wallMs: number): string {
  const m = profile.fit.model;
  const fmt = (x: number): string => x.toPrecision(3);
  const parts = [
    `${profile.module}/${profile.variant}: l(b,c) = ${fmt(m.gamma)}·b/c + ${fmt(m.delta)}·b + ${fmt(m.epsilon)}/c + ${fmt(m.eta)} ms`,
    `fit error median ${(100 * profile.fit.medianRelativeError).toFixed(1)}%, worst ${(100 * profile.fit.maxRelativeError).toFixed(1)}%`,
  ];
  if (profile.verdict !== undefined) parts.push(`verdict: ${profile.verdict.choice}`);
  if (profile.resize !== undefined)
    parts.push(
      `resize ${profile.resize.fromCores}->${profile.resize.toCores} cores in ${profile.resize.effectiveMs.toFixed(0)} ms (cold start ${profile.resize.speedupOverColdStart.toFixed(1)}x slower)`,
    );
  parts.push(`${(wallMs / 1000).toFixed(1)} s → ${path}`);
  return parts.join('; ');
}
