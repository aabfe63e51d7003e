/**
 * The one mapping between the Open Inference Protocol's datatype names (Sluice's) and onnxruntime's tensor
 * type names. Both sides of the worker boundary use it: the pool to check a model against its
 * configuration, the worker to build onnxruntime tensors.
 */
import type { Datatype } from '../core/tensor.js';

/** onnxruntime's tensor type names that Sluice datatypes map to. */
export type OnnxTensorType =
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'string';

/** onnxruntime's name for each Sluice datatype. FP16 data stays raw half bits (Uint16Array) on both sides. */
export const ONNX_TENSOR_TYPES: Readonly<Record<Datatype, OnnxTensorType>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const DATATYPE_OF = new Map<string, Datatype>(
  Object.entries(ONNX_TENSOR_TYPES).map(([datatype, onnx]) => [onnx, datatype as Datatype]),
);

/** The Sluice datatype of an onnxruntime tensor type; undefined for types Sluice cannot carry (int4, ...). */
export function datatypeOfOnnx(type: string | undefined): Datatype | undefined {
  return type === undefined ? undefined : DATATYPE_OF.get(type);
}
