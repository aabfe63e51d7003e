/**
 * The port between deciding and doing: the engine hands a batch to a backend and is told, exactly once,
 * how it went. The live backend runs onnxruntime in instance processes; the simulated one draws batch
 * times from profiles on a virtual clock. `P` is the per-request payload (input tensors live, nothing
 * simulated) and `R` the per-request result.
 */
import type { SluiceError } from '../core/errors.js';

export interface BatchItem<P> {
  readonly requestId: string;
  /** Rows this request contributes along the batch dimension. */
  readonly rows: number;
  readonly payload: P;
}

export interface Batch<P> {
  /** Unique per engine run. */
  readonly batchId: number;
  /** Instance group (`module/variant`). */
  readonly group: string;
  readonly instanceId: string;
  readonly items: readonly BatchItem<P>[];
  /** Sum of the items' rows. */
  readonly rows: number;
}

export type BatchResult<R> =
  | {
      readonly ok: true;
      /** One result per item, in the batch's order. */
      readonly outputs: readonly R[];
      /** Execution time measured by the instance, in ms. */
      readonly computeMs: number;
    }
  | {
      readonly ok: false;
      readonly error: SluiceError;
      /** True when the instance died or was lost, so another instance may succeed: the engine retries once. */
      readonly retryable: boolean;
    };

export interface Backend<P, R> {
  /** Run `batch` on `batch.instanceId`; call `done` exactly once, never synchronously re-entering the caller. */
  execute(batch: Batch<P>, done: (result: BatchResult<R>) => void): void;
}
