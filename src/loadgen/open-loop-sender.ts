/**
 * The open loop: each request goes out at its scheduled time whether or not earlier ones were answered, and
 * its latency runs from that scheduled time, so when the generator (or the client's connection pool) falls
 * behind, the delay is charged to latency instead of silently thinning the load (no coordinated omission).
 * The lag between schedule and hand-off to the HTTP client is recorded separately.
 *
 * Bounded: stops at the end of the workload, after `maxRequests`, at `maxSeconds` of schedule or wall time,
 * or on abort; then waits at most `drainSeconds` for answers and counts the rest as timeouts.
 */
import http from 'node:http';
import type { Arrival } from '../sim/workload/workload.js';
import { deadlineParameters, type DeadlineMode } from './deadline-parameters.js';
import type { StopReason } from './load-report.js';
import { modelPath, type OipTarget } from './model-metadata.js';
import type { OipBodyBuilder } from './oip-body-builder.js';
import { OUTCOME_CONNECTION_ERROR, OUTCOME_TIMEOUT, RequestLog } from './request-log.js';

export interface LoadProgress {
  /** Since the first scheduled send, s. */
  readonly elapsedS: number;
  readonly sent: number;
  readonly inFlight: number;
  readonly ok: number;
  /** Answered other than 200, connection errors and timeouts. */
  readonly failed: number;
}

export interface OpenLoopOptions {
  readonly target: OipTarget;
  /** Sorted by `atMs`; consumed lazily, so a long trace is never held in memory. */
  readonly arrivals: Iterable<Arrival>;
  /** End of the workload's schedule in ms, for the offered-rate window when the workload runs out. */
  readonly scheduleEndMs: number;
  readonly bodies: OipBodyBuilder;
  readonly agent: http.Agent;
  /** SLO of arrivals that carry none, ms. */
  readonly defaultSloMs: number;
  readonly deadlineAs: DeadlineMode;
  readonly maxRequests: number;
  readonly maxSeconds: number;
  readonly drainSeconds: number;
  /** A request unanswered this long after its scheduled time is abandoned as a timeout, ms. */
  readonly requestTimeoutMs: number;
  /** Monotonic clock in ms (default `performance.now`); a test may pass another. */
  readonly now?: () => number;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Default 1000 ms. */
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface OpenLoopResult {
  readonly log: RequestLog;
  readonly stoppedBy: StopReason;
  /** The offered window, ms: see `LoadReport.scheduleSeconds`. */
  readonly scheduleMs: number;
  /** From the first scheduled send to the end of draining, ms. */
  readonly durationMs: number;
}

/** Sends before yielding to the event loop when many requests are due at once, so answers keep flowing. */
const SEND_BURST = 256;
/** The most error-body bytes kept to read the error code from. */
const ERROR_BODY_LIMIT = 4096;

/** Runs the open loop to the end and resolves with every request's outcome. */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const now = options.now ?? (() => performance.now());
  const log = new RequestLog();
  const inFlight = new Map<number, { req: http.ClientRequest; scheduledMs: number }>();
  const path = `${modelPath(options.target)}/infer`;
  const hostname = options.target.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = options.target.url.port === '' ? 80 : Number(options.target.url.port);
  const maxMs = options.maxSeconds * 1000;
  const iterator = options.arrivals[Symbol.iterator]();

  return new Promise((resolve) => {
    const t0 = now();
    const elapsed = (): number => now() - t0;
    let next = iterator.next();
    let sendTimer: NodeJS.Timeout | undefined;
    let sendImmediate: NodeJS.Immediate | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let stoppedBy: StopReason | undefined;
    let scheduleMs = 0;
    let ok = 0;
    let failed = 0;
    let finished = false;

    const finish = (i: number, status: number, code?: string): void => {
      if (!log.settle(i, status, elapsed(), code)) return;
      inFlight.delete(i);
      if (status === 200) ok++;
      else failed++;
      if (stoppedBy !== undefined && inFlight.size === 0) done();
    };

    const abandon = (i: number): void => {
      const entry = inFlight.get(i);
      finish(i, OUTCOME_TIMEOUT);
      entry?.req.destroy();
    };

    const send = (arrival: Arrival, atMs: number): void => {
      const deadline = deadlineParameters(arrival, options.defaultSloMs, options.deadlineAs);
      const i = log.add(arrival.atMs, atMs, deadline.budgetMs);
      const body = options.bodies.build(i, deadline.parameters);
      const req = http.request({
        agent: options.agent,
        hostname,
        port,
        path,
        method: 'POST',
        headers: { ...body.headers, 'content-length': String(body.contentLength) },
      });
      inFlight.set(i, { req, scheduledMs: arrival.atMs });
      req.setNoDelay(true);
      req.on('error', () => finish(i, OUTCOME_CONNECTION_ERROR));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const kept: Buffer[] = [];
        let keptBytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (status !== 200 && keptBytes < ERROR_BODY_LIMIT) {
            kept.push(chunk);
            keptBytes += chunk.length;
          }
        });
        res.on('end', () =>
          finish(i, status, status === 200 ? undefined : errorCode(Buffer.concat(kept).toString('utf8'))),
        );
        res.on('close', () => {
          if (!res.complete) finish(i, OUTCOME_CONNECTION_ERROR);
        });
      });
      const last = body.chunks.length - 1;
      body.chunks.forEach((chunk, k) => (k < last ? req.write(chunk) : req.end(chunk)));
    };

    const stop = (reason: StopReason): void => {
      if (stoppedBy !== undefined) return;
      stoppedBy = reason;
      clearTimeout(sendTimer);
      clearImmediate(sendImmediate);
      const nextAt = next.done ? undefined : next.value.atMs;
      const lastAt = log.size > 0 ? log.get(log.size - 1).scheduledMs : 0;
      scheduleMs =
        reason === 'workload'
          ? Math.max(options.scheduleEndMs, lastAt)
          : reason === 'max-seconds'
            ? Math.min(maxMs, Math.max(lastAt, options.scheduleEndMs))
            : reason === 'max-requests'
              ? Math.min(nextAt ?? options.scheduleEndMs, maxMs)
              : Math.min(elapsed(), options.scheduleEndMs);
      if (inFlight.size === 0) {
        done();
        return;
      }
      drainTimer = setTimeout(() => {
        for (const i of [...inFlight.keys()]) abandon(i);
        done();
      }, options.drainSeconds * 1000);
    };

    const pump = (): void => {
      sendTimer = undefined;
      sendImmediate = undefined;
      for (let burst = 0; stoppedBy === undefined; burst++) {
        if (next.done) return stop('workload');
        const arrival = next.value;
        if (log.size >= options.maxRequests) return stop('max-requests');
        const t = elapsed();
        if (arrival.atMs >= maxMs || t >= maxMs) return stop('max-seconds');
        if (arrival.atMs > t) {
          sendTimer = setTimeout(pump, arrival.atMs - t);
          return;
        }
        if (burst === SEND_BURST) {
          sendImmediate = setImmediate(pump);
          return;
        }
        send(arrival, t);
        next = iterator.next();
      }
    };

    const progress = setInterval(() => {
      const t = elapsed();
      // Insertion order is scheduled order, so the oldest requests come first.
      for (const [i, entry] of inFlight) {
        if (t - entry.scheduledMs < options.requestTimeoutMs) break;
        abandon(i);
      }
      options.onProgress?.({ elapsedS: t / 1000, sent: log.size, inFlight: inFlight.size, ok, failed });
    }, options.progressIntervalMs ?? 1000);

    const onAbort = (): void => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    function done(): void {
      if (finished) return;
      finished = true;
      clearInterval(progress);
      clearTimeout(drainTimer);
      clearTimeout(sendTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ log, stoppedBy: stoppedBy ?? 'aborted', scheduleMs, durationMs: elapsed() });
    }

    if (options.signal?.aborted === true) stop('aborted');
    else pump();
  });
}

/** The Sluice error code of an OIP error body `{"error": "CODE: message"}`, if it has one. */
export function errorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error !== 'string') return undefined;
    const match = /^([A-Z][A-Z0-9_]{1,39}):/.exec(parsed.error);
    return match?.[1];
  } catch {
    return undefined;
  }
}
