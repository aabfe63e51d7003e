/**
 * Encodes a message into one frame (format: worker-protocol.ts), as the buffers to write in order.
 *
 * Tensors are not copied: their buffers are views of the tensors' own memory, written with the header in
 * one `writev` (frame-channel.ts), so the data must not change until the frame has been written. Only
 * frames up to `COALESCE_BYTES` are copied whole into one buffer, a slice of Node's buffer pool: there
 * one small memcpy costs less than a vectored write. Above it, allocating a buffer of the frame's size
 * costs more than it saves (a 12 kB batch encoded in about 10 µs as views, 16 µs copied).
 */
import { encodeByteStrings } from '../core/byte-strings.js';
import { SluiceError } from '../core/errors.js';
import { bytesPerElement, type Tensor } from '../core/tensor.js';
import {
  alignFrameOffset,
  FRAME_ALIGN_BYTES,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  TENSOR_FIELDS,
  type TensorDescriptor,
  type WireMessage,
} from './worker-protocol.js';

/**
 * Frames up to this many bytes are sent as one copied buffer, larger ones as views. Node serves
 * `allocUnsafe` below 4 kB from its pool, without a new allocation.
 */
export const COALESCE_BYTES = 4095;

const ZEROS = Buffer.alloc(FRAME_ALIGN_BYTES);
const NO_TENSORS: readonly Tensor[] = [];

/**
 * The frame of `message`, as buffers whose concatenation is the frame. Throws `INTERNAL` when a tensor's
 * data does not fit its datatype (a typed array of another element size, strings for a numeric type),
 * or the frame would exceed `MAX_FRAME_BYTES`; nothing is written then.
 */
export function encodeFrame(message: WireMessage): Buffer[] {
  const field = TENSOR_FIELDS[message.kind];
  const tensors =
    message.kind === 'run' ? message.inputs : message.kind === 'result' ? message.outputs : NO_TENSORS;
  const bodies: Buffer[] = [];
  const descriptors: TensorDescriptor[] = [];
  for (const tensor of tensors) {
    const body = tensorBytes(tensor);
    bodies.push(body);
    const { name, datatype, shape } = tensor;
    descriptors.push({ name, datatype, shape, byteLength: body.byteLength });
  }
  const json = JSON.stringify(field === undefined ? message : { ...message, [field]: descriptors });
  const metaBytes = Buffer.byteLength(json);
  const headBytes = alignFrameOffset(FRAME_HEADER_BYTES + metaBytes);
  let frameBytes = headBytes;
  for (const body of bodies) frameBytes += alignFrameOffset(body.byteLength);
  if (frameBytes > MAX_FRAME_BYTES) {
    throw new SluiceError(
      'INTERNAL',
      `a '${message.kind}' frame of ${frameBytes} bytes exceeds the limit of ${MAX_FRAME_BYTES}`,
    );
  }

  const coalesce = frameBytes <= COALESCE_BYTES;
  const head = Buffer.allocUnsafe(coalesce ? frameBytes : headBytes);
  head.writeUInt32LE(frameBytes, 0);
  head.writeUInt32LE(metaBytes, 4);
  head.write(json, FRAME_HEADER_BYTES, 'utf8');
  head.fill(0, FRAME_HEADER_BYTES + metaBytes, headBytes);
  const chunks: Buffer[] = [head];
  let offset = headBytes;
  for (const body of bodies) {
    const padding = alignFrameOffset(body.byteLength) - body.byteLength;
    if (coalesce) {
      body.copy(head, offset);
      head.fill(0, offset + body.byteLength, offset + body.byteLength + padding);
    } else {
      if (body.byteLength > 0) chunks.push(body);
      if (padding > 0) chunks.push(ZEROS.subarray(0, padding));
    }
    offset += body.byteLength + padding;
  }
  return chunks;
}

/** A tensor's data as bytes: a view for numeric data, an encoded copy for BYTES. */
function tensorBytes(tensor: Tensor): Buffer {
  const { data, datatype } = tensor;
  if (datatype === 'BYTES') {
    if (!Array.isArray(data)) throw misfit(tensor, data.constructor.name);
    const encoded = encodeByteStrings(data);
    return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  }
  if (Array.isArray(data)) throw misfit(tensor, 'a string list');
  if (data.BYTES_PER_ELEMENT !== bytesPerElement(datatype)) throw misfit(tensor, data.constructor.name);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function misfit(tensor: Tensor, held: string): SluiceError {
  return new SluiceError(
    'INTERNAL',
    `tensor '${tensor.name}': ${tensor.datatype} data held in ${held} cannot be framed`,
  );
}
