/**
 * The Azure LLM inference traces (code, conversation): one row per request with a wall-clock timestamp of
 * 100-ns resolution (shared/traces/README.md §2). Replayed as arrival offsets from the first row.
 */
import { WorkloadError } from './workload-error.js';

export interface AzureWindowOptions {
  /** Start of the window in seconds after the first request, inclusive; default 0. */
  readonly fromS?: number;
  /** End of the window in seconds after the first request, exclusive; default the end of the trace. */
  readonly toS?: number;
  /** Replay speed: offsets are divided by it (2 = twice as fast); default 1. */
  readonly speed?: number;
}

export class AzureTrace {
  private constructor(
    /** Arrival of each request in ms after the first one (sub-ms precision), non-decreasing. */
    readonly offsetsMs: Float64Array,
    /** Prompt length of each request, in tokens. */
    readonly contextTokens: Int32Array,
    /** Output length of each request, in tokens. */
    readonly generatedTokens: Int32Array,
  ) {}

  /** Parses `TIMESTAMP,ContextTokens,GeneratedTokens` CSV (CRLF or LF, header first, timestamps sorted). */
  static parse(text: string): AzureTrace {
    const lines = text.split(/\r?\n/);
    if (!/^TIMESTAMP,ContextTokens,GeneratedTokens\s*$/.test(lines[0] ?? '')) {
      throw new WorkloadError('azure trace: the header must be TIMESTAMP,ContextTokens,GeneratedTokens');
    }
    const rows = lines.slice(1).filter((line) => line.trim() !== '');
    const offsets = new Float64Array(rows.length);
    const context = new Int32Array(rows.length);
    const generated = new Int32Array(rows.length);
    let firstS = 0;
    let firstFracMs = 0;
    rows.forEach((row, i) => {
      const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?,(\d+),(\d+)\s*$/.exec(row);
      if (m === null) throw new WorkloadError(`azure trace line ${i + 2}: cannot parse '${row}'`);
      const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      // Whole seconds and the fraction kept apart: seconds since 1970 times 1000 plus a 7-digit fraction would
      // not survive one double exactly, offsets from the first row do.
      const wholeS = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
      const digits = m[7] ?? '';
      const fracMs = digits === '' ? 0 : (Number(digits) / 10 ** digits.length) * 1000;
      if (i === 0) {
        firstS = wholeS;
        firstFracMs = fracMs;
      }
      offsets[i] = (wholeS - firstS) * 1000 + (fracMs - firstFracMs);
      if (i > 0 && (offsets[i] ?? 0) < (offsets[i - 1] ?? 0)) {
        throw new WorkloadError(`azure trace line ${i + 2}: timestamps must not decrease`);
      }
      context[i] = Number(m[8]);
      generated[i] = Number(m[9]);
    });
    if (rows.length === 0) throw new WorkloadError('azure trace: no rows');
    return new AzureTrace(offsets, context, generated);
  }

  /** Time from the first to the last request, in ms. */
  get spanMs(): number {
    return this.offsetsMs[this.offsetsMs.length - 1] ?? 0;
  }

  /** Arrival offsets in ms of the requests in [fromS, toS), measured from `fromS` and divided by `speed`. */
  window(options: AzureWindowOptions = {}): Float64Array {
    const fromMs = (options.fromS ?? 0) * 1000;
    const toMs = options.toS === undefined ? Number.POSITIVE_INFINITY : options.toS * 1000;
    const speed = options.speed ?? 1;
    if (!(fromMs >= 0 && toMs > fromMs))
      throw new WorkloadError(`azure window: need 0 ≤ from < to, got [${options.fromS}, ${options.toS})`);
    if (!(Number.isFinite(speed) && speed > 0))
      throw new WorkloadError(`azure speed must be a positive number, not ${speed}`);
    const first = lowerBound(this.offsetsMs, fromMs);
    const end = lowerBound(this.offsetsMs, toMs);
    return this.offsetsMs.slice(first, end).map((t) => (t - fromMs) / speed);
  }
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm); no Date, no time zone. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
