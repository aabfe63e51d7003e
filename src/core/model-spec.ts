/**
 * What a module (a model with interchangeable variants) looks like once its `config.yaml` is loaded and
 * validated. Paths are absolute; every optional key of the file has its default filled in.
 */
import type { Datatype } from './tensor.js';
import type { LatencyModel } from './latency-model.js';

/** A declared input or output. With `maxBatch > 0` the shape excludes the leading batch dimension (as in Triton). */
export interface TensorSpec {
  readonly name: string;
  readonly datatype: Datatype;
  /** -1 marks a dimension of any size. */
  readonly shape: readonly number[];
}

export interface VariantSpec {
  readonly name: string;
  /** Absolute path of the ONNX file. */
  readonly file: string;
  /** Top-1 accuracy in [0, 1]; nominal (the published figure of the matching architecture) unless measured. */
  readonly accuracy: number;
  /** Where the accuracy figure comes from, e.g. "nominal: torchvision resnet50 ImageNet top-1". */
  readonly accuracySource: string;
  /** Latency model from the variant's profile, when one exists. */
  readonly latency?: LatencyModel;
}

/** How the engine batches and admits requests for a module's instance groups. */
export interface BatchingSpec {
  /** Dispatch as soon as this many rows are queued; at most `maxBatch`. */
  readonly preferredBatch: number;
  /** With an idle instance, wait at most this long for a batch to fill, in ms. */
  readonly maxQueueDelayMs: number;
  /** `deadline`: Sluice's deadline-aware EDF batcher; `fifo`: Triton-style (max batch + max queue delay, FIFO). */
  readonly policy: 'deadline' | 'fifo';
  /** `reject`: refuse at arrival what cannot be met; `drop`: answer 504 when it expires queued; `serve`: serve anyway. */
  readonly admission: 'reject' | 'drop' | 'serve';
  /** Queued requests beyond this are refused with OVERLOADED (503). */
  readonly maxQueueLength: number;
}

export interface InstanceSpec {
  /** Instances per variant group started at launch (the default variant only, unless a plan says otherwise). */
  readonly count: number;
  /** CPU allocation per instance in (fractional) cores. */
  readonly cores: number;
  /** onnxruntime intra-op threads; defaults to ceil(cores). */
  readonly intraOpThreads: number;
}

export interface ModuleSpec {
  readonly name: string;
  readonly platform: 'onnxruntime';
  /** The directory holding `config.yaml`. */
  readonly dir: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Largest batch (rows along the first dimension) one execution may take; 0 = the model does not batch. */
  readonly maxBatch: number;
  /** SLO used when the request states none, in ms. */
  readonly defaultSloMs: number;
  readonly variants: readonly VariantSpec[];
  /** The variant served when the request names no version and no plan says otherwise. */
  readonly defaultVariant: string;
  readonly batching: BatchingSpec;
  readonly instances: InstanceSpec;
  readonly description: string;
}

/** The id of one variant's instance group: `module/variant`. */
export function groupId(module: string, variant: string): string {
  return `${module}/${variant}`;
}
