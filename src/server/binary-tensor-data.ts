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
import {
  allocateTensorData,
  bytesPerElement,
  type Datatype,
  type NumericTensorData,
  type Tensor,
  type TensorData,
} from '../core/tensor.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// fatal: BYTES tensors are strings in core/tensor.ts; bytes that are not UTF-8 would be silently mangled.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

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
): TensorData {
  if (datatype === 'BYTES') return decodeByteStrings(count, bytes, where);
  const size = bytesPerElement(datatype);
  if (bytes.byteLength !== count * size) {
    throw invalid(
      `${where}: binary_data_size ${bytes.byteLength} does not match ${count} ${datatype} elements (${count * size} bytes)`,
    );
  }
  let data: NumericTensorData;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % size === 0) {
    data = typedView(datatype, bytes.buffer, bytes.byteOffset, count);
  } else {
    // Not zero-filled first: every byte is overwritten. Buffer.allocUnsafe places buffers 8-byte aligned.
    const copy = Buffer.allocUnsafe(bytes.byteLength);
    copy.set(bytes);
    if (!LITTLE_ENDIAN_HOST) swapBytes(copy, size);
    if (copy.byteOffset % size === 0) {
      data = typedView(datatype, copy.buffer, copy.byteOffset, count);
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

function decodeByteStrings(count: number, bytes: Uint8Array, where: string): string[] {
  // Every element takes at least its 4-byte length: bounds the allocation below by the bytes received.
  if (count * 4 > bytes.byteLength) {
    throw invalid(`${where}: ${bytes.byteLength} bytes cannot hold ${count} BYTES elements`);
  }
  const out = new Array<string>(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.byteLength) throw invalid(`${where}: BYTES element ${i} has no length prefix`);
    const length =
      ((bytes[offset] ?? 0) |
        ((bytes[offset + 1] ?? 0) << 8) |
        ((bytes[offset + 2] ?? 0) << 16) |
        ((bytes[offset + 3] ?? 0) << 24)) >>>
      0;
    offset += 4;
    if (offset + length > bytes.byteLength)
      throw invalid(`${where}: BYTES element ${i} (${length} bytes) overruns the tensor's data`);
    try {
      out[i] = UTF8.decode(bytes.subarray(offset, offset + length));
    } catch {
      throw invalid(
        `${where}: BYTES element ${i} is not valid UTF-8 (only text BYTES tensors are supported)`,
      );
    }
    offset += length;
  }
  if (offset !== bytes.byteLength) {
    throw invalid(`${where}: ${bytes.byteLength - offset} bytes left over after ${count} BYTES elements`);
  }
  return out;
}

function encodeByteStrings(strings: readonly string[]): Uint8Array {
  let total = 0;
  for (const s of strings) total += 4 + Buffer.byteLength(s, 'utf8');
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const s of strings) {
    const length = out.write(s, offset + 4, 'utf8');
    out.writeUInt32LE(length, offset);
    offset += 4 + length;
  }
  return out;
}

function typedView(
  datatype: Datatype,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): NumericTensorData {
  switch (datatype) {
    case 'BOOL':
    case 'UINT8':
      return new Uint8Array(buffer, byteOffset, length);
    case 'INT8':
      return new Int8Array(buffer, byteOffset, length);
    case 'UINT16':
    case 'FP16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'INT16':
      return new Int16Array(buffer, byteOffset, length);
    case 'UINT32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'INT32':
      return new Int32Array(buffer, byteOffset, length);
    case 'FP32':
      return new Float32Array(buffer, byteOffset, length);
    case 'UINT64':
      return new BigUint64Array(buffer, byteOffset, length);
    case 'INT64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'FP64':
      return new Float64Array(buffer, byteOffset, length);
    case 'BYTES':
      throw new SluiceError('INTERNAL', 'BYTES has no typed-array view');
  }
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
