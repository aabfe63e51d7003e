// The whole request path, live: the demo repository's real ONNX models in onnxruntime instance processes
// (confined by cgroup CPU quota where writable), the engine, and the OIP server over a real socket on
// 127.0.0.1. Responses are validated against the OIP OpenAPI spec; an instance is killed under load and
// every accepted request must still get exactly one answer.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/start-server.js';
import { loadOipSchema } from '../support/oip-schema.js';

const oip = loadOipSchema();
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, modules: ['simple', 'resnet', 'ocr-cls'], variants: 'default' });
});
afterAll(async () => {
  await server?.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: body === undefined ? 'GET' : 'POST', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (reply: Reply): Record<string, unknown> =>
  JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;

const simpleRequest = (a: number[], b: number[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    inputs: [
      { name: 'INPUT0', datatype: 'FP32', shape: [1, 4], data: a },
      { name: 'INPUT1', datatype: 'FP32', shape: [1, 4], data: b },
    ],
    ...extra,
  });

describe('sluice serve, live', () => {
  it('is live and ready, and describes itself and its models per the OIP spec', async () => {
    expect((await send('/v2/health/live')).status).toBe(200);
    expect((await send('/v2/health/ready')).status).toBe(200);
    const meta = json(await send('/v2'));
    expect(oip.errors('metadata_server_response', meta)).toBeNull();
    const model = json(await send('/v2/models/resnet'));
    expect(oip.errors('metadata_model_response', model)).toBeNull();
    expect(model).toMatchObject({
      name: 'resnet',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3, 32, 32] }],
    });
  });

  it('computes the simple model exactly through onnxruntime, with timing parameters', async () => {
    const reply = await send(
      '/v2/models/simple/infer',
      simpleRequest([1, 2, 3, 4], [10, 20, 30, 40], { id: 'q1' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(reply.status).toBe(200);
    const body = json(reply);
    expect(oip.errors('inference_response', body)).toBeNull();
    expect(body).toMatchObject({
      model_name: 'simple',
      model_version: '1',
      id: 'q1',
      outputs: [
        { name: 'OUTPUT0', datatype: 'FP32', shape: [1, 4], data: [11, 22, 33, 44] },
        { name: 'OUTPUT1', datatype: 'FP32', shape: [1, 4], data: [-9, -18, -27, -36] },
      ],
    });
    const parameters = body.parameters as Record<string, unknown>;
    expect(parameters).toMatchObject({ variant: '1', batch_size: 1 });
    expect(parameters.compute_ms).toBeGreaterThan(0);
  });

  it('runs a ResNet variant on binary tensors and returns softmax probabilities as binary', async () => {
    const rows = 2;
    const input = new Float32Array(rows * 3 * 32 * 32).map((_, i) => Math.sin(i));
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          {
            name: 'input',
            datatype: 'FP32',
            shape: [rows, 3, 32, 32],
            parameters: { binary_data_size: input.byteLength },
          },
        ],
        outputs: [{ name: 'probabilities', parameters: { binary_data: true } }],
      }),
    );
    const reply = await send(
      '/v2/models/resnet/versions/resnet18/infer',
      Buffer.concat([header, Buffer.from(input.buffer)]),
      {
        'inference-header-content-length': String(header.length),
        'content-type': 'application/octet-stream',
      },
    );
    expect(reply.status).toBe(200);
    const headerLength = Number(reply.headers['inference-header-content-length']);
    const head = JSON.parse(reply.body.subarray(0, headerLength).toString('utf8')) as {
      outputs: { shape: number[]; parameters: { binary_data_size: number } }[];
    };
    expect(oip.errors('inference_response', head, { binary: true })).toBeNull();
    expect(head.outputs[0]!.shape).toEqual([rows, 10]);
    const bytes = reply.body.subarray(headerLength);
    expect(bytes.length).toBe(head.outputs[0]!.parameters.binary_data_size);
    const probs = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    for (let r = 0; r < rows; r++) {
      const row = probs.subarray(r * 10, r * 10 + 10);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
  });

  it('answers bad input with an OIP error and keeps serving', async () => {
    const wrongShape = await send(
      '/v2/models/resnet/infer',
      JSON.stringify({
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3, 16, 16], data: new Array(768).fill(0) }],
      }),
    );
    expect(wrongShape.status).toBe(400);
    expect(oip.errors('inference_error_response', json(wrongShape))).toBeNull();
    expect((await send('/v2/models/nope/infer', simpleRequest([1, 1, 1, 1], [1, 1, 1, 1]))).status).toBe(404);
    expect((await send('/v2/models/simple/infer', simpleRequest([1, 2, 3, 4], [0, 0, 0, 0]))).status).toBe(
      200,
    );
  });

  it('honours parameters.timeout in microseconds: a budget already spent is refused, not run', async () => {
    const reply = await send(
      '/v2/models/simple/infer',
      simpleRequest([1, 2, 3, 4], [1, 1, 1, 1], { parameters: { slo_ms: 5, network_ms: 10 } }),
    );
    expect([429, 504]).toContain(reply.status);
    expect(String(json(reply).error)).toMatch(/DEADLINE_(UNMEETABLE|EXCEEDED)/);
  });

  it('answers every request exactly once when an instance is killed under load, and the instance comes back', async () => {
    const info = server.pool.instanceInfo('ocr-cls/ppocr-mobile-v2-cls#0');
    expect(info).toBeDefined();
    const body = JSON.stringify({
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [1, 3, 48, 192], data: new Array(3 * 48 * 192).fill(0.5) },
      ],
      parameters: { slo_ms: 20_000 },
    });
    const replies = Array.from({ length: 40 }, (_, i) =>
      new Promise<void>((resolve) => setTimeout(resolve, i * 5)).then(() =>
        send('/v2/models/ocr-cls/infer', body),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    process.kill(info!.pid, 'SIGKILL');
    const settled = await Promise.all(replies);
    expect(settled).toHaveLength(40);
    // The batch held by the dead instance is retried once, and requests arriving meanwhile queue: with a
    // 20 s budget, all of them are served by the restarted instance.
    expect(settled.map((r) => r.status)).toEqual(new Array(40).fill(200));
    const after = await send('/v2/models/ocr-cls/infer', body);
    expect(after.status).toBe(200);
    expect(server.pool.instanceInfo('ocr-cls/ppocr-mobile-v2-cls#0')!.pid).not.toBe(info!.pid);
  });

  it('exposes Prometheus metrics of what it served', async () => {
    const text = (await send('/metrics')).body.toString('utf8');
    expect(text).toMatch(/sluice_requests_total\{module="simple",outcome="completed",code="OK"\} [1-9]/);
    expect(text).toMatch(/sluice_instance_cpu_cores\{instance="simple\/1#0",group="simple\/1"\} 1/);
  });
});
