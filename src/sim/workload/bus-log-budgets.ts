/**
 * Per-request latency budgets derived from a 4G/LTE bandwidth log, as Sponge does (shared/traces/README.md
 * §3): in second k of the log the link carries `floor(bytes / ms)` bytes per ms, a request's payload takes
 * `comm_ms = payload_KB · 1024 / that` ms to upload, and the server is left `SLO − comm_ms`. The log's seconds
 * are cycled over the workload's seconds: a request sent at t ms uses log second `floor(t / 1000) mod length`.
 *
 * A second whose integer throughput is 0 (fewer than one byte per ms, nothing received, or a zero interval)
 * would divide by zero. It is taken as 1 byte/ms instead: the upload then takes `payload bytes` ms (204,800 ms
 * for 200 KB), the budget is deeply negative but finite, and the server rejects the request at admission,
 * which is what a user on a dead link sees. Budgets therefore lie in (−∞, SLO] and are always finite.
 */
import type { Rng } from '../../ports/rng.js';
import type { Arrival } from './workload.js';
import { WorkloadError } from './workload-error.js';

/** Sponge's end-to-end SLO, in ms. */
export const DEFAULT_BUS_SLO_MS = 1000;
/** Payload in KB when none is given (Sponge sent 100–500 KB images). */
export const DEFAULT_PAYLOAD_KB = 200;

export interface BudgetOptions {
  /** End-to-end SLO in ms; default `DEFAULT_BUS_SLO_MS`. */
  readonly sloMs?: number;
  /** Payload in KB (1 KB = 1024 bytes), or [min, max] to draw each request's uniformly; default `DEFAULT_PAYLOAD_KB`. */
  readonly payloadKB?: number | readonly [number, number];
}

export class BusLogBudgets {
  private constructor(
    /** Integer link throughput of each second of the log, bytes per ms, at least 1 (see above). */
    readonly throughputBytesPerMs: Int32Array,
    /** Seconds whose measured integer throughput was 0 and was taken as 1 byte/ms. */
    readonly zeroThroughputSeconds: number,
  ) {}

  /** Parses the log: six space-separated columns per line; column 5 is bytes, column 6 the interval in ms. */
  static parse(text: string): BusLogBudgets {
    const values: number[] = [];
    let zeros = 0;
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      const cols = line.trim().split(/\s+/);
      const bytes = Number(cols[4]);
      const ms = Number(cols[5]);
      if (cols.length !== 6 || !Number.isFinite(bytes) || !Number.isFinite(ms) || bytes < 0) {
        throw new WorkloadError(`bus log line ${i + 1}: expected 6 numeric columns, got '${line}'`);
      }
      const throughput = ms > 0 ? Math.floor(bytes / ms) : 0;
      if (throughput < 1) zeros++;
      values.push(Math.max(1, throughput));
    });
    if (values.length === 0) throw new WorkloadError('bus log: no lines');
    return new BusLogBudgets(Int32Array.from(values), zeros);
  }

  /** Seconds in the log. */
  get lengthS(): number {
    return this.throughputBytesPerMs.length;
  }

  /** Upload time in ms of `payloadKB` in log second `second` (cycled). */
  networkMs(second: number, payloadKB: number): number {
    const n = this.throughputBytesPerMs.length;
    const throughput = this.throughputBytesPerMs[((second % n) + n) % n] ?? 1;
    return (payloadKB * 1024) / throughput;
  }

  /** Server-side budget `SLO − comm_ms` of every second of the log, in ms, for a fixed payload. */
  budgetsMs(sloMs = DEFAULT_BUS_SLO_MS, payloadKB = DEFAULT_PAYLOAD_KB): Float64Array {
    return Float64Array.from(this.throughputBytesPerMs, (_, k) => sloMs - this.networkMs(k, payloadKB));
  }

  /**
   * The arrivals with `sloMs` and `networkMs` set from the second they are sent in. `rng` draws payload sizes
   * when `payloadKB` is a range and is not touched otherwise.
   */
  *attach(
    arrivals: Iterable<Arrival>,
    options: BudgetOptions,
    rng: Rng,
  ): Generator<Arrival, void, undefined> {
    const sloMs = options.sloMs ?? DEFAULT_BUS_SLO_MS;
    const payload = options.payloadKB ?? DEFAULT_PAYLOAD_KB;
    const [minKB, maxKB] = typeof payload === 'number' ? [payload, payload] : payload;
    if (!(Number.isFinite(sloMs) && sloMs > 0))
      throw new WorkloadError(`SLO must be a positive number of ms, not ${sloMs}`);
    if (!(minKB > 0 && maxKB >= minKB && Number.isFinite(maxKB)))
      throw new WorkloadError(`payload must be KB > 0 (or MIN-MAX), not ${minKB}-${maxKB}`);
    for (const arrival of arrivals) {
      const kb = minKB === maxKB ? minKB : minKB + rng.next() * (maxKB - minKB);
      yield { ...arrival, sloMs, networkMs: this.networkMs(Math.floor(arrival.atMs / 1000), kb) };
    }
  }
}
