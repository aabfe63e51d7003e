/**
 * A whole load run: read the model's metadata, build the bodies, replay the workload open-loop, summarise.
 * Takes a compiled configuration (every field present, units in the names); `sluice load` compiles it from
 * the command line. All randomness derives from `seed` through named streams, so the same seed gives the
 * same schedule and bodies whatever else changes.
 */
import http from 'node:http';
import { SeededRng } from '../core/seeded-rng.js';
import type { BusLogBudgets } from '../sim/workload/bus-log-budgets.js';
import type { Arrival, Workload } from '../sim/workload/workload.js';
import type { DeadlineMode } from './deadline-parameters.js';
import { summarizeLoad, type LoadReport } from './load-report.js';
import { fetchModelMetadata, type OipTarget } from './model-metadata.js';
import { concreteInputs, OipBodyBuilder, type ConcreteInput } from './oip-body-builder.js';
import { runOpenLoop, type LoadProgress } from './open-loop-sender.js';
import type { RequestLog } from './request-log.js';

export interface LoadConfig {
  readonly target: OipTarget;
  readonly workload: Workload;
  /** Network-derived budgets (Sponge); undefined: every request gets `sloMs` and no network time. */
  readonly budgets:
    { readonly log: BusLogBudgets; readonly payloadKB: number | readonly [number, number] } | undefined;
  /** End-to-end SLO in ms (also the SLO that bus-log budgets subtract from). */
  readonly sloMs: number;
  readonly binary: boolean;
  readonly deadlineAs: DeadlineMode;
  /** Rows per request, for a leading -1 dimension. */
  readonly batch: number;
  /** Size of any other -1 dimension. */
  readonly dim: number;
  /** Distinct random bodies to cycle through. */
  readonly bodyVariants: number;
  readonly maxRequests: number;
  readonly maxSeconds: number;
  readonly drainSeconds: number;
  readonly requestTimeoutMs: number;
  /** Most sockets open to the server at once (the keep-alive pool's size). */
  readonly connections: number;
  /** Reuse connections (default for `sluice load`); false opens one per request, like httperf's sessions. */
  readonly keepAlive: boolean;
  readonly seed: number;
  readonly now?: () => number;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  readonly report: LoadReport;
  /** Every request with its outcome. */
  readonly log: RequestLog;
  /** The inputs as sent, -1 dimensions resolved. */
  readonly inputs: readonly ConcreteInput[];
}

/** Runs the load described by `config` against a live server. */
export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: config.keepAlive,
    maxSockets: config.connections,
    maxFreeSockets: config.connections,
    scheduling: 'fifo',
  });
  try {
    const metadata = await fetchModelMetadata(config.target, agent);
    const inputs = concreteInputs(metadata.inputs, config.batch, config.dim);
    const bodies = new OipBodyBuilder(
      inputs,
      { binary: config.binary, variants: config.bodyVariants },
      SeededRng.stream(config.seed, 'bodies'),
    );
    let arrivals: Iterable<Arrival> = config.workload.arrivals(SeededRng.stream(config.seed, 'arrivals'));
    if (config.budgets !== undefined) {
      arrivals = config.budgets.log.attach(
        arrivals,
        { sloMs: config.sloMs, payloadKB: config.budgets.payloadKB },
        SeededRng.stream(config.seed, 'payload'),
      );
    }
    const run = await runOpenLoop({
      target: config.target,
      arrivals,
      scheduleEndMs: config.workload.durationMs,
      bodies,
      agent,
      defaultSloMs: config.sloMs,
      deadlineAs: config.deadlineAs,
      maxRequests: config.maxRequests,
      maxSeconds: config.maxSeconds,
      drainSeconds: config.drainSeconds,
      requestTimeoutMs: config.requestTimeoutMs,
      ...(config.now === undefined ? {} : { now: config.now }),
      ...(config.onProgress === undefined ? {} : { onProgress: config.onProgress }),
      ...(config.signal === undefined ? {} : { signal: config.signal }),
    });
    const report = summarizeLoad(run.log, {
      workload: config.workload.description,
      url: config.target.url.href,
      model:
        config.target.version === undefined
          ? config.target.model
          : `${config.target.model}/${config.target.version}`,
      encoding: config.binary ? 'binary' : 'json',
      deadlineAs: config.deadlineAs,
      sloMs: config.sloMs,
      budgets: config.budgets === undefined ? null : `${[config.budgets.payloadKB].flat().join('-')} KB`,
      seed: config.seed,
      stoppedBy: run.stoppedBy,
      scheduleMs: run.scheduleMs,
      durationMs: run.durationMs,
    });
    return { report, log: run.log, inputs };
  } finally {
    agent.destroy();
  }
}
