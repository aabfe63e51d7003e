/**
 * The messages between the pool (parent) and an instance worker (child process), and how they are framed
 * on the wire. Every message is a plain object tagged by `kind`.
 *
 * They travel over one Unix stream socket (the child's fd 3, see instance-process.ts), one frame each,
 * in both directions. A frame is
 *
 *   offset 0  u32 LE  frame bytes, this header included; always a multiple of 8
 *   offset 4  u32 LE  metadata bytes (M)
 *   offset 8  M bytes of UTF-8 JSON: the message, its tensors (`run.inputs`, `result.outputs`)
 *            replaced by one `TensorDescriptor` each
 *   then      zero padding to the next multiple of 8, and each tensor's bytes in descriptor order, each
 *            starting at a multiple of 8 from the frame's start and padded to one
 *
 * Numeric tensors are their typed array's bytes in the host's byte order (parent and child share the
 * host); BYTES tensors are, per string, a u32 LE byte count and the UTF-8 bytes (a lone surrogate arrives
 * as U+FFFD, as onnxruntime's UTF-8 strings would hold it anyway). The 8-byte alignment lets the receiver
 * view tensor data in place, as typed arrays of any element size, when a frame arrives whole in one chunk;
 * otherwise it copies the frame once (frame-parser.ts).
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

/** Any message, in either direction: what the frame codec carries. */
export type WireMessage = ParentMessage | WorkerMessage;

/** The worker's file descriptor of the frame socket (stdio index 3 of the child process). */
export const FRAME_FD = 3;

/** Bytes of the fixed frame header: frame bytes and metadata bytes, two u32 LE. */
export const FRAME_HEADER_BYTES = 8;

/** Frames, and tensor data inside them, start at multiples of this many bytes (the largest element). */
export const FRAME_ALIGN_BYTES = 8;

/** `bytes` rounded up to the frame alignment: where the next tensor (or frame) starts. */
export function alignFrameOffset(bytes: number): number {
  return Math.ceil(bytes / FRAME_ALIGN_BYTES) * FRAME_ALIGN_BYTES;
}

/** The largest frame the u32 length can state, rounded down to the alignment. */
export const MAX_FRAME_BYTES = 0xffff_fff8;

/** A tensor's description in a frame's metadata; its data follows the metadata (see the file header). */
export interface TensorDescriptor {
  readonly name: string;
  readonly datatype: Tensor['datatype'];
  readonly shape: readonly number[];
  /** Bytes of the encoded data, without padding. */
  readonly byteLength: number;
}

/**
 * The field holding a message's tensors, for the kinds that carry any. In a frame's metadata the same
 * field holds the tensors' `TensorDescriptor`s, and their data follows the metadata.
 */
export const TENSOR_FIELDS: Readonly<Partial<Record<WireMessage['kind'], 'inputs' | 'outputs'>>> = {
  run: 'inputs',
  result: 'outputs',
};
