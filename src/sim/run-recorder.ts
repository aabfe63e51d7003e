/**
 * What a simulated run records: outcomes and their latencies, a per-step time series (load, allocation,
 * latency, cost), the cost integrated over the run (core-seconds and $ of every instance from the moment
 * it is asked for until it is stopped), the accuracy served, and optionally the event log.
 */
import type { Decision } from '../control/control-loop.js';
import type { Deployment, DeploymentEvent } from '../control/deployment.js';
import { percentile } from '../core/percentile.js';
import type { AppOutcome } from '../engine/app-runner.js';
import type { Plan } from '../planner/plan.js';
import { NO_METRICS, type MetricsSink } from '../ports/metrics-sink.js';
import type { SeriesPoint, SimulationResult, SimulationSpec } from './simulation-types.js';
import type { VirtualClock } from './virtual-clock.js';

export class RunRecorder {
  /** Module requests completed, per module, and the sum of their variants' accuracies. */
  private readonly moduleAccuracy = new Map<string, { n: number; sum: number }>();
  /** App requests arrived and not yet answered. */
  open = 0;
  /** The engine's reports: which variant served each module request (accuracy served). */
  readonly metrics: MetricsSink;
  private readonly log: string[] | undefined;
  private readonly latencies: number[] = [];
  private readonly outcomes = { completed: 0, rejected: 0, expired: 0, failed: 0 };
  private within = 0;
  private readonly completedByApp = new Map<string, number>();
  private readonly series: SeriesPoint[] = [];
  private step = { arrivals: 0, completed: 0, within: 0, latencies: [] as number[] };
  private coreSeconds = 0;
  private dollars = 0;
  private lastMs = 0;
  private readonly priceOf: ReadonlyMap<string, { kind: 'cpu' | 'fixed'; price: number }>;

  constructor(
    private readonly spec: SimulationSpec,
    private readonly clock: VirtualClock,
  ) {
    this.log = spec.eventLog === true ? [] : undefined;
    const accuracyOf = new Map<string, number>(
      spec.problem.modules.flatMap((m) =>
        m.variants.map((v) => [`${m.name}/${v.name}`, v.accuracy] as const),
      ),
    );
    this.metrics = {
      ...NO_METRICS,
      requestFinished: (e) => {
        if (e.outcome !== 'completed' || e.group === undefined) return;
        const t = this.moduleAccuracy.get(e.module) ?? { n: 0, sum: 0 };
        t.n += 1;
        t.sum += accuracyOf.get(e.group) ?? 0;
        this.moduleAccuracy.set(e.module, t);
      },
    };
    this.priceOf = new Map(
      spec.problem.hardware.map((h) => [h.name, { kind: h.kind, price: h.pricePerHour }]),
    );
  }

  arrival(id: number, app: string, atMs: number): void {
    this.open += 1;
    this.step.arrivals += 1;
    this.log?.push(`${atMs.toFixed(3)} arrive ${id} ${app}`);
  }

  outcome(id: number, app: string, outcome: AppOutcome<null>): void {
    this.open -= 1;
    this.outcomes[outcome.kind] += 1;
    this.completedByApp.set(
      app,
      (this.completedByApp.get(app) ?? 0) + (outcome.kind === 'completed' ? 1 : 0),
    );
    const latencyMs = outcome.finishedMs - outcome.arrivalMs;
    let within = false;
    if (outcome.kind === 'completed') {
      this.latencies.push(latencyMs);
      this.step.completed += 1;
      this.step.latencies.push(latencyMs);
      within = outcome.finishedMs <= outcome.deadlineMs;
    }
    if (within) {
      this.within += 1;
      this.step.within += 1;
    }
    this.log?.push(
      `${outcome.finishedMs.toFixed(3)} ${outcome.kind} ${id} ${latencyMs.toFixed(3)}${
        outcome.kind === 'completed'
          ? ` x${outcome.moduleRequests}`
          : ` ${outcome.module} ${outcome.error.code}`
      }`,
    );
  }

  decision(d: Decision): void {
    this.log?.push(
      `${d.atMs.toFixed(3)} decide ${d.outcome} ${d.plan.costPerHour.toFixed(6)} [${d.plan.tuples.join('; ')}]`,
    );
  }

  planApplied(plan: Plan): void {
    this.log?.push(
      `${this.clock.nowMs().toFixed(3)} bootstrap ${plan.feasible} ${plan.costPerHour.toFixed(6)}`,
    );
  }

  deploymentEvent(e: DeploymentEvent): void {
    this.log?.push(`${e.atMs.toFixed(3)} ${e.kind} ${e.instanceId} ${e.detail}`);
  }

  /** Samples the deployment every step until `finished()` says the run is over. */
  startSeries(deployment: Deployment, finished: () => boolean): void {
    const stepMs = this.spec.seriesStepMs ?? 1000;
    const tick = (): void => {
      const nowMs = this.clock.nowMs();
      let cores = 0;
      let costPerHour = 0;
      for (const instance of deployment.instances) {
        // A stopping instance is gone by the next event (the simulated stop takes no time): counting it
        // beside its replacement at the same instant would bill both.
        if (instance.phase === 'stopping') continue;
        const price = this.priceOf.get(instance.hardware);
        if (price === undefined) continue;
        const held = Math.max(instance.cores, instance.targetCores);
        if (price.kind === 'cpu') {
          cores += held;
          costPerHour += held * price.price;
        } else {
          costPerHour += price.price;
        }
      }
      const dtS = (nowMs - this.lastMs) / 1000;
      this.coreSeconds += cores * dtS;
      this.dollars += (costPerHour * dtS) / 3600;
      this.lastMs = nowMs;
      const lat = this.step.latencies.sort((a, b) => a - b);
      this.series.push({
        tS: (nowMs - stepMs) / 1000,
        arrivals: this.step.arrivals,
        completed: this.step.completed,
        withinSlo: this.step.within,
        cores,
        costPerHour,
        p99Ms: lat.length === 0 ? 0 : percentile(lat, 0.99),
      });
      this.step = { arrivals: 0, completed: 0, within: 0, latencies: [] };
      if (!finished()) this.clock.setTimer(nowMs + stepMs, tick);
    };
    this.clock.setTimer(stepMs, tick);
  }

  /** Per app, the product over its modules of their served accuracy; weighted by completed app requests. */
  private servedAccuracy(): number {
    let total = 0;
    let weighted = 0;
    for (const app of this.spec.problem.apps) {
      const n = this.completedByApp.get(app.name) ?? 0;
      if (n === 0) continue;
      const accuracy = app.modules.reduce((acc, m) => {
        const t = this.moduleAccuracy.get(m);
        return acc * (t === undefined || t.n === 0 ? 0 : t.sum / t.n);
      }, 1);
      total += n;
      weighted += n * accuracy;
    }
    return total === 0 ? 0 : weighted / total;
  }

  result(run: { submitted: number; decisions: readonly Decision[]; planChanges: number }): SimulationResult {
    const sorted = this.latencies.sort((a, b) => a - b);
    const durationS = this.lastMs / 1000;
    return {
      requests: run.submitted,
      outcomes: { ...this.outcomes },
      withinSlo: this.within,
      attainment: run.submitted === 0 ? 1 : this.within / run.submitted,
      goodputRps: durationS > 0 ? this.within / durationS : 0,
      latencyMs: {
        p50: percentile(sorted, 0.5),
        p90: percentile(sorted, 0.9),
        p99: percentile(sorted, 0.99),
        max: sorted.at(-1) ?? 0,
        mean: sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length,
      },
      cost: { coreSeconds: this.coreSeconds, dollars: this.dollars },
      accuracy: this.servedAccuracy(),
      planChanges: run.planChanges,
      durationS,
      decisions: run.decisions,
      series: this.series,
      eventLog: this.log,
    };
  }
}
