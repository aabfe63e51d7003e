/**
 * The models the DNNScaler experiment compares the controllers on, each as a one-module planning problem
 * with its allocation, latency target and measured batch-time spread:
 * - the full ResNet family and the PP-OCRv4 modules profiled on this machine (experiments/profiles/,
 *   CPU, one instance on the machine's 2 cores, batches 1-8; co-location = the measured 2 instances x
 *   1 core at batch 1);
 * - KAIROS's recommendation models on an AWS GPU type and a CPU type (shared/profiles/kairos-aws), where
 *   a request is one query of 100 items, so a batch of b requests is the published row at 100·b items
 *   (b = 1..10). The data has one query in flight at a time, so co-location cannot be simulated there.
 *
 * Latency models are the measured medians as tables (the simulator draws each batch time as that median
 * times a log-normal factor with the measured p99/p50 spread), so the controllers act on measurements,
 * not on a fit. The latency target L is {@link TARGET_MULTIPLE} times the model's batch-1 latency on its
 * whole allocation.
 */
import type { LatencyPoint } from '../../core/latency-model.js';
import type { Profile, ProfilePoint } from '../../core/profile.js';
import { committedProfile } from '../committed-profile.js';
import type {
  HardwareSpec,
  PlanningModule,
  PlanningProblem,
  PlanningVariant,
} from '../../planner/planning-problem.js';
import { importKairosProfiles } from '../../profiler/import/kairos-aws.js';

/** L = this many times the batch-1 latency (the brief's 2-5x; 4 leaves room for batches and queueing). */
export const TARGET_MULTIPLE = 4;

/** Items in one KAIROS request: the published query sizes are mostly 100-200 items. */
export const KAIROS_ITEMS_PER_REQUEST = 100;

export interface DnnscalerCase {
  /** Short and unique, e.g. `resnet18@local`, `dien@g4dn.xlarge`. */
  readonly id: string;
  readonly family: 'resnet' | 'ocr' | 'kairos';
  /** Where the latencies come from, in words. */
  readonly source: string;
  /** What one request is. */
  readonly request: string;
  readonly module: PlanningModule;
  readonly variant: PlanningVariant;
  readonly hardware: HardwareSpec;
  /** C: the cores both controllers use (one instance on all of them, or k co-located sharing them). */
  readonly totalCores: number;
  /** Median batch-1 latency on C cores, ms. */
  readonly batchOneMs: number;
  /** L, ms. */
  readonly targetMs: number;
  /** Median p99/p50 of the single-instance points on C cores (the simulated spread). */
  readonly spread: number;
  /** Co-located instances measured (sharing C cores at batch 1); 1 when none was measured. */
  readonly colocatedInstances: number;
  /** Cold start of a new instance, ms (from the profile; 1000 when not measured). */
  readonly startMs: number;
  /** In-place resize to full effect, ms (from the profile; 50 when not measured). */
  readonly resizeMs: number;
  /** The most any knob can serve, req/s: max of b / l(b, C) and k / l_k(1). No controller exceeds it. */
  readonly ceilingRps: number;
  /** The one-app, one-module problem both controllers plan (its SLO is L). */
  readonly problem: PlanningProblem;
}

const RESNETS = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'] as const;
const OCR = ['ocr-det', 'ocr-cls', 'ocr-rec'] as const;
/** KAIROS instance types and models used; ncf is left out (see `kairosCases`). */
const KAIROS_TYPES = ['g4dn.xlarge', 'c5n.2xlarge'] as const;
const KAIROS_MODELS = ['dien', 'mtwnd', 'rm2', 'wnd'] as const;

const readProfile = committedProfile;

/** Every case of the full run, in report order. `shared` reads a file under ../shared. */
export function dnnscalerCases(shared: (path: string) => string): DnnscalerCase[] {
  return [
    ...RESNETS.map((v) => localCase(readProfile(`resnet-full/${v}.json`), 'resnet')),
    ...OCR.map((v) => localCase(readProfile(`ocr/${v}.json`), 'ocr')),
    ...kairosCases(shared),
  ];
}

/** A model profiled on this machine: single-instance points on all cores, plus its co-location point. */
export function localCase(profile: Profile, family: 'resnet' | 'ocr'): DnnscalerCase {
  const totalCores = profile.hardware.maxCores;
  const single = profile.points.filter((p) => p.instances === 1 && near(p.cores, totalCores));
  const colocated = profile.points.find(
    (p) => p.instances > 1 && p.batch === 1 && near(p.cores * p.instances, totalCores),
  );
  const points: LatencyPoint[] = single.map((p) => ({
    batch: p.batch,
    cores: totalCores,
    latencyMs: p.p50Ms,
  }));
  // At C/k cores the table holds the co-located measurement (interference included): in this
  // experiment an instance has C/k cores only as one of k co-located batch-1 instances.
  if (colocated !== undefined) points.push({ batch: 1, cores: colocated.cores, latencyMs: colocated.p50Ms });
  // The ResNets are variants of one module; each is its own case here, named by its variant.
  const name = family === 'resnet' ? profile.variant : profile.module;
  const coldStart = profile.coldStart?.coldStartMs;
  const resize = profile.resize?.effectiveMs;
  return makeCase({
    id: `${name}@${profile.hardware.name}`,
    family,
    source: `measured here (${profile.hardware.description}), experiments/profiles/${family === 'resnet' ? 'resnet-full' : 'ocr'}/${name}.json`,
    request: family === 'resnet' ? 'one 224x224 image' : 'one 320-px image (or text crop)',
    moduleName: name,
    variantName: profile.variant,
    hardware: {
      name: profile.hardware.name,
      kind: 'cpu',
      pricePerHour: 0,
      maxCores: totalCores,
      coreOptions: colocated === undefined ? [totalCores] : [colocated.cores, totalCores],
    },
    totalCores,
    points,
    single,
    colocatedInstances: colocated?.instances ?? 1,
    colocatedMs: colocated?.p50Ms,
    startMs: coldStart ?? 1000,
    resizeMs: resize ?? 50,
  });
}

/**
 * KAIROS's models on the GPU type and the largest CPU type. A fixed instance type is represented as a
 * `cpu` kind whose only allocation is the whole machine (its vCPUs): one instance per type, priced 0
 * (cost is not compared). ncf is left out: at 0.3-2.5 ms per query its ceilings are 1,500-4,000 req/s,
 * which would multiply the simulated requests (and the run time) several times over.
 */
export function kairosCases(shared: (path: string) => string): DnnscalerCase[] {
  const from = 'profiles/kairos-aws/latency.csv';
  const imported = importKairosProfiles(shared(from), shared('profiles/kairos-aws/price.csv'), { from });
  const cases: DnnscalerCase[] = [];
  for (const type of KAIROS_TYPES) {
    const hw = imported.hardware.find((h) => h.name === type);
    if (hw === undefined) throw new Error(`kairos-aws: no instance type '${type}'`);
    for (const model of KAIROS_MODELS) {
      const profile = imported.profiles.find((p) => p.module === model && p.hardware.name === type);
      if (profile === undefined) throw new Error(`kairos-aws: no profile of ${model} on ${type}`);
      const single = profile.points
        .filter((p) => p.batch % KAIROS_ITEMS_PER_REQUEST === 0)
        .map((p) => ({ ...p, batch: p.batch / KAIROS_ITEMS_PER_REQUEST }));
      cases.push(
        makeCase({
          id: `${model}@${type}`,
          family: 'kairos',
          source: `KAIROS (HPDC 2023) published measurements, ${hw.description}`,
          request: `one query of ${KAIROS_ITEMS_PER_REQUEST} items`,
          moduleName: model,
          variantName: model,
          hardware: {
            name: type,
            kind: 'cpu',
            pricePerHour: 0,
            maxCores: hw.maxCores,
            coreOptions: [hw.maxCores],
          },
          totalCores: hw.maxCores,
          points: single.map((p) => ({ batch: p.batch, cores: hw.maxCores, latencyMs: p.p50Ms })),
          single,
          colocatedInstances: 1,
          colocatedMs: undefined,
          startMs: 1000,
          resizeMs: 50,
        }),
      );
    }
  }
  return cases;
}

interface CaseInput {
  readonly id: string;
  readonly family: DnnscalerCase['family'];
  readonly source: string;
  readonly request: string;
  readonly moduleName: string;
  readonly variantName: string;
  readonly hardware: HardwareSpec;
  readonly totalCores: number;
  readonly points: readonly LatencyPoint[];
  /** Single-instance points on all cores (batch in requests). */
  readonly single: readonly ProfilePoint[];
  readonly colocatedInstances: number;
  readonly colocatedMs: number | undefined;
  readonly startMs: number;
  readonly resizeMs: number;
}

function makeCase(input: CaseInput): DnnscalerCase {
  const sorted = [...input.points].sort((a, b) => a.batch - b.batch || a.cores - b.cores);
  const batchOne = input.single.find((p) => p.batch === 1);
  if (batchOne === undefined) throw new Error(`${input.id}: no batch-1 point on ${input.totalCores} cores`);
  const maxBatch = Math.max(...input.single.map((p) => p.batch));
  const targetMs = round(TARGET_MULTIPLE * batchOne.p50Ms, 2);
  const variant: PlanningVariant = {
    name: input.variantName,
    accuracy: 1,
    loadMs: input.startMs,
    latency: { [input.hardware.name]: { kind: 'table', points: sorted } },
  };
  const module: PlanningModule = { name: input.moduleName, maxBatch, variants: [variant] };
  const batchingCeiling = Math.max(...input.single.map((p) => (1000 * p.batch) / p.p50Ms));
  const colocationCeiling =
    input.colocatedMs === undefined ? 0 : (1000 * input.colocatedInstances) / input.colocatedMs;
  return {
    id: input.id,
    family: input.family,
    source: input.source,
    request: input.request,
    module,
    variant,
    hardware: input.hardware,
    totalCores: input.totalCores,
    batchOneMs: batchOne.p50Ms,
    targetMs,
    spread: median(input.single.map((p) => p.p99Ms / p.p50Ms)),
    colocatedInstances: input.colocatedInstances,
    startMs: input.startMs,
    resizeMs: input.resizeMs,
    ceilingRps: Math.max(batchingCeiling, colocationCeiling),
    problem: {
      objective: { kind: 'max-throughput' },
      hardware: [input.hardware],
      modules: [module],
      // The rate only sizes Clipper's first plan: one instance, as both controllers run.
      apps: [{ name: 'serve', modules: [module.name], edges: [], sloMs: targetMs, rateRps: 1 }],
    },
  };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 1;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 1) : ((s[mid - 1] ?? 1) + (s[mid] ?? 1)) / 2;
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
