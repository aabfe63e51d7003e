/**
 * What the control loop observes (DESIGN.md §1): the engine's reports, gathered per control interval.
 * Per module: arrivals (the rate), the budget each request had at arrival, latencies and deadline
 * attainment of what finished; per instance: time spent running batches (utilisation); per group: queue
 * depth. A `MetricsSink`, so the engine reports to it directly (tee'd with Prometheus when live).
 */
import { percentile } from '../core/percentile.js';
import type {
  BatchCompleted,
  BatchDispatched,
  MetricsSink,
  RequestArrived,
  RequestFinished,
} from '../ports/metrics-sink.js';

export interface ModuleObservation {
  readonly arrivals: number;
  /** Arrivals per second over the interval. */
  readonly arrivalRps: number;
  /** Budgets at arrival (deadline − arrival) of the interval's arrivals, ascending, ms. */
  readonly budgetsMs: readonly number[];
  readonly finished: number;
  /** Finished within their deadline, over finished; 1 when nothing finished. */
  readonly attainment: number;
  /** Of the interval's finished requests, ms; undefined when none finished. */
  readonly meanLatencyMs: number | undefined;
  readonly p95LatencyMs: number | undefined;
  readonly p99LatencyMs: number | undefined;
}

export interface Observation {
  readonly fromMs: number;
  readonly toMs: number;
  readonly modules: Readonly<Record<string, ModuleObservation>>;
  /** Busy share of the interval per instance, in [0, 1]. */
  readonly utilisation: Readonly<Record<string, number>>;
  /** Queue depth per group at the end of the interval. */
  readonly queueDepth: Readonly<Record<string, number>>;
}

interface ModuleTally {
  arrivals: number;
  budgets: number[];
  finished: number;
  within: number;
  latencies: number[];
}

export class ControlObserver implements MetricsSink {
  private fromMs: number;
  private tallies = new Map<string, ModuleTally>();
  private busy = new Map<string, number>();
  private readonly depth = new Map<string, number>();

  constructor(startMs: number) {
    this.fromMs = startMs;
  }

  requestArrived(event: RequestArrived): void {
    const t = this.tally(event.module);
    t.arrivals += 1;
    if (event.budgetMs !== undefined) t.budgets.push(event.budgetMs);
  }

  requestFinished(event: RequestFinished): void {
    const t = this.tally(event.module);
    t.finished += 1;
    if (event.outcome === 'completed' && event.withinDeadline) t.within += 1;
    t.latencies.push(event.latencyMs);
  }

  batchDispatched(_event: BatchDispatched): void {
    // Busy time is counted when the batch completes.
  }

  batchCompleted(event: BatchCompleted): void {
    this.busy.set(event.instanceId, (this.busy.get(event.instanceId) ?? 0) + event.busyMs);
  }

  queueDepthChanged(group: string, depth: number): void {
    this.depth.set(group, depth);
  }

  instanceAllocationChanged(): void {
    // Allocations are the deployment's own state.
  }

  /** The interval since the last snapshot (or the start), ending at `nowMs`; starts the next one. */
  snapshot(nowMs: number): Observation {
    const seconds = Math.max(1e-9, (nowMs - this.fromMs) / 1000);
    const modules: Record<string, ModuleObservation> = {};
    for (const [name, t] of this.tallies) {
      const latencies = t.latencies.sort((a, b) => a - b);
      modules[name] = {
        arrivals: t.arrivals,
        arrivalRps: t.arrivals / seconds,
        budgetsMs: t.budgets.sort((a, b) => a - b),
        finished: t.finished,
        attainment: t.finished === 0 ? 1 : t.within / t.finished,
        meanLatencyMs:
          latencies.length === 0 ? undefined : latencies.reduce((a, b) => a + b, 0) / latencies.length,
        p95LatencyMs: latencies.length === 0 ? undefined : percentile(latencies, 0.95),
        p99LatencyMs: latencies.length === 0 ? undefined : percentile(latencies, 0.99),
      };
    }
    const utilisation: Record<string, number> = {};
    for (const [id, ms] of this.busy) utilisation[id] = Math.min(1, ms / (seconds * 1000));
    const observation: Observation = {
      fromMs: this.fromMs,
      toMs: nowMs,
      modules,
      utilisation,
      queueDepth: Object.fromEntries(this.depth),
    };
    this.fromMs = nowMs;
    this.tallies = new Map();
    this.busy = new Map();
    return observation;
  }

  private tally(module: string): ModuleTally {
    let t = this.tallies.get(module);
    if (t === undefined) {
      t = { arrivals: 0, budgets: [], finished: 0, within: 0, latencies: [] };
      this.tallies.set(module, t);
    }
    return t;
  }
}
