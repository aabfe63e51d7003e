// Adaptive serving against real parts: the control path's deployment, through the local actuator, resizes a
// real instance process in place while requests keep flowing through the engine; nothing fails, and the new
// allocation is in force (the cgroup quota where cgroups are writable, the instance's reported cores and
// threads everywhere).
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deployment } from '../../src/control/deployment.js';
import type { InferencePayload, InferenceResult } from '../../src/core/inference.js';
import type { ModuleSpec } from '../../src/core/model-spec.js';
import { Engine } from '../../src/engine/engine.js';
import { registerModule } from '../../src/engine/register-module.js';
import type { Outcome } from '../../src/engine/types.js';
import type { Plan } from '../../src/planner/plan.js';
import { probePayload, probeShapes } from '../../src/profiler/probe-inputs.js';
import { LocalActuator } from '../../src/runtime/local-actuator.js';
import { loadModelRepository } from '../../src/runtime/model-repository.js';
import { OnnxWorkerPool } from '../../src/runtime/onnx-worker-pool.js';
import { SystemClock } from '../../src/runtime/system-clock.js';
import { writeZoo } from '../../src/runtime/zoo/write-zoo.js';

let dir: string;
let module: ModuleSpec;
const pool = new OnnxWorkerPool();
const clock = new SystemClock();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-resize-'));
  writeZoo({ dir, scale: 'tiny', variants: ['resnet18'] });
  module = (await loadModelRepository(dir)).find((m) => m.name === 'resnet')!;
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

const planAt = (cores: number): Plan => ({
  feasible: true,
  planner: 'test',
  costPerHour: cores,
  cores,
  capacityRps: 100,
  accuracy: 0.7,
  objectiveValue: cores,
  predicted: { latencyMs: {} },
  apps: [],
  modules: [
    {
      name: 'resnet',
      budgetMs: 1000,
      tuples: [
        { variant: 'resnet18', hardware: 'local', cores, batch: 4, instances: 1, rateRps: 50, dummyRps: 0 },
      ],
    },
  ],
  reason: '',
});

describe('in-place resize under load', () => {
  it('resizes a running instance without a failed request and the new allocation is in force', async () => {
    const engine = new Engine<InferencePayload, InferenceResult>({ clock, backend: pool });
    registerModule(engine, module);
    const events: string[] = [];
    const deployment = new Deployment({
      clock,
      actuator: new LocalActuator(pool, clock, { modelPathOf: () => module.variants[0]!.file, threads: 2 }),
      serving: engine,
      onEvent: (e) => events.push(`${e.kind} ${e.instanceId} ${e.detail}`),
    });
    deployment.apply(planAt(0.5));
    await waitFor(() => deployment.serving.length === 1);
    const id = deployment.serving[0]!.id;

    // Requests every 2 ms for as long as the resize takes and then some.
    const payload = probePayload(module, probeShapes(module));
    const outcomes: Outcome<InferenceResult>[] = [];
    let sending = true;
    let sent = 0;
    const send = (): void => {
      if (!sending) return;
      sent += 1;
      engine.submit(
        { module: 'resnet', version: undefined, arrivalMs: clock.nowMs(), budget: { sloMs: 2000 }, payload },
        (o) => outcomes.push(o),
      );
      setTimeout(send, 2);
    };
    send();
    await sleep(200);
    const before = outcomes.length;
    deployment.apply(planAt(1.5));
    await waitFor(() => events.some((e) => e.startsWith(`resized ${id}`)));
    await sleep(300);
    sending = false;
    await waitFor(() => outcomes.length === sent);

    expect(before).toBeGreaterThan(10);
    expect(outcomes.length).toBe(sent);
    expect(outcomes.flatMap((o) => (o.kind === 'completed' ? [] : [o.error.message]))).toEqual([]);
    // Served by the same instance before and after: resized, not replaced.
    expect(new Set(outcomes.map((o) => (o.kind === 'completed' ? o.instanceId : '')))).toEqual(new Set([id]));
    expect(events.filter((e) => e.startsWith('start-asked'))).toHaveLength(1);
    const info = pool.instanceInfo(id)!;
    expect(info.cores).toBe(1.5);
    expect(info.intraOpThreads).toBe(2);
    if (info.cgroupDir !== undefined && info.cpuMechanism === 'cgroup-v1') {
      const quota = Number(await readFile(join(info.cgroupDir, 'cpu.cfs_quota_us'), 'utf8'));
      const period = Number(await readFile(join(info.cgroupDir, 'cpu.cfs_period_us'), 'utf8'));
      expect(quota / period).toBeCloseTo(1.5, 6);
    }
    deployment.apply({ ...planAt(1), modules: [] });
    await waitFor(() => deployment.instances.length === 0);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const began = Date.now();
  while (!condition()) {
    if (Date.now() - began > timeoutMs) throw new Error('timed out waiting');
    await sleep(10);
  }
}
