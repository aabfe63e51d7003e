/**
 * Imports KAIROS's (HPDC 2023) published latencies of five recommendation models on four AWS instance types
 * (`shared/profiles/kairos-aws/`: `latency.csv` and `price.csv`) into Sluice's profile format, so that the
 * planners and the simulator treat this hardware like the hardware profiled here. Pure: the caller reads the
 * files and writes the profiles.
 */
import { sponge4LatencyMs } from '../../core/latency-model.js';
import type { Profile, ProfilePoint } from '../../core/profile.js';
import { PROFILE_FORMAT } from '../../core/profile.js';
import { fitSponge4 } from '../fit-sponge.js';
import { fieldPosition, numberField, parseCsvTable, textField, type CsvRecord } from './csv-table.js';
import { ProfileImportError, withSource } from './profile-import-error.js';

/** An instance type the profiles refer to, with what a planner needs to price and size it. */
export interface ImportedHardware {
  /** The instance type, as in the profiles' `hardware.name`. */
  readonly name: string;
  /** Priced and allocated per instance, never per core. */
  readonly kind: 'fixed';
  /** On-demand price of one instance, in $ per hour (from the price file). */
  readonly pricePerHour: number;
  /** The type's vCPUs. */
  readonly maxCores: number;
  readonly description: string;
}

export interface KairosImportOptions {
  /** The latency file's name as given, recorded as the profiles' `source.from` and used in error messages. */
  readonly from: string;
}

export interface KairosImport {
  /** One per (model, instance type), in the order the pairs first appear in the latency file. */
  readonly profiles: Profile[];
  /** One per instance type in the latency file, in order of first appearance. */
  readonly hardware: ImportedHardware[];
}

interface InstanceTypeFacts {
  readonly vcpus: number;
  /** The accelerator, for GPU types. */
  readonly gpu?: string;
  /** Runs on CPU credits: sustained speed may fall below what was measured. */
  readonly burstable?: boolean;
}

/**
 * What the published data does not say about the instance types measured: their vCPUs and accelerators
 * (AWS EC2 instance-type pages). A type with a GPU also has warm-up in its rows' means (the README), so
 * `gpu` decides that the median stands in for the mean.
 */
const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeFacts>> = {
  'g4dn.xlarge': { vcpus: 4, gpu: 'NVIDIA T4 GPU' },
  'c5n.2xlarge': { vcpus: 8 },
  'r5n.large': { vcpus: 2 },
  't3.xlarge': { vcpus: 4, burstable: true },
};

const LATENCY_COLUMNS = [
  'instance',
  'model',
  'batch',
  'samples',
  'infer_mean_ms',
  'infer_p50_ms',
  'infer_p99_ms',
  'load_mean_ms',
  'load_p50_ms',
  'load_p99_ms',
] as const;

/**
 * Profiles of every (model, instance type) in `latencyCsv`, priced from `priceCsv`. The model is both the
 * module and its only variant; each query size is one point at the type's vCPUs, one instance. Service
 * time is execution plus loading, as the README defines it; `source.note` says exactly how each figure was
 * derived. Throws `ProfileImportError` naming the file, line and column of anything it cannot read.
 */
export function importKairosProfiles(
  latencyCsv: string,
  priceCsv: string,
  options: KairosImportOptions,
): KairosImport {
  const prices = withSource('price list', () => parsePrices(priceCsv));
  const groups = withSource(options.from, () => parseLatencies(latencyCsv));
  const hardware = new Map<string, ImportedHardware>();
  const profiles = [...groups.values()].map((group) => {
    let hw = hardware.get(group.instance);
    if (hw === undefined) {
      hw = hardwareOf(group, prices, options.from);
      hardware.set(group.instance, hw);
    }
    return profileOf(group, hw, options.from);
  });
  return { profiles, hardware: [...hardware.values()] };
}

interface Group {
  readonly instance: string;
  readonly model: string;
  readonly facts: InstanceTypeFacts;
  readonly firstLineNo: number;
  readonly points: ProfilePoint[];
  /** The line of each batch's row, to name the earlier one of a duplicate. */
  readonly lineOfBatch: Map<number, number>;
}

function parsePrices(priceCsv: string): Map<string, number> {
  const table = parseCsvTable(priceCsv, { requiredColumns: ['instance', 'price'] });
  const prices = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const lineNo = table.lineNos[i] ?? 0;
    const instance = textField(row, 'instance', lineNo);
    if (prices.has(instance)) {
      throw new ProfileImportError(`line ${lineNo}: a second price for '${instance}'`, {
        lineNo,
        column: 'instance',
      });
    }
    prices.set(instance, numberField(row, 'price', lineNo, 'positive'));
  });
  return prices;
}

function parseLatencies(latencyCsv: string): Map<string, Group> {
  const table = parseCsvTable(latencyCsv, { requiredColumns: LATENCY_COLUMNS });
  if (table.rows.length === 0) throw new ProfileImportError('no data rows');
  const groups = new Map<string, Group>();
  table.rows.forEach((row, i) => {
    const lineNo = table.lineNos[i] ?? 0;
    const instance = textField(row, 'instance', lineNo);
    const facts = INSTANCE_TYPES[instance];
    if (facts === undefined) {
      throw new ProfileImportError(
        `${fieldPosition(row, 'instance', lineNo)}: unknown instance type '${instance}' (known: ` +
          `${Object.keys(INSTANCE_TYPES).join(', ')}; add its vCPUs to the importer's table)`,
        { lineNo, column: 'instance' },
      );
    }
    const model = textField(row, 'model', lineNo);
    const key = `${instance}\u0000${model}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { instance, model, facts, firstLineNo: lineNo, points: [], lineOfBatch: new Map() };
      groups.set(key, group);
    }
    const point = pointOf(row, lineNo, facts);
    const earlier = group.lineOfBatch.get(point.batch);
    if (earlier !== undefined) {
      throw new ProfileImportError(
        `line ${lineNo}: a second row for ${instance} ${model} batch ${point.batch} (the first is line ${earlier})`,
        { lineNo, column: 'batch' },
      );
    }
    group.lineOfBatch.set(point.batch, lineNo);
    group.points.push(point);
  });
  return groups;
}

function pointOf(row: CsvRecord, lineNo: number, facts: InstanceTypeFacts): ProfilePoint {
  const field = (column: (typeof LATENCY_COLUMNS)[number]): number =>
    numberField(row, column, lineNo, 'non-negative');
  const batch = numberField(row, 'batch', lineNo, 'positive-integer');
  const samples = numberField(row, 'samples', lineNo, 'positive-integer');
  for (const part of ['infer', 'load'] as const) {
    if (field(`${part}_p50_ms`) > field(`${part}_p99_ms`)) {
      throw new ProfileImportError(
        `line ${lineNo}: ${part}_p50_ms ${field(`${part}_p50_ms`)} exceeds ${part}_p99_ms ` +
          `${field(`${part}_p99_ms`)} (columns swapped?)`,
        { lineNo, column: `${part}_p99_ms` },
      );
    }
  }
  const p50Ms = roundMs(field('infer_p50_ms') + field('load_p50_ms'));
  const p99Ms = roundMs(field('infer_p99_ms') + field('load_p99_ms'));
  if (!(p50Ms > 0)) {
    throw new ProfileImportError(`line ${lineNo}: the median service time is 0 ms`, {
      lineNo,
      column: 'infer_p50_ms',
    });
  }
  return {
    batch,
    cores: facts.vcpus,
    instances: 1,
    p50Ms,
    p99Ms,
    meanMs: facts.gpu === undefined ? roundMs(field('infer_mean_ms') + field('load_mean_ms')) : p50Ms,
    samples,
    // Derived, not measured: the data has one query in flight at a time, so the rate is batch / service time.
    throughputRps: (batch / p50Ms) * 1000,
  };
}

function hardwareOf(group: Group, prices: ReadonlyMap<string, number>, from: string): ImportedHardware {
  const { instance, facts, firstLineNo: lineNo } = group;
  const pricePerHour = prices.get(instance);
  if (pricePerHour === undefined) {
    throw new ProfileImportError(`${from}: line ${lineNo}: the price list has no price for '${instance}'`, {
      lineNo,
      column: 'instance',
    });
  }
  const parts = [`${facts.vcpus} vCPU`, ...(facts.gpu === undefined ? [] : [facts.gpu])].join(' + ');
  return {
    name: instance,
    kind: 'fixed',
    pricePerHour,
    maxCores: facts.vcpus,
    description: `AWS ${instance} (${parts}${facts.burstable === true ? ', burstable' : ''}), $${pricePerHour}/h`,
  };
}

function profileOf(group: Group, hardware: ImportedHardware, from: string): Profile {
  const points = [...group.points].sort((a, b) => a.batch - b.batch || a.cores - b.cores);
  const fit = fitSponge4(
    points.map((p) => ({ batch: p.batch, cores: p.cores, latencyMs: p.p99Ms })),
    { weighting: 'relative', percentile: 'p99' },
  );
  const gpu = group.facts.gpu !== undefined;
  return {
    format: PROFILE_FORMAT,
    module: group.model,
    variant: group.model,
    hardware: {
      name: hardware.name,
      kind: hardware.kind,
      maxCores: hardware.maxCores,
      description: hardware.description,
    },
    source: { kind: 'imported', from, note: noteOf(hardware, gpu) },
    // The framework's thread count was not published; the whole instance was the model's.
    threads: hardware.maxCores,
    points,
    fit,
    throughput: points.map((p) => ({
      batch: p.batch,
      cores: p.cores,
      throughputRps: (p.batch / sponge4LatencyMs(fit.model, p.batch, p.cores)) * 1000,
    })),
  };
}

function noteOf(hardware: ImportedHardware, gpu: boolean): string {
  return [
    'KAIROS (HPDC 2023) measurements (boringlee24/hpdc23-kairos data.tar.gz, summarised per row in the',
    `imported file). One point per query size (batch), at cores = the type's ${hardware.maxCores} vCPUs, one`,
    'instance. Service time is execution plus loading (README): p50Ms = infer_p50_ms + load_p50_ms and',
    'p99Ms = infer_p99_ms + load_p99_ms (sums of the two percentiles, since the joint distribution was not',
    'published; for the p99 usually pessimistic),',
    gpu
      ? 'meanMs = p50Ms, because the means of GPU rows include the warm-up sample (README);'
      : 'meanMs = infer_mean_ms + load_mean_ms;',
    'samples as published. throughputRps is derived, not measured: batch / p50Ms × 1000 (one query at a',
    'time). Fit: Sponge model by non-negative least squares, relative weighting, on p99Ms; every point is at',
    'one core count, so only the per-item (γ/c + δ) and fixed (ε/c + η) totals are determined, and their split',
    'between parallel and serial terms is arbitrary. throughput: batch / fitted p99 latency × 1000.',
    `Price $${hardware.pricePerHour}/h per instance from the price list. threads = vCPUs (not published).`,
  ].join(' ');
}

/** Sums of 3-decimal figures, rounded to the nanosecond so that 0.1 + 0.2 is written as 0.3. */
function roundMs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}
