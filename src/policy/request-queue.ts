/**
 * The queue of one instance group. `edf` orders by absolute deadline, ties by arrival (then sequence);
 * `fifo` by arrival sequence (the Triton-style baseline). A sorted array: queues are bounded
 * (`maxQueueLength`), and batch selection walks them in order, which a heap cannot do.
 */

export interface QueuedEntry {
  /** Arrival sequence, unique per engine; a smaller number arrived earlier. */
  readonly seq: number;
  readonly arrivalMs: number;
  readonly deadlineMs: number;
  readonly rows: number;
  /** Only entries with equal shape keys may share a batch. */
  readonly shapeKey: string;
}

export type QueueOrder = 'edf' | 'fifo';

export class RequestQueue<E extends QueuedEntry> {
  private readonly items: E[] = [];
  private totalRows = 0;
  private readonly before: (a: QueuedEntry, b: QueuedEntry) => boolean;

  constructor(readonly order: QueueOrder) {
    this.before = order === 'edf' ? edfBefore : (a, b) => a.seq < b.seq;
  }

  get length(): number {
    return this.items.length;
  }

  /** Sum of the queued entries' rows. */
  get rows(): number {
    return this.totalRows;
  }

  /** The entries in queue order; a live view, do not keep it across mutations. */
  get entries(): readonly E[] {
    return this.items;
  }

  push(entry: E): void {
    // Binary search for the first position whose entry should come after `entry`.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.items[mid];
      if (at !== undefined && this.before(at, entry)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, entry);
    this.totalRows += entry.rows;
  }

  /** Removes the entries at the given positions (any order, no duplicates) and returns them in queue order. */
  take(positions: readonly number[]): E[] {
    const sorted = [...positions].sort((a, b) => a - b);
    const taken: E[] = [];
    for (let i = sorted.length - 1; i >= 0; i--) {
      const position = sorted[i];
      if (position === undefined) continue;
      const [entry] = this.items.splice(position, 1);
      if (entry === undefined) throw new RangeError(`no queued entry at position ${position}`);
      this.totalRows -= entry.rows;
      taken.push(entry);
    }
    return taken.reverse();
  }

  /** Removes and returns every entry. */
  clear(): E[] {
    const all = this.items.splice(0, this.items.length);
    this.totalRows = 0;
    return all;
  }

  /**
   * Rows queued that would be served before a new entry with this deadline and sequence, in queue order.
   * For `fifo` that is every queued row.
   */
  rowsAhead(deadlineMs: number, arrivalMs: number, seq: number): number {
    if (this.order === 'fifo') return this.totalRows;
    let rows = 0;
    const probe = { seq, deadlineMs, arrivalMs, rows: 0, shapeKey: '' };
    for (const item of this.items) {
      if (!edfBefore(item, probe)) break;
      rows += item.rows;
    }
    return rows;
  }
}

function edfBefore(a: QueuedEntry, b: QueuedEntry): boolean {
  if (a.deadlineMs !== b.deadlineMs) return a.deadlineMs < b.deadlineMs;
  if (a.arrivalMs !== b.arrivalMs) return a.arrivalMs < b.arrivalMs;
  return a.seq < b.seq;
}
