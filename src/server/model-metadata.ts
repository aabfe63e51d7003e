/**
 * The OIP model metadata of a module (`GET /v2/models/{m}`), shaped like Triton's: versions are the
 * module's variants, and a batching model's tensors show the batch dimension as a leading -1.
 */
import type { ModuleSpec, TensorSpec } from '../core/model-spec.js';

/** Platform reported for every module (Triton's name for ONNX models served by onnxruntime). */
export const PLATFORM = 'onnxruntime_onnx';

export interface MetadataTensor {
  readonly name: string;
  readonly datatype: string;
  /** -1 marks a dimension of any size, the batch dimension included. */
  readonly shape: readonly number[];
}

export interface ModelMetadata {
  readonly name: string;
  readonly versions: readonly string[];
  readonly platform: string;
  readonly inputs: readonly MetadataTensor[];
  readonly outputs: readonly MetadataTensor[];
}

/** Metadata for `module`; identical whichever version is asked for, since variants share their signature. */
export function modelMetadata(module: ModuleSpec): ModelMetadata {
  const batched = module.maxBatch > 0;
  const tensor = (spec: TensorSpec): MetadataTensor => ({
    name: spec.name,
    datatype: spec.datatype,
    shape: batched ? [-1, ...spec.shape] : [...spec.shape],
  });
  return {
    name: module.name,
    versions: module.variants.map((v) => v.name),
    platform: PLATFORM,
    inputs: module.inputs.map(tensor),
    outputs: module.outputs.map(tensor),
  };
}

/** Platform reported for an application (a pipeline of modules, `apps/<name>.yaml`). */
export const APP_PLATFORM = 'sluice-app';

/**
 * Metadata of an application: its own inputs and outputs (shapes as declared: one request is one item,
 * there is no batch dimension), version `1`, platform `sluice-app`.
 */
export function appMetadata(app: {
  readonly name: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}): ModelMetadata {
  const tensor = (spec: TensorSpec): MetadataTensor => ({
    name: spec.name,
    datatype: spec.datatype,
    shape: [...spec.shape],
  });
  return {
    name: app.name,
    versions: ['1'],
    platform: APP_PLATFORM,
    inputs: app.inputs.map(tensor),
    outputs: app.outputs.map(tensor),
  };
}
