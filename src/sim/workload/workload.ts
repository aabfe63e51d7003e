/**
 * What every workload produces: request arrival times on a time line that starts at 0, optionally with the
 * request's own latency objective. The load generator replays them on the wall clock; the simulator on a
 * virtual one. Pure: randomness comes in through the `Rng` port, trace text through arguments.
 */
import type { Rng } from '../../ports/rng.js';

/** One request of a workload. */
export interface Arrival {
  /** When the request is sent, in ms from the start of the workload. */
  readonly atMs: number;
  /** The request's end-to-end latency objective, in ms; absent: the caller's default applies. */
  readonly sloMs?: number;
  /**
   * Time the request already spent on the network before reaching the server, in ms (Sponge's dynamic SLO):
   * the server's budget is `sloMs − networkMs` (DESIGN.md §1). May exceed `sloMs` on a slow link.
   */
  readonly networkMs?: number;
}

/** A replayable arrival process, built by `buildWorkload` from a spec string (see `workload-spec.ts`). */
export interface Workload {
  /** The spec in canonical form, for reports. */
  readonly description: string;
  /**
   * Length of the schedule in ms. Arrivals lie in [0, durationMs), except that the `barazmoon` per-second
   * style may spill a little past the end of the last second, as the original generator did.
   */
  readonly durationMs: number;
  /** Number of arrivals: exact for trace replays, the mean for random processes. */
  readonly expectedCount: number;
  /**
   * The arrivals, lazily, in non-decreasing `atMs`. The same `rng` state yields the same sequence; the
   * iterable may be consumed once per call.
   */
  arrivals(rng: Rng): Iterable<Arrival>;
}

/** The first `limit` arrivals of `workload` as an array (all of them by default). */
export function collectArrivals(workload: Workload, rng: Rng, limit = Number.POSITIVE_INFINITY): Arrival[] {
  const out: Arrival[] = [];
  if (limit <= 0) return out;
  for (const arrival of workload.arrivals(rng)) {
    out.push(arrival);
    if (out.length >= limit) break;
  }
  return out;
}
