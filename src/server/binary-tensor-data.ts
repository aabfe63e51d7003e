/**
 * Tensor data in Triton's binary tensor extension: little-endian, row-major, no padding; BOOL one byte
 * (0/1); BYTES each element as a 4-byte little-endian length followed by its bytes. Decoding returns a
 * typed-array view over the request body when the offset is aligned (no copy), else one copy.
 *
 * A decoded view may share its ArrayBuffer with the rest of the request body (and, for small bodies, with
 * Node's buffer pool): consumers must respect `byteOffset`/`byteLength` and must never transfer or detach
 * `data.buffer`.
 */
import { Buffer } from 'node:buffer';
import { SluiceError } from '../core/errors.js';
import { decodeByteStrings, encodeByteStrings } from '../core/byte-strings.js';
import {
  allocateTensorData,
  bytesPerElement,
  typedArrayView,
  type Datatype,
  type NumericTensorData,
  type Tensor,
  type TensorData,
} from '../core/tensor.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `bytes` (exactly the tensor's `binary_data_size` bytes) as `count` elements of `datatype`.
 * @throws SluiceError INVALID_INPUT when the size does not match the shape, a BOOL byte is not 0/1, or a
 *   BYTES element overruns, leaves bytes over, or is not UTF-8.
 */
export function decodeBinaryTensorData(
  datatype: Datatype,
  count: number,
  bytes: Uint8Array,
  where: string,
  /** BYTES elements as one character per byte (binary files) instead of UTF-8 text. */
  latin1 = false,
): TensorData {
  if (datatype === 'BYTES') {
    const strings = decodeByteStrings(bytes, { count, strictUtf8: true, latin1 });
    if (!Array.isArray(strings)) throw invalid(`${where}: ${strings.problem}`);
    return strings;
  }
  const size = bytesPerElement(datatype);
  if (bytes.byteLength !== count * size) {
    throw invalid(
      `${where}: binary_data_size ${bytes.byteLength} does not match ${count} ${datatype} elements (${count * size} bytes)`,
    );
  }
  const numeric = datatype;
  let data: NumericTensorData;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % size === 0) {
    data = typedArrayView(numeric, bytes.buffer, bytes.byteOffset, count);
  } else {
    // Not zero-filled first: every byte is overwritten. Buffer.allocUnsafe places buffers 8-byte aligned.
    const copy = Buffer.allocUnsafe(bytes.byteLength);
    copy.set(bytes);
    if (!LITTLE_ENDIAN_HOST) swapBytes(copy, size);
    if (copy.byteOffset % size === 0) {
      data = typedArrayView(numeric, copy.buffer, copy.byteOffset, count);
    } else {
      data = allocateTensorData(datatype, count) as NumericTensorData;
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(copy);
    }
  }
  if (datatype === 'BOOL') {
    const flags = data as Uint8Array;
    for (let i = 0; i < flags.length; i++) {
      if ((flags[i] ?? 0) > 1) throw invalid(`${where}: BOOL element ${i} is byte ${flags[i]}, not 0 or 1`);
    }
  }
  return data;
}

/** The tensor's data in the binary encoding; a view over the tensor's own memory when no conversion is needed. */
export function encodeBinaryTensorData(tensor: Tensor): Uint8Array {
  const data = tensor.data;
  if (Array.isArray(data)) return encodeByteStrings(data);
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST) return view;
  const copy = Uint8Array.from(view);
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/** Reverses each `size`-byte group in place (little-endian wire format on a big-endian host). */
function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let start = 0; start < bytes.length; start += size) {
    bytes.subarray(start, start + size).reverse();
  }
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
