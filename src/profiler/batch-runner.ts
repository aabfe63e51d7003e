/**
 * Runs batches on one instance through the `InstanceHost` exactly as the engine dispatches them (one item
 * per request, concatenated by the host) and times each from dispatch to result on the injected clock.
 */
import type { InferencePayload } from '../core/inference.js';
import type { Clock } from '../ports/clock.js';
import type { InstanceHost } from '../ports/instance-host.js';

export interface BatchTiming {
  /** Dispatch to result, in ms: what one batch costs the server, IPC included. */
  readonly wallMs: number;
  /** Execution inside the instance, in ms. */
  readonly computeMs: number;
  /** On the clock, when the batch was dispatched and when its result arrived. */
  readonly startedMs: number;
  readonly finishedMs: number;
}

export interface SampleOptions {
  /** Batches run first and not recorded (new shapes allocate on first use). Default 2. */
  readonly warmup?: number;
  /** Always at least this many recorded batches. Default 10. */
  readonly minSamples?: number;
  /** Never more than this many. Default 200. */
  readonly maxSamples?: number;
  /** Stop once at least `minSamples` are recorded and this much time has passed, in ms. Default 2000. */
  readonly budgetMs?: number;
}

/** Runs batches on the instances of one host, with batch ids no engine will use (negative). */
export class BatchRunner {
  private nextBatchId = -1;

  constructor(
    private readonly host: InstanceHost,
    private readonly clock: Clock,
  ) {}

  /** One batch of `batch` requests, each `payload`; rejects with the host's error if it fails. */
  run(instanceId: string, group: string, payload: InferencePayload, batch: number): Promise<BatchTiming> {
    const startedMs = this.clock.nowMs();
    // Each probe payload is one request of one row (probe-inputs.ts).
    const items = Array.from({ length: batch }, (_, i) => ({ requestId: `probe-${i}`, rows: 1, payload }));
    return new Promise((resolve, reject) => {
      this.host.execute({ batchId: this.nextBatchId--, group, instanceId, items, rows: batch }, (result) => {
        const finishedMs = this.clock.nowMs();
        if (!result.ok) reject(result.error);
        else resolve({ wallMs: finishedMs - startedMs, computeMs: result.computeMs, startedMs, finishedMs });
      });
    });
  }

  /** Warm-up batches, then timed batches until the sample count and time budget are met. */
  async sample(
    instanceId: string,
    group: string,
    payload: InferencePayload,
    batch: number,
    options: SampleOptions = {},
  ): Promise<BatchTiming[]> {
    for (let i = 0; i < (options.warmup ?? 2); i++) await this.run(instanceId, group, payload, batch);
    const minSamples = options.minSamples ?? 10;
    const maxSamples = Math.max(minSamples, options.maxSamples ?? 200);
    const budgetMs = options.budgetMs ?? 2000;
    const timings: BatchTiming[] = [];
    const began = this.clock.nowMs();
    while (
      timings.length < minSamples ||
      (timings.length < maxSamples && this.clock.nowMs() - began < budgetMs)
    ) {
      timings.push(await this.run(instanceId, group, payload, batch));
    }
    return timings;
  }
}
