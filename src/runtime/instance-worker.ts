/**
 * The entry of an instance process: one onnxruntime-node session for one model file, driven by the pool
 * with frames over the socket on fd 3 (see worker-protocol.ts). Loads and warms up on `load`, runs batches
 * on `run`, rebuilds the session with another intra-op thread count on `set-threads`, drains and exits on
 * `shutdown`, and exits at once when the parent goes away (no orphans).
 *
 * onnxruntime-node creates sessions and runs them synchronously on the JavaScript thread (its promises
 * only defer the call), so "in the background" means between batches: a rebuild delays at most the next
 * batch by its load and warm-up time, and no batch fails because of it.
 */
import { fstatSync, realpathSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { allocateTensorData, elementCount, type Tensor, type TensorData } from '../core/tensor.js';
import { FrameChannel } from './frame-channel.js';
import { datatypeOfOnnx, ONNX_TENSOR_TYPES } from './onnx-tensor-types.js';
import { warmupShape } from './warmup-shape.js';
import {
  FRAME_FD,
  type LoadMessage,
  type OnnxValueInfo,
  type ParentMessage,
  type RunMessage,
  type RunErrorMessage,
  type WorkerMessage,
} from './worker-protocol.js';

/**
 * Sends one message to the parent; `sent` is called once it has been written (or failed). Throws, having
 * sent nothing, when the message cannot be encoded.
 */
export type Transport = (message: WorkerMessage, sent: () => void) => void;

type Feeds = Record<string, OrtTensor>;

/** onnxruntime's messages for inputs it rejects before or while running: the client's fault, not ours. */
const INPUT_ERRORS = [
  /invalid dimensions/i,
  /invalid rank/i,
  /unexpected input data type/i,
  /missing in 'feeds'/i,
  /invalid (input|output) name/i,
  /does not match data length/i,
  /shape mismatch|incompatible (dimensions|shapes)|cannot broadcast/i,
];

/** One model session behind the frame channel; `handle` takes each parent message in arrival order. */
export class InstanceWorker {
  private loaded: LoadMessage | undefined;
  private session: InferenceSession | undefined;
  private threads = 0;
  private warmupFeeds: Feeds = {};
  /** Load, runs and releases of swapped-out sessions, one at a time in arrival order. */
  private work: Promise<void> = Promise.resolve();
  /** Thread-count rebuilds, one at a time. */
  private rebuilds: Promise<void> = Promise.resolve();
  private readonly unsent = new Set<Promise<void>>();

  constructor(
    private readonly transport: Transport,
    private readonly exit: (code: number) => void,
  ) {}

  handle(message: ParentMessage): void {
    switch (message.kind) {
      case 'load':
        this.enqueue(() => this.load(message));
        return;
      case 'run':
        this.enqueue(() => this.run(message));
        return;
      case 'set-threads': {
        const loaded = this.work;
        this.rebuilds = this.rebuilds
          .then(() => loaded)
          .then(() => this.rebuild(message.threads))
          .catch((error: unknown) => this.crash(error));
        return;
      }
      case 'shutdown':
        this.shutdown().catch((error: unknown) => this.crash(error));
        return;
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => this.crash(error));
  }

  private async load(message: LoadMessage): Promise<void> {
    const started = performance.now();
    let session: InferenceSession;
    try {
      session = await createSession(message.modelPath, message.intraOpThreads);
    } catch (error) {
      this.post({
        kind: 'load-failed',
        stage: 'load',
        message: describe(error),
        inputs: undefined,
        outputs: undefined,
      });
      return;
    }
    const loadMs = performance.now() - started;
    const inputs = describeValues(session.inputMetadata);
    const outputs = describeValues(session.outputMetadata);
    let warmupMs: number;
    let feeds: Feeds;
    try {
      feeds = warmupFeeds(inputs, message.warmupShapes);
      warmupMs = await warmUp(session, feeds, message.warmupRuns);
    } catch (error) {
      await session.release();
      this.post({ kind: 'load-failed', stage: 'warmup', message: describe(error), inputs, outputs });
      return;
    }
    this.loaded = message;
    this.session = session;
    this.threads = message.intraOpThreads;
    this.warmupFeeds = feeds;
    this.post({
      kind: 'ready',
      pid: process.pid,
      loadMs,
      warmupMs,
      intraOpThreads: this.threads,
      inputs,
      outputs,
    });
  }

  private async run(message: RunMessage): Promise<void> {
    const { batchId } = message;
    const fail = (code: RunErrorMessage['code'], text: string): void =>
      this.post({ kind: 'error', batchId, code, message: text });
    const session = this.session;
    if (session === undefined) return fail('INTERNAL', 'no model is loaded');
    let feeds: Feeds;
    try {
      feeds = Object.fromEntries(message.inputs.map((t) => [t.name, toOrtTensor(t)]));
    } catch (error) {
      return fail('INVALID_INPUT', describe(error));
    }
    const started = performance.now();
    let results: InferenceSession.ReturnType;
    try {
      results =
        message.outputNames === undefined
          ? await session.run(feeds)
          : await session.run(feeds, [...message.outputNames]);
    } catch (error) {
      const text = describe(error);
      return fail(INPUT_ERRORS.some((pattern) => pattern.test(text)) ? 'INVALID_INPUT' : 'INTERNAL', text);
    }
    const computeMs = performance.now() - started;
    try {
      const outputs = Object.entries(results).map(([name, tensor]) => fromOrtTensor(name, tensor));
      this.post({ kind: 'result', batchId, outputs, computeMs });
    } catch (error) {
      fail('INTERNAL', describe(error));
    }
  }

  private async rebuild(threads: number): Promise<void> {
    const loaded = this.loaded;
    if (loaded === undefined || threads === this.threads) {
      this.post({ kind: 'threads-set', threads: this.threads, rebuildMs: 0 });
      return;
    }
    const started = performance.now();
    let next: InferenceSession | undefined;
    try {
      next = await createSession(loaded.modelPath, threads);
      await warmUp(next, this.warmupFeeds, loaded.warmupRuns);
    } catch (error) {
      await next?.release();
      this.post({ kind: 'threads-failed', threads, message: describe(error) });
      return;
    }
    const previous = this.session;
    this.session = next;
    this.threads = threads;
    // Released behind the batches already queued: a batch that started on it keeps it until done.
    if (previous !== undefined) this.enqueue(() => previous.release());
    this.post({ kind: 'threads-set', threads, rebuildMs: performance.now() - started });
  }

  private async shutdown(): Promise<void> {
    await this.rebuilds;
    await this.work;
    await this.session?.release();
    this.session = undefined;
    // process.exit does not wait for socket writes: wait until every reply has left.
    await Promise.all(this.unsent);
    this.exit(0);
  }

  /** Throws when the message cannot be encoded (then nothing was sent), so `run` can report it instead. */
  private post(message: WorkerMessage): void {
    let done = (): void => undefined;
    const sent = new Promise<void>((resolve) => (done = resolve));
    this.transport(message, done);
    this.unsent.add(sent);
    void sent.then(() => this.unsent.delete(sent));
  }

  /** A bug in this file, not a model error: die loudly so that the pool's supervisor restarts us. */
  private crash(error: unknown): void {
    process.stderr.write(
      `instance-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    this.exit(1);
  }
}

async function createSession(modelPath: string, intraOpThreads: number): Promise<InferenceSession> {
  return InferenceSession.create(modelPath, {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // Spinning intra-op threads burn the cgroup CPU quota while waiting for work, stealing it from compute.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

async function warmUp(session: InferenceSession, feeds: Feeds, runs: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) await session.run(feeds);
  return performance.now() - started;
}

function warmupFeeds(inputs: readonly OnnxValueInfo[], declared: LoadMessage['warmupShapes']): Feeds {
  const feeds: Feeds = {};
  for (const input of inputs) {
    const datatype = datatypeOfOnnx(input.type);
    if (datatype === undefined)
      throw new Error(
        `input '${input.name}' has type ${input.type ?? 'non-tensor'}, which Sluice cannot feed`,
      );
    const shape = warmupShape(declared[input.name], input.shape);
    const data = allocateTensorData(datatype, elementCount(shape, `warm-up input '${input.name}'`));
    feeds[input.name] = toOrtTensor({ name: input.name, datatype, shape, data });
  }
  return feeds;
}

function describeValues(metadata: readonly InferenceSession.ValueMetadata[]): OnnxValueInfo[] {
  return metadata.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, shape: [...m.shape] }
      : { name: m.name, type: undefined, shape: [] },
  );
}

function toOrtTensor(tensor: Tensor): OrtTensor {
  return new OrtTensor(ONNX_TENSOR_TYPES[tensor.datatype], tensor.data, tensor.shape);
}

function fromOrtTensor(name: string, tensor: OrtTensor): Tensor {
  const datatype = datatypeOfOnnx(tensor.type);
  if (datatype === undefined)
    throw new Error(`output '${name}' has type ${tensor.type}, which Sluice cannot return`);
  let data: TensorData = tensor.data;
  // Where a Float16Array exists onnxruntime hands one back; Sluice carries FP16 as raw bits.
  if (datatype === 'FP16' && !(data instanceof Uint16Array) && !Array.isArray(data)) {
    data = new Uint16Array(data.buffer, data.byteOffset, data.length);
  }
  return { name, datatype, shape: [...tensor.dims], data };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/** The parent passed the frame socket as fd 3 (InstanceProcess does). */
function hasFrameSocket(): boolean {
  try {
    return fstatSync(FRAME_FD).isSocket();
  } catch {
    return false;
  }
}

if (isEntry()) {
  if (!hasFrameSocket()) {
    process.stderr.write(`instance-worker: start me from InstanceProcess (no socket on fd ${FRAME_FD})\n`);
    process.exitCode = 2;
  } else {
    const channel = FrameChannel.open<ParentMessage, WorkerMessage>(FRAME_FD, {
      message: (message) => worker.handle(message),
      failed: (error) => {
        process.stderr.write(`instance-worker: the frame channel failed: ${error.message}\n`);
        process.exit(1);
      },
      // The parent is gone (crashed or killed): nobody can use our results.
      closed: () => process.exit(0),
    });
    const worker = new InstanceWorker(
      (message, sent) => channel.send(message, () => sent()),
      (code) => process.exit(code),
    );
  }
}
