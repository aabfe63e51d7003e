/**
 * The Open Inference Protocol's inference request and response bodies, JSON and Triton's binary tensor
 * extension (`Inference-Header-Content-Length`: the first n bytes are the JSON header, the rest the
 * tensors' bytes in input order). Decoding validates everything a hostile body could get wrong and
 * returns a `SluiceError` (400) instead of throwing; encoding writes the JSON text by hand.
 */
import { Buffer } from 'node:buffer';
import { SluiceError } from '../core/errors.js';
import { dataFitsDatatype, elementCount, isDatatype, type Tensor } from '../core/tensor.js';
import { decodeBinaryTensorData, encodeBinaryTensorData } from './binary-tensor-data.js';
import { jsonDepthExceeds } from './json-depth.js';
import { decodeJsonTensorData, encodeJsonTensorData } from './json-tensor-data.js';

/** Highest tensor rank accepted: bounds per-tensor work and the recursion over nested `data`. */
export const MAX_TENSOR_RANK = 32;

/** A requested output; `binary` is the output's own `binary_data` parameter when it has one. */
export interface RequestedOutput {
  readonly name: string;
  readonly binary?: boolean;
}

export interface DecodedInferRequest {
  readonly id?: string;
  /** The request-level `parameters` object as sent (empty when absent). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly inputs: readonly Tensor[];
  /** Outputs the client asked for, in its order; all of the model's outputs when undefined. */
  readonly outputs?: readonly RequestedOutput[];
  /** `parameters.binary_data_output`: return outputs as binary unless an output says otherwise. */
  readonly binaryOutput: boolean;
}

export interface DecodeOptions {
  /** The raw `Inference-Header-Content-Length` header; undefined for a JSON-only body. */
  readonly inferenceHeaderLength: string | undefined;
  /** Deepest array/object nesting accepted in the JSON. */
  readonly maxJsonDepth: number;
  /** Binary BYTES elements as one character per byte (files such as images) instead of UTF-8 text. */
  readonly binaryBytesAsLatin1?: boolean;
}

/** Decodes an inference request body; every failure is a SluiceError INVALID_REQUEST or INVALID_INPUT (400). */
export function decodeInferRequest(body: Buffer, options: DecodeOptions): DecodedInferRequest | SluiceError {
  try {
    return decode(body, options);
  } catch (error) {
    if (error instanceof SluiceError) return error;
    throw error;
  }
}

function decode(body: Buffer, options: DecodeOptions): DecodedInferRequest {
  const jsonEnd = headerLength(options.inferenceHeaderLength, body.length);
  if (jsonEnd === 0) throw invalidRequest('the request body is empty');
  const text = body.toString('utf8', 0, jsonEnd);
  if (jsonDepthExceeds(text, options.maxJsonDepth)) {
    throw invalidRequest(`the JSON nests deeper than ${options.maxJsonDepth} levels`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isObject(root)) throw invalidRequest('the body must be a JSON object');

  const id = own(root, 'id');
  if (id !== undefined && typeof id !== 'string') throw invalidRequest('"id" must be a string');
  const parameters = optionalObject(own(root, 'parameters'), '"parameters"');
  const sequenceId = own(parameters, 'sequence_id');
  if (sequenceId !== undefined && sequenceId !== 0 && sequenceId !== '') {
    throw invalidRequest('sequence batching ("sequence_id") is not supported');
  }
  const binaryOutput = own(parameters, 'binary_data_output');
  if (binaryOutput !== undefined && typeof binaryOutput !== 'boolean') {
    throw invalidRequest('parameters.binary_data_output must be a boolean');
  }

  const rawInputs = own(root, 'inputs');
  if (!Array.isArray(rawInputs)) throw invalidRequest('"inputs" must be an array');
  const inputs: Tensor[] = [];
  const names = new Set<string>();
  let cursor = jsonEnd;
  for (let i = 0; i < rawInputs.length; i++) {
    const { tensor, end } = decodeInput(
      rawInputs[i],
      i,
      body,
      cursor,
      options.inferenceHeaderLength !== undefined,
      options.binaryBytesAsLatin1 === true,
    );
    if (names.has(tensor.name)) throw invalidRequest(`input '${tensor.name}' appears more than once`);
    names.add(tensor.name);
    inputs.push(tensor);
    cursor = end;
  }
  if (cursor !== body.length) {
    throw invalidRequest(
      `${body.length - cursor} bytes of binary data follow the inputs that no input claims`,
    );
  }

  const outputs = decodeOutputs(own(root, 'outputs'));
  return {
    ...(id === undefined ? {} : { id }),
    parameters,
    inputs,
    ...(outputs === undefined ? {} : { outputs }),
    binaryOutput: binaryOutput === true,
  };
}

function headerLength(raw: string | undefined, bodyLength: number): number {
  if (raw === undefined) return bodyLength;
  const text = raw.trim();
  if (!/^\d{1,15}$/.test(text))
    throw invalidRequest(`Inference-Header-Content-Length '${raw}' is not a byte count`);
  const n = Number(text);
  if (n > bodyLength) {
    throw invalidRequest(
      `Inference-Header-Content-Length ${n} is larger than the body (${bodyLength} bytes)`,
    );
  }
  return n;
}

function decodeInput(
  raw: unknown,
  index: number,
  body: Buffer,
  cursor: number,
  binaryBody: boolean,
  latin1: boolean,
): { tensor: Tensor; end: number } {
  if (!isObject(raw)) throw invalidRequest(`inputs[${index}] must be an object`);
  const name = own(raw, 'name');
  if (typeof name !== 'string' || name.length === 0)
    throw invalidRequest(`inputs[${index}].name must be a non-empty string`);
  const where = `input '${name}'`;
  const datatype = own(raw, 'datatype');
  if (!isDatatype(datatype))
    throw invalidInput(`${where}: unknown datatype ${JSON.stringify(datatype) ?? 'undefined'}`);
  const shape = own(raw, 'shape');
  if (!Array.isArray(shape) || shape.length > MAX_TENSOR_RANK) {
    throw invalidInput(`${where}: "shape" must be an array of at most ${MAX_TENSOR_RANK} dimensions`);
  }
  const dims = shape as number[];
  const count = elementCount(dims, where);
  const params = optionalObject(own(raw, 'parameters'), `${where}: "parameters"`);
  if (own(params, 'shared_memory_region') !== undefined) {
    throw invalidRequest(`${where}: the shared-memory extension is not supported`);
  }
  const binarySize = own(params, 'binary_data_size');
  const data = own(raw, 'data');
  if (binarySize === undefined) {
    if (data === undefined)
      throw invalidInput(`${where}: has neither "data" nor parameters.binary_data_size`);
    const tensor: Tensor = {
      name,
      datatype,
      shape: dims,
      data: decodeJsonTensorData(datatype, dims, count, data, where),
    };
    return { tensor, end: cursor };
  }
  if (data !== undefined) throw invalidInput(`${where}: has both "data" and parameters.binary_data_size`);
  if (!binaryBody)
    throw invalidRequest(`${where}: binary_data_size needs the Inference-Header-Content-Length header`);
  if (!Number.isSafeInteger(binarySize) || (binarySize as number) < 0) {
    throw invalidInput(`${where}: binary_data_size must be a non-negative integer`);
  }
  const end = cursor + (binarySize as number);
  if (end > body.length) {
    throw invalidInput(
      `${where}: binary_data_size ${binarySize as number} runs past the end of the body (${body.length - cursor} bytes left)`,
    );
  }
  const tensor: Tensor = {
    name,
    datatype,
    shape: dims,
    data: decodeBinaryTensorData(datatype, count, body.subarray(cursor, end), where, latin1),
  };
  return { tensor, end };
}

function decodeOutputs(raw: unknown): RequestedOutput[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw invalidRequest('"outputs" must be an array');
  const names = new Set<string>();
  return raw.map((entry: unknown, index) => {
    if (!isObject(entry)) throw invalidRequest(`outputs[${index}] must be an object`);
    const name = own(entry, 'name');
    if (typeof name !== 'string' || name.length === 0)
      throw invalidRequest(`outputs[${index}].name must be a non-empty string`);
    if (names.has(name)) throw invalidRequest(`output '${name}' is requested more than once`);
    names.add(name);
    const params = optionalObject(own(entry, 'parameters'), `output '${name}': "parameters"`);
    if (own(params, 'classification') !== undefined) {
      throw invalidRequest(`output '${name}': the classification extension is not supported`);
    }
    if (own(params, 'shared_memory_region') !== undefined) {
      throw invalidRequest(`output '${name}': the shared-memory extension is not supported`);
    }
    const binary = own(params, 'binary_data');
    if (binary !== undefined && typeof binary !== 'boolean') {
      throw invalidRequest(`output '${name}': parameters.binary_data must be a boolean`);
    }
    return binary === undefined ? { name } : { name, binary };
  });
}

/** What an inference response says besides its outputs. */
export interface InferResponseFields {
  readonly modelName: string;
  readonly modelVersion: string;
  readonly id?: string;
  /** Response `parameters`: timing, batch size, variant. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** The result's tensors; `selectOutputs` picks and orders them. */
  readonly outputs: readonly Tensor[];
}

export interface EncodedResponse {
  /** A JSON string, or the JSON header followed by binary tensors. */
  readonly body: string | Buffer;
  readonly contentType: 'application/json' | 'application/octet-stream';
  /** Byte length of the JSON header when binary tensors follow it (the `Inference-Header-Content-Length`). */
  readonly headerLength: number | undefined;
}

/**
 * Encodes an inference response: the requested outputs (all, when the request named none) in the request's
 * order, each as JSON `data` or as binary after the JSON header, per `binary_data` / `binary_data_output`.
 * A tensor that does not match its own datatype and shape, or a requested output the result lacks, is an
 * INTERNAL error: the backend broke its contract.
 */
export function encodeInferResponse(
  fields: InferResponseFields,
  request: Pick<DecodedInferRequest, 'outputs' | 'binaryOutput'>,
): EncodedResponse | SluiceError {
  const chosen: { tensor: Tensor; binary: boolean }[] = [];
  if (request.outputs === undefined) {
    for (const tensor of fields.outputs) chosen.push({ tensor, binary: request.binaryOutput });
  } else {
    for (const wanted of request.outputs) {
      const tensor = fields.outputs.find((t) => t.name === wanted.name);
      if (tensor === undefined)
        return new SluiceError('INTERNAL', `the model returned no output '${wanted.name}'`);
      chosen.push({ tensor, binary: wanted.binary ?? request.binaryOutput });
    }
  }
  const parts: string[] = [];
  const chunks: Uint8Array[] = [];
  for (const { tensor, binary } of chosen) {
    const problem = tensorProblem(tensor);
    if (problem !== undefined) return new SluiceError('INTERNAL', `output '${tensor.name}': ${problem}`);
    const head = `{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}","shape":[${tensor.shape.join(',')}]`;
    if (binary) {
      const bytes = encodeBinaryTensorData(tensor);
      chunks.push(bytes);
      parts.push(`${head},"parameters":{"binary_data_size":${bytes.byteLength}}}`);
    } else {
      parts.push(`${head},"data":${encodeJsonTensorData(tensor)}}`);
    }
  }
  let json = `{"model_name":${JSON.stringify(fields.modelName)},"model_version":${JSON.stringify(fields.modelVersion)}`;
  if (fields.id !== undefined) json += `,"id":${JSON.stringify(fields.id)}`;
  json += `,"parameters":${JSON.stringify(fields.parameters)},"outputs":[${parts.join(',')}]}`;
  if (chunks.length === 0) return { body: json, contentType: 'application/json', headerLength: undefined };
  const header = Buffer.from(json, 'utf8');
  return {
    body: Buffer.concat([header, ...chunks]),
    contentType: 'application/octet-stream',
    headerLength: header.byteLength,
  };
}

function tensorProblem(tensor: Tensor): string | undefined {
  if (!isDatatype(tensor.datatype)) return `unknown datatype ${String(tensor.datatype)}`;
  let count: number;
  try {
    count = elementCount(tensor.shape);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const data = tensor.data;
  if (!dataFitsDatatype(data, tensor.datatype)) {
    return `data does not hold ${tensor.datatype}`;
  }
  if (tensor.data.length !== count)
    return `${tensor.data.length} elements for shape [${tensor.shape.join(',')}]`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a key such as "__proto__" or "constructor" in the JSON must not reach the prototype. */
function own(object: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function optionalObject(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalidRequest(`${what} must be an object`);
  return value;
}

function invalidRequest(message: string): SluiceError {
  return new SluiceError('INVALID_REQUEST', message);
}

function invalidInput(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
