// InfAdapter's measured capacities of ResNet18-152 on CPU become five profiles of module `resnet`: batch-1
// points from the pods' saturation throughput, the measured capacities at one SLO, and the published
// accuracies and load times.
import { describe, expect, it } from 'vitest';
import { sponge4LatencyMs } from '../../../src/core/latency-model.js';
import type { Profile } from '../../../src/core/profile.js';
import {
  INFADAPTER_LOAD_MS,
  INFADAPTER_NOMINAL_ACCURACY,
  importInfadapterProfiles,
} from '../../../src/profiler/import/infadapter-capacity.js';
import { profileProblems } from './profile-checks.js';
import { INFADAPTER_CAPACITY, readProfileCsv } from './profiles-dir.js';

const VARIANTS = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'];
const HEADER =
  'REPLICA,HARDWARE,CPU,MEM,ARCH,BATCH,NUM_BATCH_THREADS,MAX_ENQUEUED_BATCHES,INTRA_OP_PARALLELISM,' +
  'INTER_OP_PARALLELISM,SLA,p99_latency,capacity,saturation_tp,timestamp';

interface RowFields {
  cpu?: number;
  arch?: number;
  batch?: number;
  sla?: number;
  p99?: string;
  capacity?: string;
  tp?: number;
  ts?: string;
}

function row(f: RowFields = {}): string {
  const cpu = f.cpu ?? 1;
  return [
    1,
    'cpu',
    cpu,
    '1G',
    f.arch ?? 18,
    f.batch ?? 1,
    cpu,
    1000000,
    1,
    cpu,
    f.sla ?? 750,
    f.p99 ?? '389.09',
    f.capacity ?? '19',
    f.tp ?? 22,
    f.ts ?? '2023-02-21T08:00:36.400220',
  ].join(',');
}

const csvOf = (...rows: string[]): string => `${HEADER}\r\n${rows.join('\r\n')}\r\n`;

function noteOf(profile: Profile): string {
  return profile.source.kind === 'imported' ? profile.source.note : '';
}

describe('importInfadapterProfiles on the published file', () => {
  const text = readProfileCsv(INFADAPTER_CAPACITY);
  const profiles = importInfadapterProfiles(text, { from: INFADAPTER_CAPACITY });
  const profileOf = (variant: string, list: readonly Profile[] = profiles): Profile => {
    const found = list.find((p) => p.variant === variant);
    if (found === undefined) throw new Error(`no profile for ${variant}`);
    return found;
  };

  it('gives one profile per variant, in depth order, with a point per core count 1-20', () => {
    expect(profiles.map((p) => p.variant)).toEqual(VARIANTS);
    for (const p of profiles) {
      expect(p.module).toBe('resnet');
      expect(p.hardware).toEqual({
        name: 'infadapter-cpu',
        kind: 'cpu',
        maxCores: 20,
        description:
          'the CPU nodes of the InfAdapter measurements (TensorFlow Serving, batch 1, intra-op 1, inter-op = cores)',
      });
      expect(p.points.map((q) => q.cores)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(p.points.every((q) => q.batch === 1 && q.instances === 1 && q.samples === 1)).toBe(true);
      expect(p.threads).toBe(1);
      expect(p.source).toMatchObject({ kind: 'imported', from: INFADAPTER_CAPACITY });
    }
  });

  it('turns the saturation throughput into the pod-wide service time (resnet18: 22 req/s at 1 core)', () => {
    // 1,cpu,1,1G,18,1,1,1000000,1,1,750,389.09,19,22,2023-02-21T08:00:36.400220
    expect(profileOf('resnet18').points[0]).toEqual({
      batch: 1,
      cores: 1,
      instances: 1,
      p50Ms: 1000 / 22,
      p99Ms: 1000 / 22,
      meanMs: 1000 / 22,
      samples: 1,
      throughputRps: 22,
    });
    // ...,152,...,20 cores: saturation_tp 74.
    expect(profileOf('resnet152').points[19]).toMatchObject({
      cores: 20,
      p50Ms: 1000 / 74,
      throughputRps: 74,
    });
  });

  it('holds the measured capacity at the 750 ms SLO by default: resnet18 at 1 core is 19 req/s', () => {
    const capacity = profileOf('resnet18').capacity;
    expect(capacity).toMatchObject({ sloMs: 750, percentile: 'p99', checks: [] });
    expect(capacity?.points).toHaveLength(20);
    expect(capacity?.points[0]).toEqual({ cores: 1, maxBatch: 1, rateRps: 19, source: 'measured' });
    expect(capacity?.points[1]?.rateRps).toBe(43);
  });

  it('imports another SLO on request and refuses one the file does not have', () => {
    const at500 = importInfadapterProfiles(text, { from: INFADAPTER_CAPACITY, sloMs: 500 });
    expect(profileOf('resnet18', at500).capacity?.sloMs).toBe(500);
    expect(profileOf('resnet18', at500).capacity?.points[0]?.rateRps).toBe(15);
    expect(() => importInfadapterProfiles(text, { from: INFADAPTER_CAPACITY, sloMs: 600 })).toThrow(
      `${INFADAPTER_CAPACITY}: no rows for an SLA of 600 ms (the file has 500, 750, 1000, 1500 ms)`,
    );
  });

  it('drops capacities that no tested rate met (empty p99_latency) unless asked to keep them', () => {
    // 1,cpu,1,2G,101,1,1,1000000,1,1,750,,5,7,...: no rate met 750 ms at 1 core.
    const dropped = profileOf('resnet101').capacity?.points ?? [];
    expect(dropped.map((p) => p.cores)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
    expect(noteOf(profileOf('resnet101'))).toContain('At 1 core no tested rate met the SLA');
    const kept = importInfadapterProfiles(text, { from: INFADAPTER_CAPACITY, keepUnmetCapacity: true });
    expect(profileOf('resnet101', kept).capacity?.points[0]).toMatchObject({ cores: 1, rateRps: 5 });
    expect(profileOf('resnet152', kept).capacity?.points[0]).toMatchObject({ cores: 1, rateRps: 1 });
  });

  it('says where the capacity exceeds the saturation throughput (resnet18 from 5 cores)', () => {
    expect(noteOf(profileOf('resnet18'))).toMatch(/At 5, 6, .*, 20 cores the capacity exceeds saturation_tp/);
    expect(noteOf(profileOf('resnet18'))).not.toContain('duplicate');
  });

  it('fills the cold start from the published load times and exports the nominal accuracies', () => {
    expect(profileOf('resnet18').coldStart).toEqual({
      cores: 2,
      coldStartMs: 6440,
      loadMs: 6440,
      samples: 1,
    });
    expect(profileOf('resnet152').coldStart?.loadMs).toBe(8520);
    expect(Object.keys(INFADAPTER_NOMINAL_ACCURACY)).toEqual(VARIANTS);
    expect(INFADAPTER_NOMINAL_ACCURACY.resnet18).toBe(0.698);
    expect(INFADAPTER_NOMINAL_ACCURACY.resnet152).toBe(0.783);
    expect(Object.values(INFADAPTER_LOAD_MS)).toEqual([6440, 6790, 6820, 7770, 8520]);
  });

  it('fits non-negative coefficients and derives throughput from the fit', () => {
    for (const p of profiles) {
      const { gamma, delta, epsilon, eta } = p.fit.model;
      for (const c of [gamma, delta, epsilon, eta]) expect(c).toBeGreaterThanOrEqual(0);
      expect(p.fit.maxRelativeError).toBeLessThan(0.15);
      for (const t of p.throughput) {
        expect(t.throughputRps).toBeCloseTo(1000 / sponge4LatencyMs(p.fit.model, 1, t.cores), 9);
      }
    }
  });

  it('produces structurally valid profiles', () => {
    expect(profiles.flatMap(profileProblems)).toEqual([]);
  });
});

describe('importInfadapterProfiles on constructed text', () => {
  const run = (text: string, sloMs?: number): Profile[] =>
    importInfadapterProfiles(text, { from: 'capacity.csv', ...(sloMs === undefined ? {} : { sloMs }) });

  it('keeps the latest of several rows for one (ARCH, CPU, SLA) and says so', () => {
    const [p] = run(
      csvOf(
        row({ capacity: '30', tp: 40, ts: '2023-02-21T09:00:00.5' }),
        row({ capacity: '19', tp: 22, ts: '2023-02-21T08:00:00' }),
        row({ capacity: '25', tp: 40, ts: '2023-02-21T09:00:00.25' }),
      ),
    );
    expect(p?.capacity?.points).toEqual([{ cores: 1, maxBatch: 1, rateRps: 30, source: 'measured' }]);
    expect(p?.points[0]?.throughputRps).toBe(40);
    expect(noteOf(p!)).toContain(
      '2 rows repeated an (ARCH, CPU, SLA) measured in another row: the row with the latest timestamp kept.',
    );
  });

  it('takes the saturation throughput of the latest row when the SLA rows of one pod disagree', () => {
    const [p] = run(
      csvOf(
        row({ sla: 500, tp: 20, ts: '2023-02-21T08:00:00' }),
        row({ sla: 750, tp: 22, ts: '2023-02-21T08:01:00' }),
      ),
    );
    expect(p?.points[0]?.throughputRps).toBe(22);
    expect(noteOf(p!)).toContain('saturation_tp differs between the SLA rows of 1 pod (core counts)');
  });

  it('omits the capacity of a variant without rows at the SLO', () => {
    const list = run(csvOf(row({ arch: 18 }), row({ arch: 50, sla: 500 })));
    expect(list.map((p) => p.variant)).toEqual(['resnet18', 'resnet50']);
    expect(list[1]).not.toHaveProperty('capacity');
    expect(noteOf(list[1]!)).toContain('No rows at SLA 750 ms for this variant');
  });

  it('names the line and column of malformed rows', () => {
    const short = row().split(',').slice(0, -1).join(',');
    expect(() => run(csvOf(row(), short))).toThrow(
      'capacity.csv: line 3: 14 fields where the header has 15; column 15 (timestamp) onwards is missing',
    );
    expect(() => run(csvOf(row({ capacity: 'many' })))).toThrow(
      "capacity.csv: line 2, column 13 (capacity): expected a number, got 'many'",
    );
    expect(() => run(csvOf(row(), row({ batch: 4, cpu: 2 })))).toThrow(
      "capacity.csv: line 3, column 6 (BATCH): expected '1' (the configuration InfAdapter measured), got '4'",
    );
    expect(() => run(csvOf(row({ arch: 200 })))).toThrow(
      'capacity.csv: line 2, column 5 (ARCH): ResNet depth 200',
    );
    expect(() => run(csvOf(row({ ts: 'yesterday' })))).toThrow(
      'line 2, column 15 (timestamp): expected ISO 8601',
    );
    expect(() => run(`${HEADER}\n`)).toThrow('capacity.csv: no data rows');
  });
});
