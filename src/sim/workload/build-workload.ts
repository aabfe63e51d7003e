/**
 * Turns a parsed spec (workload-spec.ts) and, for trace replays, the trace (its file text or an already
 * parsed trace) into a `Workload`. Trace slices are cut here, once, so errors surface before a run starts.
 */
import type { Rng } from '../../ports/rng.js';
import { AzureTrace } from './azure-trace.js';
import { perSecondArrivals } from './per-second-arrivals.js';
import { rateArrivals, segmentsDurationS, segmentsExpectedCount } from './rate-arrivals.js';
import { TwitterTrace } from './twitter-trace.js';
import type { Arrival, Workload } from './workload.js';
import { WorkloadError } from './workload-error.js';
import { describeWorkloadSpec, traceFileOf, type WorkloadSpec } from './workload-spec.js';

/** What a trace workload reads: the file's text, or the trace parsed before (cheaper when reused). */
export type TraceSource = string | TwitterTrace | AzureTrace;

/** A workload for `spec`; `source` is required for the trace kinds (see `traceFileOf`). */
export function buildWorkload(spec: WorkloadSpec, source?: TraceSource): Workload {
  const description = describeWorkloadSpec(spec);
  switch (spec.kind) {
    case 'twitter': {
      const trace = typeof source === 'string' ? TwitterTrace.parse(source) : source;
      if (!(trace instanceof TwitterTrace))
        throw new WorkloadError(`${description} needs the text of ${traceFileOf(spec)}`);
      const slice = trace.slice(spec);
      const counts = slice.countsRps;
      return {
        description,
        durationMs: counts.length * 1000,
        expectedCount: counts.reduce((sum, n) => sum + n, 0),
        arrivals: (rng: Rng) => toArrivals(perSecondArrivals(counts, rng, spec.arrivals)),
      };
    }
    case 'azure': {
      const trace = typeof source === 'string' ? AzureTrace.parse(source) : source;
      if (!(trace instanceof AzureTrace))
        throw new WorkloadError(`${description} needs the text of ${traceFileOf(spec)}`);
      const offsetsMs = trace.window({
        fromS: spec.fromS,
        ...(spec.toS === undefined ? {} : { toS: spec.toS }),
        speed: spec.speed,
      });
      const endMs = spec.toS === undefined ? trace.spanMs + 1 : spec.toS * 1000;
      return {
        description,
        durationMs: Math.max(0, endMs - spec.fromS * 1000) / spec.speed,
        expectedCount: offsetsMs.length,
        arrivals: () => toArrivals(offsetsMs),
      };
    }
    case 'rates':
      return {
        description,
        durationMs: segmentsDurationS(spec.segments) * 1000,
        expectedCount: segmentsExpectedCount(spec.segments),
        arrivals: (rng: Rng) => toArrivals(rateArrivals(spec.segments, rng)),
      };
  }
}

function* toArrivals(times: Iterable<number>): Generator<Arrival, void, undefined> {
  for (const atMs of times) yield { atMs };
}
