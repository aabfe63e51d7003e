/**
 * The Twitter trace of InfAdapter, IPA and Sponge: one request count per second (shared/traces/README.md §1).
 *
 * Collection gaps: the archive the counts come from misses some files, and a missing file shows up as a run
 * of zero seconds (every day at seconds 84,661–86,399, one 150-s run on day 12, and 41 runs of 12–44 s). Real
 * traffic never stops here (the median is 53 requests/s and the file has no run of 1–11 zeros at all), so the
 * rule is: **a run of at least `minGapS` (default 10) consecutive zero seconds is a gap**. Gaps are found on
 * the raw counts of the whole trace (before damping, which can turn quiet seconds into zeros, and before
 * slicing, so a slice that begins inside a gap still recognises it). Skipping drops the gap's seconds from
 * a slice, so the workload is shorter than END − START by the seconds skipped.
 */
import { WorkloadError } from './workload-error.js';

/** Gap rule: zero runs at least this long are missing data, not idle load. */
export const DEFAULT_MIN_GAP_S = 10;

/** Length of a day in the `day:hh:mm[:ss]` notation, in seconds (the trace's gaps repeat every 86,400 s). */
export const SECONDS_PER_DAY = 86_400;

/** A run of missing seconds, [startS, endS). */
export interface TraceGap {
  readonly startS: number;
  readonly endS: number;
}

export interface TwitterSliceOptions {
  /** First second, inclusive. */
  readonly startS: number;
  /** Last second, exclusive. */
  readonly endS: number;
  /** Divide every count and round down (IPA's `damping_factor`); > 0, default 1. */
  readonly damping?: number;
  /** Drop collection-gap seconds; default true. */
  readonly skipGaps?: boolean;
  /** Gap rule; default `DEFAULT_MIN_GAP_S`. */
  readonly minGapS?: number;
}

export interface TwitterSlice {
  /** Requests per second, damped, gaps removed when asked. */
  readonly countsRps: Int32Array;
  /** Seconds dropped as collection gaps. */
  readonly skippedS: number;
}

export class TwitterTrace {
  private readonly gapsByRule = new Map<number, readonly TraceGap[]>();

  private constructor(
    /** Requests in each second of the trace. */
    readonly countsRps: Int32Array,
  ) {}

  /** Parses the file's text: decimal integers separated by white space (trailing space, no newline). */
  static parse(text: string): TwitterTrace {
    const values = new Int32Array(Math.ceil(text.length / 2) + 1);
    let n = 0;
    let current = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 32;
      if (c >= 48 && c <= 57) {
        current = (current < 0 ? 0 : current * 10) + (c - 48);
        if (current > 2 ** 31 - 1)
          throw new WorkloadError(`twitter trace: value too large near character ${i}`);
      } else if (c === 32 || c === 10 || c === 13 || c === 9) {
        if (current >= 0) values[n++] = current;
        current = -1;
      } else {
        throw new WorkloadError(
          `twitter trace: unexpected character ${JSON.stringify(text[i])} at offset ${i}`,
        );
      }
    }
    if (n === 0) throw new WorkloadError('twitter trace: no values');
    return new TwitterTrace(values.slice(0, n));
  }

  /** Length of the trace in seconds. */
  get lengthS(): number {
    return this.countsRps.length;
  }

  /** All collection gaps by the rule above, in order. */
  collectionGaps(minGapS = DEFAULT_MIN_GAP_S): readonly TraceGap[] {
    if (!(Number.isInteger(minGapS) && minGapS >= 1))
      throw new WorkloadError(`min-gap must be a positive integer, not ${minGapS}`);
    const cached = this.gapsByRule.get(minGapS);
    if (cached !== undefined) return cached;
    const gaps: TraceGap[] = [];
    const counts = this.countsRps;
    let runStart = -1;
    for (let i = 0; i <= counts.length; i++) {
      if (i < counts.length && counts[i] === 0) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        if (i - runStart >= minGapS) gaps.push({ startS: runStart, endS: i });
        runStart = -1;
      }
    }
    this.gapsByRule.set(minGapS, gaps);
    return gaps;
  }

  /** The counts of [startS, endS), damped, with collection gaps skipped unless `skipGaps` is false. */
  slice(options: TwitterSliceOptions): TwitterSlice {
    const { startS, endS } = options;
    const damping = options.damping ?? 1;
    if (!(
      Number.isInteger(startS) &&
      Number.isInteger(endS) &&
      startS >= 0 &&
      startS < endS &&
      endS <= this.lengthS
    )) {
      throw new WorkloadError(
        `twitter slice [${startS}, ${endS}) must satisfy 0 ≤ start < end ≤ ${this.lengthS} (whole seconds)`,
      );
    }
    if (!(Number.isFinite(damping) && damping > 0))
      throw new WorkloadError(`damping must be a positive number, not ${damping}`);
    const keep = new Uint8Array(endS - startS).fill(1);
    if (options.skipGaps ?? true) {
      for (const gap of this.collectionGaps(options.minGapS ?? DEFAULT_MIN_GAP_S)) {
        if (gap.endS <= startS || gap.startS >= endS) continue;
        keep.fill(0, Math.max(gap.startS, startS) - startS, Math.min(gap.endS, endS) - startS);
      }
    }
    const kept = keep.reduce((sum, k) => sum + k, 0);
    const counts = new Int32Array(kept);
    let j = 0;
    for (let i = startS; i < endS; i++) {
      if (keep[i - startS] === 1) counts[j++] = Math.floor((this.countsRps[i] ?? 0) / damping);
    }
    return { countsRps: counts, skippedS: endS - startS - kept };
  }
}

/**
 * A second of the trace: a plain integer, or IPA's `day:hh:mm[:ss]` (with `.` also accepted as the separator,
 * since `:` separates the fields of a workload spec). `dayNotation` tells the caller that an end time is
 * inclusive, as IPA's loader takes `[start : end + 1]` for that notation.
 */
export function parseTraceTime(
  text: string,
  secondsPerDay = SECONDS_PER_DAY,
): { seconds: number; dayNotation: boolean } {
  if (/^\d+$/.test(text)) return { seconds: Number(text), dayNotation: false };
  const match = /^(\d+)[:.](\d{1,2})[:.](\d{1,2})(?:[:.](\d{1,2}))?$/.exec(text);
  if (match === null)
    throw new WorkloadError(`'${text}' is neither whole seconds nor day:hh:mm[:ss] (or day.hh.mm[.ss])`);
  const [day, hh, mm, ss] = [match[1], match[2], match[3], match[4]].map((s) => Number(s ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  if (hh >= 24 || mm >= 60 || ss >= 60)
    throw new WorkloadError(`'${text}': hours < 24, minutes and seconds < 60`);
  return { seconds: day * secondsPerDay + hh * 3600 + mm * 60 + ss, dayNotation: true };
}

/** [startS, endS) from two trace times; an end in day notation is inclusive, so it becomes end + 1. */
export function traceRange(
  startText: string,
  endText: string,
  secondsPerDay = SECONDS_PER_DAY,
): { startS: number; endS: number } {
  const start = parseTraceTime(startText, secondsPerDay);
  const end = parseTraceTime(endText, secondsPerDay);
  return { startS: start.seconds, endS: end.seconds + (end.dayNotation ? 1 : 0) };
}
