// KAIROS's published latencies on four AWS types become 20 profiles in Sluice's format: service time =
// execution + loading, GPU means replaced by medians, a non-negative Sponge fit, and every point kept so
// that a planner can use a table model where the fit is coarse.
import { describe, expect, it } from 'vitest';
import { estimateLatencyMs, sponge4LatencyMs } from '../../../src/core/latency-model.js';
import type { Profile, ProfilePoint } from '../../../src/core/profile.js';
import { importKairosProfiles } from '../../../src/profiler/import/kairos-aws.js';
import { ProfileImportError } from '../../../src/profiler/import/profile-import-error.js';
import { tableModelOf } from '../../../src/core/profile.js';
import { profileProblems } from './profile-checks.js';
import { KAIROS_LATENCY, KAIROS_PRICE, readProfileCsv } from './profiles-dir.js';

const MODELS = ['ncf', 'rm2', 'wnd', 'mtwnd', 'dien'];
const TYPES = ['g4dn.xlarge', 'c5n.2xlarge', 'r5n.large', 't3.xlarge'];
const HEADER =
  'instance,model,batch,samples,infer_mean_ms,infer_p50_ms,infer_p99_ms,load_mean_ms,load_p50_ms,load_p99_ms';
const PRICES = 'instance,price\nc5n.2xlarge,0.432\ng4dn.xlarge,0.526\n';

describe('importKairosProfiles on the published files', () => {
  const imported = importKairosProfiles(readProfileCsv(KAIROS_LATENCY), readProfileCsv(KAIROS_PRICE), {
    from: KAIROS_LATENCY,
  });
  const profileOf = (instance: string, model: string): Profile => {
    const found = imported.profiles.find((p) => p.hardware.name === instance && p.module === model);
    if (found === undefined) throw new Error(`no profile for ${model} on ${instance}`);
    return found;
  };
  const pointOf = (profile: Profile, batch: number): ProfilePoint => {
    const found = profile.points.find((p) => p.batch === batch);
    if (found === undefined) throw new Error(`no point at batch ${batch}`);
    return found;
  };

  it('gives one profile per (model, type), 100 query sizes each, and the four types with their prices', () => {
    expect(imported.profiles).toHaveLength(20);
    for (const instance of TYPES)
      for (const model of MODELS) expect(profileOf(instance, model).points).toHaveLength(100);
    expect(imported.hardware.map((h) => h.name).sort()).toEqual([...TYPES].sort());
    expect(imported.hardware.find((h) => h.name === 'c5n.2xlarge')).toEqual({
      name: 'c5n.2xlarge',
      kind: 'fixed',
      pricePerHour: 0.432,
      maxCores: 8,
      description: 'AWS c5n.2xlarge (8 vCPU), $0.432/h',
    });
    const vcpus = Object.fromEntries(imported.hardware.map((h) => [h.name, h.maxCores]));
    expect(vcpus).toEqual({ 'g4dn.xlarge': 4, 'c5n.2xlarge': 8, 'r5n.large': 2, 't3.xlarge': 4 });
    expect(imported.hardware.find((h) => h.name === 'g4dn.xlarge')?.pricePerHour).toBe(0.526);
  });

  it('names module and variant after the model and describes the hardware without a price per core', () => {
    const p = profileOf('g4dn.xlarge', 'dien');
    expect(p.module).toBe('dien');
    expect(p.variant).toBe('dien');
    expect(p.hardware).toEqual({
      name: 'g4dn.xlarge',
      kind: 'fixed',
      maxCores: 4,
      description: 'AWS g4dn.xlarge (4 vCPU + NVIDIA T4 GPU), $0.526/h',
    });
    expect(p.threads).toBe(4);
    expect(p.source).toMatchObject({ kind: 'imported', from: KAIROS_LATENCY });
    expect(p.source.kind === 'imported' && p.source.note).toContain('derived');
    for (const absent of ['coldStart', 'resize', 'verdict', 'capacity', 'modelFile'])
      expect(p).not.toHaveProperty(absent);
  });

  it('sums execution and loading per row (c5n.2xlarge,dien,10 and t3.xlarge,rm2,500)', () => {
    // c5n.2xlarge,dien,10,100,1.728,1.670,2.223,0.739,0.734,0.789
    const cpu = pointOf(profileOf('c5n.2xlarge', 'dien'), 10);
    expect(cpu).toEqual({
      batch: 10,
      cores: 8,
      instances: 1,
      p50Ms: 2.404,
      p99Ms: 3.012,
      meanMs: 2.467,
      samples: 100,
      throughputRps: (10 / 2.404) * 1000,
    });
    // t3.xlarge,rm2,500,100,99.056,98.754,102.388,341.219,341.239,343.519
    const t3 = pointOf(profileOf('t3.xlarge', 'rm2'), 500);
    expect(t3).toMatchObject({ cores: 4, p50Ms: 439.993, p99Ms: 445.907, meanMs: 440.275 });
    expect(t3.throughputRps).toBeCloseTo((500 / 439.993) * 1000, 9);
  });

  it('uses the median, never the warm-up-laden mean, for the GPU rows', () => {
    // g4dn.xlarge,ncf,10,100,5.565,0.272,0.329,0.339,0.343,0.421: the mean is 16x the median.
    const first = pointOf(profileOf('g4dn.xlarge', 'ncf'), 10);
    expect(first.p50Ms).toBe(0.615);
    expect(first.meanMs).toBe(0.615);
    for (const model of MODELS) {
      for (const p of profileOf('g4dn.xlarge', model).points) expect(p.meanMs).toBe(p.p50Ms);
    }
    expect(pointOf(profileOf('c5n.2xlarge', 'dien'), 10).meanMs).not.toBe(2.404);
  });

  it('fits non-negative Sponge coefficients to the p99 points and derives throughput from the fit', () => {
    for (const p of imported.profiles) {
      const { gamma, delta, epsilon, eta } = p.fit.model;
      for (const c of [gamma, delta, epsilon, eta]) expect(c).toBeGreaterThanOrEqual(0);
      expect(p.fit.percentile).toBe('p99');
      expect(p.fit.points.map((f) => f.measuredMs)).toEqual(p.points.map((q) => q.p99Ms));
      // The pairs are not all linear in the query size, but the median point is well within 12%.
      expect(p.fit.medianRelativeError).toBeLessThan(0.12);
      p.throughput.forEach((t, i) => {
        expect(t.batch).toBe(p.points[i]?.batch);
        expect(t.throughputRps).toBeCloseTo(
          (t.batch / sponge4LatencyMs(p.fit.model, t.batch, t.cores)) * 1000,
          6,
        );
      });
    }
  });

  it('keeps every point, so a table model reproduces the measurements where the fit is coarse', () => {
    for (const p of imported.profiles) {
      const table = tableModelOf(p, 'p99');
      expect(table.points).toHaveLength(100);
      for (const q of p.points) expect(estimateLatencyMs(table, q.batch, q.cores)).toBe(q.p99Ms);
    }
    const p = profileOf('r5n.large', 'dien');
    const between = estimateLatencyMs(tableModelOf(p, 'p50'), 15, 2);
    expect(between).toBeCloseTo((pointOf(p, 10).p50Ms + pointOf(p, 20).p50Ms) / 2, 9);
  });

  it('produces structurally valid profiles', () => {
    expect(imported.profiles.flatMap(profileProblems)).toEqual([]);
  });
});

describe('importKairosProfiles on malformed text', () => {
  const run = (rows: string, prices = PRICES): unknown =>
    importKairosProfiles(`${HEADER}\n${rows}\n`, prices, { from: 'latency.csv' });
  const good = 'c5n.2xlarge,ncf,10,100,1,1,2,0.5,0.5,0.6';

  it('reads a well-formed file', () => {
    expect(run(good)).toMatchObject({ profiles: [{ module: 'ncf', points: [{ p50Ms: 1.5, p99Ms: 2.6 }] }] });
  });

  it('names the file, line and column of a missing field', () => {
    expect(() => run(`${good}\nc5n.2xlarge,ncf,20,100,1,1,2,0.5,0.5`)).toThrow(
      'latency.csv: line 3: 9 fields where the header has 10; column 10 (load_p99_ms) onwards is missing',
    );
  });

  it('names the file, line and column of a non-number', () => {
    expect(() => run(`${good}\nc5n.2xlarge,ncf,20,100,1,fast,2,0.5,0.5,0.6`)).toThrow(
      "latency.csv: line 3, column 6 (infer_p50_ms): expected a number, got 'fast'",
    );
    expect(() => run('c5n.2xlarge,ncf,10.5,100,1,1,2,0.5,0.5,0.6')).toThrow(
      'line 2, column 3 (batch): expected a positive-integer number',
    );
  });

  it('refuses an unknown type, a type without a price, a repeated query size and swapped percentiles', () => {
    expect(() => run('p4d.24xlarge,ncf,10,100,1,1,2,0.5,0.5,0.6')).toThrow(
      "latency.csv: line 2, column 1 (instance): unknown instance type 'p4d.24xlarge'",
    );
    expect(() => run('r5n.large,ncf,10,100,1,1,2,0.5,0.5,0.6')).toThrow(
      "latency.csv: line 2: the price list has no price for 'r5n.large'",
    );
    expect(() => run(`${good}\n${good}`)).toThrow(
      'latency.csv: line 3: a second row for c5n.2xlarge ncf batch 10 (the first is line 2)',
    );
    expect(() => run('c5n.2xlarge,ncf,10,100,1,3,2,0.5,0.5,0.6')).toThrow(
      'line 2: infer_p50_ms 3 exceeds infer_p99_ms 2',
    );
    expect(() => run(good, 'instance,price\nc5n.2xlarge,free\n')).toThrow(
      "price list: line 2, column 2 (price): expected a number, got 'free'",
    );
    expect(() => run('')).toThrow(ProfileImportError);
  });
});
