/**
 * The engine's public contract: what a front end (HTTP server, simulator workload) submits and what it
 * gets back, exactly once per submitted request.
 */
import type { SluiceError } from '../core/errors.js';
import type { BatchingSpec, TensorSpec } from '../core/model-spec.js';
import type { TensorMeta } from '../core/tensor.js';

/** Where a request's latency budget comes from (DESIGN.md §1); the first present of timeout, slo, header, default. */
export interface BudgetHints {
  /** `parameters.timeout` in microseconds, as Triton clients send it; 0 means none. */
  readonly timeoutUs?: number;
  /** `parameters.slo_ms`. */
  readonly sloMs?: number;
  /** Header `x-sluice-slo-ms`. */
  readonly headerSloMs?: number;
  /** `parameters.network_ms` or header `x-sluice-network-ms`: time already spent on the network, subtracted. */
  readonly networkMs?: number;
}

export interface SubmittedRequest<P> {
  readonly module: string;
  /** A pinned version (variant); the router chooses when undefined. */
  readonly version: string | undefined;
  /** On the engine's clock. */
  readonly arrivalMs: number;
  readonly budget: BudgetHints;
  /**
   * The request's inputs' metadata, validated against the module's declared inputs. `elements` is the
   * number of data elements actually received, checked against the shape. Omitted by the simulator.
   */
  readonly inputs?: readonly (TensorMeta & { readonly elements: number })[];
  /** Rows along the batch dimension when `inputs` is omitted (simulator); default 1. */
  readonly rows?: number;
  readonly payload: P;
}

interface OutcomeBase {
  /** Engine-assigned id, unique per engine. */
  readonly requestId: number;
  readonly module: string;
  readonly arrivalMs: number;
  /** Absolute deadline on the engine clock; undefined when rejected before one was computed. */
  readonly deadlineMs: number | undefined;
  readonly finishedMs: number;
}

export interface CompletedOutcome<R> extends OutcomeBase {
  readonly kind: 'completed';
  readonly output: R;
  readonly group: string;
  readonly variant: string;
  readonly instanceId: string;
  readonly queueMs: number;
  readonly computeMs: number;
  /** Rows of the batch this request ran in. */
  readonly batchRows: number;
}

export interface FailedOutcome extends OutcomeBase {
  /** `rejected` at admission, `expired` in the queue (504), `failed` during execution. */
  readonly kind: 'rejected' | 'expired' | 'failed';
  readonly error: SluiceError;
  readonly group: string | undefined;
}

export type Outcome<R> = CompletedOutcome<R> | FailedOutcome;

/** One variant's instance group as the engine runs it. */
export interface GroupSettings {
  readonly module: string;
  readonly variant: string;
  /** Largest rows per execution; 1 for a model that does not batch. */
  readonly maxBatch: number;
  readonly batching: BatchingSpec;
  /**
   * How queued requests reach instances: `batch` (default): the deadline-aware batcher; `min-cost-matching`
   * (KAIROS): each request alone, to the instance a minimum-cost assignment picks, possibly waiting for a
   * faster one; `fcfs`: each request alone, oldest first, to the first idle instance.
   */
  readonly dispatch?: 'batch' | 'min-cost-matching' | 'fcfs';
}

/** A module as the engine admits it. */
export interface ModuleSettings {
  readonly name: string;
  /** Declared inputs (shapes without the batch dimension when `batched`). */
  readonly inputs: readonly TensorSpec[];
  /** True when inputs carry a leading batch dimension (the model's max batch > 0). */
  readonly batched: boolean;
  readonly defaultSloMs: number;
  /** Every variant (version) the module has, served or not. */
  readonly variants: readonly string[];
  readonly defaultVariant: string;
}

export interface GroupStats {
  readonly group: string;
  readonly queueLength: number;
  readonly queuedRows: number;
  readonly instances: number;
  readonly busyInstances: number;
}
