/**
 * Turns per-second request counts (a trace such as the Twitter one) into arrival times. Three styles:
 * - `poisson` (default): exactly n arrivals in second k, placed as a Poisson process conditioned on n events
 *   in that second, i.e. n sorted uniform points in [k, k+1) s. The trace's counts are kept exactly.
 * - `barazmoon`: as IPA/Sponge's load generator did: the n requests of a second follow one another after
 *   exponential gaps of mean 1/(1.5·n) s from the start of the second, so they pack into about its first two
 *   thirds; a long draw can spill into the next second, and the output stays sorted across seconds.
 * - `even`: n arrivals evenly spaced at k + i/n s (no randomness).
 */
import type { Rng } from '../../ports/rng.js';
import { exponentialVariate } from './exponential-variate.js';

export const PER_SECOND_STYLES = ['poisson', 'barazmoon', 'even'] as const;
export type PerSecondStyle = (typeof PER_SECOND_STYLES)[number];

/** Arrival times in ms from 0, non-decreasing, for `countsRps[k]` requests in second k. */
export function* perSecondArrivals(
  countsRps: ArrayLike<number>,
  rng: Rng,
  style: PerSecondStyle = 'poisson',
): Generator<number, void, undefined> {
  if (style === 'barazmoon') {
    yield* barazmoonArrivals(countsRps, rng);
    return;
  }
  const points: number[] = [];
  for (let k = 0; k < countsRps.length; k++) {
    const n = countsRps[k] ?? 0;
    if (n <= 0) continue;
    const secondMs = k * 1000;
    if (style === 'even') {
      for (let i = 0; i < n; i++) yield secondMs + (i * 1000) / n;
      continue;
    }
    // Sorted uniforms without sorting: the partial sums of n+1 exponentials, divided by their total, are
    // distributed as the order statistics of n uniforms.
    points.length = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += exponentialVariate(rng, 1);
      points.push(total);
    }
    total += exponentialVariate(rng, 1);
    for (const p of points) yield secondMs + (p / total) * 1000;
  }
}

function* barazmoonArrivals(countsRps: ArrayLike<number>, rng: Rng): Generator<number, void, undefined> {
  // Arrivals drawn for earlier seconds that fall at or after the current second's start, sorted.
  let carry: number[] = [];
  for (let k = 0; k < countsRps.length; k++) {
    const n = countsRps[k] ?? 0;
    const fresh: number[] = [];
    let t = k * 1000;
    const meanGapMs = n > 0 ? 1000 / (1.5 * n) : 0;
    for (let i = 0; i < n; i++) {
      t += exponentialVariate(rng, meanGapMs);
      fresh.push(t);
    }
    const merged = mergeSorted(carry, fresh);
    const endMs = (k + 1) * 1000;
    let i = 0;
    while (i < merged.length && (merged[i] ?? endMs) < endMs) yield merged[i++] ?? 0;
    carry = merged.slice(i);
  }
  yield* carry;
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0) return b.slice();
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x <= y)) {
      out.push(x ?? 0);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
