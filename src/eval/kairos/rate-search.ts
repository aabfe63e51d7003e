/**
 * The highest offered rate a configuration serves with at least 99% of queries within the target,
 * found by bisection on the rate between `low` and `high` × the pool's fluid capacity. `high` is a
 * ceiling, never probed: no dispatch carries more than the fluid capacity for long, and a probe beyond
 * it only passes when it is too short to let the backlog grow (and is the slowest kind to run). `low`
 * is assumed to pass until a probe near it fails; then the search steps down until one passes. A
 * probe that fails moves the top down, one that passes moves the bottom up; the search stops when the
 * highest pass and the lowest fail (or the ceiling) are within `(high − low) / 2^steps` of the
 * capacity, or after `maxProbes`. Passing is monotone in the rate only in expectation, so the answer
 * is the highest passing rate probed, with the lowest failing one beside it.
 */
import type { ProbeOutcome } from './probe-run.js';

/** The default bracket, as shares of the pool's fluid capacity. */
export const RATE_BRACKET = { low: 0.8, high: 1 } as const;

export interface RateSearchOptions {
  /** The pool's fluid capacity, requests/s: the scale of the bracket. */
  readonly fluidRps: number;
  /** Bracket, as shares of `fluidRps`. Defaults `RATE_BRACKET`. */
  readonly low?: number;
  readonly high?: number;
  /** Halvings of the bracket. Default 3. */
  readonly steps?: number;
  /** Probes at most, also when the bracket's low end had to be moved. Default steps + 6. */
  readonly maxProbes?: number;
  /** Share of queries within the target for a probe to pass. Default 0.99. */
  readonly minAttainment?: number;
}

export interface RateSearch {
  /** Highest passing rate probed, requests/s (0 when none passed). */
  readonly rateRps: number;
  /** Lowest failing rate probed, requests/s (undefined when none failed). */
  readonly failRps: number | undefined;
  /** Whether the search stopped at the ceiling: it passed within the tolerance of `high`. */
  readonly atCeiling: boolean;
  /** Every probe in the order run. */
  readonly probes: readonly (ProbeOutcome & { readonly passed: boolean })[];
}

/** Searches with `probe(rateRps)` (see the file comment). */
export function searchRate(probe: (rateRps: number) => ProbeOutcome, options: RateSearchOptions): RateSearch {
  const low = (options.low ?? RATE_BRACKET.low) * options.fluidRps;
  const high = (options.high ?? RATE_BRACKET.high) * options.fluidRps;
  const steps = options.steps ?? 3;
  const maxProbes = options.maxProbes ?? steps + 6;
  const minAttainment = options.minAttainment ?? 0.99;
  const toleranceRps = (high - low) / 2 ** steps;
  const probes: (ProbeOutcome & { passed: boolean })[] = [];
  let pass: number | undefined;
  let fail: number | undefined;
  /** The next rate to probe, or undefined when the search is done. */
  const next = (): number | undefined => {
    const top = fail ?? high;
    if (pass !== undefined) return top - pass > toleranceRps ? (pass + top) / 2 : undefined;
    // Nothing passed yet: bisect towards the assumed pass at `low`, then step down a bracket's
    // width at a time (halving at most) until something passes.
    if (fail === undefined) return (low + high) / 2;
    return fail - low > toleranceRps ? (fail + low) / 2 : Math.max(fail / 2, fail - (high - low));
  };
  while (probes.length < maxProbes) {
    const rateRps = next();
    if (rateRps === undefined || !(rateRps > 0)) break;
    const outcome = probe(rateRps);
    const passed = outcome.attainment >= minAttainment;
    probes.push({ ...outcome, passed });
    if (passed) pass = Math.max(pass ?? 0, rateRps);
    else fail = Math.min(fail ?? Number.POSITIVE_INFINITY, rateRps);
  }
  return {
    rateRps: pass ?? 0,
    failRps: fail,
    atCeiling: pass !== undefined && fail === undefined && high - pass <= toleranceRps,
    probes,
  };
}
