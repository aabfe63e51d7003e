import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestQueue, type QueuedEntry } from './request-queue.js';

const entryArb = fc.record({
  deadlineMs: fc.integer({ min: 0, max: 50 }),
  arrivalMs: fc.integer({ min: 0, max: 50 }),
  rows: fc.integer({ min: 1, max: 4 }),
});

type Op =
  | { kind: 'push'; entry: { deadlineMs: number; arrivalMs: number; rows: number } }
  | { kind: 'take'; picks: number[] };

const opsArb = fc.array(
  fc.oneof(
    entryArb.map((entry): Op => ({ kind: 'push', entry })),
    fc.array(fc.nat(), { maxLength: 3 }).map((picks): Op => ({ kind: 'take', picks })),
  ),
  { maxLength: 80 },
);

function edfSorted(entries: readonly QueuedEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    const a = entries[i - 1]!;
    const b = entries[i]!;
    const key = (e: QueuedEntry): [number, number, number] => [e.deadlineMs, e.arrivalMs, e.seq];
    const [ka, kb] = [key(a), key(b)];
    if (ka[0] > kb[0] || (ka[0] === kb[0] && (ka[1] > kb[1] || (ka[1] === kb[1] && ka[2] > kb[2]))))
      return false;
  }
  return true;
}

describe('RequestQueue', () => {
  it('keeps EDF order (ties by arrival, then sequence) and its row count through any pushes and takes', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const queue = new RequestQueue<QueuedEntry>('edf');
        let seq = 0;
        for (const op of ops) {
          if (op.kind === 'push') queue.push({ ...op.entry, seq: ++seq, shapeKey: '' });
          else if (queue.length > 0) {
            const positions = [...new Set(op.picks.map((p) => p % queue.length))];
            const before = [...queue.entries];
            const taken = queue.take(positions);
            expect(taken).toEqual([...positions].sort((a, b) => a - b).map((p) => before[p]));
          }
          expect(edfSorted(queue.entries)).toBe(true);
          expect(queue.rows).toBe(queue.entries.reduce((s, e) => s + e.rows, 0));
        }
      }),
    );
  });

  it('rowsAhead counts exactly the rows an EDF queue serves before a new entry', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 40 }), entryArb, (entries, probe) => {
        const queue = new RequestQueue<QueuedEntry>('edf');
        entries.forEach((e, i) => queue.push({ ...e, seq: i + 1, shapeKey: '' }));
        const seq = entries.length + 1;
        const ahead = (e: QueuedEntry): boolean =>
          e.deadlineMs < probe.deadlineMs ||
          (e.deadlineMs === probe.deadlineMs &&
            (e.arrivalMs < probe.arrivalMs || (e.arrivalMs === probe.arrivalMs && e.seq < seq)));
        const expected = queue.entries.filter(ahead).reduce((s, e) => s + e.rows, 0);
        expect(queue.rowsAhead(probe.deadlineMs, probe.arrivalMs, seq)).toBe(expected);
      }),
    );
  });

  it('fifo serves in arrival sequence whatever the deadlines', () => {
    const queue = new RequestQueue<QueuedEntry>('fifo');
    [30, 10, 20].forEach((deadlineMs, i) =>
      queue.push({ seq: i + 1, arrivalMs: i, deadlineMs, rows: 1, shapeKey: '' }),
    );
    expect(queue.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(queue.rowsAhead(0, 5, 4)).toBe(3);
  });
});
