/**
 * Poisson arrivals at a piecewise-constant rate: `poisson:RATE:SECONDS` is one segment, `steps` and
 * `bursts` are several. Within a segment the gaps are exponential with mean 1000/rate ms; at a segment
 * boundary the process simply restarts, which is exact because the exponential distribution is memoryless.
 */
import type { Rng } from '../../ports/rng.js';
import { exponentialVariate } from './exponential-variate.js';

/** A stretch of constant offered load. */
export interface RateSegment {
  /** Mean arrival rate in requests per second; 0 means silence. */
  readonly rateRps: number;
  /** Length of the stretch in seconds. */
  readonly durationS: number;
}

/** Arrival times in ms from 0, increasing, for the segments laid end to end. */
export function* rateArrivals(
  segments: readonly RateSegment[],
  rng: Rng,
): Generator<number, void, undefined> {
  let segmentStartMs = 0;
  for (const segment of segments) {
    const segmentEndMs = segmentStartMs + segment.durationS * 1000;
    if (segment.rateRps > 0) {
      const meanGapMs = 1000 / segment.rateRps;
      let t = segmentStartMs + exponentialVariate(rng, meanGapMs);
      while (t < segmentEndMs) {
        yield t;
        t += exponentialVariate(rng, meanGapMs);
      }
    }
    segmentStartMs = segmentEndMs;
  }
}

/** Total length of the segments, in seconds. */
export function segmentsDurationS(segments: readonly RateSegment[]): number {
  return segments.reduce((sum, s) => sum + s.durationS, 0);
}

/** Expected number of arrivals over the segments. */
export function segmentsExpectedCount(segments: readonly RateSegment[]): number {
  return segments.reduce((sum, s) => sum + s.rateRps * s.durationS, 0);
}

/**
 * Segments for `bursts`: a base rate with a burst at `peakRps` during the last `burstS` seconds of every
 * `periodS` seconds, for `totalS` seconds in all (the run starts at the base rate, so a server warms up
 * before the first burst). The last period is cut at `totalS`.
 */
export function burstSegments(
  baseRps: number,
  peakRps: number,
  periodS: number,
  burstS: number,
  totalS: number,
): RateSegment[] {
  const segments: RateSegment[] = [];
  for (let start = 0; start < totalS; start += periodS) {
    const calm = Math.min(periodS - burstS, totalS - start);
    if (calm > 0) segments.push({ rateRps: baseRps, durationS: calm });
    const burst = Math.min(burstS, totalS - start - calm);
    if (burst > 0) segments.push({ rateRps: peakRps, durationS: burst });
  }
  return segments;
}
