// Hostile and malformed requests: each gets its specific 4xx with an OIP error body, and the server keeps
// serving afterwards.
import { gzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryBody, bytesOf, createTestServer, SIMPLE_INPUT0, simpleJsonRequest } from './oip-test-kit.js';

const BODY_LIMIT = 256 * 1024;
const { app } = createTestServer({ http: { bodyLimitBytes: BODY_LIMIT, maxJsonDepth: 32 } });
afterAll(async () => {
  await app.close();
});

const infer = '/v2/models/simple/infer';
const json = (payload: unknown, headers: Record<string, string> = {}): InjectOptions => ({
  method: 'POST',
  url: infer,
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
});
const binary = (header: unknown, bytes: Uint8Array[], headerLength?: string): InjectOptions => {
  const { body, headerLength: n } = binaryBody(header, ...bytes);
  return {
    method: 'POST',
    url: infer,
    headers: { 'inference-header-content-length': headerLength ?? String(n) },
    payload: body,
  };
};
const tensor = (over: Record<string, unknown>) => ({
  inputs: [
    { name: 'INPUT0', datatype: 'INT32', shape: [1, 16], data: [...SIMPLE_INPUT0], ...over },
    { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], data: [...SIMPLE_INPUT0] },
  ],
});
const binaryInput0 = (size: number) => ({
  inputs: [
    { name: 'INPUT0', datatype: 'INT32', shape: [1, 16], parameters: { binary_data_size: size } },
    { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], data: [...SIMPLE_INPUT0] },
  ],
});

const HOSTILE: [string, InjectOptions, number, RegExp][] = [
  [
    '100 000 nested arrays',
    json(`{"inputs":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
    400,
    /^INVALID_REQUEST: .*deeper than 32/,
  ],
  [
    'nested objects in parameters',
    json(`{"inputs":[],"parameters":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
    400,
    /deeper than 32/,
  ],
  [
    'a declared shape of 2^40 elements',
    json(tensor({ shape: [2 ** 20, 2 ** 20], data: [1] })),
    400,
    /^INVALID_INPUT: .*more than/,
  ],
  ['a negative dimension', json(tensor({ shape: [-1, 16] })), 400, /^INVALID_INPUT: /],
  [
    'data shorter than the shape',
    json(tensor({ data: [1, 2, 3] })),
    400,
    /^INVALID_INPUT: .*3 elements but shape \[1,16\] needs 16/,
  ],
  ['data longer than the shape', json(tensor({ data: new Array(17).fill(1) })), 400, /17 elements/],
  ['nested data that does not match', json(tensor({ data: [[1, 2]] })), 400, /nested "data" does not match/],
  [
    'an INT32 out of range',
    json(tensor({ data: [2 ** 31, ...new Array(15).fill(0)] })),
    400,
    /not a valid INT32/,
  ],
  ['strings for an INT32 input', json(tensor({ data: new Array(16).fill('1') })), 400, /not a valid INT32/],
  [
    'the wrong datatype for the model',
    json(tensor({ datatype: 'FP32' })),
    400,
    /^INVALID_INPUT: model 'simple': input 'INPUT0' has datatype FP32, expected INT32/,
  ],
  ['an unknown datatype', json(tensor({ datatype: 'INT128' })), 400, /unknown datatype/],
  ['a missing input', json({ inputs: [tensor({}).inputs[0]] }), 400, /missing input 'INPUT1'/],
  [
    'a batch larger than the model takes',
    json({ inputs: tensor({}).inputs.map((t) => ({ ...t, shape: [9, 16], data: new Array(144).fill(0) })) }),
    400,
    /max batch 8/,
  ],
  [
    'a binary size that lies (too big for the shape)',
    binary(binaryInput0(68), [new Uint8Array(68)]),
    400,
    /does not match 16 INT32/,
  ],
  ['binary bytes missing', binary(binaryInput0(64), [new Uint8Array(10)]), 400, /runs past the end/],
  ['binary bytes left over', binary(binaryInput0(64), [new Uint8Array(70)]), 400, /6 bytes of binary data/],
  [
    'a header length beyond the body',
    binary(binaryInput0(64), [new Uint8Array(64)], '99999'),
    400,
    /larger than the body/,
  ],
  [
    'a header length that is not a number',
    binary(binaryInput0(64), [new Uint8Array(64)], '12abc'),
    400,
    /not a byte count/,
  ],
  [
    'a header length that cuts the JSON',
    binary(binaryInput0(64), [new Uint8Array(64)], '10'),
    400,
    /not valid JSON/,
  ],
  [
    'binary_data_size without the header',
    json(binaryInput0(64)),
    400,
    /needs the Inference-Header-Content-Length/,
  ],
  ['a JSON array body', json('[]'), 400, /must be a JSON object/],
  ['a JSON string body', json('"infer"'), 400, /must be a JSON object/],
  ['a JSON null body', json('null'), 400, /must be a JSON object/],
  ['a body that is not JSON', json('inputs=1'), 400, /not valid JSON/],
  [
    'an empty body',
    { method: 'POST', url: infer, headers: { 'content-type': 'application/json' } },
    400,
    /no body|empty/,
  ],
  ['inputs that is not an array', json({ inputs: { INPUT0: [1] } }), 400, /"inputs" must be an array/],
  [
    'prototype keys',
    json('{"__proto__":{"inputs":[]},"constructor":{"prototype":{"polluted":1}}}'),
    400,
    /"inputs" must be an array/,
  ],
  [
    'a malformed deadline hint',
    json(JSON.parse(simpleJsonRequest({ parameters: { timeout: -5 } })) as unknown),
    400,
    /parameters\.timeout/,
  ],
  [
    'a text/html body',
    json('<html></html>', { 'content-type': 'text/html' }),
    415,
    /^UNSUPPORTED_MEDIA_TYPE: content type 'text\/html'/,
  ],
  [
    'a multipart body',
    json('--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    415,
    /^UNSUPPORTED_MEDIA_TYPE: /,
  ],
  [
    'a brotli-encoded body',
    json(simpleJsonRequest(), { 'content-encoding': 'br' }),
    415,
    /content encoding 'br'/,
  ],
  [
    'corrupt gzip',
    json(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }),
    400,
    /^INVALID_REQUEST: /,
  ],
  [
    'a body over the limit',
    json(Buffer.alloc(BODY_LIMIT + 1, 0x20)),
    413,
    /^PAYLOAD_TOO_LARGE: the request body is larger than 262144 bytes/,
  ],
  [
    'a gzip bomb (small compressed, large inflated)',
    json(gzipSync(Buffer.alloc(BODY_LIMIT * 8, 0x20)), { 'content-encoding': 'gzip' }),
    413,
    /^PAYLOAD_TOO_LARGE: /,
  ],
  [
    'an unknown model',
    { ...json(simpleJsonRequest()), url: '/v2/models/missing/infer' },
    404,
    /^UNKNOWN_MODEL: /,
  ],
  [
    'an unknown version',
    { ...json(simpleJsonRequest()), url: '/v2/models/simple/versions/7/infer' },
    404,
    /^UNKNOWN_VERSION: /,
  ],
  ['a GET on the infer route', { method: 'GET', url: infer }, 404, /^UNKNOWN_ROUTE: /],
];

describe('hostile requests', () => {
  it.each(HOSTILE)('refuses %s', async (_what, request, status, message) => {
    const response = await app.inject(request);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json<{ error: string }>().error).toMatch(message);
  });

  it('leaves the prototype of plain objects alone', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still serves a valid request after all of them', async () => {
    const response = await app.inject(json(simpleJsonRequest()));
    expect(response.statusCode).toBe(200);
    expect(response.json<{ outputs: { name: string }[] }>().outputs.map((o) => o.name)).toEqual([
      'OUTPUT0',
      'OUTPUT1',
    ]);
    const viaBinary = await app.inject(binary(binaryInput0(64), [bytesOf(SIMPLE_INPUT0)]));
    expect(viaBinary.statusCode).toBe(200);
  });
});
