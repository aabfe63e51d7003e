/**
 * The receiving half of the frame codec (format: worker-protocol.ts): takes the byte stream in chunks as
 * they arrive, however the frames are cut (split across chunks, several in one), and returns each
 * complete message. Pure: no I/O, no timers.
 *
 * Copies: a frame spread over chunks is assembled once into a buffer of its exact size, allocated when
 * its header arrives, and its tensors are typed-array views of that buffer. A frame that lies whole
 * inside one chunk is decoded in place, its tensors views of the chunk, unless the caller reuses chunk
 * memory (`chunksReused`), when it is copied out like a split one. Either way the messages keep the memory
 * they view alive.
 *
 * The peer is our own code: a malformed frame is a bug or a broken stream, not input to recover from.
 * `push` throws then, and the parser refuses further chunks; the owner discards the stream with it.
 */
import { SluiceError } from '../core/errors.js';
import { decodeByteStrings } from '../core/byte-strings.js';
import {
  bytesPerElement,
  isDatatype,
  typedArrayView,
  type NumericDatatype,
  type NumericTensorData,
  type Tensor,
} from '../core/tensor.js';
import {
  alignFrameOffset,
  FRAME_ALIGN_BYTES,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  TENSOR_FIELDS,
  type TensorDescriptor,
  type WireMessage,
} from './worker-protocol.js';

/** How the caller hands chunks to a `FrameParser`. */
export interface FrameParserOptions {
  /**
   * The caller passes the same memory again for later chunks (a socket's `onread` buffer), so nothing
   * may view it after `push` returns: every frame is copied out. Default false (Node's stream chunks
   * are fresh buffers).
   */
  readonly chunksReused?: boolean;
}

/**
 * An incremental frame decoder for one stream. `M` is what the peer sends (`WorkerMessage` in the parent,
 * `ParentMessage` in the worker); it is trusted, not checked.
 */
export class FrameParser<M extends WireMessage = WireMessage> {
  private readonly chunksReused: boolean;
  /** A header cut by a chunk boundary, gathered here. */
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFilled = 0;
  /** The frame being assembled (or copied out of a reused chunk), and how much of it has arrived. */
  private partial: Buffer | undefined;
  private partialFilled = 0;
  private broken: Error | undefined;

  constructor(options: FrameParserOptions = {}) {
    this.chunksReused = options.chunksReused ?? false;
  }

  /** Bytes received that belong to a frame not yet complete. */
  get buffered(): number {
    return this.partial === undefined ? this.headerFilled : this.partialFilled;
  }

  /** Consumes a chunk; returns the messages it completed, in stream order. */
  push(chunk: Buffer): M[] {
    if (this.broken !== undefined) throw this.broken;
    try {
      return this.consume(chunk);
    } catch (error) {
      this.broken = error instanceof Error ? error : new Error(String(error));
      throw this.broken;
    }
  }

  private consume(chunk: Buffer): M[] {
    const messages: M[] = [];
    let at = 0;
    while (at < chunk.byteLength) {
      const partial = this.partial;
      if (partial !== undefined) {
        const taken = chunk.copy(partial, this.partialFilled, at);
        this.partialFilled += taken;
        at += taken;
        if (this.partialFilled === partial.byteLength) {
          this.partial = undefined;
          messages.push(decodeFrame(partial, 0) as M);
        }
      } else if (this.headerFilled > 0 || chunk.byteLength - at < FRAME_HEADER_BYTES) {
        const taken = chunk.copy(this.header, this.headerFilled, at, at + FRAME_HEADER_BYTES);
        this.headerFilled += taken;
        at += taken;
        if (this.headerFilled === FRAME_HEADER_BYTES) {
          this.headerFilled = 0;
          this.begin(this.header, 0);
        }
      } else {
        const frameBytes = frameLength(chunk, at);
        if (!this.chunksReused && chunk.byteLength - at >= frameBytes) {
          messages.push(decodeFrame(chunk, at) as M);
          at += frameBytes;
        } else {
          this.begin(chunk, at);
          at += FRAME_HEADER_BYTES;
        }
      }
    }
    return messages;
  }

  /** Allocates the frame whose header is at `source[at]` and copies the header into it. */
  private begin(source: Buffer, at: number): void {
    // Large frames get their own ArrayBuffer at offset 0, small ones a slice of Node's pool, which Node
    // keeps 8-byte aligned: the tensors inside are aligned for their element type (`view` copies if not).
    const frame = Buffer.allocUnsafe(frameLength(source, at));
    source.copy(frame, 0, at, at + FRAME_HEADER_BYTES);
    this.partial = frame;
    this.partialFilled = FRAME_HEADER_BYTES;
  }
}

/** The frame length stated by the header at `buffer[at]`, checked. */
function frameLength(buffer: Buffer, at: number): number {
  const frameBytes = buffer.readUInt32LE(at);
  const metaBytes = buffer.readUInt32LE(at + 4);
  if (
    metaBytes === 0 ||
    frameBytes % FRAME_ALIGN_BYTES !== 0 ||
    frameBytes > MAX_FRAME_BYTES ||
    frameBytes < FRAME_HEADER_BYTES + metaBytes
  ) {
    throw corrupt(`header states ${frameBytes} frame bytes and ${metaBytes} metadata bytes`);
  }
  return frameBytes;
}

/** Decodes the complete frame at `buffer[start]`. */
function decodeFrame(buffer: Buffer, start: number): WireMessage {
  const frameBytes = buffer.readUInt32LE(start);
  const metaBytes = buffer.readUInt32LE(start + 4);
  const metaStart = start + FRAME_HEADER_BYTES;
  let meta: unknown;
  try {
    meta = JSON.parse(buffer.toString('utf8', metaStart, metaStart + metaBytes));
  } catch (error) {
    throw corrupt(`metadata is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof meta !== 'object' || meta === null) throw corrupt('metadata is not a message');
  const message = meta as Record<string, unknown>;
  const field = TENSOR_FIELDS[message.kind as WireMessage['kind']];
  if (field === undefined) return message as unknown as WireMessage;
  const descriptors = message[field];
  if (!Array.isArray(descriptors)) throw corrupt(`'${String(message.kind)}' without its ${field}`);
  const end = start + frameBytes;
  let offset = start + alignFrameOffset(FRAME_HEADER_BYTES + metaBytes);
  const tensors: Tensor[] = [];
  for (const descriptor of descriptors) {
    const { name, datatype, shape, byteLength } = checkDescriptor(descriptor);
    if (offset + byteLength > end) throw corrupt(`tensor '${name}' runs past the end of the frame`);
    const data =
      datatype === 'BYTES'
        ? decodeStrings(buffer, offset, byteLength, name)
        : view(buffer, offset, byteLength, datatype);
    tensors.push({ name, datatype, shape, data });
    // Offsets are aligned relative to the frame's start (the frame starts aligned in the stream).
    offset = start + alignFrameOffset(offset - start + byteLength);
  }
  message[field] = tensors;
  return message as unknown as WireMessage;
}

function checkDescriptor(value: unknown): TensorDescriptor {
  const d = value as Partial<Record<keyof TensorDescriptor, unknown>> | null;
  if (
    typeof d !== 'object' ||
    d === null ||
    typeof d.name !== 'string' ||
    !isDatatype(d.datatype) ||
    !isShape(d.shape) ||
    !Number.isSafeInteger(d.byteLength) ||
    (d.byteLength as number) < 0
  ) {
    throw corrupt(`bad tensor descriptor ${JSON.stringify(value)}`);
  }
  const descriptor = d as TensorDescriptor;
  const size = bytesPerElement(descriptor.datatype);
  if (size > 0 && descriptor.byteLength % size !== 0) {
    throw corrupt(`tensor '${descriptor.name}': ${descriptor.byteLength} bytes of ${descriptor.datatype}`);
  }
  return descriptor;
}

function isShape(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (const dim of value) if (!Number.isSafeInteger(dim) || (dim as number) < 0) return false;
  return true;
}

/** Typed-array view of the bytes at `buffer[at]`, or a copy where the memory is misaligned for the type. */
function view(buffer: Buffer, at: number, byteLength: number, datatype: NumericDatatype): NumericTensorData {
  const length = byteLength / bytesPerElement(datatype);
  const offset = buffer.byteOffset + at;
  // A SharedArrayBuffer never backs a received chunk; copy rather than share one if it ever did.
  if (buffer.buffer instanceof ArrayBuffer && offset % bytesPerElement(datatype) === 0) {
    return typedArrayView(datatype, buffer.buffer, offset, length);
  }
  const copy = new ArrayBuffer(byteLength);
  new Uint8Array(copy).set(buffer.subarray(at, at + byteLength));
  return typedArrayView(datatype, copy, 0, length);
}

function decodeStrings(buffer: Buffer, at: number, byteLength: number, name: string): string[] {
  // Lenient UTF-8: the peer encoded these strings itself; a lone surrogate arrives as U+FFFD.
  const strings = decodeByteStrings(buffer.subarray(at, at + byteLength), { strictUtf8: false });
  if (!Array.isArray(strings)) throw corrupt(`BYTES tensor '${name}': ${strings.problem}`);
  return strings;
}

function corrupt(detail: string): SluiceError {
  return new SluiceError('INTERNAL', `malformed frame from the peer process: ${detail}`);
}
