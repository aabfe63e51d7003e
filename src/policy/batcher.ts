/**
 * Batch selection for one instance group, as a pure decision: given the queue (in queue order), the idle
 * instances and the latency estimate, dispatch a batch now, wait until a time, or do nothing.
 *
 * `deadline` (Sluice): the batch is the queue head plus the next compatible entries up to the configured
 * size, shrunk until the head still meets its deadline under the upper latency estimate, and spread over
 * the idle instances. It goes when full, when waiting longer would make the head miss, or when the
 * maximum queue delay has passed.
 * `fifo` (Triton's dynamic batcher): oldest first, up to the configured size; goes when full or when the
 * oldest has waited the maximum queue delay. No deadline reasoning.
 *
 * Expired entries are not this function's business: `findExpired` lists them and the engine answers them
 * before selecting, so a dispatched batch never holds a request past its deadline.
 */
import type { QueuedEntry } from './request-queue.js';
import type { LatencyEstimate } from './latency-estimator.js';

export interface BatcherContext {
  readonly nowMs: number;
  /** Queue entries in queue order (EDF for `deadline`, arrival for `fifo`). */
  readonly queue: readonly QueuedEntry[];
  readonly idleInstances: number;
  /** Configured dispatch size, rows. */
  readonly preferredBatch: number;
  /** Hard bound, rows. */
  readonly maxBatch: number;
  readonly maxQueueDelayMs: number;
  readonly policy: 'deadline' | 'fifo';
  /** Execution time of a batch of `rows` on an idle instance. */
  readonly latency: (rows: number) => LatencyEstimate;
}

export type BatchDecision =
  | { readonly kind: 'dispatch'; readonly positions: readonly number[]; readonly rows: number }
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'none' };

/** How far past the head selection looks for compatible entries, in multiples of the batch size. */
const SCAN_FACTOR = 4;

export function selectBatch(ctx: BatcherContext): BatchDecision {
  const head = ctx.queue[0];
  if (head === undefined || ctx.idleInstances < 1) return { kind: 'none' };
  const cap = Math.max(1, Math.min(ctx.preferredBatch, ctx.maxBatch));

  // The head and the compatible entries after it that fit, in queue order.
  const positions = [0];
  let rows = head.rows;
  let compatibleRows = head.rows;
  let oldestArrivalMs = head.arrivalMs;
  const scanLimit = Math.min(ctx.queue.length, 1 + SCAN_FACTOR * cap);
  for (let i = 1; i < scanLimit; i++) {
    const entry = ctx.queue[i];
    if (entry === undefined || entry.shapeKey !== head.shapeKey) continue;
    compatibleRows += entry.rows;
    if (rows + entry.rows > Math.max(cap, head.rows) || rows + entry.rows > ctx.maxBatch) continue;
    positions.push(i);
    rows += entry.rows;
    oldestArrivalMs = Math.min(oldestArrivalMs, entry.arrivalMs);
  }

  if (ctx.policy === 'deadline') {
    // Shrink until the head (the earliest deadline of the batch) still makes it under the upper estimate.
    while (positions.length > 1 && ctx.nowMs + ctx.latency(rows).upperMs > head.deadlineMs) {
      const last = positions.pop();
      rows -= last === undefined ? 0 : (ctx.queue[last]?.rows ?? 0);
    }
  }

  const full = rows >= cap;
  let goAtMs = oldestArrivalMs + ctx.maxQueueDelayMs;
  if (ctx.policy === 'deadline') goAtMs = Math.min(goAtMs, head.deadlineMs - ctx.latency(rows).upperMs);
  if (!full && ctx.nowMs < goAtMs) return { kind: 'wait', untilMs: goAtMs };

  if (ctx.policy === 'deadline' && ctx.idleInstances > 1) {
    // Spread the queued work over the idle instances: smaller batches finish sooner.
    const share = Math.ceil(compatibleRows / ctx.idleInstances);
    while (positions.length > 1 && rows > share) {
      const last = positions.pop();
      rows -= last === undefined ? 0 : (ctx.queue[last]?.rows ?? 0);
    }
  }
  return { kind: 'dispatch', positions, rows };
}

/**
 * Positions of entries that can no longer meet their deadline: at or past it, or (for `deadline`) unable to
 * finish before it even if started now alone under the mean estimate. For `fifo`, only entries at or past it.
 */
export function findExpired(
  nowMs: number,
  queue: readonly QueuedEntry[],
  policy: 'deadline' | 'fifo',
  latency: (rows: number) => LatencyEstimate,
): number[] {
  const expired: number[] = [];
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i];
    if (entry === undefined) continue;
    if (policy === 'deadline') {
      if (nowMs + latency(entry.rows).meanMs < entry.deadlineMs) {
        // EDF order: later entries have later deadlines; only larger rows could still be doomed, and the
        // head check catches them when they reach the front.
        break;
      }
      expired.push(i);
    } else if (entry.deadlineMs <= nowMs) {
      expired.push(i);
    }
  }
  return expired;
}

/**
 * When the next queued entry will expire under `findExpired`'s rule if nothing is dispatched, or undefined
 * for an empty queue. The engine sets a timer for it, so a request stuck behind busy instances is answered
 * at its deadline rather than whenever an instance frees up.
 */
export function nextExpiryMs(
  queue: readonly QueuedEntry[],
  policy: 'deadline' | 'fifo',
  latency: (rows: number) => LatencyEstimate,
): number | undefined {
  if (policy === 'deadline') {
    const head = queue[0];
    return head === undefined ? undefined : head.deadlineMs - latency(head.rows).meanMs;
  }
  let earliest: number | undefined;
  for (const entry of queue)
    if (earliest === undefined || entry.deadlineMs < earliest) earliest = entry.deadlineMs;
  return earliest;
}
