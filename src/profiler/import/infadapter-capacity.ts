/**
 * Imports InfAdapter's (EuroMLSys 2023) measured capacities of ResNet18-152 on CPU
 * (`shared/profiles/infadapter-resnet-cpu/capacity.csv`) into Sluice's profile format: module `resnet`, one
 * profile per variant, hardware kind `cpu`. Pure: the caller reads the file and writes the profiles.
 */
import { sponge4LatencyMs } from '../../core/latency-model.js';
import type { CapacityPoint, Profile, ProfileCapacity, ProfilePoint } from '../../core/profile.js';
import { PROFILE_FORMAT } from '../../core/profile.js';
import { fitSponge4 } from '../fit-sponge.js';
import {
  fieldPosition,
  numberField,
  optionalNumberField,
  parseCsvTable,
  textField,
  type CsvRecord,
} from './csv-table.js';
import { ProfileImportError, withSource } from './profile-import-error.js';

export type InfadapterVariant = 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101' | 'resnet152';

/**
 * Nominal ImageNet top-1 accuracy (a fraction) of each variant, as InfAdapter used them
 * (`shared/profiles/infadapter-resnet-cpu/README.md`); the measurements themselves carry none.
 */
export const INFADAPTER_NOMINAL_ACCURACY: Readonly<Record<InfadapterVariant, number>> = {
  resnet18: 0.698,
  resnet34: 0.733,
  resnet50: 0.761,
  resnet101: 0.774,
  resnet152: 0.783,
};

/**
 * Model load times InfAdapter measured, in ms (same README: 6.44 ... 8.52 s). TensorFlow Serving's
 * `saved_model` load latency, so a new pod's cold start is at least this (scheduling and container start
 * come on top). The README gives no core count; the repository's `auto_tuner/experiments/model_load_time.py`
 * measures in a 2-CPU pod, hence `LOAD_CORES` (our reading).
 */
export const INFADAPTER_LOAD_MS: Readonly<Record<InfadapterVariant, number>> = {
  resnet18: 6440,
  resnet34: 6790,
  resnet50: 6820,
  resnet101: 7770,
  resnet152: 8520,
};

const LOAD_CORES = 2;

const VARIANT_OF_ARCH: ReadonlyMap<number, InfadapterVariant> = new Map([
  [18, 'resnet18'],
  [34, 'resnet34'],
  [50, 'resnet50'],
  [101, 'resnet101'],
  [152, 'resnet152'],
]);

/** The SLO of InfAdapter's evaluation, in ms at p99. */
const DEFAULT_SLO_MS = 750;

export interface InfadapterImportOptions {
  /** The file's name as given, recorded as the profiles' `source.from` and used in error messages. */
  readonly from: string;
  /** The p99 SLO whose capacities become the profiles' `capacity`, in ms: one of the file's SLA values. Default 750. */
  readonly sloMs?: number;
  /**
   * Keep the capacity of rows whose `p99_latency` is empty (no tested rate met the SLA, README) as published;
   * default false: such rows give no capacity point, since their rate was never seen to meet the SLO.
   */
  readonly keepUnmetCapacity?: boolean;
}

const COLUMNS = [
  'REPLICA',
  'HARDWARE',
  'CPU',
  'ARCH',
  'BATCH',
  'INTRA_OP_PARALLELISM',
  'INTER_OP_PARALLELISM',
  'SLA',
  'p99_latency',
  'capacity',
  'saturation_tp',
  'timestamp',
] as const;

/** One row: a binary search for the capacity of one pod (variant, cores) under one SLA. */
interface Measurement {
  readonly lineNo: number;
  readonly variant: InfadapterVariant;
  readonly arch: number;
  readonly cores: number;
  readonly slaMs: number;
  /** Empty in the file where no tested rate met the SLA. */
  readonly p99Ms: number | undefined;
  readonly capacityRps: number;
  readonly saturationRps: number;
  readonly timestamp: string;
}

/**
 * One profile per ResNet variant in `capacityCsv`, ordered by depth. Points are batch 1 at each measured
 * core count with the pod's saturation throughput as its rate; `capacity` holds the measured capacities at
 * `options.sloMs`. `source.note` says how each figure was derived and which rows were dropped. Throws
 * `ProfileImportError` naming the line and column of anything it cannot read, or when the file has no rows
 * at the SLO.
 */
export function importInfadapterProfiles(capacityCsv: string, options: InfadapterImportOptions): Profile[] {
  const sloMs = options.sloMs ?? DEFAULT_SLO_MS;
  const keepUnmet = options.keepUnmetCapacity ?? false;
  const parsed = withSource(options.from, () => parseMeasurements(capacityCsv));
  const { latest, duplicates } = latestPerKey(parsed);
  const slas = [...new Set(latest.map((m) => m.slaMs))].sort((a, b) => a - b);
  if (!slas.includes(sloMs)) {
    throw new ProfileImportError(
      `${options.from}: no rows for an SLA of ${sloMs} ms (the file has ${slas.join(', ')} ms)`,
    );
  }
  const maxCores = Math.max(...latest.map((m) => m.cores));
  const variants = [...VARIANT_OF_ARCH.values()].filter((v) => latest.some((m) => m.variant === v));
  return variants.map((variant) => {
    const rows = latest.filter((m) => m.variant === variant);
    const { points, inconsistentSaturation } = pointsOf(rows);
    const fit = fitSponge4(
      points.map((p) => ({ batch: p.batch, cores: p.cores, latencyMs: p.p99Ms })),
      { weighting: 'relative', percentile: 'p99' },
    );
    const atSlo = rows.filter((m) => m.slaMs === sloMs).sort((a, b) => a.cores - b.cores);
    const unmet = atSlo.filter((m) => m.p99Ms === undefined);
    const capacity: ProfileCapacity = {
      sloMs,
      percentile: 'p99',
      points: atSlo
        .filter((m) => keepUnmet || m.p99Ms !== undefined)
        .map((m): CapacityPoint => ({
          cores: m.cores,
          maxBatch: 1,
          rateRps: m.capacityRps,
          source: 'measured',
        })),
      checks: [],
    };
    const note = noteOf({
      sloMs,
      keepUnmet,
      unmetCores: unmet.map((m) => m.cores),
      duplicates: duplicates.filter((m) => m.variant === variant).length,
      inconsistentSaturation,
      aboveSaturation: atSlo.filter((m) => m.capacityRps > m.saturationRps),
      hasCapacity: atSlo.length > 0,
    });
    return {
      format: PROFILE_FORMAT,
      module: 'resnet',
      variant,
      hardware: {
        name: 'infadapter-cpu',
        kind: 'cpu',
        maxCores,
        description:
          'the CPU nodes of the InfAdapter measurements (TensorFlow Serving, batch 1, intra-op 1, inter-op = cores)',
      },
      source: { kind: 'imported', from: options.from, note },
      // Intra-op parallelism 1 in every row: each request's operators run on one thread.
      threads: 1,
      points,
      fit,
      throughput: points.map((p) => ({
        batch: p.batch,
        cores: p.cores,
        throughputRps: (p.batch / sponge4LatencyMs(fit.model, p.batch, p.cores)) * 1000,
      })),
      coldStart: {
        cores: LOAD_CORES,
        coldStartMs: INFADAPTER_LOAD_MS[variant],
        loadMs: INFADAPTER_LOAD_MS[variant],
        samples: 1,
      },
      ...(atSlo.length > 0 ? { capacity } : {}),
    } satisfies Profile;
  });
}

function parseMeasurements(capacityCsv: string): Measurement[] {
  const table = parseCsvTable(capacityCsv, { requiredColumns: COLUMNS });
  if (table.rows.length === 0) throw new ProfileImportError('no data rows');
  return table.rows.map((row, i) => measurementOf(row, table.lineNos[i] ?? 0));
}

function measurementOf(row: CsvRecord, lineNo: number): Measurement {
  // The reading below (one request per batch, one thread per operator, a pod's parallelism = its cores)
  // holds only for the configuration InfAdapter measured; refuse rows of any other.
  expectField(row, 'REPLICA', lineNo, '1');
  expectField(row, 'HARDWARE', lineNo, 'cpu');
  expectField(row, 'BATCH', lineNo, '1');
  expectField(row, 'INTRA_OP_PARALLELISM', lineNo, '1');
  const cores = numberField(row, 'CPU', lineNo, 'positive');
  expectField(row, 'INTER_OP_PARALLELISM', lineNo, row['CPU'] ?? '');
  const arch = numberField(row, 'ARCH', lineNo, 'positive-integer');
  const variant = VARIANT_OF_ARCH.get(arch);
  if (variant === undefined) {
    throw new ProfileImportError(
      `${fieldPosition(row, 'ARCH', lineNo)}: ResNet depth ${arch} has no published accuracy or load time ` +
        `(known: ${[...VARIANT_OF_ARCH.keys()].join(', ')})`,
      { lineNo, column: 'ARCH' },
    );
  }
  const timestamp = textField(row, 'timestamp', lineNo);
  // Fixed-width ISO 8601 (any fraction length) orders correctly as text, which `latestPerKey` relies on.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?$/.test(timestamp)) {
    throw new ProfileImportError(
      `${fieldPosition(row, 'timestamp', lineNo)}: expected ISO 8601, got '${timestamp}'`,
      {
        lineNo,
        column: 'timestamp',
      },
    );
  }
  return {
    lineNo,
    variant,
    arch,
    cores,
    slaMs: numberField(row, 'SLA', lineNo, 'positive'),
    p99Ms: optionalNumberField(row, 'p99_latency', lineNo, 'positive'),
    capacityRps: numberField(row, 'capacity', lineNo, 'non-negative'),
    saturationRps: numberField(row, 'saturation_tp', lineNo, 'positive'),
    timestamp,
  };
}

function expectField(row: CsvRecord, column: string, lineNo: number, expected: string): void {
  const text = textField(row, column, lineNo);
  if (text !== expected) {
    throw new ProfileImportError(
      `${fieldPosition(row, column, lineNo)}: expected '${expected}' (the configuration InfAdapter ` +
        `measured), got '${text}'`,
      { lineNo, column },
    );
  }
}

/** Per (variant, cores, SLA) the latest row (the later line on equal timestamps), and the rows it replaced. */
function latestPerKey(rows: readonly Measurement[]): { latest: Measurement[]; duplicates: Measurement[] } {
  const byKey = new Map<string, Measurement>();
  const duplicates: Measurement[] = [];
  for (const m of rows) {
    const key = `${m.arch}/${m.cores}/${m.slaMs}`;
    const held = byKey.get(key);
    if (held === undefined) {
      byKey.set(key, m);
    } else if (m.timestamp >= held.timestamp) {
      duplicates.push(held);
      byKey.set(key, m);
    } else {
      duplicates.push(m);
    }
  }
  return { latest: [...byKey.values()], duplicates };
}

/**
 * One batch-1 point per core count. The pod runs up to `cores` requests at once, so as one server it
 * completes a request every 1000 / saturation_tp ms: that is the service time the points carry.
 */
function pointsOf(rows: readonly Measurement[]): { points: ProfilePoint[]; inconsistentSaturation: number } {
  const byCores = new Map<number, Measurement[]>();
  for (const m of rows) byCores.set(m.cores, [...(byCores.get(m.cores) ?? []), m]);
  let inconsistentSaturation = 0;
  const points = [...byCores.entries()]
    .sort(([a], [b]) => a - b)
    .map(([cores, measured]): ProfilePoint => {
      // saturation_tp is a property of the pod, not of the SLA; the rows of one pod should agree.
      const newest = measured.reduce((a, b) => (b.timestamp >= a.timestamp ? b : a));
      if (measured.some((m) => m.saturationRps !== newest.saturationRps)) inconsistentSaturation++;
      const serviceMs = 1000 / newest.saturationRps;
      return {
        batch: 1,
        cores,
        instances: 1,
        p50Ms: serviceMs,
        p99Ms: serviceMs,
        meanMs: serviceMs,
        samples: 1,
        throughputRps: newest.saturationRps,
      };
    });
  return { points, inconsistentSaturation };
}

interface NoteFacts {
  readonly sloMs: number;
  readonly keepUnmet: boolean;
  readonly unmetCores: readonly number[];
  readonly duplicates: number;
  readonly inconsistentSaturation: number;
  /** Rows at the SLO whose capacity exceeds the pod's saturation throughput. */
  readonly aboveSaturation: readonly Measurement[];
  readonly hasCapacity: boolean;
}

function noteOf(f: NoteFacts): string {
  const cores = (list: readonly number[]): string =>
    `${list.join(', ')} core${list.length === 1 && list[0] === 1 ? '' : 's'}`;
  const excessPercent = Math.max(
    0,
    ...f.aboveSaturation.map((m) => (m.capacityRps / m.saturationRps - 1) * 100),
  );
  return [
    'InfAdapter (EuroMLSys 2023) capacity measurements (reconfigurable-ml-pipeline/InfAdapter',
    'capacity_result_Feb_21.csv): one TensorFlow Serving pod per row, batch 1, intra-op 1, inter-op = cores.',
    'Points: one per core count at batch 1; the pod serves up to `cores` requests in parallel, so as one server',
    'its service time is 1000 / saturation_tp ms per request, used for p50Ms, p99Ms and meanMs alike (the file',
    'has no batch-latency percentiles; its p99_latency is end to end at the capacity rate). A single request',
    'takes about `cores` times that. samples = 1 (one saturation measurement); throughputRps = saturation_tp.',
    'Fit: Sponge model by non-negative least squares, relative weighting, on those service times; batch is',
    'always 1, so only the 1/c (γ + ε) and constant (δ + η) totals are determined. throughput: 1 / fitted',
    'latency × 1000.',
    f.hasCapacity
      ? `Capacity: the file's capacity (highest Poisson rate with measured p99 ≤ SLA, 16 s runs) at SLA ${f.sloMs} ms.`
      : `No rows at SLA ${f.sloMs} ms for this variant: no capacity.`,
    f.unmetCores.length === 0
      ? ''
      : f.keepUnmet
        ? `At ${cores(f.unmetCores)} no tested rate met the SLA (empty p99_latency); the capacity is kept as published.`
        : `At ${cores(f.unmetCores)} no tested rate met the SLA (empty p99_latency): no capacity point there.`,
    f.aboveSaturation.length === 0
      ? ''
      : `At ${cores(f.aboveSaturation.map((m) => m.cores))} the capacity exceeds saturation_tp (by up to ` +
        `${excessPercent.toFixed(0)}%): the pod sustained more in the 16 s capacity runs than its saturation ` +
        'throughput, so the points understate its service rate there (or the short runs overstate capacity); both ' +
        'kept as published.',
    f.duplicates === 0
      ? ''
      : `${f.duplicates} row${f.duplicates === 1 ? '' : 's'} repeated an (ARCH, CPU, SLA) measured in another ` +
        'row: the row with the latest timestamp kept.',
    f.inconsistentSaturation === 0
      ? ''
      : `saturation_tp differs between the SLA rows of ${f.inconsistentSaturation} pod` +
        `${f.inconsistentSaturation === 1 ? '' : 's'} (core counts): the latest row's used.`,
    `coldStart: the published model load time at ${LOAD_CORES} cores (the load experiment's pod size, our`,
    'reading), as both load and cold start; pod start-up would add to it. threads = 1 (intra-op).',
  ]
    .filter((s) => s !== '')
    .join(' ');
}
