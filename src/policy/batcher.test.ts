import { describe, expect, it } from 'vitest';
import { findExpired, selectBatch, type BatcherContext } from './batcher.js';
import type { QueuedEntry } from './request-queue.js';

const entry = (seq: number, deadlineMs: number, over: Partial<QueuedEntry> = {}): QueuedEntry => ({
  seq,
  arrivalMs: 0,
  deadlineMs,
  rows: 1,
  shapeKey: 'k',
  ...over,
});
const linear = (rows: number) => ({ meanMs: 10 + 5 * rows, upperMs: 10 + 5 * rows });
const ctx = (over: Partial<BatcherContext>): BatcherContext => ({
  nowMs: 0,
  queue: [],
  idleInstances: 1,
  preferredBatch: 4,
  maxBatch: 8,
  maxQueueDelayMs: 0,
  policy: 'deadline',
  latency: linear,
  ...over,
});

describe('selectBatch (deadline)', () => {
  it('does nothing without an idle instance or a queue', () => {
    expect(selectBatch(ctx({ queue: [entry(1, 100)], idleInstances: 0 }))).toEqual({ kind: 'none' });
    expect(selectBatch(ctx({ queue: [] }))).toEqual({ kind: 'none' });
  });

  it('dispatches a full batch of the EDF head and the next compatible entries', () => {
    const queue = [
      entry(1, 100),
      entry(2, 110, { shapeKey: 'other' }),
      entry(3, 120),
      entry(4, 130),
      entry(5, 140),
      entry(6, 150),
    ];
    expect(selectBatch(ctx({ queue, maxQueueDelayMs: 50 }))).toEqual({
      kind: 'dispatch',
      positions: [0, 2, 3, 4],
      rows: 4,
    });
  });

  it('waits for a batch to fill until the maximum queue delay, if the head can afford it', () => {
    const queue = [entry(1, 1000, { arrivalMs: 0 }), entry(2, 1000, { arrivalMs: 5 })];
    expect(selectBatch(ctx({ queue, nowMs: 6, maxQueueDelayMs: 20 }))).toEqual({ kind: 'wait', untilMs: 20 });
    expect(selectBatch(ctx({ queue, nowMs: 20, maxQueueDelayMs: 20 }))).toMatchObject({
      kind: 'dispatch',
      rows: 2,
    });
  });

  it('stops waiting when waiting longer would make the head miss its deadline', () => {
    const queue = [entry(1, 40), entry(2, 1000)];
    // l(2) = 20, so the head must start by 40 - 20 = 20.
    expect(selectBatch(ctx({ queue, nowMs: 5, maxQueueDelayMs: 100 }))).toEqual({
      kind: 'wait',
      untilMs: 20,
    });
    expect(selectBatch(ctx({ queue, nowMs: 20, maxQueueDelayMs: 100 }))).toMatchObject({
      kind: 'dispatch',
      rows: 2,
    });
  });

  it('shrinks the batch until the head still meets its deadline', () => {
    const queue = [entry(1, 26), entry(2, 500), entry(3, 500), entry(4, 500)];
    // l(4) = 30 > 26, l(3) = 25 <= 26.
    expect(selectBatch(ctx({ queue }))).toEqual({ kind: 'dispatch', positions: [0, 1, 2], rows: 3 });
  });

  it('spreads queued work over several idle instances', () => {
    const queue = [1, 2, 3, 4, 5, 6].map((s) => entry(s, 1000));
    expect(selectBatch(ctx({ queue, idleInstances: 3 }))).toEqual({
      kind: 'dispatch',
      positions: [0, 1],
      rows: 2,
    });
  });

  it('never exceeds the max batch, even for a large preferred size', () => {
    const queue = [entry(1, 1000, { rows: 5 }), entry(2, 1000, { rows: 4 }), entry(3, 1000, { rows: 3 })];
    expect(selectBatch(ctx({ queue, preferredBatch: 64, maxBatch: 8 }))).toEqual({
      kind: 'dispatch',
      positions: [0, 2],
      rows: 8,
    });
  });
});

describe('selectBatch (fifo, Triton-style)', () => {
  it('takes the oldest first and ignores deadlines', () => {
    const queue = [entry(1, 5), entry(2, 6), entry(3, 7), entry(4, 8)];
    expect(selectBatch(ctx({ queue, policy: 'fifo' }))).toEqual({
      kind: 'dispatch',
      positions: [0, 1, 2, 3],
      rows: 4,
    });
  });

  it('waits the maximum queue delay for a full batch, whatever the deadline', () => {
    const queue = [entry(1, 5, { arrivalMs: 0 })];
    expect(selectBatch(ctx({ queue, policy: 'fifo', maxQueueDelayMs: 50 }))).toEqual({
      kind: 'wait',
      untilMs: 50,
    });
  });
});

describe('findExpired', () => {
  const queue = [entry(1, 5), entry(2, 24), entry(3, 40), entry(4, 41, { rows: 8 })];
  it('deadline: expires the head entries that cannot finish in time even alone', () => {
    // l(1) = 15: an entry needs deadline >= now + 15.
    expect(findExpired(10, queue, 'deadline', linear)).toEqual([0, 1]);
  });
  it('fifo: expires only entries whose deadline has passed', () => {
    expect(findExpired(10, queue, 'fifo', linear)).toEqual([0]);
  });
});
