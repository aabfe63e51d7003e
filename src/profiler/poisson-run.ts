/**
 * Open-loop Poisson load on one instance group of Sluice's own engine, live or simulated: the same
 * engine, batcher and EDF queue serve both, only the clock and backend differ. The profiler derives
 * InfAdapter's capacity with it on a virtual clock and a profile-driven backend, then checks a point
 * live on a real instance.
 */
import type { LatencyModel } from '../core/latency-model.js';
import { percentile } from '../core/percentile.js';
import { Engine } from '../engine/engine.js';
import type { Outcome } from '../engine/types.js';
import type { Backend } from '../ports/backend.js';
import type { Clock } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import { exponentialVariate } from '../sim/workload/exponential-variate.js';

export const PROBE_MODULE = 'probe';
export const PROBE_VARIANT = 'v';
export const PROBE_GROUP = `${PROBE_MODULE}/${PROBE_VARIANT}`;

export interface PoissonRunOptions<P> {
  readonly clock: Clock;
  readonly backend: Backend<P, unknown>;
  readonly rng: Rng;
  /** Instances of the group, with their cores; the backend must know the ids. */
  readonly instances: readonly { readonly id: string; readonly cores: number }[];
  /** Largest batch the batcher may form (1 = no batching). */
  readonly maxBatch: number;
  /** The engine's prior latency estimate for the group. */
  readonly prior: LatencyModel;
  readonly rateRps: number;
  readonly requests: number;
  readonly sloMs: number;
  readonly payload: P;
}

export interface PoissonRunResult {
  readonly requests: number;
  /** End-to-end latency (arrival to outcome) at p50 and p99, in ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Share completed within the SLO. */
  readonly attainment: number;
  /** Wall (or virtual) time from the start to the last outcome, in ms. */
  readonly elapsedMs: number;
}

/**
 * Sends `requests` Poisson arrivals at `rateRps`, each with `sloMs`, and resolves with the latency
 * figures once every one has its outcome. Every request is served (admission `serve`), so the latency
 * percentile measures the queue, not the admission policy. On a virtual clock, run the clock (e.g.
 * `runAll()`) after calling this; the promise settles once the clock has run.
 */
export function runPoissonLoad<P>(options: PoissonRunOptions<P>): Promise<PoissonRunResult> {
  return new Promise((resolve) => startPoissonLoad(options, resolve));
}

/** {@link runPoissonLoad} with a callback, called synchronously with the last outcome (for virtual clocks). */
export function startPoissonLoad<P>(
  options: PoissonRunOptions<P>,
  resolve: (result: PoissonRunResult) => void,
): void {
  const { clock, rng } = options;
  const engine = new Engine<P, unknown>({ clock, backend: options.backend });
  engine.addModule({
    name: PROBE_MODULE,
    inputs: [],
    batched: options.maxBatch > 1,
    defaultSloMs: options.sloMs,
    variants: [PROBE_VARIANT],
    defaultVariant: PROBE_VARIANT,
  });
  engine.addGroup(
    {
      module: PROBE_MODULE,
      variant: PROBE_VARIANT,
      maxBatch: Math.max(1, options.maxBatch),
      batching: {
        preferredBatch: Math.max(1, options.maxBatch),
        maxQueueDelayMs: 0,
        policy: 'deadline',
        admission: 'serve',
        maxQueueLength: Number.MAX_SAFE_INTEGER,
      },
    },
    { prior: options.prior },
  );
  for (const instance of options.instances) {
    engine.addInstance({ id: instance.id, group: PROBE_GROUP, cores: instance.cores });
  }

  const meanGapMs = 1000 / options.rateRps;
  const startMs = clock.nowMs();
  const latencies: number[] = [];
  let within = 0;
  let lastMs = startMs;
  {
    const finished = (outcome: Outcome<unknown>): void => {
      const latencyMs = outcome.finishedMs - outcome.arrivalMs;
      latencies.push(latencyMs);
      if (outcome.kind === 'completed' && latencyMs <= options.sloMs) within += 1;
      lastMs = Math.max(lastMs, outcome.finishedMs);
      if (latencies.length === options.requests) {
        latencies.sort((a, b) => a - b);
        resolve({
          requests: options.requests,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          attainment: within / options.requests,
          elapsedMs: lastMs - startMs,
        });
      }
    };
    let sent = 0;
    // Latency counts from the scheduled arrival, so a late timer is charged to the run, not hidden.
    let arrivalMs = startMs + exponentialVariate(rng, meanGapMs);
    const send = (): void => {
      sent += 1;
      engine.submit(
        {
          module: PROBE_MODULE,
          version: undefined,
          arrivalMs,
          budget: { sloMs: options.sloMs },
          payload: options.payload,
        },
        finished,
      );
      if (sent < options.requests) {
        arrivalMs += exponentialVariate(rng, meanGapMs);
        clock.setTimer(arrivalMs, send);
      }
    };
    clock.setTimer(arrivalMs, send);
  }
}
