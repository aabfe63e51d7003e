/**
 * The messages between the pool (parent) and an instance worker (child process). They travel over the
 * `child_process` IPC channel with `serialization: 'advanced'` (V8 serialisation), so tensor data crosses
 * as binary typed arrays, never as JSON text. Every message is a plain object tagged by `kind`.
 */
import type { Tensor } from '../core/tensor.js';

/**
 * An input or output as onnxruntime reports it: `type` is onnxruntime's tensor type name (`float32`,
 * `int64`, `float16`, ...), undefined for a non-tensor value (sequence, map); `shape` holds a number for a
 * fixed dimension and the symbolic name for a dynamic one (empty when the model states no shape).
 */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: string | undefined;
  readonly shape: readonly (number | string)[];
}

// ---- parent → worker ----

export interface LoadMessage {
  readonly kind: 'load';
  /** Absolute path of the ONNX file. */
  readonly modelPath: string;
  /** onnxruntime intra-op threads (inter-op is always 1: Sluice runs the graph sequentially). */
  readonly intraOpThreads: number;
  /**
   * Shapes of the warm-up zeros by input name, as declared in the configuration (batch dimension
   * included); -1 marks a dimension the worker chooses. Inputs not listed follow the model's own shape.
   */
  readonly warmupShapes: Readonly<Record<string, readonly number[]>>;
  /** Warm-up inferences run before `ready` (and before a rebuilt session is swapped in). */
  readonly warmupRuns: number;
}

export interface RunMessage {
  readonly kind: 'run';
  readonly batchId: number;
  /** The batch's inputs, already concatenated along dimension 0. */
  readonly inputs: readonly Tensor[];
  /** Outputs to fetch; all of the model's outputs when undefined. */
  readonly outputNames: readonly string[] | undefined;
}

/** Rebuild the session with a new intra-op thread count in the background and swap it in when warm. */
export interface SetThreadsMessage {
  readonly kind: 'set-threads';
  readonly threads: number;
}

/** Finish the queued work, release the session and exit. */
export interface ShutdownMessage {
  readonly kind: 'shutdown';
}

export type ParentMessage = LoadMessage | RunMessage | SetThreadsMessage | ShutdownMessage;

// ---- worker → parent ----

export interface ReadyMessage {
  readonly kind: 'ready';
  readonly pid: number;
  /** Session creation (parse, optimise, allocate), in ms. */
  readonly loadMs: number;
  /** All warm-up runs together, in ms. */
  readonly warmupMs: number;
  readonly intraOpThreads: number;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface LoadFailedMessage {
  readonly kind: 'load-failed';
  /** `load`: onnxruntime could not create the session; `warmup`: it could, but a warm-up run failed. */
  readonly stage: 'load' | 'warmup';
  readonly message: string;
  /** The model's signature when the session was created (stage `warmup`), so the parent can explain. */
  readonly inputs: readonly OnnxValueInfo[] | undefined;
  readonly outputs: readonly OnnxValueInfo[] | undefined;
}

export interface ResultMessage {
  readonly kind: 'result';
  readonly batchId: number;
  readonly outputs: readonly Tensor[];
  /** `session.run` alone, measured in the worker with `performance.now()`, in ms. */
  readonly computeMs: number;
}

export interface RunErrorMessage {
  readonly kind: 'error';
  readonly batchId: number;
  /** `INVALID_INPUT` when onnxruntime rejected the inputs (shape, type, names), `INTERNAL` otherwise. */
  readonly code: 'INVALID_INPUT' | 'INTERNAL';
  readonly message: string;
}

export interface ThreadsSetMessage {
  readonly kind: 'threads-set';
  readonly threads: number;
  /** Building and warming up the new session, in ms (batches kept running on the old one meanwhile). */
  readonly rebuildMs: number;
}

export interface ThreadsFailedMessage {
  readonly kind: 'threads-failed';
  readonly threads: number;
  readonly message: string;
}

export type WorkerMessage =
  | ReadyMessage
  | LoadFailedMessage
  | ResultMessage
  | RunErrorMessage
  | ThreadsSetMessage
  | ThreadsFailedMessage;
