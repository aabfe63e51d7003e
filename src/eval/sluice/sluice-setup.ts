/**
 * What the `sluice` experiment runs: the full ResNet18-152 family profiled on this machine, InfAdapter's
 * Twitter slice damped to fit a 20-core budget, Sponge's per-request budgets from the 4G bus log, one cpu
 * kind of up to 8 cores per instance priced as a c5.2xlarge, and the problem each policy plans. All data;
 * `sluice-runs.ts` runs it, `sluice-policies.ts` says which policy plans what.
 */
import { committedProfile } from '../committed-profile.js';
import { tupleCapacityRps, tupleLatencyMs } from '../../planner/planning-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  type HardwareSpec,
  type PlanningModule,
  type PlanningProblem,
} from '../../planner/planning-problem.js';
import { moduleFromProfiles } from '../../planner/problem-from-profiles.js';
import { RESNET_ARCHITECTURES, RESNET_VARIANTS } from '../../runtime/zoo/resnet.js';
import { TwitterTrace } from '../../sim/workload/twitter-trace.js';
import { parseWorkloadSpec } from '../../sim/workload/workload-spec.js';
import { bootstrapRateRps } from '../infadapter/policy-runs.js';
import { INFADAPTER_BUDGET_CORES } from '../infadapter/profile-sources.js';
import {
  SPONGE_PAYLOAD_KB,
  SPONGE_RESIZE_MS,
  SPONGE_SLO_MS,
  SPONGE_VARIANT,
} from '../sponge/sponge-setup.js';
import type { SluicePolicy } from './sluice-policies.js';

/** The app's name in every problem and scenario. */
export const SLUICE_APP = 'classify';
/** The module's largest batch: the profiles measured batches 1-8. */
export const SLUICE_MAX_BATCH = 8;
/** The instance type whose size and price the cpu kind takes (KAIROS's price list). */
export const INSTANCE_TYPE = 'c5.2xlarge';
/** Its vCPUs: the most cores one instance may have. */
export const INSTANCE_CORES = 8;
/** Day 15, minutes 82-103: InfAdapter's slice (`workload.py`), before damping. */
const SLICE_SPEC = 'twitter:15.01.22:15.01.43';
/** Quick runs: the slice's first 60 s (variants may change every 30 s: two chances). */
const QUICK_SECONDS = 60;
export const SLUICE_SEED = 1;
/** The planning model's default utilisation cap; no problem here sets another. */
const RHO = 0.9;

export interface SluiceSetup {
  readonly quick: boolean;
  readonly seed: number;
  /** The five variants, fitted l(b, c), nominal top-1 accuracies, profiled cold starts. */
  readonly family: PlanningModule;
  /** The single-variant systems' model (ResNet-50): the same module with that variant alone. */
  readonly deployed: PlanningModule;
  readonly hardware: HardwareSpec;
  /** $ per core-hour (the instance type's price over its vCPUs). */
  readonly pricePerCoreHour: number;
  /** $ per hour of the whole instance type, from `profiles/kairos-aws/price.csv`. */
  readonly instancePricePerHour: number;
  readonly budgetCores: number;
  readonly sloMs: number;
  readonly payloadKB: readonly [number, number];
  readonly resizeMs: number;
  readonly damping: number;
  /** The undamped slice's peak and the most accurate variant's capacity on the whole budget, req/s. */
  readonly dampingBasis: {
    readonly rawPeakRps: number;
    readonly capacityRps: number;
    readonly variant: string;
  };
  /** `twitter:START:END:DAMPING` of the run (the quick run: a shorter window of the same slice). */
  readonly workload: string;
  readonly trace: TwitterTrace;
  readonly busLog: string;
  /** The run's requests per second, damped, gaps skipped. */
  readonly countsRps: Int32Array;
  /** Every policy's first plan is for this rate: the window-max predictor's view of the minute before. */
  readonly bootstrapRps: number;
}

/** The setup of the quick or the full run. */
export function sluiceSetup(quick: boolean, shared: (path: string) => string): SluiceSetup {
  const profiles = RESNET_VARIANTS.map((v) => committedProfile(`resnet-full/${v}.json`));
  const accuracy = Object.fromEntries(RESNET_VARIANTS.map((v) => [v, RESNET_ARCHITECTURES[v].top1]));
  // The fit, not the measured table: instances of up to 8 cores lie beyond the 0.5-2 cores measured.
  const family = moduleFromProfiles('resnet', profiles, {
    maxBatch: SLUICE_MAX_BATCH,
    accuracy,
    latency: 'fit',
  });
  const deployed = { ...family, variants: family.variants.filter((v) => v.name === SPONGE_VARIANT) };
  const instancePricePerHour = instancePrice(shared('profiles/kairos-aws/price.csv'), INSTANCE_TYPE);
  const pricePerCoreHour = instancePricePerHour / INSTANCE_CORES;
  const hardware: HardwareSpec = {
    name: profiles[0]?.hardware.name ?? 'local',
    kind: 'cpu',
    pricePerHour: pricePerCoreHour,
    maxCores: INSTANCE_CORES,
  };
  const trace = TwitterTrace.parse(shared('traces/twitter-2021-08-rps.txt'));
  const whole = parseWorkloadSpec(SLICE_SPEC);
  if (whole.kind !== 'twitter') throw new Error(`sluice: ${SLICE_SPEC} is not a Twitter slice`);
  const rawPeakRps = Math.max(...trace.slice(whole).countsRps);
  const best = mostAccurateCapacity(family, hardware, INFADAPTER_BUDGET_CORES);
  const damping = Math.max(1, Math.round(rawPeakRps / best.capacityRps));
  const slice = quick ? { startS: whole.startS, endS: whole.startS + QUICK_SECONDS } : whole;
  const workload = quick ? `twitter:${slice.startS}:${slice.endS}:${damping}` : `${SLICE_SPEC}:${damping}`;
  const run = parseWorkloadSpec(workload);
  if (run.kind !== 'twitter') throw new Error(`sluice: ${workload} is not a Twitter slice`);
  return {
    quick,
    seed: SLUICE_SEED,
    family,
    deployed,
    hardware,
    pricePerCoreHour,
    instancePricePerHour,
    budgetCores: INFADAPTER_BUDGET_CORES,
    sloMs: SPONGE_SLO_MS,
    payloadKB: SPONGE_PAYLOAD_KB,
    resizeMs: SPONGE_RESIZE_MS,
    damping,
    dampingBasis: { rawPeakRps, capacityRps: best.capacityRps, variant: best.variant },
    workload,
    trace,
    busLog: shared('traces/report_bus_0001.log'),
    countsRps: trace.slice(run).countsRps,
    bootstrapRps: bootstrapRateRps(trace, run, damping),
  };
}

/** The planning problem `policy` starts from, its rate the bootstrap rate (the loop replaces it). */
export function policyProblem(setup: SluiceSetup, policy: SluicePolicy): PlanningProblem {
  const base = policy.variants === 'family' ? setup.family : setup.deployed;
  const module: PlanningModule =
    policy.maxBatch === undefined ? base : { ...base, maxBatch: policy.maxBatch };
  const hardware: HardwareSpec =
    policy.minCores === undefined
      ? setup.hardware
      : {
          ...setup.hardware,
          coreOptions: coreOptionsOf(setup.hardware).filter((c) => c >= (policy.minCores ?? 0)),
        };
  return {
    objective: policy.objective,
    budget: { cores: setup.budgetCores },
    hardware: [hardware],
    modules: [module],
    apps: [
      {
        name: SLUICE_APP,
        modules: [module.name],
        edges: [],
        sloMs: setup.sloMs,
        rateRps: setup.bootstrapRps,
      },
    ],
  };
}

/** The fastest any request can be served: batch 1 on the largest instance of the fastest variant. */
export function fastestExecution(setup: SluiceSetup): {
  readonly latencyMs: number;
  readonly variant: string;
  readonly cores: number;
} {
  const cores = Math.max(...coreOptionsOf(setup.hardware));
  let best = { latencyMs: Infinity, variant: '', cores };
  for (const v of setup.family.variants) {
    const latencyMs = tupleLatencyMs(v, setup.hardware.name, 1, cores) ?? Infinity;
    if (latencyMs < best.latencyMs) best = { latencyMs, variant: v.name, cores };
  }
  return best;
}

/**
 * The most the most accurate variant carries on `budgetCores` within the SLO under the planning model
 * (identical instances of one size and batch, ρ = 0.9): the damping makes the slice's peak ask that much.
 */
function mostAccurateCapacity(
  module: PlanningModule,
  hardware: HardwareSpec,
  budgetCores: number,
): { variant: string; capacityRps: number } {
  const variant = [...module.variants].sort((a, b) => b.accuracy - a.accuracy)[0];
  if (variant === undefined) throw new Error('sluice: the family has no variants');
  let capacityRps = 0;
  for (const cores of coreOptionsOf(hardware)) {
    const instances = Math.floor(budgetCores / cores);
    for (const batch of batchOptionsOf(module)) {
      const latencyMs = tupleLatencyMs(variant, hardware.name, batch, cores);
      if (latencyMs === undefined || instances < 1) continue;
      capacityRps = Math.max(capacityRps, tupleCapacityRps(latencyMs, batch, instances, RHO, SPONGE_SLO_MS));
    }
  }
  if (!(capacityRps > 0)) throw new Error(`sluice: ${variant.name} carries nothing within the SLO`);
  return { variant: variant.name, capacityRps };
}

/** The hourly price of `type` in KAIROS's `price.csv` (`instance,price`). */
function instancePrice(csv: string, type: string): number {
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const [name, price] = line.split(',');
    if (name?.trim() === type && Number.isFinite(Number(price))) return Number(price);
  }
  throw new Error(`sluice: no price for ${type} in profiles/kairos-aws/price.csv`);
}
