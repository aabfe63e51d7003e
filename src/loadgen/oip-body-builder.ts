/**
 * Request bodies for `POST /v2/models/<model>/infer`, built once from the model's input metadata and reused:
 * a handful of random tensor payloads is encoded up front, and each request only prepends its id and deadline
 * parameters (a few dozen bytes), so the send path never encodes tensors. Two encodings:
 * - JSON: `{"id", "parameters", "inputs": [{"name", "shape", "datatype", "data": [...]}]}`;
 * - Triton's binary tensor extension: the same JSON header with `"parameters": {"binary_data_size": n}` per
 *   input and no data, followed by the raw little-endian tensors in input order; the header's length goes in
 *   `Inference-Header-Content-Length`. BYTES elements are a 4-byte little-endian length and the bytes.
 */
import type { Rng } from '../ports/rng.js';
import { bytesPerElement, elementCount, type Datatype, type TensorMeta } from '../core/tensor.js';

/** An input with every dimension known. */
export interface ConcreteInput {
  readonly name: string;
  readonly datatype: Datatype;
  readonly shape: readonly number[];
}

export interface OipBodyOptions {
  /** Triton binary tensor extension instead of JSON. */
  readonly binary: boolean;
  /** Distinct random payloads to cycle through; default 4. */
  readonly variants?: number;
}

/** One request's body, as chunks to write in order, and the headers that describe it. */
export interface OipRequestBody {
  readonly chunks: readonly Buffer[];
  /** Sum of the chunks' lengths, in bytes. */
  readonly contentLength: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Replaces unknown (-1) dimensions: the first dimension by `batch` (rows per request), any other by `dim`.
 */
export function concreteInputs(inputs: readonly TensorMeta[], batch: number, dim: number): ConcreteInput[] {
  return inputs.map((input) => ({
    name: input.name,
    datatype: input.datatype,
    shape: input.shape.map((d, i) => (d === -1 ? (i === 0 ? batch : dim) : d)),
  }));
}

interface EncodedPayload {
  /** JSON: `"inputs":[...]}`; binary: the raw tensor bytes. */
  readonly tail: Buffer;
  /** Binary only: the inputs part of the JSON header, `"inputs":[...]}`. */
  readonly headerTail: string;
}

export class OipBodyBuilder {
  private readonly payloads: readonly EncodedPayload[];

  constructor(
    readonly inputs: readonly ConcreteInput[],
    private readonly options: OipBodyOptions,
    rng: Rng,
  ) {
    const variants = options.variants ?? 4;
    if (!(Number.isInteger(variants) && variants >= 1))
      throw new RangeError(`variants must be a positive integer, not ${variants}`);
    this.payloads = Array.from({ length: variants }, () => encodePayload(inputs, options.binary, rng));
  }

  /** Bytes of tensor data per request (the binary encoding's payload), for reports. */
  get tensorBytes(): number {
    return this.inputs.reduce((sum, input) => sum + tensorByteLength(input), 0);
  }

  /**
   * The body of request `index` (also its OIP `id`) with request-level `parameters`. Binary bodies also ask
   * for binary outputs (`binary_data_output`), as Triton's clients do, so answers skip JSON encoding too.
   */
  build(index: number, parameters: Readonly<Record<string, number>>): OipRequestBody {
    const payload = this.payloads[index % this.payloads.length] ?? this.payloads[0]!;
    const params = this.options.binary ? { ...parameters, binary_data_output: true } : parameters;
    const head = `{"id":"${index}","parameters":${JSON.stringify(params)},`;
    if (!this.options.binary) {
      const headBuf = Buffer.from(head);
      return {
        chunks: [headBuf, payload.tail],
        contentLength: headBuf.length + payload.tail.length,
        headers: { 'content-type': 'application/json' },
      };
    }
    const header = Buffer.from(head + payload.headerTail);
    return {
      chunks: [header, payload.tail],
      contentLength: header.length + payload.tail.length,
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      },
    };
  }
}

function encodePayload(inputs: readonly ConcreteInput[], binary: boolean, rng: Rng): EncodedPayload {
  const jsonInputs: string[] = [];
  const headerInputs: string[] = [];
  const raw: Buffer[] = [];
  for (const input of inputs) {
    const count = elementCount(input.shape, `input ${input.name}`);
    const meta = `"name":${JSON.stringify(input.name)},"shape":${JSON.stringify(input.shape)},"datatype":"${input.datatype}"`;
    const values = randomValues(input.datatype, count, rng);
    if (binary) {
      const bytes = encodeBinary(input.datatype, values);
      raw.push(bytes);
      headerInputs.push(`{${meta},"parameters":{"binary_data_size":${bytes.length}}}`);
    } else {
      jsonInputs.push(`{${meta},"data":${JSON.stringify(values)}}`);
    }
  }
  return binary
    ? { tail: Buffer.concat(raw), headerTail: `"inputs":[${headerInputs.join(',')}]}` }
    : { tail: Buffer.from(`"inputs":[${jsonInputs.join(',')}]}`), headerTail: '' };
}

/** Values a model accepts whatever it is: floats in [0, 1) at 4 decimals, small non-negative integers, short strings. */
function randomValues(datatype: Datatype, count: number, rng: Rng): number[] | string[] {
  switch (datatype) {
    case 'BYTES':
      return Array.from({ length: count }, () => `sluice-${Math.floor(rng.next() * 1e6)}`);
    case 'BOOL':
      return Array.from({ length: count }, () => (rng.next() < 0.5 ? 0 : 1));
    case 'FP16':
    case 'FP32':
    case 'FP64':
      return Array.from({ length: count }, () => Math.round(rng.next() * 1e4) / 1e4);
    default:
      return Array.from({ length: count }, () => Math.floor(rng.next() * 100));
  }
}

function tensorByteLength(input: ConcreteInput): number {
  const count = elementCount(input.shape);
  return input.datatype === 'BYTES'
    ? count * (4 + 'sluice-000000'.length)
    : count * bytesPerElement(input.datatype);
}

function encodeBinary(datatype: Datatype, values: readonly (number | string)[]): Buffer {
  if (datatype === 'BYTES') {
    return Buffer.concat(
      values.map((v) => {
        const bytes = Buffer.from(String(v));
        const len = Buffer.alloc(4);
        len.writeUInt32LE(bytes.length);
        return Buffer.concat([len, bytes]);
      }),
    );
  }
  const size = bytesPerElement(datatype);
  const out = Buffer.alloc(values.length * size);
  const writers: Record<Exclude<Datatype, 'BYTES'>, (v: number, at: number) => unknown> = {
    BOOL: (v, at) => out.writeUInt8(v, at),
    UINT8: (v, at) => out.writeUInt8(v, at),
    INT8: (v, at) => out.writeInt8(v, at),
    UINT16: (v, at) => out.writeUInt16LE(v, at),
    INT16: (v, at) => out.writeInt16LE(v, at),
    FP16: (v, at) => out.writeUInt16LE(halfBits(v), at),
    UINT32: (v, at) => out.writeUInt32LE(v, at),
    INT32: (v, at) => out.writeInt32LE(v, at),
    FP32: (v, at) => out.writeFloatLE(v, at),
    UINT64: (v, at) => out.writeBigUInt64LE(BigInt(v), at),
    INT64: (v, at) => out.writeBigInt64LE(BigInt(v), at),
    FP64: (v, at) => out.writeDoubleLE(v, at),
  };
  const write = writers[datatype];
  values.forEach((value, i) => write(Number(value), i * size));
  return out;
}

/** IEEE 754 half-precision bits of a finite number in [0, 1) (all `randomValues` produces), rounded to nearest. */
export function halfBits(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const abs = Math.abs(value);
  let exponent = Math.floor(Math.log2(abs));
  if (exponent < -14) return sign | Math.round(abs / 2 ** -24); // subnormal
  let mantissa = Math.round((abs / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  if (exponent > 15) return sign | 0x7c00; // overflow to infinity
  return sign | ((exponent + 15) << 10) | mantissa;
}
