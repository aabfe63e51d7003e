// Conformance of every response body with the Open Inference Protocol's OpenAPI description
// (shared/specs/open-inference-protocol/open_inference_rest.yaml), validated with ajv as the spec's
// README suggests. Binary-extension responses validate their JSON header with `data` no longer required
// of binary outputs, and their bytes are checked against each output's binary_data_size.
import type { ValidateFunction } from 'ajv';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  binaryBody,
  bytesOf,
  createTestServer,
  SIMPLE_INPUT0,
  SIMPLE_INPUT1,
  simpleJsonRequest,
} from '../integration/oip-test-kit.js';
import { loadOipSchema } from '../support/oip-schema.js';

const oip = loadOipSchema();
const ajv = oip.ajv;
const schema = (name: string, id = 'oip'): ValidateFunction =>
  oip.schema(name, { binary: id === 'oip-binary' });
const conforms = (name: string, body: unknown, id = 'oip'): void => {
  const validate = schema(name, id);
  expect(
    validate(body),
    `${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
  ).toBe(true);
};

const { app } = createTestServer({ http: { bodyLimitBytes: 64 * 1024 } });
afterAll(async () => {
  await app.close();
});

const post = (
  url: string,
  payload: string | Buffer,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  } satisfies InjectOptions);

describe('Open Inference Protocol REST conformance', () => {
  it('the validator rejects bodies that break the spec (it can fail)', () => {
    expect(schema('inference_response')({ outputs: [] })).toBe(false);
    expect(
      schema('inference_response')({
        model_name: 'm',
        outputs: [{ name: 'y', shape: [1], datatype: 'FP32' }],
      }),
    ).toBe(false);
    expect(
      schema(
        'inference_response',
        'oip-binary',
      )({ model_name: 'm', outputs: [{ name: 'y', shape: [1], datatype: 'FP32' }] }),
    ).toBe(true);
    expect(schema('metadata_server_response')({ name: 'x', version: '1' })).toBe(false);
    expect(schema('metadata_model_error_response')({ message: 'x' })).toBe(false);
  });

  it('server and model metadata', async () => {
    conforms('metadata_server_response', (await app.inject({ url: '/v2' })).json());
    for (const url of ['/v2/models/simple', '/v2/models/echo/versions/2', '/v2/models/strict']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      conforms('metadata_model_response', response.json());
    }
  });

  it('metadata errors', async () => {
    for (const url of [
      '/v2/models/nope',
      '/v2/models/simple/versions/0',
      '/v2/models/nope/ready',
      '/v2/nothing',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(404);
      conforms('metadata_model_error_response', response.json());
      conforms('metadata_server_error_response', response.json());
    }
  });

  it('JSON inference responses', async () => {
    const bodies = [
      await post('/v2/models/simple/infer', simpleJsonRequest({ id: 'a' })),
      await post('/v2/models/simple/versions/2/infer', simpleJsonRequest({ outputs: [{ name: 'OUTPUT1' }] })),
      await post(
        '/v2/models/echo/infer',
        JSON.stringify({
          inputs: [
            { name: 'TEXT', datatype: 'BYTES', shape: [1], data: ['x'] },
            { name: 'HALF', datatype: 'FP16', shape: [1], data: [35000] },
            { name: 'BIG', datatype: 'INT64', shape: [2], data: [1, 2] },
            { name: 'FLAG', datatype: 'BOOL', shape: [1], data: [false] },
            { name: 'REAL', datatype: 'FP32', shape: [2], data: [1e38, -3] },
          ],
        }),
      ),
    ];
    for (const response of bodies) {
      expect(response.statusCode).toBe(200);
      conforms('inference_response', response.json());
    }
  });

  it('binary inference responses: the JSON header conforms, the bytes match binary_data_size', async () => {
    const { body, headerLength } = binaryBody(
      {
        inputs: [
          { name: 'INPUT0', datatype: 'INT32', shape: [1, 16], parameters: { binary_data_size: 64 } },
          { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], parameters: { binary_data_size: 64 } },
        ],
        outputs: [{ name: 'OUTPUT0', parameters: { binary_data: true } }, { name: 'OUTPUT1' }],
      },
      bytesOf(SIMPLE_INPUT0),
      bytesOf(SIMPLE_INPUT1),
    );
    const response = await post('/v2/models/simple/infer', body, {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(headerLength),
    });
    expect(response.statusCode).toBe(200);
    const n = Number(response.headers['inference-header-content-length']);
    const header = JSON.parse(response.rawPayload.subarray(0, n).toString('utf8')) as {
      outputs: { parameters?: { binary_data_size?: number } }[];
    };
    conforms('inference_response', header, 'oip-binary');
    expect(schema('inference_response')(header)).toBe(false); // strict spec: binary outputs carry no data
    const sizes = header.outputs.map((o) => o.parameters?.binary_data_size ?? 0);
    expect(sizes).toEqual([64, 0]);
    expect(response.rawPayload.length - n).toBe(64);
  });

  it('inference errors, of every status the front end produces', async () => {
    const cases: [number, Promise<LightMyRequestResponse>][] = [
      [400, post('/v2/models/simple/infer', '{"inputs":7}')],
      [400, post('/v2/models/simple/infer', simpleJsonRequest({ parameters: { slo_ms: -1 } }))],
      [404, post('/v2/models/none/infer', simpleJsonRequest())],
      [404, post('/v2/models/simple/versions/x/infer', simpleJsonRequest())],
      [413, post('/v2/models/simple/infer', Buffer.alloc(64 * 1024 + 1, 0x20))],
      [415, post('/v2/models/simple/infer', 'x', { 'content-type': 'text/xml' })],
      [
        429,
        post(
          '/v2/models/strict/infer',
          JSON.stringify({
            parameters: { slo_ms: 5 },
            inputs: [{ name: 'X', datatype: 'FP32', shape: [1], data: [0] }],
          }),
        ),
      ],
    ];
    for (const [status, pending] of cases) {
      const response = await pending;
      expect(response.statusCode).toBe(status);
      conforms('inference_error_response', response.json());
      conforms('metadata_server_error_response', response.json()); // also requires "error"
    }
  });
});
