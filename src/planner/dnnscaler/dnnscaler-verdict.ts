/**
 * DNNScaler's profiler decision (papers.md §5) on a cpu allocation of C cores: batching (one instance on
 * C cores, batch b) versus co-location (k instances on C/k cores each, batch 1). For each approach, the
 * knob value with the highest throughput within the latency target L, where throughput is the planning
 * model's tuple capacity (n·μ·ρ when batches fill within L with dummies, else 0), so a plan that uses
 * the knob is feasible. Ties keep the smaller knob; the approach with the higher throughput wins
 * (batching on a tie: one process is simpler to run).
 */
import { PLAN_TOLERANCE, tupleCapacityRps, tupleLatencyMs } from '../planning-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  type HardwareSpec,
  type PlanningModule,
  type PlanningVariant,
} from '../planning-problem.js';

export interface DnnscalerKnob {
  readonly instances: number;
  /** Per instance. */
  readonly cores: number;
  readonly batch: number;
  /** l(b, c), ms. */
  readonly latencyMs: number;
  /** Real requests per second the knob carries within L at the utilisation cap. */
  readonly throughputRps: number;
}

export interface DnnscalerVerdict {
  readonly approach: 'batching' | 'co-location';
  /** The winning knob. */
  readonly knob: DnnscalerKnob;
  /** The best batching knob (one instance on the largest core option ≤ C); undefined when none fits L. */
  readonly batching: DnnscalerKnob | undefined;
  /** The best co-location knob (k ≥ 1 with C/k a core option); undefined when none fits L. */
  readonly colocation: DnnscalerKnob | undefined;
}

export interface DnnscalerInput {
  readonly module: PlanningModule;
  readonly variant: PlanningVariant;
  readonly hardware: HardwareSpec;
  /** C: the cores the model may use. */
  readonly totalCores: number;
  /** L, ms. */
  readonly targetMs: number;
  /** ρ. */
  readonly rho: number;
}

/** The verdict, or undefined when neither approach meets L at any knob value. */
export function dnnscalerVerdict(input: DnnscalerInput): DnnscalerVerdict | undefined {
  const batching = bestKnob(batchingKnobs(input));
  const colocation = bestKnob(colocationKnobs(input));
  if (batching === undefined && colocation === undefined) return undefined;
  const coLocate =
    colocation !== undefined && (batching === undefined || colocation.throughputRps > batching.throughputRps);
  const knob = coLocate ? colocation : batching;
  if (knob === undefined) return undefined;
  return { approach: coLocate ? 'co-location' : 'batching', knob, batching, colocation };
}

/** One instance on the largest core option within C, at every batch option. */
export function batchingKnobs(input: DnnscalerInput): DnnscalerKnob[] {
  const options = coreOptionsOf(input.hardware).filter((c) => c <= input.totalCores + PLAN_TOLERANCE);
  const cores = options[options.length - 1];
  if (cores === undefined) return [];
  return batchOptionsOf(input.module).flatMap((batch) => knob(input, 1, cores, batch));
}

/** k instances of C/k cores at batch 1, for every k whose share is a core option (within maxInstances). */
export function colocationKnobs(input: DnnscalerInput): DnnscalerKnob[] {
  const options = coreOptionsOf(input.hardware);
  const smallest = options[0];
  if (smallest === undefined || !(smallest > 0)) return [];
  const most = Math.min(
    Math.floor(input.totalCores / smallest + PLAN_TOLERANCE),
    input.hardware.maxInstances ?? Number.POSITIVE_INFINITY,
  );
  const out: DnnscalerKnob[] = [];
  for (let k = 1; k <= most; k++) {
    const share = input.totalCores / k;
    const cores = options.find((c) => Math.abs(c - share) <= PLAN_TOLERANCE * Math.max(1, share));
    if (cores !== undefined) out.push(...knob(input, k, cores, 1));
  }
  return out;
}

function knob(input: DnnscalerInput, instances: number, cores: number, batch: number): DnnscalerKnob[] {
  const latencyMs = tupleLatencyMs(input.variant, input.hardware.name, batch, cores);
  if (latencyMs === undefined || !(latencyMs > 0)) return [];
  const throughputRps = tupleCapacityRps(latencyMs, batch, instances, input.rho, input.targetMs);
  return [{ instances, cores, batch, latencyMs, throughputRps }];
}

/** The highest-throughput knob that meets L (the first, i.e. smallest, on a tie). */
function bestKnob(knobs: readonly DnnscalerKnob[]): DnnscalerKnob | undefined {
  let best: DnnscalerKnob | undefined;
  for (const k of knobs) {
    if (k.throughputRps > 0 && (best === undefined || k.throughputRps > best.throughputRps)) best = k;
  }
  return best;
}
