/**
 * Tensors as the Open Inference Protocol names them. Data is always a flat, row-major typed array
 * (or a string list for BYTES), so tensors cross process boundaries as binary, never as JSON.
 */
import { SluiceError } from './errors.js';

export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;

export type Datatype = (typeof DATATYPES)[number];

export type NumericTensorData =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

/** BOOL is a Uint8Array of 0/1; FP16 is the raw IEEE half bits in a Uint16Array; BYTES is a list of strings. */
export type TensorData = NumericTensorData | string[];

/** Shape and type of a tensor without its data: what admission validates. */
export interface TensorMeta {
  readonly name: string;
  readonly datatype: Datatype;
  readonly shape: readonly number[];
}

export interface Tensor extends TensorMeta {
  readonly data: TensorData;
}

/** The largest tensor Sluice accepts, in elements: bounds memory before any allocation. */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && (DATATYPES as readonly string[]).includes(value);
}

/** Bytes one element occupies in the binary tensor encoding; BYTES is variable-length (0 here). */
export function bytesPerElement(datatype: Datatype): number {
  switch (datatype) {
    case 'BOOL':
    case 'UINT8':
    case 'INT8':
      return 1;
    case 'UINT16':
    case 'INT16':
    case 'FP16':
      return 2;
    case 'UINT32':
    case 'INT32':
    case 'FP32':
      return 4;
    case 'UINT64':
    case 'INT64':
    case 'FP64':
      return 8;
    case 'BYTES':
      return 0;
  }
}

/**
 * Number of elements of a shape. Rejects negative, fractional and overflowing dimensions with a
 * SluiceError (400) instead of allocating.
 */
export function elementCount(shape: readonly number[], what = 'tensor'): number {
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new SluiceError(
        'INVALID_INPUT',
        `${what}: shape dimension ${String(dim)} is not a non-negative integer`,
      );
    }
    count *= dim;
    if (count > MAX_TENSOR_ELEMENTS) {
      throw new SluiceError(
        'INVALID_INPUT',
        `${what}: shape [${shape.join(',')}] has more than ${MAX_TENSOR_ELEMENTS} elements`,
      );
    }
  }
  return count;
}

/** Datatypes held in a typed array (all but BYTES). */
export type NumericDatatype = Exclude<Datatype, 'BYTES'>;

interface TypedArrayConstructor {
  new (length: number): NumericTensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericTensorData;
}

/** The typed array that holds each numeric datatype: BOOL as 0/1 bytes, FP16 as its raw half bits. */
export const TYPED_ARRAY_OF: Readonly<Record<NumericDatatype, TypedArrayConstructor>> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP16: Uint16Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

/** A typed-array view of `length` elements at `byteOffset` (which must be aligned for the type). */
export function typedArrayView(
  datatype: NumericDatatype,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): NumericTensorData {
  return new TYPED_ARRAY_OF[datatype](buffer, byteOffset, length);
}

/** True when `data` is held the way `datatype` must be (the right typed array, or strings for BYTES). */
export function dataFitsDatatype(data: TensorData, datatype: Datatype): boolean {
  return datatype === 'BYTES' ? Array.isArray(data) : data instanceof TYPED_ARRAY_OF[datatype];
}

/** A zero-filled typed array for a numeric datatype (empty strings for BYTES). */
export function allocateTensorData(datatype: Datatype, length: number): TensorData {
  if (datatype === 'BYTES') return new Array<string>(length).fill('');
  return new TYPED_ARRAY_OF[datatype](length);
}

/** Length of the data in elements, whatever its representation. */
export function dataLength(data: TensorData): number {
  return data.length;
}
