/**
 * What a simulated run records: outcomes and their latencies, a per-step time series (load, allocation,
 * latency, cost), the cost integrated over the run (core-seconds and $ of every instance from the moment
 * it is asked for until it is stopped), the accuracy served, and optionally the event log.
 */
import type { Decision } from '../control/control-loop.js';
import type { Deployment, DeploymentEvent } from '../control/deployment.js';
import { percentile } from '../core/percentile.js';
import type { Outcome } from '../engine/types.js';
import type { Plan } from '../planner/plan.js';
import type { PlanningModule, PlanningVariant } from '../planner/planning-problem.js';
import { NO_METRICS, type MetricsSink } from '../ports/metrics-sink.js';
import type { SeriesPoint, SimulationResult, SimulationSpec } from './simulation-types.js';
import type { VirtualClock } from './virtual-clock.js';

type VariantIndex = ReadonlyMap<
  string,
  { readonly module: PlanningModule; readonly variant: PlanningVariant }
>;

export class RunRecorder {
  /** Nothing is read from the engine's metrics beyond the outcomes; kept for symmetry with the observer. */
  readonly metrics: MetricsSink = NO_METRICS;
  private readonly log: string[] | undefined;
  private readonly latencies: number[] = [];
  private readonly outcomes = { completed: 0, rejected: 0, expired: 0, failed: 0 };
  private within = 0;
  private accuracySum = 0;
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
    this.priceOf = new Map(
      spec.problem.hardware.map((h) => [h.name, { kind: h.kind, price: h.pricePerHour }]),
    );
  }

  arrival(id: number, app: string, atMs: number): void {
    this.step.arrivals += 1;
    this.log?.push(`${atMs.toFixed(3)} arrive ${id} ${app}`);
  }

  outcome(outcome: Outcome<null>, variants: VariantIndex): void {
    this.outcomes[outcome.kind] += 1;
    const latencyMs = outcome.finishedMs - outcome.arrivalMs;
    let within = false;
    if (outcome.kind === 'completed') {
      this.latencies.push(latencyMs);
      this.step.completed += 1;
      this.step.latencies.push(latencyMs);
      within = outcome.deadlineMs !== undefined && outcome.finishedMs <= outcome.deadlineMs;
      this.accuracySum += variants.get(outcome.group)?.variant.accuracy ?? 0;
    }
    if (within) {
      this.within += 1;
      this.step.within += 1;
    }
    this.log?.push(
      `${outcome.finishedMs.toFixed(3)} ${outcome.kind} ${outcome.requestId} ${latencyMs.toFixed(3)}${
        outcome.kind === 'completed'
          ? ` ${outcome.instanceId} b${outcome.batchRows}`
          : ` ${outcome.error.code}`
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

  result(run: { submitted: number; decisions: readonly Decision[]; planChanges: number }): SimulationResult {
    const sorted = this.latencies.sort((a, b) => a - b);
    const durationS = this.lastMs / 1000;
    const completed = this.outcomes.completed;
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
      accuracy: completed === 0 ? 0 : this.accuracySum / completed,
      planChanges: run.planChanges,
      durationS,
      decisions: run.decisions,
      series: this.series,
      eventLog: this.log,
    };
  }
}
