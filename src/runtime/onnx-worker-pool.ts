/**
 * The live `Backend`: each instance is an OS process running onnxruntime-node (instance-worker.ts),
 * confined to its CPU allocation (cgroup quota, or threads and affinity), started, resized in place,
 * supervised and stopped here. A batch's items are concatenated along dimension 0, run in one
 * `session.run`, and the outputs split back by the items' rows.
 *
 * Supervision: when a process dies, the batches it held fail once with a retryable `INSTANCE_FAILED`
 * (retrying on another instance is the engine's job), `onInstanceLost` listeners hear of it first, and
 * the instance is restarted with the same id and allocation, with exponential back-off, until it is
 * ready again (`onInstanceReady`) or the attempts run out (`onInstanceFailed`; the allocation is then
 * released and the id forgotten). A stopped instance is never restarted.
 *
 * Ownership: the pool owns its processes, allocations and timers; call `close()` before exiting.
 */
import { SluiceError } from '../core/errors.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import type { Backend, Batch, BatchResult } from '../ports/backend.js';
import type { Clock, TimerId } from '../ports/clock.js';
import type { InstanceHost } from '../ports/instance-host.js';
import { concatBatchInputs, outputsToFetch, splitBatchOutputs } from './batch-tensors.js';
import { CgroupCpuAllocator, type CpuAllocation, type CpuAllocator } from './cgroup-cpu-allocator.js';
import {
  InstanceProcess,
  resolveWorkerEntry,
  type ProcessExit,
  type WorkerEntry,
} from './instance-process.js';
import { ListenerSet } from './listener-set.js';
import { checkModelSignature } from './model-signature.js';
import type {
  InstanceFailed,
  InstanceInfo,
  InstanceLost,
  InstanceReady,
  OnnxWorkerPoolOptions,
  StartInstanceOptions,
} from './onnx-worker-pool-types.js';
import { SystemClock } from './system-clock.js';
import { declaredWarmupShapes } from './warmup-shape.js';
import type { LoadFailedMessage } from './worker-protocol.js';

export type {
  InstanceFailed,
  InstanceInfo,
  InstanceLost,
  InstanceReady,
  OnnxWorkerPoolOptions,
  StartInstanceOptions,
} from './onnx-worker-pool-types.js';

type Phase = 'starting' | 'ready' | 'restarting' | 'stopping' | 'failed';

interface Instance {
  readonly options: StartInstanceOptions;
  readonly allocation: CpuAllocation;
  phase: Phase;
  process: InstanceProcess | undefined;
  info: InstanceInfo | undefined;
  /** Intra-op threads the current (or next) process runs with. */
  threads: number;
  readonly inflight: Set<Promise<void>>;
  restartTimer: TimerId | undefined;
  /** Resizes, one at a time. */
  resizing: Promise<void>;
  stopped: Promise<void> | undefined;
}

/** Instance processes running onnxruntime-node, as a `Backend` (see the file's header). */
export class OnnxWorkerPool implements Backend<InferencePayload, InferenceResult>, InstanceHost {
  /** How instance processes are started. */
  readonly workerEntry: WorkerEntry;
  private readonly allocator: CpuAllocator;
  private readonly clock: Clock;
  private readonly restartAttempts: number;
  private readonly restartBackoffMs: number;
  private readonly maxRestartBackoffMs: number;
  private readonly stopTimeoutMs: number;
  private readonly warmupRuns: number;
  private readonly instances = new Map<string, Instance>();
  private readonly lost = new ListenerSet<InstanceLost>();
  private readonly ready = new ListenerSet<InstanceReady>();
  private readonly failed = new ListenerSet<InstanceFailed>();
  private closed = false;

  constructor(options: OnnxWorkerPoolOptions = {}) {
    this.allocator = options.allocator ?? new CgroupCpuAllocator();
    this.clock = options.clock ?? new SystemClock();
    this.restartAttempts = options.restartAttempts ?? 5;
    this.restartBackoffMs = options.restartBackoffMs ?? 100;
    this.maxRestartBackoffMs = options.maxRestartBackoffMs ?? 5000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.warmupRuns = options.warmupRuns ?? 2;
    this.workerEntry = options.workerEntry ?? resolveWorkerEntry();
  }

  /** Spawns, confines, loads and warms up an instance; rejects (and cleans up) if any step fails. */
  async startInstance(options: StartInstanceOptions): Promise<InstanceInfo> {
    const id = options.instanceId;
    if (this.closed) throw new SluiceError('NOT_READY', `the worker pool is closed; cannot start '${id}'`);
    if (this.instances.has(id)) {
      throw new SluiceError('INVALID_CONFIG', `instance '${id}' is already running`);
    }
    checkThreads(id, options.intraOpThreads);
    // Instance ids repeat across servers (`m/v@local#1`); the server's pid keeps two servers on one machine
    // from sharing (and resizing) each other's cgroups.
    const allocation = await this.allocator.allocate(`${process.pid}.${id}`, options.cores);
    const instance: Instance = {
      options,
      allocation,
      phase: 'starting',
      process: undefined,
      info: undefined,
      threads: options.intraOpThreads ?? allocation.threads,
      inflight: new Set(),
      restartTimer: undefined,
      resizing: Promise.resolve(),
      stopped: undefined,
    };
    this.instances.set(id, instance);
    let info: InstanceInfo;
    try {
      info = await this.launch(instance);
    } catch (error) {
      // Unless a stop took over meanwhile, the start owns the clean-up.
      if (instance.phase !== 'starting') {
        throw new SluiceError('NOT_READY', `instance '${id}' was stopped while starting`);
      }
      await this.forget(instance);
      throw error;
    }
    if (instance.phase !== 'starting') {
      throw new SluiceError('NOT_READY', `instance '${id}' was stopped while starting`);
    }
    instance.phase = 'ready';
    instance.info = info;
    return info;
  }

  execute(batch: Batch<InferencePayload>, done: (result: BatchResult<InferenceResult>) => void): void {
    const finish = (result: BatchResult<InferenceResult>): void => queueMicrotask(() => done(result));
    const fail = (retryable: boolean, error: SluiceError): void => finish({ ok: false, retryable, error });
    const id = batch.instanceId;
    const instance = this.instances.get(id);
    const child = instance?.process;
    const info = instance?.info;
    if (instance === undefined || instance.phase !== 'ready' || child === undefined || info === undefined) {
      const state = instance === undefined ? 'unknown' : instance.phase;
      return fail(true, new SluiceError('INSTANCE_FAILED', `instance '${id}' is not ready (${state})`));
    }
    let inputs;
    let fetch;
    try {
      inputs = concatBatchInputs(
        batch.items.map((item) => ({ rows: item.rows, inputs: item.payload.inputs })),
      );
      fetch = outputsToFetch(
        info.group,
        info.outputs.map((o) => o.name),
        batch.items.map((item) => item.payload.outputs),
      );
    } catch (error) {
      return fail(false, asSluiceError(error));
    }
    const running = child.run(batch.batchId, inputs, fetch).then(
      (reply) => {
        if (reply.kind === 'error') {
          return fail(
            false,
            new SluiceError(reply.code, `instance '${id}' of '${info.group}': ${reply.message}`),
          );
        }
        try {
          const split = splitBatchOutputs(
            reply.outputs,
            batch.items.map((item) => ({ rows: item.rows, outputs: item.payload.outputs })),
          );
          finish({ ok: true, outputs: split.map((outputs) => ({ outputs })), computeMs: reply.computeMs });
        } catch (error) {
          fail(false, asSluiceError(error));
        }
      },
      (error: unknown) =>
        fail(
          true,
          new SluiceError('INSTANCE_FAILED', `batch ${batch.batchId}: ${asSluiceError(error).message}`),
        ),
    );
    instance.inflight.add(running);
    void running.finally(() => instance.inflight.delete(running));
  }

  /**
   * Changes an instance's allocation in place: the quota (or affinity) at once, then the session's
   * intra-op threads (the given count, else the one fixed at start, else ceil(cores)) by a background
   * rebuild; batches keep running meanwhile. Resolves when both are done. Only a ready instance can be
   * resized (`NOT_READY` otherwise); if its process dies meanwhile, the restart gets the new allocation.
   */
  resizeInstance(instanceId: string, cores: number, intraOpThreads?: number): Promise<void> {
    const instance = this.instances.get(instanceId);
    if (instance === undefined) {
      return Promise.reject(new SluiceError('INTERNAL', `unknown instance '${instanceId}'`));
    }
    const step = instance.resizing.then(() => this.resize(instance, cores, intraOpThreads));
    instance.resizing = step.catch(() => undefined);
    return step;
  }

  /** Stops an instance gracefully: its batches in flight finish, then it exits and its cgroup goes. */
  stopInstance(instanceId: string): Promise<void> {
    const instance = this.instances.get(instanceId);
    if (instance === undefined) return Promise.resolve();
    instance.stopped ??= this.stop(instance);
    return instance.stopped;
  }

  /** Stops every instance (killing those that do not finish within `stopTimeoutMs`); no start after this. */
  async close(): Promise<void> {
    this.closed = true;
    const results = await Promise.allSettled([...this.instances.keys()].map((id) => this.stopInstance(id)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure !== undefined) throw asSluiceError(failure.reason);
  }

  /** The instance's current state, when it is ready. */
  instanceInfo(instanceId: string): InstanceInfo | undefined {
    const instance = this.instances.get(instanceId);
    return instance?.phase === 'ready' ? instance.info : undefined;
  }

  /** Called when a ready instance's process dies, before its batches in flight are failed. */
  onInstanceLost(listener: (event: InstanceLost) => void): () => void {
    return this.lost.add(listener);
  }

  /** Called when a lost instance has been restarted and is ready again (not on the first start). */
  onInstanceReady(listener: (event: InstanceReady) => void): () => void {
    return this.ready.add(listener);
  }

  /** Called when a lost instance could not be restarted; it is then gone from the pool. */
  onInstanceFailed(listener: (event: InstanceFailed) => void): () => void {
    return this.failed.add(listener);
  }

  /** One process for the instance, confined, loaded, warmed up and checked; killed again on failure. */
  private async launch(instance: Instance): Promise<InstanceInfo> {
    const { options, allocation } = instance;
    const child: InstanceProcess = new InstanceProcess(this.workerEntry, (exit) =>
      this.exited(instance, child, exit),
    );
    instance.process = child;
    try {
      await allocation.attach(child.pid);
      const reply = await child.load({
        modelPath: options.modelPath,
        intraOpThreads: instance.threads,
        warmupShapes: declaredWarmupShapes(options.expected),
        warmupRuns: this.warmupRuns,
      });
      const mismatch =
        options.expected === undefined || reply.inputs === undefined || reply.outputs === undefined
          ? undefined
          : checkModelSignature(options.modelPath, options.expected, {
              inputs: reply.inputs,
              outputs: reply.outputs,
            });
      if (mismatch !== undefined) throw mismatch;
      if (reply.kind === 'load-failed') throw loadError(options.modelPath, reply);
      return {
        instanceId: options.instanceId,
        group: options.group,
        pid: reply.pid,
        loadMs: reply.loadMs,
        warmupMs: reply.warmupMs,
        cpuMechanism: allocation.mechanism,
        cores: allocation.cores,
        intraOpThreads: reply.intraOpThreads,
        cgroupDir: allocation.cgroupDir,
        inputs: reply.inputs,
        outputs: reply.outputs,
      };
    } catch (error) {
      child.kill();
      await child.exited;
      throw asSluiceError(error);
    }
  }

  private exited(instance: Instance, child: InstanceProcess, exit: ProcessExit): void {
    if (instance.process !== child || instance.phase !== 'ready') return;
    instance.phase = 'restarting';
    const { instanceId, group } = instance.options;
    const how =
      exit.signal === null ? `exited with code ${String(exit.code)}` : `was killed by ${exit.signal}`;
    const error = new SluiceError('INSTANCE_FAILED', `instance '${instanceId}' (pid ${child.pid}) ${how}`);
    this.lost.emit({ instanceId, group, error });
    this.scheduleRestart(instance, 1);
  }

  private scheduleRestart(instance: Instance, attempt: number): void {
    const delayMs = Math.min(this.maxRestartBackoffMs, this.restartBackoffMs * 2 ** (attempt - 1));
    instance.restartTimer = this.clock.setTimer(this.clock.nowMs() + delayMs, () => {
      instance.restartTimer = undefined;
      void this.restart(instance, attempt);
    });
  }

  private async restart(instance: Instance, attempt: number): Promise<void> {
    if (instance.phase !== 'restarting') return;
    const { instanceId, group } = instance.options;
    let info: InstanceInfo;
    try {
      info = await this.launch(instance);
    } catch (error) {
      if (instance.phase !== 'restarting') return;
      if (attempt < this.restartAttempts) return this.scheduleRestart(instance, attempt + 1);
      instance.phase = 'failed';
      let failure = asSluiceError(error);
      await this.forget(instance).catch((cleanup: unknown) => {
        failure = new SluiceError(failure.code, `${failure.message}; ${asSluiceError(cleanup).message}`);
      });
      this.failed.emit({ instanceId, group, error: failure, attempts: attempt });
      return;
    }
    // A stop that came in meanwhile has killed this process and owns the clean-up.
    if (instance.phase !== 'restarting') return;
    instance.phase = 'ready';
    instance.info = info;
    this.ready.emit({ instanceId, group, info, attempt });
  }

  private async resize(instance: Instance, cores: number, intraOpThreads: number | undefined): Promise<void> {
    const id = instance.options.instanceId;
    checkThreads(id, intraOpThreads);
    // Starting or restarting, a process may be loading with the current thread count: resize once ready.
    if (instance.phase !== 'ready') {
      throw new SluiceError(
        'NOT_READY',
        `instance '${id}' is ${instance.phase}; it can be resized once ready`,
      );
    }
    await instance.allocation.resize(cores);
    const previous = instance.threads;
    // From here on a restarted process gets the new count too.
    instance.threads = intraOpThreads ?? instance.options.intraOpThreads ?? instance.allocation.threads;
    const child = instance.process;
    if (child !== undefined && instance.threads !== previous) {
      const reply = await child.setThreads(instance.threads);
      if (reply.kind === 'threads-failed') {
        instance.threads = previous;
        throw new SluiceError(
          'INTERNAL',
          `instance '${id}': rebuilding with ${reply.threads} threads failed: ${reply.message}`,
        );
      }
    }
    if (instance.info !== undefined) {
      instance.info = { ...instance.info, cores, intraOpThreads: instance.threads };
    }
  }

  private async stop(instance: Instance): Promise<void> {
    const wasReady = instance.phase === 'ready';
    instance.phase = 'stopping';
    if (instance.restartTimer !== undefined) this.clock.clearTimer(instance.restartTimer);
    instance.restartTimer = undefined;
    const child = instance.process;
    if (child !== undefined && !child.dead && wasReady) {
      const timeout = this.timeout(this.stopTimeoutMs);
      await Promise.race([Promise.allSettled([...instance.inflight]), timeout.expired]);
      await Promise.race([child.shutdown(), timeout.expired]);
      timeout.cancel();
    }
    // A process still loading, or one that outlived the timeout.
    child?.kill();
    await child?.exited;
    await this.forget(instance);
  }

  /** Releases the allocation (the instance's processes have exited) and drops the instance. */
  private async forget(instance: Instance): Promise<void> {
    try {
      await instance.allocation.release();
    } finally {
      this.instances.delete(instance.options.instanceId);
    }
  }

  private timeout(ms: number): { expired: Promise<void>; cancel: () => void } {
    let timer: TimerId | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = this.clock.setTimer(this.clock.nowMs() + ms, resolve);
    });
    return { expired, cancel: () => timer !== undefined && this.clock.clearTimer(timer) };
  }
}

function checkThreads(instanceId: string, threads: number | undefined): void {
  if (threads !== undefined && !(Number.isSafeInteger(threads) && threads >= 1)) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `instance '${instanceId}': intra-op threads must be a positive integer, got ${threads}`,
    );
  }
}

function loadError(modelPath: string, reply: LoadFailedMessage): SluiceError {
  const what = reply.stage === 'load' ? 'onnxruntime cannot load it' : 'its warm-up inference failed';
  return new SluiceError('INVALID_CONFIG', `model file '${modelPath}': ${what}: ${reply.message}`);
}

function asSluiceError(error: unknown): SluiceError {
  if (error instanceof SluiceError) return error;
  return new SluiceError('INTERNAL', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
