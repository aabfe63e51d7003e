/**
 * Every request the generator sends, with exactly one outcome each. Columns in typed arrays (a long trace
 * replay sends millions of requests; one object per request would cost ~10x the memory). Times are ms on the
 * run's own time line, which starts when the first request is due.
 */

/** How a request ended, beyond its HTTP status. */
export const OUTCOME_PENDING = 0;
/** The connection failed or was reset before a full response arrived. */
export const OUTCOME_CONNECTION_ERROR = -1;
/** No response within the request timeout, or still outstanding when the drain period ended. */
export const OUTCOME_TIMEOUT = -2;

/** One request's record, as `RequestLog.get` returns it. */
export interface RequestRecord {
  readonly index: number;
  /** When the workload scheduled it, ms. */
  readonly scheduledMs: number;
  /** When the generator handed it to the HTTP client, ms (≥ scheduledMs). */
  readonly sentMs: number;
  /** When the outcome was recorded, ms; NaN while pending. */
  readonly doneMs: number;
  /** Server-side budget `slo − network`, in ms from the scheduled time. */
  readonly budgetMs: number;
  /** HTTP status, or one of the OUTCOME_* constants. */
  readonly status: number;
  /** Sluice error code from the body (`{"error": "CODE: message"}`), if any. */
  readonly code: string | undefined;
}

export class RequestLog {
  private scheduled: Float64Array = new Float64Array(1024);
  private sent: Float64Array = new Float64Array(1024);
  private done: Float64Array = new Float64Array(1024);
  private budget: Float64Array = new Float64Array(1024);
  private statuses = new Int16Array(1024);
  private codes = new Uint16Array(1024);
  private readonly codeNames: string[] = [''];
  private count = 0;

  /** Requests logged. */
  get size(): number {
    return this.count;
  }

  /** Logs a request about to be sent; returns its index (also its OIP request id). */
  add(scheduledMs: number, sentMs: number, budgetMs: number): number {
    if (this.count === this.scheduled.length) this.grow();
    const i = this.count++;
    this.scheduled[i] = scheduledMs;
    this.sent[i] = sentMs;
    this.done[i] = Number.NaN;
    this.budget[i] = budgetMs;
    return i;
  }

  /** Records the outcome of request `i`; false (and nothing changes) when it already had one. */
  settle(i: number, status: number, doneMs: number, code?: string): boolean {
    if (i < 0 || i >= this.count || this.statuses[i] !== OUTCOME_PENDING) return false;
    this.statuses[i] = status;
    this.done[i] = doneMs;
    if (code !== undefined) {
      let c = this.codeNames.indexOf(code);
      if (c < 0) c = this.codeNames.push(code) - 1;
      this.codes[i] = c;
    }
    return true;
  }

  get(i: number): RequestRecord {
    if (i < 0 || i >= this.count) throw new RangeError(`no request ${i}`);
    const code = this.codes[i] ?? 0;
    return {
      index: i,
      scheduledMs: this.scheduled[i] ?? 0,
      sentMs: this.sent[i] ?? 0,
      doneMs: this.done[i] ?? Number.NaN,
      budgetMs: this.budget[i] ?? 0,
      status: this.statuses[i] ?? OUTCOME_PENDING,
      code: code === 0 ? undefined : this.codeNames[code],
    };
  }

  /** All records, in send order. */
  *records(): Generator<RequestRecord, void, undefined> {
    for (let i = 0; i < this.count; i++) yield this.get(i);
  }

  private grow(): void {
    const size = this.scheduled.length * 2;
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.scheduled = grow64(this.scheduled);
    this.sent = grow64(this.sent);
    this.done = grow64(this.done);
    this.budget = grow64(this.budget);
    const statuses = new Int16Array(size);
    statuses.set(this.statuses);
    this.statuses = statuses;
    const codes = new Uint16Array(size);
    codes.set(this.codes);
    this.codes = codes;
  }
}
