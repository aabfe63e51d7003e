// The profiler against real parts: a tiny zoo ResNet in real instance processes (cgroup quota where
// writable), on a small grid, written as profile.json, read back through the schema, attached to the
// repository, and refused once the model file changes.
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleSpec } from '../../src/core/model-spec.js';
import { profileLatencyModel, type Profile } from '../../src/core/profile.js';
import { probePayload, probeShapes } from '../../src/profiler/probe-inputs.js';
import type { ProfileProgress } from '../../src/profiler/progress-tracker.js';
import { runProfile } from '../../src/profiler/run-profile.js';
import { loadModelRepository } from '../../src/runtime/model-repository.js';
import { OnnxWorkerPool } from '../../src/runtime/onnx-worker-pool.js';
import { describeModelFile, profilePath, readProfile, writeProfile } from '../../src/runtime/profile-file.js';
import { SystemClock } from '../../src/runtime/system-clock.js';
import { attachProfiles } from '../../src/runtime/variant-profiles.js';
import { writeZoo } from '../../src/runtime/zoo/write-zoo.js';

let dir: string;
let module: ModuleSpec;
let profile: Profile;
const progress: ProfileProgress[] = [];
const pool = new OnnxWorkerPool();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-profiler-'));
  writeZoo({ dir, scale: 'tiny', variants: ['resnet18', 'resnet34'] });
  const modules = await loadModelRepository(dir);
  module = modules.find((m) => m.name === 'resnet')!;
  const variant = module.variants[0]!;
  const clock = new SystemClock();
  profile = await runProfile(
    {
      module: module.name,
      variant: variant.name,
      modelPath: variant.file,
      modelFile: await describeModelFile(variant.file, 'resnet18/model.onnx'),
      hardware: { name: 'local', kind: 'cpu', maxCores: 2, description: 'test machine' },
      source: { kind: 'measured', measuredAt: new Date().toISOString(), host: 'test', command: 'test' },
      payload: probePayload(module, probeShapes(module)),
      maxBatch: module.maxBatch,
      grid: { batches: [1, 4], cores: [0.5, 1], instances: [2], colocationCores: 1 },
      sampling: { minSamples: 5, maxSamples: 40, budgetMs: 200, warmup: 1 },
      percentile: 'p99',
      latencyTargetMs: 100,
      sloMs: 100,
      capacityCheck: { cores: 1, requests: 100 },
      resize: { fromCores: 0.5, toCores: 1 },
      coldStartRuns: 1,
    },
    { host: pool, clock, onProgress: (p) => progress.push(p) },
  );
}, 120_000);

afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runProfile on a tiny ResNet', () => {
  it('measures every grid point on single instances, and co-location at batch 1', () => {
    const single = profile.points.filter((p) => p.instances === 1);
    expect(single.map((p) => [p.batch, p.cores])).toEqual([
      [1, 0.5],
      [4, 0.5],
      [1, 1],
      [4, 1],
    ]);
    for (const p of single) {
      expect(p.samples).toBeGreaterThanOrEqual(5);
      expect(p.samples).toBeLessThanOrEqual(40);
      expect(p.p50Ms).toBeGreaterThan(0);
      expect(p.p99Ms).toBeGreaterThanOrEqual(p.p50Ms);
      expect(p.throughputRps).toBeCloseTo((p.batch * 1000) / p.meanMs, 0);
    }
    const colocated = profile.points.filter((p) => p.instances === 2);
    expect(colocated).toHaveLength(1);
    expect(colocated[0]!.cores).toBe(0.5);
    expect(colocated[0]!.samples).toBeGreaterThanOrEqual(10);
  });

  it('fits a non-negative Sponge model and derives h(b,c) from it', () => {
    const m = profile.fit.model;
    for (const v of [m.gamma, m.delta, m.epsilon, m.eta]) expect(v).toBeGreaterThanOrEqual(0);
    expect(profile.fit.points).toHaveLength(4);
    for (const t of profile.throughput) {
      const l = (m.gamma * t.batch) / t.cores + m.delta * t.batch + m.epsilon / t.cores + m.eta;
      expect(t.throughputRps).toBeCloseTo((1000 * t.batch) / l, 6);
    }
  });

  it('times cold start and an in-place resize, and compares them', () => {
    expect(profile.coldStart?.samples).toBe(2);
    expect(profile.coldStart!.coldStartMs).toBeGreaterThan(profile.coldStart!.loadMs);
    const r = profile.resize!;
    expect(r.fromCores).toBe(0.5);
    expect(r.toCores).toBe(1);
    expect(r.effectiveMs).toBeGreaterThan(0);
    expect(r.speedupOverColdStart).toBeCloseTo(profile.coldStart!.coldStartMs / r.effectiveMs, 6);
  });

  it('states the batching-or-co-location verdict with the numbers behind it', () => {
    const v = profile.verdict!;
    expect(['batching', 'co-location']).toContain(v.choice);
    expect(v.totalCores).toBe(1);
    const better = v.batching.gain >= v.colocation.gain ? 'batching' : 'co-location';
    expect(v.choice).toBe(better);
    expect(v.reason).toContain(`${v.colocation.instances} co-located`);
  });

  it('derives a capacity per core count and checks one live', () => {
    const cap = profile.capacity!;
    expect(cap.sloMs).toBe(100);
    expect(cap.points.map((p) => [p.cores, p.maxBatch])).toEqual([
      [0.5, 1],
      [0.5, 16],
      [1, 1],
      [1, 16],
    ]);
    for (const p of cap.points) expect(p.rateRps).toBeGreaterThan(0);
    expect(cap.checks).toHaveLength(1);
    expect(cap.checks[0]!.requests).toBeGreaterThanOrEqual(50);
    expect(cap.checks[0]!.withinSlo).toBe(cap.checks[0]!.measuredMs <= 100);
  });

  it('reports progress with an estimate of the time left', () => {
    expect(progress.length).toBeGreaterThan(10);
    const last = progress[progress.length - 1]!;
    expect(last.stepsDone).toBe(last.stepsTotal);
    expect(last.fraction).toBe(1);
    expect(progress.some((p) => p.remainingMs !== undefined && p.remainingMs > 0)).toBe(true);
    expect(progress.map((p) => p.stepsDone)).toEqual(
      [...progress.map((p) => p.stepsDone)].sort((a, b) => a - b),
    );
  });
});

describe('profile.json', () => {
  it('round-trips through the schema and becomes the variant latency model', async () => {
    const path = profilePath(module.dir, 'resnet18');
    await writeProfile(path, profile);
    const read = await readProfile(path, {
      module: 'resnet',
      variant: 'resnet18',
      modelPath: module.variants[0]!.file,
    });
    expect(read.ok).toBe(true);
    const attached = await attachProfiles([module]);
    expect(attached.problems).toEqual([]);
    // The same model the planners take from it (the table where the fit is poor, as for this tiny model).
    expect(attached.modules[0]!.variants[0]!.latency).toEqual(profileLatencyModel(profile));
    // The variant without a profile keeps no latency model.
    expect(attached.modules[0]!.variants[1]!.latency).toBeUndefined();
  });

  it('refuses a profile of another variant, naming the file', async () => {
    const path = profilePath(module.dir, 'resnet34');
    await writeProfile(path, profile);
    const attached = await attachProfiles([module]);
    expect(attached.problems).toHaveLength(1);
    expect(attached.problems[0]).toMatch(
      /resnet34\/profile\.json: is the profile of variant 'resnet18', not 'resnet34'; not used/,
    );
    expect(attached.modules[0]!.variants[1]!.latency).toBeUndefined();
    await rm(path);
  });

  it('refuses malformed files, naming the bad field', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"format": "sluice-profile/1",');
    expect((await readProfile(path)).ok === false && (await readProfile(path))).toMatchObject({
      problem: expect.stringMatching(/is not valid JSON/),
    });
    const broken = { ...profile, points: [{ ...profile.points[0]!, p99Ms: -3 }], extra: 1 };
    await writeFile(path, JSON.stringify(broken));
    const read = await readProfile(path);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problem).toMatch(/points\.0\.p99Ms: must be > 0/);
      expect(read.problem).toMatch(/must NOT have additional properties 'extra'/);
    }
  });

  it('is reported stale, not used, once the model file changes', async () => {
    const variant = module.variants[0]!;
    const original = await readFile(variant.file);
    await appendFile(variant.file, Buffer.from([0]));
    try {
      const attached = await attachProfiles([module]);
      expect(attached.problems).toHaveLength(1);
      expect(attached.problems[0]).toMatch(/is stale: .*model\.onnx changed since it was profiled/);
      expect(attached.problems[0]).toMatch(/sluice profile --module resnet --variant resnet18/);
      expect(attached.modules[0]!.variants[0]!.latency).toBeUndefined();
    } finally {
      await writeFile(variant.file, original);
    }
  });
});
