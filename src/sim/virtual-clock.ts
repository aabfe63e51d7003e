/**
 * A virtual clock and event loop: timers are events in a binary heap ordered by (time, sequence), run in
 * that order with the clock set to each event's time. Deterministic: the same timers set in the same
 * order fire in the same order, whatever the host is doing.
 */
import type { Clock, TimerId } from '../ports/clock.js';

interface TimerEvent {
  readonly atMs: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class VirtualClock implements Clock {
  private now: number;
  private seq = 0;
  private readonly heap: TimerEvent[] = [];
  private readonly cancelled = new Set<number>();
  private readonly live = new Set<number>();
  private firedCount = 0;

  constructor(startMs = 0) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(atMs: number, fire: () => void): TimerId {
    const event: TimerEvent = { atMs: Math.max(atMs, this.now), seq: ++this.seq, fire };
    this.push(event);
    this.live.add(event.seq);
    return event.seq;
  }

  clearTimer(id: TimerId): void {
    if (this.live.delete(id)) this.cancelled.add(id);
  }

  /** Timers set and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.live.size;
  }

  /** Timers fired so far. */
  get fired(): number {
    return this.firedCount;
  }

  /** Runs every event up to and including `untilMs`, then sets the clock to `untilMs`. */
  runUntil(untilMs: number): void {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.atMs > untilMs) break;
      this.step();
    }
    this.now = Math.max(this.now, untilMs);
  }

  /** Runs events until none is left; throws after `maxEvents` as a guard against endless loops. */
  runAll(maxEvents = 10_000_000): void {
    let budget = maxEvents;
    while (this.heap.length > 0) {
      if (budget-- <= 0) throw new Error(`VirtualClock.runAll: more than ${maxEvents} events`);
      this.step();
    }
  }

  /** Fires the next event; false when none is left. */
  step(): boolean {
    const event = this.pop();
    if (event === undefined) return false;
    if (this.cancelled.delete(event.seq)) return true;
    this.live.delete(event.seq);
    this.now = event.atMs;
    this.firedCount += 1;
    event.fire();
    return true;
  }

  private push(event: TimerEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p === undefined || !earlier(event, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): TimerEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = last;
      let at = -1;
      const l = heap[left];
      const r = heap[right];
      if (l !== undefined && earlier(l, smallest)) {
        smallest = l;
        at = left;
      }
      if (r !== undefined && earlier(r, smallest)) {
        smallest = r;
        at = right;
      }
      if (at === -1) break;
      heap[i] = smallest;
      i = at;
    }
    heap[i] = last;
    return top;
  }
}

function earlier(a: TimerEvent, b: TimerEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
