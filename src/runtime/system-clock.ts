/**
 * The live `Clock`: `performance.now()` (monotonic, fractional ms since this process started) and Node
 * timers. Two choices worth knowing:
 * - Timers are unref'd by default: a pending batcher wake-up or restart back-off never keeps the process
 *   alive by itself. What must keep a server alive (its listening socket, its instance processes) does so
 *   on its own, and a server that has closed those exits without having to cancel every timer first.
 *   Pass `{ keepAlive: true }` where the timers are the only work left (e.g. a script waiting on one).
 * - A timer never fires early: Node rounds to whole milliseconds and can call back a fraction of a
 *   millisecond before `atMs`, so it is re-armed until `nowMs() >= atMs`. Code woken by the clock can
 *   then trust that its deadline has passed, and does not re-arm the same wake-up in a tight loop.
 * Unlike the simulator's VirtualClock, timers that are all overdue (the process was busy) fire in the
 * order they were set, not strictly by `atMs`; the engine re-reads `nowMs()` when woken, so it does not
 * depend on that order.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerId } from '../ports/clock.js';

export interface SystemClockOptions {
  /** Let pending timers keep the process alive. Default false (unref'd). */
  readonly keepAlive?: boolean;
}

/** Node's largest timer delay (2^31 − 1 ms); longer waits are re-armed in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** The wall-clock `Clock` for live runs (see the file's header for its timer semantics). */
export class SystemClock implements Clock {
  private readonly keepAlive: boolean;
  private readonly timers = new Map<TimerId, NodeJS.Timeout>();
  private lastId = 0;

  constructor(options: SystemClockOptions = {}) {
    this.keepAlive = options.keepAlive ?? false;
  }

  nowMs(): number {
    return performance.now();
  }

  setTimer(atMs: number, fire: () => void): TimerId {
    this.lastId += 1;
    const id = this.lastId;
    this.arm(id, atMs, fire);
    return id;
  }

  clearTimer(id: TimerId): void {
    const timeout = this.timers.get(id);
    if (timeout === undefined) return;
    clearTimeout(timeout);
    this.timers.delete(id);
  }

  /** Timers set and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  private arm(id: TimerId, atMs: number, fire: () => void): void {
    const delayMs = atMs - this.nowMs();
    const timeout = setTimeout(
      () => {
        if (this.nowMs() < atMs) {
          this.arm(id, atMs, fire);
          return;
        }
        this.timers.delete(id);
        fire();
      },
      Math.min(MAX_DELAY_MS, Math.max(0, Math.ceil(delayMs))),
    );
    if (!this.keepAlive) timeout.unref();
    this.timers.set(id, timeout);
  }
}
