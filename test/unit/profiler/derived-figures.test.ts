// The profiler's pure derivations: InfAdapter's capacity on Sluice's engine over a virtual clock,
// DNNScaler's verdict, the simulated backend's spread, and the progress estimate.
import { describe, expect, it } from 'vitest';
import type { Sponge4Model } from '../../../src/core/latency-model.js';
import type { ProfilePoint } from '../../../src/core/profile.js';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { deriveCapacityRps, simulate } from '../../../src/profiler/derive-capacity.js';
import { ProgressTracker, type ProfileProgress } from '../../../src/profiler/progress-tracker.js';
import { scalingVerdict } from '../../../src/profiler/scaling-verdict.js';
import { ProfileBackend, spreadSigma } from '../../../src/sim/profile-backend.js';
import { VirtualClock } from '../../../src/sim/virtual-clock.js';

const model: Sponge4Model = { kind: 'sponge4', gamma: 40, delta: 1, epsilon: 4, eta: 1 };
const question = { latency: model, sigma: 0.1, maxBatch: 1, sloMs: 300, percentile: 'p99' as const };

describe('deriveCapacityRps', () => {
  it('is the highest rate within the SLO: met at the answer, missed 5% above it', () => {
    const rate = deriveCapacityRps({ ...question, cores: 1 });
    expect(simulate({ ...question, cores: 1 }, rate).p99Ms).toBeLessThanOrEqual(300);
    expect(simulate({ ...question, cores: 1 }, rate * 1.05).p99Ms).toBeGreaterThan(300);
    // Below the saturation rate of one batch-1 server (1000 / l(1,1) = 21.7 req/s).
    expect(rate).toBeLessThan(1000 / 46);
    expect(rate).toBeGreaterThan(0.5 * (1000 / 46));
  });

  it('grows with cores and with batching allowed', () => {
    const at = (cores: number, maxBatch: number): number =>
      deriveCapacityRps({ ...question, cores, maxBatch });
    expect(at(2, 1)).toBeGreaterThan(at(1, 1));
    expect(at(1, 1)).toBeGreaterThan(at(0.5, 1));
    // Batching amortises ε and η: more requests per second within the same SLO.
    expect(at(1, 8)).toBeGreaterThan(at(1, 1));
  });

  it('is 0 when a lone request cannot meet the SLO', () => {
    expect(deriveCapacityRps({ ...question, cores: 0.1 })).toBe(0);
  });

  it('is deterministic for a seed', () => {
    expect(deriveCapacityRps({ ...question, cores: 1, seed: 3 })).toBe(
      deriveCapacityRps({ ...question, cores: 1, seed: 3 }),
    );
  });
});

describe('ProfileBackend', () => {
  it('draws batch times whose p99/p50 matches the spread it was given', () => {
    const clock = new VirtualClock();
    const backend = new ProfileBackend<undefined>(clock, new SeededRng(5));
    backend.setGroup('m/v', { latency: model, sigma: spreadSigma(1.5) });
    backend.setInstanceCores('i', 2);
    const draws = Array.from({ length: 20_000 }, () => backend.drawBatchMs('m/v', 'i', 4)).sort(
      (a, b) => a - b,
    );
    const median = (40 * 4) / 2 + 4 + 4 / 2 + 1;
    expect(draws[10_000]! / median).toBeCloseTo(1, 1);
    expect(draws[19_800]! / draws[10_000]!).toBeCloseTo(1.5, 1);
  });

  it('completes a batch after its drawn time on the clock, one null output per item', () => {
    const clock = new VirtualClock();
    const backend = new ProfileBackend<string>(clock, new SeededRng(1));
    backend.setGroup('m/v', { latency: model, sigma: 0 });
    const results: unknown[] = [];
    backend.execute(
      {
        batchId: 1,
        group: 'm/v',
        instanceId: 'x',
        rows: 2,
        items: [
          { requestId: 'a', rows: 1, payload: 'p' },
          { requestId: 'b', rows: 1, payload: 'q' },
        ],
      },
      (r) => results.push([clock.nowMs(), r]),
    );
    clock.runAll();
    expect(results).toEqual([[87, { ok: true, outputs: [null, null], computeMs: 87 }]]);
  });
});

const point = (batch: number, instances: number, throughputRps: number, p99Ms: number): ProfilePoint => ({
  batch,
  cores: 2 / instances,
  instances,
  p50Ms: p99Ms / 2,
  p99Ms,
  meanMs: p99Ms / 2,
  samples: 10,
  throughputRps,
});

describe('scalingVerdict', () => {
  it('chooses batching when a batch within the target gains more than co-location', () => {
    const v = scalingVerdict({
      batching: [point(1, 1, 100, 10), point(4, 1, 300, 30), point(8, 1, 500, 80)],
      colocation: [point(1, 2, 180, 12), point(1, 4, 250, 20)],
      totalCores: 2,
      latencyTargetMs: 50,
    })!;
    // Batch 8 misses the target: batch 4 is the best batch within it.
    expect(v.batching).toEqual({ batch: 4, throughputRps: 300, gain: 3 });
    expect(v.colocation).toEqual({ instances: 4, throughputRps: 250, gain: 2.5 });
    expect(v.choice).toBe('batching');
  });

  it('chooses co-location when it gains more', () => {
    const v = scalingVerdict({
      batching: [point(1, 1, 100, 10), point(4, 1, 120, 30)],
      colocation: [point(1, 2, 190, 12)],
      totalCores: 2,
      latencyTargetMs: 50,
    })!;
    expect(v.choice).toBe('co-location');
    expect(v.reason).toMatch(/co-location raises throughput more/);
  });

  it('has no verdict when even batch 1 misses the target', () => {
    expect(
      scalingVerdict({
        batching: [point(1, 1, 100, 60)],
        colocation: [],
        totalCores: 2,
        latencyTargetMs: 50,
      }),
    ).toBeUndefined();
  });
});

describe('ProgressTracker', () => {
  it('estimates the time left from how finished steps compared with their predictions', async () => {
    let now = 0;
    const seen: ProfileProgress[] = [];
    const steps = [1, 2, 3].map((i) => ({ label: `step ${i}`, predictMs: () => 100 }));
    const tracker = new ProgressTracker(
      steps,
      () => now,
      (p) => seen.push(p),
    );
    await tracker.step(() => {
      now += 200; // twice as slow as predicted
      return Promise.resolve();
    });
    const afterFirst = seen[seen.length - 1]!;
    expect(afterFirst.remainingMs).toBe(400);
    expect(afterFirst.fraction).toBeCloseTo(200 / 600, 6);
    expect(afterFirst.label).toBe('step 2');
    await tracker.step(() => {
      now += 200;
      return Promise.resolve();
    });
    await tracker.step(() => {
      now += 200;
      return Promise.resolve();
    });
    expect(seen[seen.length - 1]).toMatchObject({
      stepsDone: 3,
      stepsTotal: 3,
      fraction: 1,
      remainingMs: 0,
      label: 'done',
    });
  });
});
