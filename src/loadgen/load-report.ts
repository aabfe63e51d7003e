/**
 * The summary of a load run: what was offered, what came back in time, how fast. Latency is measured from each
 * request's scheduled send time, so a generator that fell behind is charged for it (no coordinated omission).
 */
import { percentile } from '../core/percentile.js';
import { OUTCOME_CONNECTION_ERROR, OUTCOME_TIMEOUT, type RequestLog } from './request-log.js';

/** Why the generator stopped sending. */
export type StopReason = 'workload' | 'max-requests' | 'max-seconds' | 'aborted';

/** Percentiles by nearest rank, in ms. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** `sluice load --json` prints exactly this object. */
export interface LoadReport {
  readonly workload: string;
  readonly url: string;
  readonly model: string;
  readonly encoding: 'json' | 'binary';
  readonly deadlineAs: 'slo' | 'timeout';
  /** End-to-end SLO of every request, ms. */
  readonly sloMs: number;
  /** Payload of network-derived budgets (bus log), e.g. `200 KB` or `100-500 KB`; null: fixed SLO, no network time. */
  readonly budgets: string | null;
  readonly seed: number;
  readonly stoppedBy: StopReason;
  /** Length of the schedule that was offered, in s: the workload, or the part of it the bounds let through. */
  readonly scheduleSeconds: number;
  /** Wall time from the first scheduled send to the end of draining, in s. */
  readonly durationSeconds: number;
  /** sent / scheduleSeconds, requests/s. */
  readonly offeredRps: number;
  readonly sent: number;
  /** Answered 200, whenever. */
  readonly completedOk: number;
  /** Answered 200 within the request's own budget (slo − network) of its scheduled time. */
  readonly okWithinDeadline: number;
  /** okWithinDeadline / sent, in [0, 1]; 0 when nothing was sent. */
  readonly sloAttainment: number;
  /** okWithinDeadline / scheduleSeconds, requests/s. */
  readonly goodputRps: number;
  /** Latency of 200 responses from the scheduled send time to the last byte; null when there were none. */
  readonly latencyMs: LatencySummary | null;
  /** Every sent request counted once: `ok`, a Sluice error code, `http_<status>`, `connection_error`, `timeout`. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Responses by status class. */
  readonly statusClasses: Readonly<Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>>;
  /** How late the generator handed requests to the HTTP client, in ms. */
  readonly sendLagMs: { readonly mean: number; readonly p99: number; readonly max: number };
}

export interface ReportContext {
  readonly workload: string;
  readonly url: string;
  readonly model: string;
  readonly encoding: 'json' | 'binary';
  readonly deadlineAs: 'slo' | 'timeout';
  readonly sloMs: number;
  readonly budgets: string | null;
  readonly seed: number;
  readonly stoppedBy: StopReason;
  readonly scheduleMs: number;
  readonly durationMs: number;
}

/** Summarises a finished run; every request of `log` must have its outcome. */
export function summarizeLoad(log: RequestLog, context: ReportContext): LoadReport {
  const okLatencies: number[] = [];
  const lags: number[] = [];
  const outcomes: Record<string, number> = {};
  const statusClasses = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  let withinDeadline = 0;
  for (const r of log.records()) {
    lags.push(r.sentMs - r.scheduledMs);
    const key = outcomeKey(r.status, r.code);
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (r.status >= 100 && r.status < 600)
      statusClasses[`${Math.floor(r.status / 100)}xx` as keyof typeof statusClasses]++;
    if (r.status === 200) {
      const latency = r.doneMs - r.scheduledMs;
      okLatencies.push(latency);
      if (latency <= r.budgetMs) withinDeadline++;
    }
  }
  const sent = log.size;
  const scheduleSeconds = context.scheduleMs / 1000;
  const perSecond = (n: number): number => (scheduleSeconds > 0 ? n / scheduleSeconds : 0);
  const sortedLags = lags.sort((a, b) => a - b);
  return {
    workload: context.workload,
    url: context.url,
    model: context.model,
    encoding: context.encoding,
    deadlineAs: context.deadlineAs,
    sloMs: context.sloMs,
    budgets: context.budgets,
    seed: context.seed,
    stoppedBy: context.stoppedBy,
    scheduleSeconds,
    durationSeconds: context.durationMs / 1000,
    offeredRps: perSecond(sent),
    sent,
    completedOk: okLatencies.length,
    okWithinDeadline: withinDeadline,
    sloAttainment: sent > 0 ? withinDeadline / sent : 0,
    goodputRps: perSecond(withinDeadline),
    latencyMs: summarizeLatencies(okLatencies),
    outcomes,
    statusClasses,
    sendLagMs: {
      mean: sortedLags.length ? sortedLags.reduce((a, b) => a + b, 0) / sortedLags.length : 0,
      p99: percentile(sortedLags, 0.99),
      max: sortedLags.at(-1) ?? 0,
    },
  };
}

/** The outcome bucket of a status (HTTP or OUTCOME_*) and error code. */
export function outcomeKey(status: number, code: string | undefined): string {
  if (status === 200) return 'ok';
  if (status === OUTCOME_CONNECTION_ERROR) return 'connection_error';
  if (status === OUTCOME_TIMEOUT) return 'timeout';
  return code ?? `http_${status}`;
}

export { percentile };

function summarizeLatencies(latencies: number[]): LatencySummary | null {
  if (latencies.length === 0) return null;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted.at(-1) ?? 0,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** The report as an aligned, human-readable table. */
export function formatLoadReport(r: LoadReport): string {
  const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
  const counts = (o: Readonly<Record<string, number>>): string =>
    Object.entries(o)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(' · ') || '-';
  const latency = r.latencyMs
    ? `p50 ${ms(r.latencyMs.p50)} · p90 ${ms(r.latencyMs.p90)} · p99 ${ms(r.latencyMs.p99)} · p99.9 ${ms(r.latencyMs.p999)} · max ${ms(r.latencyMs.max)} · mean ${ms(r.latencyMs.mean)}`
    : '-';
  const rows: [string, string][] = [
    ['workload', `${r.workload} (seed ${r.seed}; stopped by ${r.stoppedBy})`],
    ['target', `${r.url} model ${r.model}, ${r.encoding} body`],
    [
      'deadline',
      `SLO ${r.sloMs} ms${r.budgets === null ? '' : ` minus bus-log upload of ${r.budgets}`}, sent as ${r.deadlineAs}`,
    ],
    [
      'offered',
      `${r.offeredRps.toFixed(1)} req/s over ${r.scheduleSeconds.toFixed(1)} s (run ${r.durationSeconds.toFixed(1)} s)`,
    ],
    ['sent', `${r.sent} · ok ${r.completedOk} · ok within deadline ${r.okWithinDeadline}`],
    ['SLO attainment', `${(r.sloAttainment * 100).toFixed(2)} %`],
    ['goodput', `${r.goodputRps.toFixed(1)} req/s`],
    ['latency ms', `${latency}  (200s, from scheduled send)`],
    ['outcomes', counts(r.outcomes)],
    ['status', counts(r.statusClasses)],
    ['send lag ms', `mean ${ms(r.sendLagMs.mean)} · p99 ${ms(r.sendLagMs.p99)} · max ${ms(r.sendLagMs.max)}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
