// A Backend for engine unit tests: batches complete after a latency function of their rows, on a
// VirtualClock, echoing each item's payload; chosen batches can fail. Records every batch it ran.
import { SluiceError } from '../../src/core/errors.js';
import type { Backend, Batch, BatchResult } from '../../src/ports/backend.js';
import type { VirtualClock } from '../../src/sim/virtual-clock.js';

export type FailureMode = 'none' | 'retryable' | 'fatal';

export interface RecordedBatch<P> {
  readonly batch: Batch<P>;
  readonly startedMs: number;
}

export class TimedFakeBackend<P> implements Backend<P, P> {
  readonly batches: RecordedBatch<P>[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly latencyMs: (rows: number) => number,
    private readonly failure: (batch: Batch<P>) => FailureMode = () => 'none',
  ) {}

  execute(batch: Batch<P>, done: (result: BatchResult<P>) => void): void {
    this.batches.push({ batch, startedMs: this.clock.nowMs() });
    const computeMs = this.latencyMs(batch.rows);
    const mode = this.failure(batch);
    this.clock.setTimer(this.clock.nowMs() + computeMs, () => {
      if (mode === 'none') done({ ok: true, outputs: batch.items.map((i) => i.payload), computeMs });
      else
        done({
          ok: false,
          retryable: mode === 'retryable',
          error: new SluiceError(
            mode === 'retryable' ? 'INSTANCE_FAILED' : 'INTERNAL',
            `injected ${mode} failure`,
          ),
        });
    });
  }
}
