// Shared fixtures for the HTTP front end's tests: the real Engine with a fake Backend that computes
// outputs from inputs on the real event loop, two modules, a performance.now() clock, and helpers to
// write binary-extension bodies by hand.
import type { FastifyInstance } from 'fastify';
import type { InferencePayload, InferenceResult } from '../../src/core/inference.js';
import type { BatchingSpec, ModuleSpec, TensorSpec } from '../../src/core/model-spec.js';
import type { Tensor } from '../../src/core/tensor.js';
import { Engine } from '../../src/engine/engine.js';
import { registerModule } from '../../src/engine/register-module.js';
import type { Backend, Batch, BatchResult } from '../../src/ports/backend.js';
import { SystemClock } from '../../src/runtime/system-clock.js';
import { createHttpServer, type HttpServerOptions } from '../../src/server/http-server.js';
import { PrometheusMetrics } from '../../src/server/prometheus-metrics.js';

const BATCHING: BatchingSpec = {
  preferredBatch: 4,
  maxQueueDelayMs: 0,
  policy: 'fifo',
  admission: 'serve',
  maxQueueLength: 64,
};

function moduleSpec(
  name: string,
  maxBatch: number,
  inputs: TensorSpec[],
  outputs: TensorSpec[],
  over: Partial<ModuleSpec> = {},
): ModuleSpec {
  return {
    name,
    platform: 'onnxruntime',
    dir: `/models/${name}`,
    inputs,
    outputs,
    maxBatch,
    defaultSloMs: 1000,
    variants: [
      { name: '1', file: `/models/${name}/1/model.onnx`, accuracy: 0.7, accuracySource: 'test' },
      { name: '2', file: `/models/${name}/2/model.onnx`, accuracy: 0.8, accuracySource: 'test' },
    ],
    defaultVariant: '1',
    batching: BATCHING,
    instances: { count: 1, cores: 1, intraOpThreads: 1 },
    description: `test module ${name}`,
    ...over,
  };
}

/** Like Triton's "simple" example: OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1, INT32 [16], batching up to 8. */
export const SIMPLE = moduleSpec(
  'simple',
  8,
  [
    { name: 'INPUT0', datatype: 'INT32', shape: [16] },
    { name: 'INPUT1', datatype: 'INT32', shape: [16] },
  ],
  [
    { name: 'OUTPUT0', datatype: 'INT32', shape: [16] },
    { name: 'OUTPUT1', datatype: 'INT32', shape: [16] },
  ],
);

/** Echoes each input as `<name>_OUT`; no batching; variable-length inputs of the awkward datatypes. */
export const ECHO = moduleSpec(
  'echo',
  0,
  [
    { name: 'TEXT', datatype: 'BYTES', shape: [-1] },
    { name: 'HALF', datatype: 'FP16', shape: [-1] },
    { name: 'BIG', datatype: 'INT64', shape: [-1] },
    { name: 'FLAG', datatype: 'BOOL', shape: [-1] },
    { name: 'REAL', datatype: 'FP32', shape: [-1] },
  ],
  ['TEXT', 'HALF', 'BIG', 'FLAG', 'REAL'].map((n) => ({
    name: `${n}_OUT`,
    datatype: ({ TEXT: 'BYTES', HALF: 'FP16', BIG: 'INT64', FLAG: 'BOOL', REAL: 'FP32' } as const)[
      n as 'TEXT'
    ],
    shape: [-1],
  })),
);

/** Admission in `reject` mode with a calibrated 50 ms batch: a 10 ms SLO is refused at once (429). */
export const STRICT = moduleSpec(
  'strict',
  0,
  [{ name: 'X', datatype: 'FP32', shape: [1] }],
  [{ name: 'Y', datatype: 'FP32', shape: [1] }],
  {
    batching: { ...BATCHING, policy: 'deadline', admission: 'reject' },
  },
);

/** A queue of one: with the instance busy, a second request queues and a third is refused OVERLOADED (503). */
export const TINY = moduleSpec(
  'tiny',
  0,
  [{ name: 'X', datatype: 'FP32', shape: [1] }],
  [{ name: 'X_OUT', datatype: 'FP32', shape: [1] }],
  {
    batching: { ...BATCHING, maxQueueLength: 1 },
  },
);

export const MODULES: readonly ModuleSpec[] = [SIMPLE, ECHO, STRICT, TINY];

/** Resolves once `condition` holds, checking once per event-loop turn (no timers, no sleeps). */
export async function until(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never held');
}

/**
 * Computes outputs from inputs and answers on a later turn of the event loop. With `gated`, batches wait
 * until `release()` so a test can hold requests in flight.
 */
export class TestBackend implements Backend<InferencePayload, InferenceResult> {
  readonly batches: Batch<InferencePayload>[] = [];
  private held: (() => void)[] = [];
  constructor(private gated = false) {}

  execute(batch: Batch<InferencePayload>, done: (result: BatchResult<InferenceResult>) => void): void {
    this.batches.push(batch);
    const finish = (): void => {
      const outputs = batch.items.map((item) => ({ outputs: compute(batch.group, item.payload) }));
      done({ ok: true, outputs, computeMs: 1.25 });
    };
    if (this.gated) this.held.push(finish);
    else setImmediate(finish);
  }

  /** Batches waiting for `release()`. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Lets every held batch finish (on a later turn) and stops holding new ones. */
  release(): void {
    this.gated = false;
    const held = this.held;
    this.held = [];
    for (const finish of held) setImmediate(finish);
  }
}

function compute(group: string, payload: InferencePayload): Tensor[] {
  let outputs: Tensor[];
  if (group.startsWith('simple/')) {
    const a = payload.inputs.find((t) => t.name === 'INPUT0')!;
    const b = payload.inputs.find((t) => t.name === 'INPUT1')!;
    const x = a.data as Int32Array;
    const y = b.data as Int32Array;
    outputs = [
      { name: 'OUTPUT0', datatype: 'INT32', shape: a.shape, data: x.map((v, i) => v + y[i]!) },
      { name: 'OUTPUT1', datatype: 'INT32', shape: a.shape, data: x.map((v, i) => v - y[i]!) },
    ];
  } else if (group.startsWith('strict/')) {
    outputs = [{ name: 'Y', datatype: 'FP32', shape: [1], data: Float32Array.of(1) }];
  } else {
    outputs = payload.inputs.map((t) => ({ ...t, name: `${t.name}_OUT` }));
  }
  const wanted = payload.outputs;
  return wanted === undefined ? outputs : outputs.filter((t) => wanted.includes(t.name));
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly engine: Engine<InferencePayload, InferenceResult>;
  readonly backend: TestBackend;
  readonly metrics: PrometheusMetrics;
}

/** The real Engine (one instance per variant of each module) behind the HTTP server. */
export function createTestServer(
  options: { gated?: boolean; http?: HttpServerOptions; withoutInstances?: boolean } = {},
): TestServer {
  const clock = new SystemClock();
  const backend = new TestBackend(options.gated ?? false);
  const metrics = new PrometheusMetrics({ processMetrics: false });
  const engine = new Engine<InferencePayload, InferenceResult>({ clock, backend, metrics });
  for (const m of MODULES) {
    for (const group of registerModule(engine, m)) {
      if (options.withoutInstances === true) continue;
      const calibration = m.name === 'strict' ? [{ rows: 1, computeMs: 50 }] : [];
      engine.addInstance({ id: `${group}#0`, group, cores: 1, calibration });
    }
  }
  const app = createHttpServer({
    engine,
    modules: MODULES,
    clock,
    metrics,
    ...(options.http === undefined ? {} : { options: options.http }),
  });
  return { app, engine, backend, metrics };
}

/** `simple` request inputs: INPUT0 = 0..15, INPUT1 = all ones (Triton's simple_http_infer_client example). */
export const SIMPLE_INPUT0 = Int32Array.from({ length: 16 }, (_, i) => i);
export const SIMPLE_INPUT1 = new Int32Array(16).fill(1);

/** A JSON `simple` request body. */
export function simpleJsonRequest(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    inputs: [
      { name: 'INPUT0', shape: [1, 16], datatype: 'INT32', data: [...SIMPLE_INPUT0] },
      { name: 'INPUT1', shape: [1, 16], datatype: 'INT32', data: [...SIMPLE_INPUT1] },
    ],
    ...extra,
  });
}

/** JSON header + binary tensors, with the header length for `Inference-Header-Content-Length`. */
export function binaryBody(
  header: unknown,
  ...tensors: Uint8Array[]
): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return { body: Buffer.concat([json, ...tensors]), headerLength: json.length };
}

/** Little-endian bytes of a typed array (tests run on little-endian hosts; asserted in the tests). */
export function bytesOf(data: ArrayBufferView): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Splits a binary-extension response into its JSON header and the bytes after it. */
export function splitBinaryResponse(
  body: Buffer,
  headerLength: string | string[] | number | undefined,
): { json: Record<string, unknown>; rest: Buffer } {
  const n = Number(headerLength);
  return {
    json: JSON.parse(body.subarray(0, n).toString('utf8')) as Record<string, unknown>,
    rest: body.subarray(n),
  };
}
