// The OIP body codec on its own: JSON and binary tensor decoding with every validation, response encoding.
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/core/errors.js';
import type { Tensor } from '../../src/core/tensor.js';
import { fromHalfBits, toHalfBits } from '../../src/server/half-float.js';
import { jsonDepthExceeds } from '../../src/server/json-depth.js';
import {
  decodeInferRequest,
  encodeInferResponse,
  type DecodedInferRequest,
} from '../../src/server/oip-codec.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const decodeJson = (value: unknown): DecodedInferRequest | SluiceError =>
  decodeInferRequest(json(value), { inferenceHeaderLength: undefined, maxJsonDepth: 64 });
const ok = (result: DecodedInferRequest | SluiceError): DecodedInferRequest => {
  if (result instanceof SluiceError) throw new Error(`unexpected ${result.code}: ${result.message}`);
  return result;
};
const fails = (result: DecodedInferRequest | SluiceError, code: string, text?: RegExp): void => {
  expect(result).toBeInstanceOf(SluiceError);
  expect((result as SluiceError).code).toBe(code);
  expect((result as SluiceError).status).toBe(400);
  if (text !== undefined) expect((result as SluiceError).message).toMatch(text);
};
const input = (datatype: string, shape: unknown, data: unknown): unknown => ({
  inputs: [{ name: 'x', datatype, shape, data }],
});
const binary = (header: unknown, ...tensors: Uint8Array[]): DecodedInferRequest | SluiceError => {
  const head = json(header);
  return decodeInferRequest(Buffer.concat([head, ...tensors]), {
    inferenceHeaderLength: String(head.length),
    maxJsonDepth: 64,
  });
};

describe('decodeInferRequest: JSON tensors', () => {
  it('decodes flat data into the typed array of each datatype', () => {
    const cases: [string, unknown[], unknown][] = [
      ['BOOL', [true, false, 1, 0], Uint8Array.of(1, 0, 1, 0)],
      ['UINT8', [0, 255, 7, 1], Uint8Array.of(0, 255, 7, 1)],
      ['INT8', [-128, 127, 0, 1], Int8Array.of(-128, 127, 0, 1)],
      ['UINT16', [0, 65535, 2, 3], Uint16Array.of(0, 65535, 2, 3)],
      ['INT16', [-32768, 32767, 2, 3], Int16Array.of(-32768, 32767, 2, 3)],
      ['UINT32', [0, 4294967295, 2, 3], Uint32Array.of(0, 4294967295, 2, 3)],
      ['INT32', [-2147483648, 2147483647, 2, 3], Int32Array.of(-2147483648, 2147483647, 2, 3)],
      [
        'INT64',
        [-(2 ** 53 - 1), 2 ** 53 - 1, 0, 1],
        BigInt64Array.of(-(2n ** 53n - 1n), 2n ** 53n - 1n, 0n, 1n),
      ],
      ['UINT64', [0, 2 ** 53 - 1, 2, 3], BigUint64Array.of(0n, 2n ** 53n - 1n, 2n, 3n)],
      ['FP16', [1, -2, 0.5, 65504], Uint16Array.of(0x3c00, 0xc000, 0x3800, 0x7bff)],
      ['FP32', [1.5, -2, 0.1, 3.4e38], Float32Array.of(1.5, -2, 0.1, 3.4e38)],
      ['FP64', [1.5, -2, 0.1, 1e300], Float64Array.of(1.5, -2, 0.1, 1e300)],
      ['BYTES', ['a', '', 'héllo', '{}'], ['a', '', 'héllo', '{}']],
    ];
    for (const [datatype, data, expected] of cases) {
      const decoded = ok(decodeJson(input(datatype, [2, 2], data)));
      expect(decoded.inputs[0], datatype).toEqual({ name: 'x', datatype, shape: [2, 2], data: expected });
    }
  });

  it('accepts nested data that matches the shape, including empty dimensions', () => {
    expect(
      ok(
        decodeJson(
          input(
            'INT32',
            [2, 3],
            [
              [1, 2, 3],
              [4, 5, 6],
            ],
          ),
        ),
      ).inputs[0]!.data,
    ).toEqual(Int32Array.of(1, 2, 3, 4, 5, 6));
    expect(ok(decodeJson(input('FP32', [2, 1, 2], [[[1, 2]], [[3, 4]]]))).inputs[0]!.data).toEqual(
      Float32Array.of(1, 2, 3, 4),
    );
    expect(ok(decodeJson(input('FP32', [2, 0], [[], []]))).inputs[0]!.data).toEqual(new Float32Array(0));
    expect(ok(decodeJson(input('FP32', [], [7]))).inputs[0]!.data).toEqual(Float32Array.of(7));
  });

  it('rejects data shorter or longer than the shape, flat or nested', () => {
    fails(
      decodeJson(input('FP32', [2, 2], [1, 2, 3])),
      'INVALID_INPUT',
      /3 elements but shape \[2,2\] needs 4/,
    );
    fails(decodeJson(input('FP32', [2, 2], [1, 2, 3, 4, 5])), 'INVALID_INPUT', /5 elements/);
    fails(decodeJson(input('FP32', [2, 2], [[1, 2], [3]])), 'INVALID_INPUT', /depth 1/);
    fails(decodeJson(input('FP32', [2, 2], [[1, 2]])), 'INVALID_INPUT', /depth 0/);
    fails(decodeJson(input('FP32', [2, 2], [[1, 2], 3])), 'INVALID_INPUT', /a scalar/);
    fails(
      decodeJson(
        input(
          'FP32',
          [2, 2],
          [
            [[1], [2]],
            [[3], [4]],
          ],
        ),
      ),
      'INVALID_INPUT',
      /element 0/,
    );
    fails(
      decodeJson(
        input(
          'FP32',
          [4],
          [
            [1, 2],
            [3, 4],
          ],
        ),
      ),
      'INVALID_INPUT',
    );
  });

  it('checks every value against its datatype', () => {
    const bad: [string, unknown][] = [
      ['UINT8', 256],
      ['UINT8', -1],
      ['INT8', 128],
      ['INT16', 1.5],
      ['UINT32', 4294967296],
      ['INT32', '1'],
      ['INT32', true],
      ['INT64', 2 ** 53],
      ['UINT64', -1],
      ['BOOL', 2],
      ['BOOL', 'true'],
      ['FP32', 1e39],
      ['FP16', 65520],
      ['FP64', '1.0'],
      ['FP64', null],
      ['BYTES', 1],
    ];
    for (const [datatype, value] of bad) {
      fails(decodeJson(input(datatype, [2], [value, value])), 'INVALID_INPUT');
    }
  });

  it('bounds shapes before allocating anything', () => {
    fails(decodeJson(input('FP32', [2 ** 20, 2 ** 20], [1])), 'INVALID_INPUT', /more than/);
    fails(decodeJson(input('FP32', [-1], [])), 'INVALID_INPUT', /not a non-negative integer/);
    fails(decodeJson(input('FP32', [1.5], [1])), 'INVALID_INPUT');
    fails(decodeJson(input('FP32', ['2'], [1, 2])), 'INVALID_INPUT');
    fails(decodeJson(input('FP32', new Array(33).fill(1), [1])), 'INVALID_INPUT', /at most 32/);
    fails(decodeJson(input('FP32', 3, [1, 2, 3])), 'INVALID_INPUT');
  });

  it('rejects malformed requests', () => {
    fails(
      decodeInferRequest(Buffer.alloc(0), { inferenceHeaderLength: undefined, maxJsonDepth: 64 }),
      'INVALID_REQUEST',
      /empty/,
    );
    fails(
      decodeInferRequest(Buffer.from('{"inputs": ['), { inferenceHeaderLength: undefined, maxJsonDepth: 64 }),
      'INVALID_REQUEST',
      /not valid JSON/,
    );
    for (const root of [[], 'x', 3, null, true]) fails(decodeJson(root), 'INVALID_REQUEST', /JSON object/);
    fails(decodeJson({}), 'INVALID_REQUEST', /"inputs" must be an array/);
    fails(decodeJson({ id: 42, inputs: [] }), 'INVALID_REQUEST', /"id"/);
    fails(decodeJson({ inputs: [], parameters: [] }), 'INVALID_REQUEST', /"parameters"/);
    fails(decodeJson({ inputs: [7] }), 'INVALID_REQUEST', /inputs\[0\]/);
    fails(decodeJson({ inputs: [{ shape: [1], datatype: 'FP32', data: [1] }] }), 'INVALID_REQUEST', /name/);
    fails(decodeJson(input('FLOAT', [1], [1])), 'INVALID_INPUT', /unknown datatype/);
    fails(decodeJson({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1] }] }), 'INVALID_INPUT', /neither/);
    fails(
      decodeJson({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: 1 }] }),
      'INVALID_INPUT',
      /must be an array/,
    );
    const twice = { name: 'x', datatype: 'FP32', shape: [1], data: [1] };
    fails(decodeJson({ inputs: [twice, twice] }), 'INVALID_REQUEST', /more than once/);
    fails(
      decodeJson({ inputs: [], outputs: [{ name: 'y' }, { name: 'y' }] }),
      'INVALID_REQUEST',
      /more than once/,
    );
    fails(
      decodeJson({ inputs: [], outputs: [{ name: 'y', parameters: { classification: 3 } }] }),
      'INVALID_REQUEST',
      /classification/,
    );
    fails(
      decodeJson({ inputs: [], outputs: [{ name: 'y', parameters: { binary_data: 'yes' } }] }),
      'INVALID_REQUEST',
      /binary_data/,
    );
    fails(
      decodeJson({ inputs: [], parameters: { binary_data_output: 1 } }),
      'INVALID_REQUEST',
      /binary_data_output/,
    );
    fails(decodeJson({ inputs: [], parameters: { sequence_id: 5 } }), 'INVALID_REQUEST', /sequence/);
  });

  it('keeps the id, parameters and requested outputs', () => {
    const decoded = ok(
      decodeJson({
        id: 'r1',
        parameters: { binary_data_output: true, slo_ms: 50, priority: 0, sequence_id: 0 },
        inputs: [],
        outputs: [{ name: 'a' }, { name: 'b', parameters: { binary_data: false } }],
      }),
    );
    expect(decoded).toEqual({
      id: 'r1',
      parameters: { binary_data_output: true, slo_ms: 50, priority: 0, sequence_id: 0 },
      inputs: [],
      outputs: [{ name: 'a' }, { name: 'b', binary: false }],
      binaryOutput: true,
    });
  });

  it('ignores keys that only exist on the prototype', () => {
    const decoded = ok(
      decodeInferRequest(Buffer.from('{"__proto__":{"inputs":7},"inputs":[],"constructor":1}'), {
        inferenceHeaderLength: undefined,
        maxJsonDepth: 64,
      }),
    );
    expect(decoded.inputs).toEqual([]);
    expect(({} as Record<string, unknown>).inputs).toBeUndefined();
  });
});

describe('decodeInferRequest: binary tensors', () => {
  const header = (datatype: string, shape: number[], size: number, name = 'x'): unknown => ({
    inputs: [{ name, datatype, shape, parameters: { binary_data_size: size } }],
  });

  it('reads each input from the bytes after the header, in order, as views when aligned', () => {
    const a = Float32Array.of(1, 2, 3, 4);
    const b = BigInt64Array.of(-1n, 2n ** 62n);
    const head = json({
      inputs: [
        { name: 'a', datatype: 'FP32', shape: [2, 2], parameters: { binary_data_size: 16 } },
        { name: 'j', datatype: 'INT32', shape: [1], data: [9] },
        { name: 'b', datatype: 'INT64', shape: [2], parameters: { binary_data_size: 16 } },
      ],
    });
    // Pad the header with spaces to a multiple of 8 so the tensors are aligned inside the body.
    const padded = Buffer.concat([head, Buffer.alloc((8 - (head.length % 8)) % 8, 0x20)]);
    const body = Buffer.alloc(padded.length + 32 + 8);
    const inner = body.subarray(8); // an 8-aligned start within an 8-aligned allocation
    padded.copy(inner);
    Buffer.from(a.buffer).copy(inner, padded.length);
    Buffer.from(b.buffer).copy(inner, padded.length + 16);
    const decoded = ok(
      decodeInferRequest(inner, { inferenceHeaderLength: String(padded.length), maxJsonDepth: 64 }),
    );
    expect(decoded.inputs.map((t) => t.data)).toEqual([a, Int32Array.of(9), b]);
    const view = decoded.inputs[0]!.data as Float32Array;
    if (inner.byteOffset % 4 === 0) expect(view.buffer).toBe(inner.buffer);
  });

  it('copies once when a tensor is not aligned in the body', () => {
    const head = json(header('FP32', [2], 8));
    const body = Buffer.alloc(head.length + 8 + 1).subarray(1);
    head.copy(body);
    Buffer.from(Float32Array.of(1.5, -2).buffer).copy(body, head.length);
    const decoded = ok(
      decodeInferRequest(body, { inferenceHeaderLength: String(head.length), maxJsonDepth: 64 }),
    );
    expect(decoded.inputs[0]!.data).toEqual(Float32Array.of(1.5, -2));
  });

  it('decodes BOOL, FP16 and length-prefixed BYTES', () => {
    const strings = ['hi', '', 'ünï'];
    const parts = strings.map((s) => {
      const bytes = Buffer.from(s);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return Buffer.concat([length, bytes]);
    });
    const bytes = Buffer.concat(parts);
    expect(ok(binary(header('BYTES', [3], bytes.length), bytes)).inputs[0]!.data).toEqual(strings);
    expect(ok(binary(header('BOOL', [3], 3), Uint8Array.of(1, 0, 1))).inputs[0]!.data).toEqual(
      Uint8Array.of(1, 0, 1),
    );
    const half = Uint16Array.of(0x3c00, 0xc000);
    expect(ok(binary(header('FP16', [2], 4), new Uint8Array(half.buffer))).inputs[0]!.data).toEqual(half);
  });

  it('rejects sizes that lie, missing and leftover bytes, and bad BYTES framing', () => {
    fails(binary(header('FP32', [2], 12), new Uint8Array(12)), 'INVALID_INPUT', /does not match 2 FP32/);
    fails(binary(header('FP32', [2], 8), new Uint8Array(4)), 'INVALID_INPUT', /runs past the end/);
    fails(binary(header('FP32', [2], 8), new Uint8Array(12)), 'INVALID_REQUEST', /4 bytes of binary data/);
    fails(binary(header('FP32', [2], -8), new Uint8Array(8)), 'INVALID_INPUT', /non-negative integer/);
    fails(binary(header('FP32', [2], 2 ** 60), new Uint8Array(8)), 'INVALID_INPUT');
    fails(binary(header('BOOL', [2], 2), Uint8Array.of(1, 2)), 'INVALID_INPUT', /not 0 or 1/);
    fails(binary(header('BYTES', [2], 4), Uint8Array.of(0, 0, 0, 0)), 'INVALID_INPUT', /cannot hold 2/);
    fails(binary(header('BYTES', [1], 6), Uint8Array.of(5, 0, 0, 0, 65, 65)), 'INVALID_INPUT', /overruns/);
    fails(
      binary(header('BYTES', [1], 7), Uint8Array.of(1, 0, 0, 0, 65, 65, 65)),
      'INVALID_INPUT',
      /left over/,
    );
    fails(binary(header('BYTES', [1], 5), Uint8Array.of(1, 0, 0, 0, 0xff)), 'INVALID_INPUT', /UTF-8/);
    fails(binary(header('FP32', [2 ** 27, 4], 2 ** 31)), 'INVALID_INPUT', /more than/);
    const withData = {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1], parameters: { binary_data_size: 4 } }],
    };
    fails(binary(withData, new Uint8Array(4)), 'INVALID_INPUT', /both/);
    fails(decodeJson(header('FP32', [1], 4)), 'INVALID_REQUEST', /Inference-Header-Content-Length/);
  });

  it('rejects a header length that is not a byte count or exceeds the body', () => {
    const body = json({ inputs: [] });
    for (const value of ['abc', '-1', '1.5', '', String(body.length + 1)]) {
      fails(
        decodeInferRequest(body, { inferenceHeaderLength: value, maxJsonDepth: 64 }),
        'INVALID_REQUEST',
        /Inference-Header-Content-Length/,
      );
    }
    expect(
      ok(decodeInferRequest(body, { inferenceHeaderLength: String(body.length), maxJsonDepth: 64 })).inputs,
    ).toEqual([]);
  });
});

describe('JSON depth guard', () => {
  it('counts nesting outside strings only', () => {
    const deep = '['.repeat(100) + ']'.repeat(100);
    expect(jsonDepthExceeds(deep, 99)).toBe(true);
    expect(jsonDepthExceeds(deep, 100)).toBe(false);
    const quoted = `{"a":"${'['.repeat(50)}\\"${'{'.repeat(50)}"}`;
    expect(jsonDepthExceeds(quoted, 1)).toBe(false);
    expect(jsonDepthExceeds(`[${quoted},[[1]]]`, 2)).toBe(true);
  });

  it('turns a deeply nested body into a 400 before parsing', () => {
    const body = Buffer.from(`{"inputs":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    fails(
      decodeInferRequest(body, { inferenceHeaderLength: undefined, maxJsonDepth: 64 }),
      'INVALID_REQUEST',
      /deeper than 64/,
    );
  });
});

describe('half floats', () => {
  it('round-trips every finite half and rounds ties to even', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromHalfBits(bits);
      if (Number.isNaN(value)) continue;
      if (toHalfBits(value) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
    expect(Number.isNaN(fromHalfBits(0x7e00))).toBe(true);
    expect(fromHalfBits(0xfc00)).toBe(-Infinity);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and the next half: even wins
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalfBits(2 ** -25)).toBe(0); // half of the smallest subnormal: ties to even (0)
    expect(toHalfBits(65519)).toBe(0x7bff);
    expect(toHalfBits(65520)).toBe(0x7c00);
    expect(toHalfBits(NaN)).toBe(0x7e00);
  });
});

describe('encodeInferResponse', () => {
  const fields = (outputs: Tensor[]) => ({
    modelName: 'm',
    modelVersion: 'v',
    id: 'q',
    parameters: { queue_ms: 1.5 },
    outputs,
  });
  const f32: Tensor = { name: 'y', datatype: 'FP32', shape: [2], data: Float32Array.of(0.5, -1) };
  const text: Tensor = { name: 's', datatype: 'BYTES', shape: [2], data: ['a', 'ü'] };

  it('writes JSON data for every datatype, non-finite floats as strings', () => {
    const tensors: Tensor[] = [
      { name: 'b', datatype: 'BOOL', shape: [2], data: Uint8Array.of(1, 0) },
      { name: 'h', datatype: 'FP16', shape: [2], data: Uint16Array.of(0x3c00, 0x7c00) },
      { name: 'i', datatype: 'INT64', shape: [1], data: BigInt64Array.of(2n ** 62n) },
      { name: 'f', datatype: 'FP64', shape: [3], data: Float64Array.of(NaN, -Infinity, 2.5) },
      f32,
      text,
    ];
    const encoded = encodeInferResponse(fields(tensors), { binaryOutput: false });
    if (encoded instanceof SluiceError) throw encoded;
    expect(encoded.contentType).toBe('application/json');
    expect(encoded.headerLength).toBeUndefined();
    const body = encoded.body as string;
    expect(body).toContain('"data":[4611686018427387904]');
    expect(JSON.parse(body)).toEqual({
      model_name: 'm',
      model_version: 'v',
      id: 'q',
      parameters: { queue_ms: 1.5 },
      outputs: [
        { name: 'b', datatype: 'BOOL', shape: [2], data: [true, false] },
        { name: 'h', datatype: 'FP16', shape: [2], data: [1, 'Infinity'] },
        { name: 'i', datatype: 'INT64', shape: [1], data: [4611686018427387904] },
        { name: 'f', datatype: 'FP64', shape: [3], data: ['NaN', '-Infinity', 2.5] },
        { name: 'y', datatype: 'FP32', shape: [2], data: [0.5, -1] },
        { name: 's', datatype: 'BYTES', shape: [2], data: ['a', 'ü'] },
      ],
    });
  });

  it('puts binary outputs after the JSON header in the requested order; per-output flags override', () => {
    const encoded = encodeInferResponse(fields([f32, text]), {
      binaryOutput: true,
      outputs: [{ name: 's' }, { name: 'y', binary: false }],
    });
    if (encoded instanceof SluiceError) throw encoded;
    expect(encoded.contentType).toBe('application/octet-stream');
    const body = encoded.body as Buffer;
    const head = JSON.parse(body.subarray(0, encoded.headerLength).toString()) as { outputs: unknown[] };
    expect(head.outputs).toEqual([
      { name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 4 + 1 + 4 + 2 } },
      { name: 'y', datatype: 'FP32', shape: [2], data: [0.5, -1] },
    ]);
    expect([...body.subarray(encoded.headerLength)]).toEqual([1, 0, 0, 0, 97, 2, 0, 0, 0, 0xc3, 0xbc]);
  });

  it('reports a backend that broke its contract as INTERNAL', () => {
    const short: Tensor = { name: 'y', datatype: 'FP32', shape: [3], data: Float32Array.of(1) };
    const wrongType: Tensor = { name: 'y', datatype: 'FP32', shape: [1], data: Float64Array.of(1) };
    for (const tensor of [short, wrongType]) {
      const encoded = encodeInferResponse(fields([tensor]), { binaryOutput: false });
      expect(encoded).toBeInstanceOf(SluiceError);
      expect((encoded as SluiceError).code).toBe('INTERNAL');
    }
    const missing = encodeInferResponse(fields([f32]), { binaryOutput: false, outputs: [{ name: 'zz' }] });
    expect((missing as SluiceError).code).toBe('INTERNAL');
  });
});
