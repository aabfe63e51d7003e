/**
 * Encodes an `OnnxModel` as an ONNX ModelProto. The small messages (nodes, inputs, outputs, tensor headers)
 * go through protobufjs; the weights do not: protobuf lets a repeated field appear in several places and
 * concatenates them, so each initializer is emitted as its own `GraphProto.initializer` entry whose
 * `raw_data` bytes are the Float32Array's own memory. The lengths of all enclosing messages are known from
 * the tensors' shapes before any weight exists, so a full-scale ResNet-152 (~60M floats) is written holding
 * one tensor at a time instead of the whole model twice over.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import {
  ONNX_ATTRIBUTE_TYPE,
  ONNX_DATA_TYPE,
  ONNX_FIELD,
  OnnxSchema,
  lengthDelimitedPrefix,
} from './onnx-schema.js';
import {
  ZOO_IR_VERSION,
  ZOO_OPSET,
  elementsOf,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxModel,
  type OnnxValueInfo,
} from './onnx-model.js';

/** Recorded in ModelProto.producer_name. */
export const ZOO_PRODUCER = 'sluice-zoo';

/** Protobuf messages must stay under 2 GiB; the zoo's largest model is about 240 MB. */
const MAX_MESSAGE_BYTES = 2 ** 31 - 1;

/** One part of the encoded file, in order; `bytes` is called when the part is written. */
interface Part {
  readonly byteLength: number;
  readonly bytes: () => Uint8Array;
  /** Already in memory (not weights generated on demand). */
  readonly eager: boolean;
}

function eager(bytes: Uint8Array): Part {
  return { byteLength: bytes.length, bytes: () => bytes, eager: true };
}

function encodeAttribute(a: OnnxAttribute): Record<string, unknown> {
  switch (a.kind) {
    case 'int':
      return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.INT, i: a.value };
    case 'ints':
      return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.INTS, ints: a.value };
    case 'float':
      return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.FLOAT, f: a.value };
    case 'string':
      return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function encodeValueInfo(v: OnnxValueInfo): Record<string, unknown> {
  const dim = v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name: v.name, type: { tensorType: { elemType: ONNX_DATA_TYPE.FLOAT, shape: { dim } } } };
}

/** Little-endian bytes of the floats, as ONNX raw_data requires. */
function rawBytes(data: Float32Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return out;
}

function initializerParts(init: OnnxInitializer): Part[] {
  const header = OnnxSchema.TensorProto.encode({
    name: init.name,
    dims: init.dims,
    dataType: ONNX_DATA_TYPE.FLOAT,
  }).finish();
  const rawLength = elementsOf(init.dims) * 4;
  const rawPrefix = lengthDelimitedPrefix(ONNX_FIELD.tensorRawData, rawLength);
  const tensorLength = header.length + rawPrefix.length + rawLength;
  const raw: Part = {
    byteLength: rawLength,
    eager: false,
    bytes: () => {
      const data = init.data();
      if (data.length * 4 !== rawLength) {
        throw new Error(`initializer ${init.name}: ${data.length} floats for shape [${init.dims.join(',')}]`);
      }
      return rawBytes(data);
    },
  };
  return [
    eager(lengthDelimitedPrefix(ONNX_FIELD.graphInitializer, tensorLength)),
    eager(header),
    eager(rawPrefix),
    raw,
  ];
}

/** The parts of the encoded model, in file order, with their lengths known up front. */
function modelParts(model: OnnxModel): Part[] {
  const g = model.graph;
  const graphHead = OnnxSchema.GraphProto.encode({
    name: g.name,
    docString: g.docString,
    node: g.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      input: n.inputs,
      output: n.outputs,
      attribute: n.attributes.map(encodeAttribute),
    })),
    input: g.inputs.map(encodeValueInfo),
    output: g.outputs.map(encodeValueInfo),
  }).finish();
  const graphParts = [eager(graphHead), ...g.initializers.flatMap(initializerParts)];
  const graphLength = graphParts.reduce((sum, p) => sum + p.byteLength, 0);
  const modelHead = OnnxSchema.ModelProto.encode({
    irVersion: ZOO_IR_VERSION,
    producerName: ZOO_PRODUCER,
    producerVersion: '1',
    docString: model.docString,
    opsetImport: [{ domain: '', version: ZOO_OPSET }],
  }).finish();
  const parts = [
    eager(modelHead),
    eager(lengthDelimitedPrefix(ONNX_FIELD.modelGraph, graphLength)),
    ...graphParts,
  ];
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  if (total > MAX_MESSAGE_BYTES)
    throw new Error(`model ${g.name} would be ${total} bytes, over protobuf's 2 GiB limit`);
  return parts;
}

/**
 * True when `path` holds this model as `writeOnnxModel` would write it: same size, and the same bytes up to
 * the first weights. That prefix holds the whole graph and the doc string (variant, scale, seed), so a file
 * made with other settings differs there; the weights themselves are not generated or compared.
 */
export function fileMatchesOnnxModel(path: string, model: OnnxModel): boolean {
  const parts = modelParts(model);
  if (!existsSync(path) || statSync(path).size !== parts.reduce((sum, p) => sum + p.byteLength, 0))
    return false;
  const firstLazy = parts.findIndex((p) => !p.eager);
  const head = parts.slice(0, firstLazy === -1 ? parts.length : firstLazy).map((p) => p.bytes());
  const expected = Buffer.concat(head);
  const actual = Buffer.alloc(expected.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, actual, 0, actual.length, 0);
  } finally {
    closeSync(fd);
  }
  return actual.equals(expected);
}

/** The whole model as bytes in memory: for small models and tests (onnxruntime also loads from a buffer). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const parts = modelParts(model);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part.bytes(), offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Writes the model to `path` and returns its size in bytes. Writes a temporary file beside it and renames
 * it into place, so a reader (or a concurrent writer of the same model) never sees a partial file.
 */
export function writeOnnxModel(path: string, model: OnnxModel): number {
  const parts = modelParts(model);
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  let written = 0;
  try {
    for (const part of parts) {
      const bytes = part.bytes();
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      written += bytes.length;
    }
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return written;
}
