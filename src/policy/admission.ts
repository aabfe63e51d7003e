/**
 * Admission: should a request whose inputs are valid enter its group's queue? It is refused when the queue
 * is full (OVERLOADED) or, in `reject` mode, when list-scheduling the work queued ahead of it onto the
 * group's instances says it would finish after its deadline (DEADLINE_UNMEETABLE).
 */
import { SluiceError } from '../core/errors.js';

export type AdmissionMode = 'reject' | 'drop' | 'serve';

export interface AdmissionContext {
  readonly nowMs: number;
  readonly deadlineMs: number;
  readonly rows: number;
  /** Rows queued that would be served before this request. */
  readonly rowsAhead: number;
  /** Rows queued in all. */
  readonly queuedRows: number;
  readonly queueLength: number;
  readonly maxQueueLength: number;
  /** For each ready instance, ms until it is free (0 when idle). Empty while instances are still starting. */
  readonly instanceFreeInMs: readonly number[];
  /** Rows per batch the batcher aims for. */
  readonly batchRows: number;
  /** Mean execution time of a batch of `rows` rows, ms. */
  readonly latencyMs: (rows: number) => number;
  readonly mode: AdmissionMode;
}

export type AdmissionDecision =
  | { readonly admitted: true; readonly predictedFinishMs: number | undefined }
  | { readonly admitted: false; readonly error: SluiceError };

export function admit(ctx: AdmissionContext): AdmissionDecision {
  if (ctx.queueLength >= ctx.maxQueueLength) {
    return {
      admitted: false,
      error: new SluiceError('OVERLOADED', `queue full (${ctx.queueLength} requests)`, {
        retryAfterMs: drainMs(ctx),
      }),
    };
  }
  if (ctx.instanceFreeInMs.length === 0) return { admitted: true, predictedFinishMs: undefined };
  const predictedFinishMs = ctx.nowMs + scheduleMs(ctx, ctx.rowsAhead, ctx.rows);
  if (ctx.mode === 'reject' && predictedFinishMs > ctx.deadlineMs) {
    const budget = ctx.deadlineMs - ctx.nowMs;
    return {
      admitted: false,
      error: new SluiceError(
        'DEADLINE_UNMEETABLE',
        `predicted completion in ${(predictedFinishMs - ctx.nowMs).toFixed(1)} ms exceeds the ${budget.toFixed(1)} ms budget`,
        { retryAfterMs: drainMs(ctx) },
      ),
    };
  }
  return { admitted: true, predictedFinishMs };
}

/** Time until the whole queue would have drained, ms. */
function drainMs(ctx: AdmissionContext): number {
  if (ctx.instanceFreeInMs.length === 0) return 1000;
  return Math.max(scheduleMs(ctx, ctx.queuedRows, 0), ...ctx.instanceFreeInMs);
}

/**
 * Greedy list scheduling: batches of `batchRows` rows, each to the instance free first. Returns when the
 * batch holding the last of `rows` new rows (after `rowsAhead`) completes, relative to now.
 */
function scheduleMs(ctx: AdmissionContext, rowsAhead: number, rows: number): number {
  const free = [...ctx.instanceFreeInMs];
  const cap = Math.max(1, ctx.batchRows);
  let finish = 0;
  const run = (batchRows: number): void => {
    let best = 0;
    for (let i = 1; i < free.length; i++) if ((free[i] ?? 0) < (free[best] ?? 0)) best = i;
    const end = (free[best] ?? 0) + ctx.latencyMs(batchRows);
    free[best] = end;
    finish = end;
  };
  const fullBatches = Math.floor(rowsAhead / cap);
  const partial = rowsAhead - fullBatches * cap;
  for (let i = 0; i < fullBatches; i++) run(cap);
  if (rows === 0) {
    if (partial > 0) run(partial);
    return finish;
  }
  if (partial + rows <= cap) {
    run(partial + rows);
  } else {
    if (partial > 0) run(partial);
    run(rows);
  }
  return finish;
}
