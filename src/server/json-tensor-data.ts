/**
 * Tensor `data` in the JSON encoding of the Open Inference Protocol: decoding (flat or nested arrays,
 * checked element by element against the datatype) into the flat typed representation of core/tensor.ts,
 * and encoding back to JSON text by hand (no generic serialiser walks large arrays).
 */
import { SluiceError } from '../core/errors.js';
import type { Datatype, Tensor, TensorData } from '../core/tensor.js';
import { fromHalfBits, toHalfBits } from './half-float.js';

/** Inclusive integer ranges of the integer datatypes that fit a JS number exactly. */
const INTEGER_RANGES: Partial<Record<Datatype, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
};

/**
 * Decodes JSON tensor data. `data` may be flat (exactly `count` elements) or nested exactly like `shape`;
 * 64-bit integers must be safe integers (JSON numbers beyond 2^53 have already lost precision), FP32/FP16
 * values must not overflow to infinity, BOOL takes true/false/0/1, BYTES takes strings.
 * @param count the element count of `shape`, already bounded by `elementCount`
 * @param where names the tensor in error messages
 * @throws SluiceError INVALID_INPUT
 */
export function decodeJsonTensorData(
  datatype: Datatype,
  shape: readonly number[],
  count: number,
  data: unknown,
  where: string,
): TensorData {
  if (!Array.isArray(data)) throw invalid(`${where}: "data" must be an array`);
  let flat: readonly unknown[];
  if (shape.length >= 2 && data.length > 0 && Array.isArray(data[0])) {
    flat = flattenNested(data, shape, where);
  } else {
    // Checked before anything is allocated: a huge declared shape with little data costs nothing.
    if (data.length !== count) {
      throw invalid(
        `${where}: "data" has ${data.length} elements but shape [${shape.join(',')}] needs ${count}`,
      );
    }
    flat = data;
  }
  return fill(datatype, flat, where);
}

/** Encodes tensor data as a JSON array text: non-finite floats as the strings "NaN", "Infinity", "-Infinity". */
export function encodeJsonTensorData(tensor: Tensor): string {
  const data = tensor.data;
  if (Array.isArray(data)) return JSON.stringify(data);
  switch (tensor.datatype) {
    case 'BOOL':
      return `[${Array.from(data as Uint8Array, (v) => (v === 0 ? 'false' : 'true')).join(',')}]`;
    case 'FP16':
      return encodeFloats(Float64Array.from(data as Uint16Array, fromHalfBits));
    case 'FP32':
    case 'FP64':
      return encodeFloats(data as Float32Array | Float64Array);
    default:
      // Integers (BigInt ones included) print exactly.
      return `[${data.join(',')}]`;
  }
}

function encodeFloats(values: Float32Array | Float64Array): string {
  for (let i = 0; i < values.length; i++) {
    // JSON has no NaN or Infinity; the OIP allows strings in tensor data and numpy parses these back.
    if (!Number.isFinite(values[i])) return `[${Array.from(values, encodeFloat).join(',')}]`;
  }
  return `[${values.join(',')}]`;
}

function encodeFloat(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return '"NaN"';
  return value > 0 ? '"Infinity"' : '"-Infinity"';
}

function flattenNested(data: readonly unknown[], shape: readonly number[], where: string): unknown[] {
  const leaves: unknown[] = [];
  const last = shape.length - 1;
  // Recursion depth is the tensor's rank, which the decoder bounds.
  const walk = (node: unknown, depth: number): void => {
    const want = shape[depth] ?? 0;
    if (!Array.isArray(node) || node.length !== want) {
      throw invalid(
        `${where}: nested "data" does not match shape [${shape.join(',')}] at depth ${depth} ` +
          `(expected ${want} elements, got ${Array.isArray(node) ? node.length : 'a scalar'})`,
      );
    }
    if (depth === last) {
      for (const value of node) leaves.push(value);
    } else {
      for (const child of node) walk(child, depth + 1);
    }
  };
  walk(data, 0);
  return leaves;
}

function fill(datatype: Datatype, values: readonly unknown[], where: string): TensorData {
  const n = values.length;
  const reject = (i: number): SluiceError =>
    invalid(`${where}: element ${i} (${describe(values[i])}) is not a valid ${datatype} value`);
  switch (datatype) {
    case 'BYTES': {
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'string') throw reject(i);
        out[i] = v;
      }
      return out;
    }
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === true || v === 1) out[i] = 1;
        else if (v !== false && v !== 0) throw reject(i);
      }
      return out;
    }
    case 'FP16': {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'number') throw reject(i);
        const bits = toHalfBits(v);
        if ((bits & 0x7c00) === 0x7c00) throw invalid(`${where}: element ${i} (${v}) overflows FP16`);
        out[i] = bits;
      }
      return out;
    }
    case 'FP32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'number') throw reject(i);
        const f = Math.fround(v);
        if (!Number.isFinite(f)) throw invalid(`${where}: element ${i} (${v}) overflows FP32`);
        out[i] = f;
      }
      return out;
    }
    case 'FP64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'number') throw reject(i);
        out[i] = v;
      }
      return out;
    }
    case 'INT64':
    case 'UINT64': {
      const out = datatype === 'INT64' ? new BigInt64Array(n) : new BigUint64Array(n);
      const min = datatype === 'INT64' ? Number.MIN_SAFE_INTEGER : 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!Number.isSafeInteger(v) || (v as number) < min) throw reject(i);
        out[i] = BigInt(v as number);
      }
      return out;
    }
    default: {
      const range = INTEGER_RANGES[datatype];
      if (range === undefined) throw invalid(`${where}: unsupported datatype ${datatype}`);
      const [min, max] = range;
      const out = allocateInteger(datatype, n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw reject(i);
        out[i] = v as number;
      }
      return out;
    }
  }
}

function allocateInteger(
  datatype: Datatype,
  n: number,
): Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array {
  switch (datatype) {
    case 'INT8':
      return new Int8Array(n);
    case 'INT16':
      return new Int16Array(n);
    case 'INT32':
      return new Int32Array(n);
    case 'UINT8':
      return new Uint8Array(n);
    case 'UINT16':
      return new Uint16Array(n);
    default:
      return new Uint32Array(n);
  }
}

function describe(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
