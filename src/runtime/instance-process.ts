/**
 * The parent's handle on one instance process: starts `instance-worker`, correlates replies with
 * requests, and turns the death of the process into one rejection per outstanding request. It decides
 * nothing: supervision (restart, allocation, timeouts) is the pool's.
 *
 * Every message, control and batches alike, travels as a frame (worker-protocol.ts) over one Unix stream
 * socket, the child's fd 3; there is no `child_process` IPC channel. Batches and results are the traffic
 * that matters: echoing a tensor through V8-serialised IPC took 0.12-0.15 ms at 12 kB and 1.2 ms at
 * 0.9 MB on two cores, through frames 0.09-0.12 ms and 0.65 ms. The control messages are few and could
 * have stayed on IPC, but two channels have no order between them (a `shutdown` could overtake the last
 * `run`) and would need two codecs. One stream keeps every message in the order sent, and its end of file
 * tells the worker that the parent is gone, as IPC's `disconnect` did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SluiceError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { FrameChannel } from './frame-channel.js';
import {
  FRAME_FD,
  type LoadFailedMessage,
  type LoadMessage,
  type ParentMessage,
  type ReadyMessage,
  type ResultMessage,
  type RunErrorMessage,
  type ThreadsFailedMessage,
  type ThreadsSetMessage,
  type WorkerMessage,
} from './worker-protocol.js';

/** How to start the worker: the script and the Node options it needs. */
export interface WorkerEntry {
  /** Absolute path of `instance-worker.ts` or `instance-worker.js`. */
  readonly script: string;
  readonly execArgv: readonly string[];
}

/** How a process ended; `stderrTail` is the last few kB it wrote to stderr, for error messages. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
}

/**
 * The worker beside this module: the `.ts` source run through tsx when this module itself runs from
 * source (vitest, tsx), the compiled `.js` otherwise (`dist/runtime/`). Only the options listed here are
 * passed to the child; the parent's own `execArgv` (inspector ports, test-runner loaders) is not inherited.
 */
export function resolveWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href;
    return { script: join(dirname(here), 'instance-worker.ts'), execArgv: ['--import', tsx] };
  }
  return { script: join(dirname(here), 'instance-worker.js'), execArgv: [] };
}

const STDERR_TAIL_CHARS = 4096;

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/** A spawned instance worker, as its parent sees it: requests out, replies or its death back. */
export class InstanceProcess {
  readonly pid: number;
  /** Settles when the process has exited and its pipes are closed. */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly channel: FrameChannel<WorkerMessage, ParentMessage>;
  private exit: ProcessExit | undefined;
  private stderrTail = '';
  private readonly runs = new Map<number, Waiter<ResultMessage | RunErrorMessage>>();
  private loading: Waiter<ReadyMessage | LoadFailedMessage> | undefined;
  /** The worker answers set-threads requests in order. */
  private readonly threadWaiters: Waiter<ThreadsSetMessage | ThreadsFailedMessage>[] = [];

  /**
   * Starts the worker. `onExit` is called synchronously when the process is gone, before the outstanding
   * requests are rejected, so the owner can mark the instance lost before anyone retries on it.
   */
  constructor(entry: WorkerEntry, onExit: (exit: ProcessExit) => void) {
    // libuv makes every 'pipe' a socketpair: fd 3 is one duplex stream for both directions.
    const child = spawn(process.execPath, [...entry.execArgv, entry.script], {
      stdio: ['ignore', 'inherit', 'pipe', 'pipe'],
    });
    const socket = child.stdio[FRAME_FD];
    if (child.pid === undefined || !(socket instanceof Socket)) {
      child.on('error', () => undefined);
      child.kill('SIGKILL');
      throw new SluiceError('INTERNAL', `could not start an instance process (${entry.script})`);
    }
    this.pid = child.pid;
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    // A broken stream with the process still alive leaves it unusable: make it a death, handled once below.
    this.channel = FrameChannel.attach<WorkerMessage, ParentMessage>(socket, {
      message: (message) => this.receive(message),
      failed: () => this.kill(),
      // The worker closes its end only by exiting, which the 'close' below handles.
      closed: () => undefined,
    });
    child.on('error', () => this.kill());
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        const exit = { code, signal, stderrTail: this.stderrTail.trim() };
        this.exit = exit;
        onExit(exit);
        this.rejectAll(
          new SluiceError('INSTANCE_FAILED', `instance process ${this.pid} ${describeExit(exit)}`),
        );
        resolve(exit);
      });
    });
  }

  /** The process has exited. */
  get dead(): boolean {
    return this.exit !== undefined;
  }

  load(message: Omit<LoadMessage, 'kind'>): Promise<ReadyMessage | LoadFailedMessage> {
    return new Promise((resolve, reject) => {
      if (this.loading !== undefined) return reject(new SluiceError('INTERNAL', 'load requested twice'));
      this.loading = { resolve, reject };
      this.send({ kind: 'load', ...message });
    });
  }

  /**
   * Runs a batch; rejects with `INSTANCE_FAILED` if the process dies first. The inputs' data is sent
   * without a copy: it must stay unchanged until the reply. Inputs that cannot be framed (data not
   * fitting its datatype) are answered with an `INTERNAL` error reply, as the worker would.
   */
  run(
    batchId: number,
    inputs: readonly Tensor[],
    outputNames: readonly string[] | undefined,
  ): Promise<ResultMessage | RunErrorMessage> {
    return new Promise((resolve, reject) => {
      if (this.runs.has(batchId))
        return reject(new SluiceError('INTERNAL', `batch ${batchId} is already running here`));
      this.runs.set(batchId, { resolve, reject });
      try {
        this.send({ kind: 'run', batchId, inputs, outputNames });
      } catch (error) {
        this.runs.delete(batchId);
        const message = error instanceof Error ? error.message : String(error);
        resolve({ kind: 'error', batchId, code: 'INTERNAL', message });
      }
    });
  }

  setThreads(threads: number): Promise<ThreadsSetMessage | ThreadsFailedMessage> {
    return new Promise((resolve, reject) => {
      this.threadWaiters.push({ resolve, reject });
      this.send({ kind: 'set-threads', threads });
    });
  }

  /** Asks the worker to drain and exit; the caller bounds the wait and kills. */
  shutdown(): Promise<ProcessExit> {
    this.send({ kind: 'shutdown' });
    return this.exited;
  }

  kill(): void {
    if (this.exit === undefined) this.child.kill('SIGKILL');
  }

  /** Requests sent and not answered. */
  get pending(): number {
    return this.runs.size + this.threadWaiters.length + (this.loading === undefined ? 0 : 1);
  }

  private send(message: ParentMessage): void {
    if (this.exit !== undefined) {
      this.rejectAll(
        new SluiceError('INSTANCE_FAILED', `instance process ${this.pid} ${describeExit(this.exit)}`),
      );
      return;
    }
    this.channel.send(message, (error) => {
      if (error !== null && error !== undefined) this.kill();
    });
  }

  private receive(message: WorkerMessage): void {
    switch (message.kind) {
      case 'ready':
      case 'load-failed': {
        const waiter = this.loading;
        this.loading = undefined;
        waiter?.resolve(message);
        return;
      }
      case 'result':
      case 'error': {
        const waiter = this.runs.get(message.batchId);
        this.runs.delete(message.batchId);
        waiter?.resolve(message);
        return;
      }
      case 'threads-set':
      case 'threads-failed':
        this.threadWaiters.shift()?.resolve(message);
        return;
    }
  }

  private rejectAll(error: SluiceError): void {
    const waiters = [
      ...this.runs.values(),
      ...this.threadWaiters,
      ...(this.loading === undefined ? [] : [this.loading]),
    ];
    this.runs.clear();
    this.threadWaiters.length = 0;
    this.loading = undefined;
    for (const waiter of waiters) waiter.reject(error);
  }
}

function describeExit(exit: ProcessExit): string {
  const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
  return exit.stderrTail === '' ? how : `${how}; stderr: ${exit.stderrTail.slice(-1000)}`;
}
