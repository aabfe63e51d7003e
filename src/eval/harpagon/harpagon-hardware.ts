/**
 * The hardware mix of the Harpagon experiment, and the planning modules that run on it.
 *
 * Two kinds. `epyc`: this machine's CPU (AMD EPYC), as profiled here at 0.5, 1 and 2 cores, priced per
 * core-hour like one vCPU of AWS c5a.2xlarge (the AMD EPYC type of KAIROS's price list: $0.308/h for 8
 * vCPUs). `t4-like`: a fixed, per-instance-priced accelerator like g4dn.xlarge (NVIDIA T4, $0.526/h),
 * whose latency is derived, not measured: KAIROS measured the same five models on g4dn.xlarge and on
 * c5n.2xlarge (8 vCPUs); a line a + s·q fitted to each over the query sizes gives, per model, the
 * accelerator's per-item speed-up over one vCPU (8·s_cpu / s_gpu, reading the CPU type as running all
 * 8 vCPUs in parallel) and its fixed cost per batch relative to the CPU's (a_gpu / a_cpu). A module's
 * `t4-like` latency is then its measured 1-core line a₁ + s₁·b with the fixed cost times the median ratio
 * and the per-item cost divided by the median speed-up: a flat, batch-hungry curve like the T4's.
 */
import type { Profile } from '../../core/profile.js';
import type { LatencyModel, LatencyPoint, Sponge4Model } from '../../core/latency-model.js';
import { latencyFromProfile } from '../../planner/problem-from-profiles.js';
import type { HardwareSpec, PlanningModule } from '../../planner/planning-problem.js';
import { importKairosProfiles } from '../../profiler/import/kairos-aws.js';

/** Name of the measured CPU kind. */
export const CPU_KIND = 'epyc';
/** Name of the derived accelerator kind. */
export const ACCELERATOR_KIND = 't4-like';

/** Per-instance core allocations of the CPU kind: the ones profiled here. */
const CPU_CORE_OPTIONS = [0.5, 1, 2] as const;
/** The price-list type whose per-vCPU price the CPU kind takes (AMD EPYC, like this machine). */
const CPU_PRICE_TYPE = 'c5a.2xlarge';
const CPU_PRICE_TYPE_VCPUS = 8;
const ACCELERATOR_TYPE = 'g4dn.xlarge';
const CPU_REFERENCE_TYPE = 'c5n.2xlarge';
const CPU_REFERENCE_VCPUS = 8;

/** How the accelerator's batch latency relates to one measured CPU core's (see the file header). */
export interface AcceleratorShape {
  /** Median over KAIROS's models of one accelerator's per-item speed over one vCPU's. */
  readonly perItemSpeedup: number;
  /** Median over KAIROS's models of the accelerator's fixed cost per batch over the CPU type's. */
  readonly fixedCostRatio: number;
  /** $ per hour of one accelerator instance (the price list's g4dn.xlarge). */
  readonly pricePerHour: number;
  /** vCPUs of the accelerator's host. */
  readonly hostCores: number;
  /** Per model: [speed-up, fixed-cost ratio], for the report. */
  readonly perModel: Readonly<Record<string, readonly [number, number]>>;
}

export interface HardwareMix {
  readonly hardware: readonly HardwareSpec[];
  readonly accelerator: AcceleratorShape;
  /** $ per core-hour of the CPU kind. */
  readonly cpuPricePerCoreHour: number;
}

/** The mix from KAIROS's published latencies and price list (`shared/profiles/kairos-aws/`). */
export function hardwareMix(latencyCsv: string, priceCsv: string): HardwareMix {
  const kairos = importKairosProfiles(latencyCsv, priceCsv, { from: 'kairos-aws/latency.csv' });
  const perModel: Record<string, readonly [number, number]> = {};
  for (const gpu of kairos.profiles) {
    if (gpu.hardware.name !== ACCELERATOR_TYPE) continue;
    const cpu = kairos.profiles.find(
      (p) => p.module === gpu.module && p.hardware.name === CPU_REFERENCE_TYPE,
    );
    if (cpu === undefined) continue;
    const g = fitLine(gpu.points.map((p) => [p.batch, p.p99Ms] as const));
    const c = fitLine(cpu.points.map((p) => [p.batch, p.p99Ms] as const));
    perModel[gpu.module] = [(CPU_REFERENCE_VCPUS * c.slopeMs) / g.slopeMs, g.interceptMs / c.interceptMs];
  }
  const pairs = Object.values(perModel);
  if (pairs.length === 0)
    throw new Error(`the KAIROS data has no ${ACCELERATOR_TYPE} / ${CPU_REFERENCE_TYPE} pair`);
  const gpuHardware = kairos.hardware.find((h) => h.name === ACCELERATOR_TYPE);
  const cpuTypePrice = priceOf(priceCsv, CPU_PRICE_TYPE);
  const cpuPricePerCoreHour = cpuTypePrice / CPU_PRICE_TYPE_VCPUS;
  const accelerator: AcceleratorShape = {
    perItemSpeedup: median(pairs.map((p) => p[0])),
    fixedCostRatio: median(pairs.map((p) => p[1])),
    pricePerHour: gpuHardware?.pricePerHour ?? priceOf(priceCsv, ACCELERATOR_TYPE),
    hostCores: gpuHardware?.maxCores ?? 4,
    perModel,
  };
  return {
    hardware: [
      {
        name: CPU_KIND,
        kind: 'cpu',
        pricePerHour: cpuPricePerCoreHour,
        maxCores: Math.max(...CPU_CORE_OPTIONS),
        coreOptions: [...CPU_CORE_OPTIONS],
      },
      {
        name: ACCELERATOR_KIND,
        kind: 'fixed',
        pricePerHour: accelerator.pricePerHour,
        maxCores: accelerator.hostCores,
      },
    ],
    accelerator,
    cpuPricePerCoreHour,
  };
}

/**
 * A module from a profile of this machine's CPU, with one variant per hardware kind (`<variant>-epyc`,
 * `<variant>-t4-like`, accuracy 1 both): its CPU latency as the planners read profiles (the fit, or the
 * measured points where the fit is poor), its accelerator latency derived. One variant per kind, not one
 * variant on two kinds, because the engine keeps one latency estimate per (module, variant) group and
 * batches by it: a group mixing 0.5-core CPUs and an accelerator would size the accelerator's batches by
 * the CPU's curve. Split this way, each group's estimate is its own hardware's, and a plan's tuples on
 * the two kinds become a weighted traffic split between the two groups, which is what Harpagon's
 * multi-tuple dispatch is. Neither planner weighs accuracy, so the choice among them is by cost alone.
 */
export function moduleOnMix(
  name: string,
  profile: Profile,
  accelerator: AcceleratorShape,
  batchOptions: readonly number[],
): PlanningModule {
  const loadMs = profile.coldStart === undefined ? {} : { loadMs: profile.coldStart.coldStartMs };
  return {
    name,
    maxBatch: Math.max(...batchOptions),
    batchOptions: [...batchOptions],
    variants: [
      {
        name: `${profile.variant}-${CPU_KIND}`,
        accuracy: 1,
        ...loadMs,
        latency: { [CPU_KIND]: cpuModel(profile, batchOptions) },
      },
      {
        name: `${profile.variant}-${ACCELERATOR_KIND}`,
        accuracy: 1,
        ...loadMs,
        latency: { [ACCELERATOR_KIND]: acceleratorModel(profile, accelerator) },
      },
    ],
  };
}

/**
 * The CPU latency the planners read from the profile. A table (a poor fit) is extended past its largest
 * measured batch in proportion to the batch (no batching gain beyond what was measured): the table's own
 * extrapolation continues the last measured slope, and where noise makes that slope flat or negative
 * (ocr-cls at 1 core: 25.9 ms at batch 4, 25.3 ms at batch 8) a batch of 32 would cost no more than one
 * of 8, a throughput no CPU has.
 */
export function cpuModel(profile: Profile, batchOptions: readonly number[]): LatencyModel {
  const model = latencyFromProfile(profile);
  if (model.kind !== 'table') return model;
  const points: LatencyPoint[] = [...model.points];
  for (const cores of new Set(model.points.map((p) => p.cores))) {
    const measured = model.points.filter((p) => p.cores === cores);
    const last = measured.reduce(
      (a, b) => (b.batch > a.batch ? b : a),
      measured[0] ?? { batch: 1, cores, latencyMs: 0 },
    );
    for (const batch of batchOptions) {
      if (batch > last.batch) points.push({ batch, cores, latencyMs: (last.latencyMs * batch) / last.batch });
    }
  }
  return { kind: 'table', points: points.sort((a, b) => a.batch - b.batch || a.cores - b.cores) };
}

/** The derived accelerator latency of a profiled module: F·a₁ + (s₁ / P)·b. */
export function acceleratorModel(profile: Profile, accelerator: AcceleratorShape): Sponge4Model {
  const oneCore = profile.points.filter((p) => p.cores === 1 && p.instances === 1);
  const line = fitLine(oneCore.map((p) => [p.batch, p.p99Ms] as const));
  const first = oneCore.reduce((a, b) => (b.batch < a.batch ? b : a), oneCore[0] ?? { batch: 1, p99Ms: 1 });
  // A fit with no fixed part (or a negative one) would make batch 1 free on the accelerator: keep a floor.
  const fixedMs = Math.max(line.interceptMs, 0.1 * first.p99Ms);
  const perItemMs = Math.max(line.slopeMs, 0.01 * first.p99Ms);
  return {
    kind: 'sponge4',
    gamma: 0,
    delta: perItemMs / accelerator.perItemSpeedup,
    epsilon: 0,
    eta: fixedMs * accelerator.fixedCostRatio,
  };
}

/** Least-squares line through (x, y) points. */
function fitLine(points: readonly (readonly [number, number])[]): { interceptMs: number; slopeMs: number } {
  const n = points.length;
  if (n === 0) return { interceptMs: 0, slopeMs: 0 };
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const slopeMs = sxx > 0 ? sxy / sxx : 0;
  return { interceptMs: my - slopeMs * mx, slopeMs };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function priceOf(priceCsv: string, instance: string): number {
  for (const line of priceCsv.split(/\r?\n/)) {
    const [name, price] = line.split(',');
    if (name?.trim() === instance && price !== undefined) return Number(price);
  }
  throw new Error(`the price list has no '${instance}'`);
}
