// The open-loop generator against a fastify server that emulates the OIP endpoints (metadata + infer) and
// answers by request id: most 200 at once, some 504/429 with Sluice error bodies, some after a delay, a few
// never (timeouts) or by dropping the connection. No timing assertions beyond lower bounds that cannot fail.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { command } from '../../src/cli/commands/load.js';
import { UsageError } from '../../src/cli/command.js';
import { bytesPerElement, elementCount, isDatatype } from '../../src/core/tensor.js';
import type { LoadReport } from '../../src/loadgen/load-report.js';
import { OUTCOME_CONNECTION_ERROR, OUTCOME_PENDING, OUTCOME_TIMEOUT } from '../../src/loadgen/request-log.js';
import { runLoad, type LoadConfig } from '../../src/loadgen/run-load.js';
import { buildWorkload } from '../../src/sim/workload/build-workload.js';
import { BusLogBudgets } from '../../src/sim/workload/bus-log-budgets.js';
import { parseWorkloadSpec } from '../../src/sim/workload/workload-spec.js';

const INPUTS = [
  { name: 'pixels', datatype: 'FP32', shape: [-1, 3, 4] },
  { name: 'ids', datatype: 'INT64', shape: [-1, -1] },
  { name: 'mask', datatype: 'BOOL', shape: [-1, 5] },
  { name: 'half', datatype: 'FP16', shape: [2] },
  { name: 'text', datatype: 'BYTES', shape: [-1] },
];
const DELAY_MS = 25;

/** What the emulator does with request `id`. */
function behaviour(id: number): 'ok' | 'exceeded' | 'unmeetable' | 'delayed' | 'hang' | 'drop' {
  if (id % 50 === 11) return 'hang';
  if (id % 50 === 13) return 'drop';
  return (['ok', 'ok', 'ok', 'exceeded', 'ok', 'unmeetable', 'ok', 'delayed', 'ok', 'ok'] as const)[id % 10]!;
}

interface Received {
  readonly id: number;
  readonly binary: boolean;
  readonly parameters: Record<string, unknown>;
}

let server: FastifyInstance;
let url: URL;
const received: Received[] = [];
const decodeErrors: string[] = [];

/** Checks the inputs of a request (JSON data, or binary sizes against shapes) and returns its id. */
function checkInputs(inputs: unknown, binary: Buffer | undefined): void {
  let offset = 0;
  for (const input of inputs as {
    name: string;
    datatype: string;
    shape: number[];
    data?: unknown[];
    parameters?: { binary_data_size?: number };
  }[]) {
    const spec = INPUTS.find((i) => i.name === input.name);
    if (spec === undefined || !isDatatype(input.datatype) || input.datatype !== spec.datatype) {
      decodeErrors.push(`unexpected input ${input.name}`);
      continue;
    }
    if (input.shape.some((d) => d < 0) || input.shape.length !== spec.shape.length)
      decodeErrors.push(`${input.name}: shape ${input.shape.join('x')}`);
    const count = elementCount(input.shape);
    if (binary === undefined) {
      if (input.data?.length !== count)
        decodeErrors.push(`${input.name}: ${input.data?.length} values for ${count} elements`);
      continue;
    }
    const size = input.parameters?.binary_data_size ?? -1;
    const bytes = binary.subarray(offset, offset + size);
    offset += size;
    if (input.datatype === 'BYTES') {
      let elements = 0;
      for (let at = 0; at < bytes.length; elements++) at += 4 + bytes.readUInt32LE(at);
      if (elements !== count) decodeErrors.push(`${input.name}: ${elements} strings for ${count} elements`);
    } else if (size !== count * bytesPerElement(input.datatype)) {
      decodeErrors.push(`${input.name}: ${size} bytes for ${count} × ${input.datatype}`);
    }
  }
  if (binary !== undefined && offset !== binary.length)
    decodeErrors.push(`binary sizes sum to ${offset}, body has ${binary.length}`);
}

beforeAll(async () => {
  server = Fastify({ logger: false, forceCloseConnections: true });
  server.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  server.get('/v2/models/:model', () => ({
    name: 'm',
    versions: ['1'],
    platform: 'onnxruntime',
    inputs: INPUTS,
    outputs: [],
  }));
  server.post('/v2/models/:model/infer', async (request, reply) => {
    let header: { id?: string; parameters?: Record<string, unknown>; inputs?: unknown };
    let binary: Buffer | undefined;
    if (Buffer.isBuffer(request.body)) {
      const length = Number(request.headers['inference-header-content-length']);
      header = JSON.parse(request.body.subarray(0, length).toString('utf8'));
      binary = request.body.subarray(length);
    } else {
      header = request.body as typeof header;
    }
    const id = Number(header.id);
    received.push({ id, binary: binary !== undefined, parameters: header.parameters ?? {} });
    checkInputs(header.inputs, binary);
    const outputs = {
      model_name: 'm',
      id: header.id,
      outputs: [{ name: 'y', datatype: 'FP32', shape: [1], data: [0.5] }],
    };
    switch (behaviour(id)) {
      case 'exceeded':
        return reply.code(504).send({ error: 'DEADLINE_EXCEEDED: the deadline passed while queued' });
      case 'unmeetable':
        return reply.code(429).send({ error: 'DEADLINE_UNMEETABLE: cannot be met' });
      case 'delayed':
        await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
        return outputs;
      case 'hang':
        await new Promise((resolve) => request.raw.once('close', resolve));
        return reply;
      case 'drop':
        request.raw.socket.destroy();
        return reply;
      case 'ok':
        return outputs;
    }
  });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  url = new URL(address);
});

afterAll(async () => {
  await server.close();
});

function config(spec: string, overrides: Partial<LoadConfig> = {}): LoadConfig {
  return {
    target: { url, model: 'm', version: undefined },
    workload: buildWorkload(parseWorkloadSpec(spec)),
    budgets: undefined,
    sloMs: 1000,
    binary: false,
    deadlineAs: 'slo',
    batch: 2,
    dim: 3,
    bodyVariants: 3,
    maxRequests: 100_000,
    maxSeconds: 60,
    drainSeconds: 1,
    requestTimeoutMs: 30_000,
    connections: 64,
    keepAlive: true,
    seed: 11,
    ...overrides,
  };
}

describe('sluice load against an OIP emulator', () => {
  it('JSON bodies: every request has exactly one outcome, matching what the server saw and did', async () => {
    received.length = 0;
    decodeErrors.length = 0;
    const { report, log, inputs } = await runLoad(config('poisson:150:2'));
    expect(inputs.find((i) => i.name === 'ids')?.shape).toEqual([2, 3]);
    expect(report.sent).toBe(log.size);
    expect(report.sent).toBeGreaterThan(200);
    expect(report.stoppedBy).toBe('workload');

    // The server saw each request exactly once, ids 0..sent-1 (a dropped connection is never retried).
    const ids = received.map((r) => r.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: log.size }, (_, i) => i));
    expect(decodeErrors).toEqual([]);
    expect(received.every((r) => r.parameters.slo_ms === 1000 && !('network_ms' in r.parameters))).toBe(true);

    // Exactly one outcome each, and the one the server chose.
    const expected: Record<string, number> = {};
    for (const r of log.records()) {
      expect(r.status).not.toBe(OUTCOME_PENDING);
      const b = behaviour(r.index);
      const want = {
        ok: 200,
        delayed: 200,
        exceeded: 504,
        unmeetable: 429,
        hang: OUTCOME_TIMEOUT,
        drop: OUTCOME_CONNECTION_ERROR,
      }[b];
      expect(r.status, `request ${r.index} (${b})`).toBe(want);
      const key = {
        ok: 'ok',
        delayed: 'ok',
        exceeded: 'DEADLINE_EXCEEDED',
        unmeetable: 'DEADLINE_UNMEETABLE',
        hang: 'timeout',
        drop: 'connection_error',
      }[b];
      expected[key] = (expected[key] ?? 0) + 1;
      // Latency runs from the scheduled time: it includes the send lag, and a delayed answer's delay.
      expect(r.sentMs).toBeGreaterThanOrEqual(r.scheduledMs);
      expect(r.doneMs).toBeGreaterThanOrEqual(r.sentMs);
      if (b === 'delayed') expect(r.doneMs - r.scheduledMs).toBeGreaterThanOrEqual(DELAY_MS - 1);
    }
    expect(report.outcomes).toEqual(expected);
    expect(Object.values(report.outcomes).reduce((a, b) => a + b, 0)).toBe(report.sent);
    expect(report.statusClasses['2xx']).toBe(expected.ok);
    expect(report.statusClasses['4xx']).toBe(expected.DEADLINE_UNMEETABLE);
    expect(report.statusClasses['5xx']).toBe(expected.DEADLINE_EXCEEDED);
    expect(report.completedOk).toBe(expected.ok);
    expect(report.okWithinDeadline).toBeLessThanOrEqual(report.completedOk);
    expect(report.sloAttainment).toBeCloseTo(report.okWithinDeadline / report.sent, 12);
    expect(report.latencyMs!.max).toBeGreaterThanOrEqual(DELAY_MS - 1);
  });

  it('a stalled generator is charged: latency counts from the scheduled time, not the actual send', async () => {
    // The clock jumps 300 ms after the start, as if the generator had been descheduled: everything due in the
    // first 200 ms goes out at once, at least 100 ms late, and that lateness is part of its latency.
    let calls = 0;
    const now = (): number => performance.now() + (calls++ === 0 ? 0 : 300);
    const { report, log } = await runLoad(config('poisson:500:0.2', { now, maxRequests: 60 }));
    expect(report.stoppedBy).toBe('max-requests');
    expect(log.size).toBe(60);
    for (const r of log.records()) {
      expect(r.sentMs - r.scheduledMs).toBeGreaterThanOrEqual(100);
      expect(r.doneMs - r.scheduledMs).toBeGreaterThanOrEqual(r.sentMs - r.scheduledMs);
    }
    expect(report.sendLagMs.mean).toBeGreaterThanOrEqual(100);
    expect(report.latencyMs!.p50).toBeGreaterThanOrEqual(100);
  });

  it('binary bodies decode on the server; timeouts go as parameters.timeout in µs net of network time', async () => {
    received.length = 0;
    decodeErrors.length = 0;
    // 1,024,000 bytes per 1000 ms = 1024 bytes/ms: a 100 KB payload takes 100 ms, leaving 900 ms.
    const budgets = { log: BusLogBudgets.parse('0 0 0 0 1024000 1000\n'), payloadKB: 100 };
    const { report } = await runLoad(
      config('poisson:100:1', { binary: true, deadlineAs: 'timeout', budgets, maxRequests: 80 }),
    );
    expect(received.length).toBe(report.sent);
    expect(received.every((r) => r.binary)).toBe(true);
    expect(decodeErrors).toEqual([]);
    expect(
      received.every((r) => r.parameters.timeout === 900_000 && r.parameters.binary_data_output === true),
    ).toBe(true);
    expect(report.encoding).toBe('binary');
    expect(report.budgets).toBe('100 KB');
  });

  it('slo mode sends slo_ms and the workload network_ms', async () => {
    received.length = 0;
    const budgets = { log: BusLogBudgets.parse('0 0 0 0 1024000 1000\n'), payloadKB: 100 };
    await runLoad(config('poisson:100:0.3', { budgets, sloMs: 800 }));
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.parameters.slo_ms === 800 && r.parameters.network_ms === 100)).toBe(true);
  });

  it('`sluice load --json` prints the documented report', async () => {
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const code = await command.run([
        '--url',
        url.href,
        '--model',
        'm',
        '--workload',
        'poisson:100:1',
        '--max-requests',
        '40',
        '--drain-seconds',
        '1',
        '--json',
        '--quiet',
      ]);
      expect(code).toBe(0);
    } finally {
      write.mockRestore();
    }
    const report = JSON.parse(out.join('')) as LoadReport;
    expect(Object.keys(report).sort()).toEqual(
      [
        'workload',
        'url',
        'model',
        'encoding',
        'deadlineAs',
        'sloMs',
        'budgets',
        'seed',
        'stoppedBy',
        'scheduleSeconds',
        'durationSeconds',
        'offeredRps',
        'sent',
        'completedOk',
        'okWithinDeadline',
        'sloAttainment',
        'goodputRps',
        'latencyMs',
        'outcomes',
        'statusClasses',
        'sendLagMs',
      ].sort(),
    );
    expect(report.sent).toBe(40);
    expect(report.stoppedBy).toBe('max-requests');
    expect(Object.keys(report.latencyMs ?? {}).sort()).toEqual(['max', 'mean', 'p50', 'p90', 'p99', 'p999']);
    expect(report.workload).toBe('poisson:100:1');
  });

  it.each([
    [['--workload', 'poisson:1:1'], /--model is required/],
    [['--model', 'm', '--workload', 'poisson:x:1'], /RATE must be a number/],
    [['--model', 'm', '--deadline-as', 'never'], /--deadline-as must be slo or timeout/],
    [['--model', 'm', '--max-requests', '1.5'], /--max-requests must be a whole number/],
    [['--model', 'm', '--url', 'https://example.com'], /only http/],
    [['--model', 'm', '--bogus'], /bogus/],
    [['--model', 'm', '--budgets', 'bus-log:0'], /payload must be/],
  ])('rejects bad options %j', async (argv, message) => {
    await expect(command.run(argv)).rejects.toThrow(UsageError);
    await expect(command.run(argv)).rejects.toThrow(message);
  });
});
