/**
 * The port through which code outside the runtime starts, resizes and stops instances and runs batches on
 * them: the profiler measures through it, and the local actuator acts through it. `OnnxWorkerPool` is
 * the live implementation; a simulated host can implement it on a virtual clock.
 */
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import type { Backend } from './backend.js';

export interface HostedInstanceOptions {
  /** Unique among the host's instances. */
  readonly instanceId: string;
  /** Instance group (`module/variant`). */
  readonly group: string;
  /** Absolute path of the model file. */
  readonly modelPath: string;
  /** CPU allocation in (fractional) cores. */
  readonly cores: number;
  /** onnxruntime intra-op threads; default max(1, ceil(cores)). */
  readonly intraOpThreads?: number;
}

/** What the host reports about an instance once it is ready. */
export interface HostedInstance {
  /** Session creation inside the process, in ms. */
  readonly loadMs: number;
  /** How the allocation is enforced (`cgroup-v1`, `cgroup-v2`, `threads+affinity`, `threads`). */
  readonly cpuMechanism: string;
  readonly cores: number;
  readonly intraOpThreads: number;
}

export interface InstanceHost extends Backend<InferencePayload, InferenceResult> {
  /** Starts, confines, loads and warms up an instance; resolves once it can take a batch. */
  startInstance(options: HostedInstanceOptions): Promise<HostedInstance>;
  /** Changes a running instance's allocation in place; resolves once the new allocation is in force. */
  resizeInstance(instanceId: string, cores: number, intraOpThreads?: number): Promise<void>;
  /** Lets batches in flight finish, then stops the instance. */
  stopInstance(instanceId: string): Promise<void>;
}
