/**
 * The vocabulary of `OnnxWorkerPool` (onnx-worker-pool.ts): how to start an instance, what the pool
 * reports about it, the supervision events, and the pool's options with their defaults.
 */
import type { SluiceError } from '../core/errors.js';
import type { Clock } from '../ports/clock.js';
import type { CpuAllocator, CpuMechanism } from './cgroup-cpu-allocator.js';
import type { WorkerEntry } from './instance-process.js';
import type { DeclaredSignature } from './model-signature.js';
import type { OnnxValueInfo } from './worker-protocol.js';

export interface StartInstanceOptions {
  /** Unique among the pool's instances; reusable once the instance has stopped. */
  readonly instanceId: string;
  /** Instance group (`module/variant`), reported back in events. */
  readonly group: string;
  /** Absolute path of the ONNX file. */
  readonly modelPath: string;
  /** CPU allocation in (fractional) cores. */
  readonly cores: number;
  /** onnxruntime intra-op threads, kept across resizes. Default: max(1, ceil(cores)), following resizes. */
  readonly intraOpThreads?: number;
  /** The configuration's signature: checked against the model, and the shapes of the warm-up zeros. */
  readonly expected?: DeclaredSignature;
}

export interface InstanceInfo {
  readonly instanceId: string;
  readonly group: string;
  /** Of the current process; changes when the instance is restarted. */
  readonly pid: number;
  /** Session creation in the worker, in ms. */
  readonly loadMs: number;
  /** The warm-up runs together, in ms. */
  readonly warmupMs: number;
  readonly cpuMechanism: CpuMechanism;
  readonly cores: number;
  readonly intraOpThreads: number;
  /** The instance's cgroup directory under a cgroup mechanism. */
  readonly cgroupDir: string | undefined;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface InstanceLost {
  readonly instanceId: string;
  readonly group: string;
  readonly error: SluiceError;
}

export interface InstanceReady {
  readonly instanceId: string;
  readonly group: string;
  readonly info: InstanceInfo;
  /** The restart attempt that succeeded, from 1. */
  readonly attempt: number;
}

export interface InstanceFailed {
  readonly instanceId: string;
  readonly group: string;
  /** Why the last attempt failed. */
  readonly error: SluiceError;
  readonly attempts: number;
}

export interface OnnxWorkerPoolOptions {
  /** Default: a `CgroupCpuAllocator` with its defaults. */
  readonly allocator?: CpuAllocator;
  /** For back-off and stop timeouts. Default: a `SystemClock`. */
  readonly clock?: Clock;
  /** Restart attempts after a crash before giving up. Default 5. */
  readonly restartAttempts?: number;
  /** Delay before the first restart attempt, doubled for each further one, in ms. Default 100. */
  readonly restartBackoffMs?: number;
  /** Ceiling of the restart delay, in ms. Default 5000. */
  readonly maxRestartBackoffMs?: number;
  /** How long stop and close wait for batches in flight and a clean exit before SIGKILL, in ms. Default 10000. */
  readonly stopTimeoutMs?: number;
  /** Warm-up inferences per session (at start, restart and thread rebuild). Default 2. */
  readonly warmupRuns?: number;
  /** Default: the worker beside this module (`.ts` through tsx, or compiled `.js`). */
  readonly workerEntry?: WorkerEntry;
}
