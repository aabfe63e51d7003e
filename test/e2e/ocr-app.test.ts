// The OCR application served live (`models/apps/ocr.yaml`: ocr-det → ocr-cls → ocr-rec): the real
// PP-OCRv4 models in instance processes, the engine's per-module EDF queues, the OIP server on a real
// socket on 127.0.0.1. A PNG drawn by the test's own text renderer is read back; bad input is refused at
// the first module, naming it; the app's metadata and readiness are served like a model's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/start-server.js';
import { encodePng } from '../support/png-encode.js';
import { renderText } from '../support/render-text.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, modules: ['ocr'], noCgroup: true });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

/** A binary-tensor request carrying `bytes` as the one BYTES element of input `image`. */
function binaryRequest(bytes: Uint8Array, parameters: Record<string, unknown> = {}): RequestInit {
  const element = Buffer.alloc(4 + bytes.length);
  element.writeUInt32LE(bytes.length, 0);
  element.set(bytes, 4);
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        { name: 'image', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: element.length } },
      ],
      parameters,
    }),
  );
  return {
    method: 'POST',
    body: Buffer.concat([header, element]),
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
  };
}

interface InferReply {
  model_name: string;
  outputs: { name: string; datatype: string; shape: number[]; data: (string | number)[] }[];
  parameters: Record<string, number>;
}

const png = (text: string | string[], options = {}): Buffer => encodePng(renderText(text, options));

describe('the ocr application, live', () => {
  it('describes itself: its own inputs and outputs, platform sluice-app, and is ready', async () => {
    const meta = (await (await fetch(`${server.url}/v2/models/ocr`)).json()) as Record<string, unknown>;
    expect(meta).toEqual({
      name: 'ocr',
      versions: ['1'],
      platform: 'sluice-app',
      inputs: [{ name: 'image', datatype: 'BYTES', shape: [1] }],
      outputs: [
        { name: 'texts', datatype: 'BYTES', shape: [-1] },
        { name: 'boxes', datatype: 'FP32', shape: [-1, 8] },
        { name: 'scores', datatype: 'FP32', shape: [-1] },
      ],
    });
    expect((await fetch(`${server.url}/v2/models/ocr/ready`)).status).toBe(200);
    expect(server.apps.map((a) => a.name)).toEqual(['ocr']);
  });

  it('reads the text of a PNG sent as binary BYTES', async () => {
    const reply = await fetch(`${server.url}/v2/models/ocr/infer`, binaryRequest(png('SLUICE 42')));
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as InferReply;
    expect(body.model_name).toBe('ocr');
    const texts = body.outputs.find((o) => o.name === 'texts');
    expect(texts?.data.map((t) => String(t).trim())).toEqual(['SLUICE 42']);
    expect(body.outputs.find((o) => o.name === 'boxes')?.shape).toEqual([1, 8]);
    // det, then one cls and one rec request for the one line.
    expect(body.parameters.module_requests).toBe(3);
  });

  it('reads two lines, in order, from base64 JSON', async () => {
    const image = png(['Hello World', 'Queue 7'], { height: 200, fontSizePx: 48 });
    const reply = await fetch(`${server.url}/v2/models/ocr/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [{ name: 'image', datatype: 'BYTES', shape: [1], data: [image.toString('base64')] }],
        outputs: [{ name: 'texts' }],
        parameters: { slo_ms: 5000 },
      }),
    });
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as InferReply;
    expect(body.outputs.map((o) => o.name)).toEqual(['texts']);
    expect(body.outputs[0]?.data.map((t) => String(t).trim())).toEqual(['Hello World', 'Queue 7']);
  });

  it('refuses bytes that are not an image at the first module, naming it and the step (400)', async () => {
    const reply = await fetch(
      `${server.url}/v2/models/ocr/infer`,
      binaryRequest(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    );
    expect(reply.status).toBe(400);
    const { error } = (await reply.json()) as { error: string };
    expect(error).toMatch(/^INVALID_INPUT: /);
    expect(error).toContain("module 'ocr-det'");
    expect(error).toContain("step 'ocr.decode-image'");
  });

  it('refuses a truncated PNG and a wrong datatype or shape (400), and stays up', async () => {
    const truncated = png('SLUICE 42').subarray(0, 60);
    const bad = await fetch(`${server.url}/v2/models/ocr/infer`, binaryRequest(truncated));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/module 'ocr-det'.*PNG/);

    const wrongType = await fetch(`${server.url}/v2/models/ocr/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'image', datatype: 'FP32', shape: [1], data: [1] }] }),
    });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { error: string }).error).toMatch(
      /module 'ocr-det'.*input 'image' is FP32, the app takes BYTES/,
    );
    const wrongShape = await fetch(`${server.url}/v2/models/ocr/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'image', datatype: 'BYTES', shape: [2], data: ['a', 'b'] }] }),
    });
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { error: string }).error).toContain('shape [2]');
    expect((await fetch(`${server.url}/v2/health/live`)).status).toBe(200);
  });

  it('answers every one of concurrent requests, a blank page with no lines', async () => {
    const replies = await Promise.all(
      [png('Batch 2048'), png(''), png('Queue 7')].map((image) =>
        fetch(`${server.url}/v2/models/ocr/infer`, binaryRequest(image, { slo_ms: 10_000 })),
      ),
    );
    const texts = await Promise.all(
      replies.map(async (r) => {
        expect(r.status).toBe(200);
        const body = (await r.json()) as InferReply;
        return body.outputs.find((o) => o.name === 'texts')?.data.map((t) => String(t).trim());
      }),
    );
    expect(texts).toEqual([['Batch 2048'], [], ['Queue 7']]);
  });
});
