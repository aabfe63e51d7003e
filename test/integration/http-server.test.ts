// The OIP HTTP front end against the real Engine (fake backend on the real event loop): routes, JSON and
// binary inference exactly as Triton's clients send it, deadline hints, errors, drain, disconnects, metrics.
import { connect } from 'node:net';
import { gzipSync, deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { shutdownHttpServer } from '../../src/server/http-server.js';
import {
  binaryBody,
  bytesOf,
  createTestServer,
  SIMPLE_INPUT0,
  SIMPLE_INPUT1,
  simpleJsonRequest,
  splitBinaryResponse,
  until,
  type TestServer,
} from './oip-test-kit.js';

const servers: FastifyInstance[] = [];
function start(options: Parameters<typeof createTestServer>[0] = {}): TestServer {
  const server = createTestServer(options);
  servers.push(server.app);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((app) => app.close()));
});

const SUM = [...SIMPLE_INPUT0].map((v, i) => v + SIMPLE_INPUT1[i]!);
const DIFF = [...SIMPLE_INPUT0].map((v, i) => v - SIMPLE_INPUT1[i]!);

describe('health and metadata', () => {
  it('answers live and ready, and 503 NOT_READY without instances', async () => {
    const { app } = start();
    expect((await app.inject({ url: '/v2/health/live' })).json()).toEqual({ live: true });
    const ready = await app.inject({ url: '/v2/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { ready: true }]);
    const cold = start({ withoutInstances: true }).app;
    const notReady = await cold.inject({ url: '/v2/health/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json<{ error: string }>().error).toMatch(
      /^NOT_READY: model 'simple' has no ready instance/,
    );
    const modelNotReady = await cold.inject({ url: '/v2/models/simple/versions/2/ready' });
    expect(modelNotReady.statusCode).toBe(503);
  });

  it('describes the server, with the version from package.json', async () => {
    const { app } = start();
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const url of ['/v2', '/v2/']) {
      expect((await app.inject({ url })).json()).toEqual({
        name: 'sluice',
        version,
        extensions: ['binary_tensor_data'],
      });
    }
  });

  it('describes models like Triton: versions are variants, a batching model shows the batch dimension as -1', async () => {
    const { app } = start();
    const simple = await app.inject({ url: '/v2/models/simple' });
    expect(simple.json()).toEqual({
      name: 'simple',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [
        { name: 'INPUT0', datatype: 'INT32', shape: [-1, 16] },
        { name: 'INPUT1', datatype: 'INT32', shape: [-1, 16] },
      ],
      outputs: [
        { name: 'OUTPUT0', datatype: 'INT32', shape: [-1, 16] },
        { name: 'OUTPUT1', datatype: 'INT32', shape: [-1, 16] },
      ],
    });
    expect((await app.inject({ url: '/v2/models/simple/versions/2' })).json()).toEqual(simple.json());
    expect(
      (await app.inject({ url: '/v2/models/echo' })).json<{ inputs: { shape: number[] }[] }>().inputs[0]!
        .shape,
    ).toEqual([-1]);
    const unknown = await app.inject({ url: '/v2/models/nope' });
    expect([unknown.statusCode, unknown.json<{ error: string }>().error]).toEqual([
      404,
      "UNKNOWN_MODEL: no model named 'nope'",
    ]);
    const version = await app.inject({ url: '/v2/models/simple/versions/9' });
    expect([version.statusCode, version.json<{ error: string }>().error]).toEqual([
      404,
      "UNKNOWN_VERSION: model 'simple' has no version '9'",
    ]);
    expect((await app.inject({ url: '/v2/models/simple/versions/1/ready' })).json()).toEqual({
      name: 'simple',
      ready: true,
    });
    expect((await app.inject({ url: '/v2/models/nope/ready' })).statusCode).toBe(404);
  });

  it('answers unknown routes and methods with an OIP 404', async () => {
    const { app } = start();
    for (const request of [
      { url: '/v1/models' },
      { url: '/v2/models/simple/infer' },
      { method: 'DELETE' as const, url: '/v2' },
    ]) {
      const response = await app.inject(request);
      expect(response.statusCode).toBe(404);
      expect(response.json<{ error: string }>().error).toMatch(/^UNKNOWN_ROUTE: /);
    }
  });
});

describe('inference', () => {
  it('serves a JSON request and reports timing, batch size and variant', async () => {
    const { app } = start();
    const response = await app.inject({
      method: 'POST',
      url: '/v2/models/simple/infer',
      headers: { 'content-type': 'application/json' },
      payload: simpleJsonRequest({ id: 'req-7' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      model_name: 'simple',
      model_version: '1',
      id: 'req-7',
      parameters: { compute_ms: 1.25, batch_size: 1, variant: '1', instance: 'simple/1#0' },
      outputs: [
        { name: 'OUTPUT0', datatype: 'INT32', shape: [1, 16], data: SUM },
        { name: 'OUTPUT1', datatype: 'INT32', shape: [1, 16], data: DIFF },
      ],
    });
    expect((body.parameters as { queue_ms: number }).queue_ms).toBeGreaterThanOrEqual(0);
  });

  it('serves a pinned version and only the requested outputs, in the requested order', async () => {
    const { app } = start();
    const response = await app.inject({
      method: 'POST',
      url: '/v2/models/simple/versions/2/infer',
      payload: simpleJsonRequest({ outputs: [{ name: 'OUTPUT1' }] }),
    });
    expect(response.json()).toMatchObject({ model_version: '2', outputs: [{ name: 'OUTPUT1', data: DIFF }] });
    expect(response.json<{ outputs: unknown[] }>().outputs).toHaveLength(1);
    const unknown = await app.inject({
      method: 'POST',
      url: '/v2/models/simple/infer',
      payload: simpleJsonRequest({ outputs: [{ name: 'OUTPUT9' }] }),
    });
    expect([unknown.statusCode, unknown.json<{ error: string }>().error]).toEqual([
      400,
      "INVALID_INPUT: model 'simple' has no output 'OUTPUT9'",
    ]);
  });

  it("round-trips a binary request written byte for byte as Triton's Python client writes it", () => {
    // tritonclient.http: rapidjson.dumps (compact), keys in insertion order, no Content-Type header,
    // Inference-Header-Content-Length = the JSON length, raw little-endian tensors after it.
    expect(new Uint8Array(Uint16Array.of(1).buffer)[0]).toBe(1);
    const header =
      '{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":64}},' +
      '{"name":"INPUT1","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":64}}],' +
      '"outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true}},{"name":"OUTPUT1","parameters":{"binary_data":false}}]}';
    const body = Buffer.concat([Buffer.from(header), bytesOf(SIMPLE_INPUT0), bytesOf(SIMPLE_INPUT1)]);
    const { app } = start();
    return app
      .inject({
        method: 'POST',
        url: '/v2/models/simple/infer',
        headers: { 'Inference-Header-Content-Length': String(header.length) },
        payload: body,
      })
      .then((response) => {
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('application/octet-stream');
        const { json, rest } = splitBinaryResponse(
          response.rawPayload,
          response.headers['inference-header-content-length'],
        );
        expect(json.outputs).toEqual([
          { name: 'OUTPUT0', datatype: 'INT32', shape: [1, 16], parameters: { binary_data_size: 64 } },
          { name: 'OUTPUT1', datatype: 'INT32', shape: [1, 16], data: DIFF },
        ]);
        expect(rest.length).toBe(64);
        expect([...new Int32Array(rest.buffer.slice(rest.byteOffset, rest.byteOffset + 64))]).toEqual(SUM);
      });
  });

  it("returns every output as binary when the request names none (binary_data_output), and echoes the C++ client's empty id", async () => {
    const { app } = start();
    const { body, headerLength } = binaryBody(
      {
        id: '',
        parameters: { binary_data_output: true },
        inputs: [
          { name: 'INPUT0', datatype: 'INT32', shape: [1, 16], parameters: { binary_data_size: 64 } },
          { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], parameters: { binary_data_size: 64 } },
        ],
      },
      bytesOf(SIMPLE_INPUT0),
      bytesOf(SIMPLE_INPUT1),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/v2/models/simple/infer',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(headerLength),
        expect: '',
      },
      payload: body,
    });
    const { json, rest } = splitBinaryResponse(
      response.rawPayload,
      response.headers['inference-header-content-length'],
    );
    expect(json).toMatchObject({
      id: '',
      outputs: [{ parameters: { binary_data_size: 64 } }, { parameters: { binary_data_size: 64 } }],
    });
    const ints = new Int32Array(rest.buffer.slice(rest.byteOffset, rest.byteOffset + 128));
    expect([...ints.subarray(0, 16)]).toEqual(SUM);
    expect([...ints.subarray(16)]).toEqual(DIFF);
  });

  it('echoes FP16, INT64, BYTES, BOOL and FP32 through JSON and binary alike', async () => {
    const { app } = start();
    const jsonBody = {
      inputs: [
        { name: 'TEXT', datatype: 'BYTES', shape: [2], data: ['héllo', ''] },
        { name: 'HALF', datatype: 'FP16', shape: [2], data: [1.5, -0.25] },
        { name: 'BIG', datatype: 'INT64', shape: [1], data: [-9007199254740991] },
        { name: 'FLAG', datatype: 'BOOL', shape: [3], data: [true, false, 1] },
        { name: 'REAL', datatype: 'FP32', shape: [1], data: [0.5] },
      ],
    };
    const viaJson = await app.inject({ method: 'POST', url: '/v2/models/echo/infer', payload: jsonBody });
    expect(viaJson.json<{ outputs: unknown[] }>().outputs).toEqual([
      { name: 'TEXT_OUT', datatype: 'BYTES', shape: [2], data: ['héllo', ''] },
      { name: 'HALF_OUT', datatype: 'FP16', shape: [2], data: [1.5, -0.25] },
      { name: 'BIG_OUT', datatype: 'INT64', shape: [1], data: [-9007199254740991] },
      { name: 'FLAG_OUT', datatype: 'BOOL', shape: [3], data: [true, false, true] },
      { name: 'REAL_OUT', datatype: 'FP32', shape: [1], data: [0.5] },
    ]);

    const text = Buffer.concat([Buffer.from([6, 0, 0, 0]), Buffer.from('héllo'), Buffer.from([0, 0, 0, 0])]);
    const big = BigInt64Array.of(2n ** 62n + 1n);
    const { body, headerLength } = binaryBody(
      {
        parameters: { binary_data_output: true },
        inputs: [
          { name: 'TEXT', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: text.length } },
          { name: 'HALF', datatype: 'FP16', shape: [2], parameters: { binary_data_size: 4 } },
          { name: 'BIG', datatype: 'INT64', shape: [1], parameters: { binary_data_size: 8 } },
          { name: 'FLAG', datatype: 'BOOL', shape: [3], parameters: { binary_data_size: 3 } },
          { name: 'REAL', datatype: 'FP32', shape: [1], data: [0.5] },
        ],
      },
      text,
      bytesOf(Uint16Array.of(0x3e00, 0xb400)),
      bytesOf(big),
      Buffer.from([1, 0, 1]),
    );
    const viaBinary = await app.inject({
      method: 'POST',
      url: '/v2/models/echo/infer',
      headers: { 'inference-header-content-length': String(headerLength) },
      payload: body,
    });
    const { json, rest } = splitBinaryResponse(
      viaBinary.rawPayload,
      viaBinary.headers['inference-header-content-length'],
    );
    const sizes = (json.outputs as { parameters: { binary_data_size: number } }[]).map(
      (o) => o.parameters.binary_data_size,
    );
    expect(sizes).toEqual([text.length, 4, 8, 3, 4]);
    // The response's binary section is the request's, in the same order, plus REAL as binary.
    expect(
      rest.equals(
        Buffer.concat([
          text,
          bytesOf(Uint16Array.of(0x3e00, 0xb400)),
          bytesOf(big),
          Buffer.from([1, 0, 1]),
          bytesOf(Float32Array.of(0.5)),
        ]),
      ),
    ).toBe(true);
  });

  it('hands binary tensors to the engine as views over the request body, whatever the header length', async () => {
    const { app, backend } = start();
    const real = Float32Array.from({ length: 4096 }, (_, i) => i / 3);
    for (const id of ['a', 'ab', 'abc', 'abcd']) {
      // Header lengths of every residue mod 4: the body is laid out so the tensors start aligned anyway.
      const { body, headerLength } = binaryBody(
        {
          id,
          inputs: [
            {
              name: 'REAL',
              datatype: 'FP32',
              shape: [4096],
              parameters: { binary_data_size: real.byteLength },
            },
            { name: 'TEXT', datatype: 'BYTES', shape: [0], data: [] },
            { name: 'HALF', datatype: 'FP16', shape: [0], data: [] },
            { name: 'BIG', datatype: 'INT64', shape: [0], data: [] },
            { name: 'FLAG', datatype: 'BOOL', shape: [0], data: [] },
          ],
          outputs: [{ name: 'REAL_OUT', parameters: { binary_data: true } }],
        },
        bytesOf(real),
      );
      const response = await app.inject({
        method: 'POST',
        url: '/v2/models/echo/infer',
        headers: { 'inference-header-content-length': String(headerLength) },
        payload: body,
      });
      const { rest } = splitBinaryResponse(
        response.rawPayload,
        response.headers['inference-header-content-length'],
      );
      expect(rest.equals(bytesOf(real)), id).toBe(true);
      const received = backend.batches.at(-1)!.items[0]!.payload.inputs.find((t) => t.name === 'REAL')!
        .data as Float32Array;
      // A copy would own a buffer of exactly the tensor's size; a view shares the whole body's.
      expect(received.buffer.byteLength, id).toBeGreaterThanOrEqual(body.length);
    }
  });

  it('accepts gzip- and deflate-compressed requests, as Triton clients can send them', async () => {
    const { app } = start();
    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/v2/models/simple/infer',
        headers: { 'content-encoding': encoding, 'content-type': 'application/json' },
        payload: compress(Buffer.from(simpleJsonRequest())),
      });
      expect(response.statusCode, encoding).toBe(200);
      expect(response.json()).toMatchObject({ outputs: [{ data: SUM }, { data: DIFF }] });
    }
  });
});

describe('deadline hints and load errors', () => {
  it('takes timeout (µs), slo_ms and the Sluice headers, and refuses malformed ones', async () => {
    const { app } = start();
    const post = (extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/v2/models/simple/infer',
        headers,
        payload: simpleJsonRequest(extra),
      });
    for (const good of [
      post({ parameters: { timeout: 5_000_000 } }),
      post({ parameters: { timeout: 0, slo_ms: 900, network_ms: 3 } }),
      post({}, { 'x-sluice-slo-ms': '750', 'x-sluice-network-ms': '2.5' }),
    ]) {
      expect((await good).statusCode).toBe(200);
    }
    const bad: [Record<string, unknown>, Record<string, string>, RegExp][] = [
      [{ parameters: { timeout: -1 } }, {}, /parameters\.timeout/],
      [{ parameters: { timeout: '1000' } }, {}, /parameters\.timeout/],
      [{ parameters: { slo_ms: 0 } }, {}, /parameters\.slo_ms must be a positive number/],
      [{ parameters: { network_ms: true } }, {}, /parameters\.network_ms/],
      [{}, { 'x-sluice-slo-ms': 'soon' }, /x-sluice-slo-ms/],
      [{}, { 'x-sluice-slo-ms': '-5' }, /x-sluice-slo-ms/],
      [{}, { 'x-sluice-network-ms': '1e3' }, /x-sluice-network-ms/],
    ];
    for (const [extra, headers, message] of bad) {
      const response = await post(extra, headers);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: string }>().error).toMatch(message);
    }
  });

  it('answers 429 with Retry-After when admission finds the deadline unmeetable (timeout is in µs)', async () => {
    const { app } = start();
    const request = (parameters: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/v2/models/strict/infer',
        payload: { parameters, inputs: [{ name: 'X', datatype: 'FP32', shape: [1], data: [1] }] },
      });
    for (const parameters of [{ slo_ms: 10 }, { timeout: 10_000 }]) {
      const response = await request(parameters);
      expect(response.statusCode).toBe(429);
      expect(response.json<{ error: string }>().error).toMatch(/^DEADLINE_UNMEETABLE: /);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('answers 503 OVERLOADED with Retry-After when the queue is full, and every accepted request still completes', async () => {
    const { app, backend, engine } = start({ gated: true });
    const post = () =>
      app.inject({
        method: 'POST',
        url: '/v2/models/tiny/infer',
        payload: { inputs: [{ name: 'X', datatype: 'FP32', shape: [1], data: [2] }] },
      });
    const queued = (): number => engine.stats().find((s) => s.group === 'tiny/1')?.queueLength ?? -1;
    const first = post();
    await until(() => backend.heldCount === 1);
    const second = post();
    await until(() => queued() === 1);
    const third = await post();
    expect(third.statusCode).toBe(503);
    expect(third.json<{ error: string }>().error).toMatch(/^OVERLOADED: /);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
    backend.release();
    expect([(await first).statusCode, (await second).statusCode]).toEqual([200, 200]);
  });
});

describe('shutdown and disconnects', () => {
  it('drains: new requests answer NOT_READY, accepted ones complete, then the server closes', async () => {
    const { app, backend, engine } = start({ gated: true });
    const accepted = app.inject({
      method: 'POST',
      url: '/v2/models/simple/infer',
      payload: simpleJsonRequest(),
    });
    await until(() => backend.heldCount === 1);
    let closed = false;
    const shutdown = shutdownHttpServer(app).then(() => {
      closed = true;
    });
    const refused = await app.inject({
      method: 'POST',
      url: '/v2/models/simple/infer',
      payload: simpleJsonRequest(),
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.json<{ error: string }>().error).toBe('NOT_READY: the server is shutting down');
    expect(refused.headers.connection).toBe('close');
    expect((await app.inject({ url: '/v2/health/ready' })).statusCode).toBe(503);
    expect(closed).toBe(false);
    backend.release();
    const response = await accepted;
    expect(response.statusCode).toBe(200);
    await shutdown;
    expect(closed).toBe(true);
    expect(engine.pendingCount).toBe(0);
  });

  it('drains over a real socket: the listener stops accepting, the request in flight still gets its answer', async () => {
    const { app, backend } = start({ gated: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/v2/models/simple/infer`;
    const init = {
      method: 'POST',
      body: simpleJsonRequest(),
      headers: { 'content-type': 'application/json' },
    };
    const inFlight = fetch(url, init);
    await until(() => backend.heldCount === 1);
    const shutdown = shutdownHttpServer(app);
    expect(app.server.listening).toBe(false);
    await expect(fetch(url, init)).rejects.toThrow();
    backend.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outputs: [{ data: SUM }, { data: DIFF }] });
    await shutdown;
  });

  it('survives a client that disconnects before its answer, over a real socket on 127.0.0.1', async () => {
    const { app, backend, engine } = start({ gated: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    expect(address.address).toBe('127.0.0.1');
    const payload = simpleJsonRequest();
    const socket = connect(address.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /v2/models/simple/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`,
    );
    await until(() => backend.heldCount === 1);
    socket.destroy();
    backend.release();
    await until(() => engine.pendingCount === 0);
    const response = await fetch(`http://127.0.0.1:${address.port}/v2/models/simple/infer`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outputs: [{ data: SUM }, { data: DIFF }] });
  });
});

describe('metrics', () => {
  it('counts requests by module, outcome and code, and reports batches, queues and instance cores', async () => {
    const { app } = start();
    await app.inject({ method: 'POST', url: '/v2/models/simple/infer', payload: simpleJsonRequest() });
    await app.inject({ method: 'POST', url: '/v2/models/simple/infer', payload: simpleJsonRequest() });
    await app.inject({ method: 'POST', url: '/v2/models/simple/infer', payload: '{"inputs": 3}' });
    await app.inject({ method: 'POST', url: '/v2/models/whatever/infer', payload: simpleJsonRequest() });
    await app.inject({
      method: 'POST',
      url: '/v2/models/simple/infer',
      headers: { 'content-type': 'text/html' },
      payload: '<p>',
    });
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain('sluice_requests_total{module="simple",outcome="completed",code="OK"} 2');
    expect(text).toContain(
      'sluice_requests_total{module="simple",outcome="rejected",code="INVALID_REQUEST"} 1',
    );
    expect(text).toContain(
      'sluice_requests_total{module="(unknown)",outcome="rejected",code="UNKNOWN_MODEL"} 1',
    );
    expect(text).toContain(
      'sluice_requests_total{module="simple",outcome="rejected",code="UNSUPPORTED_MEDIA_TYPE"} 1',
    );
    expect(text).toContain('sluice_request_latency_ms_count{module="simple",outcome="completed"} 2');
    expect(text).toContain('sluice_request_compute_ms_bucket{le="2",module="simple"} 2');
    expect(text).toContain('sluice_batch_rows_count{group="simple/1"} 2');
    expect(text).toContain('sluice_queue_depth{group="simple/1"} 0');
    expect(text).toContain('sluice_instance_cpu_cores{instance="simple/2#0",group="simple/2"} 1');
  });
});
