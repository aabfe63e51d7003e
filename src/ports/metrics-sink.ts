/**
 * What the engine reports as it works. The live server turns these into Prometheus metrics; the
 * simulator into its event log and time series. All times in ms.
 */
export type RequestOutcomeKind = 'completed' | 'rejected' | 'expired' | 'failed';

export interface RequestFinished {
  readonly module: string;
  readonly group: string | undefined;
  readonly outcome: RequestOutcomeKind;
  /** Error code for outcomes other than `completed`. */
  readonly code: string | undefined;
  /** From arrival to the outcome. */
  readonly latencyMs: number;
  readonly queueMs: number | undefined;
  readonly computeMs: number | undefined;
  /** Completed by its deadline. */
  readonly withinDeadline: boolean;
}

/** A request the engine admitted or refused, at its arrival: what the control loop observes of load. */
export interface RequestArrived {
  readonly module: string;
  readonly arrivalMs: number;
  /** Its latency budget (deadline − arrival), in ms; undefined when refused before one was computed. */
  readonly budgetMs: number | undefined;
}

export interface BatchCompleted {
  readonly group: string;
  readonly instanceId: string;
  readonly rows: number;
  /** Dispatch to result on the engine's clock, in ms: the instance's busy time for this batch. */
  readonly busyMs: number;
  readonly ok: boolean;
}

export interface BatchDispatched {
  readonly group: string;
  readonly instanceId: string;
  readonly rows: number;
  readonly items: number;
}

export interface MetricsSink {
  requestArrived(event: RequestArrived): void;
  requestFinished(event: RequestFinished): void;
  batchDispatched(event: BatchDispatched): void;
  batchCompleted(event: BatchCompleted): void;
  queueDepthChanged(group: string, depth: number): void;
  instanceAllocationChanged(instanceId: string, group: string, cores: number | undefined): void;
}

/** A sink that records nothing. */
export const NO_METRICS: MetricsSink = {
  requestArrived: () => undefined,
  requestFinished: () => undefined,
  batchDispatched: () => undefined,
  batchCompleted: () => undefined,
  queueDepthChanged: () => undefined,
  instanceAllocationChanged: () => undefined,
};

/** One sink that reports to several (the live server's Prometheus metrics and the control loop's observer). */
export function teeMetrics(...sinks: readonly MetricsSink[]): MetricsSink {
  return {
    requestArrived: (e) => sinks.forEach((s) => s.requestArrived(e)),
    requestFinished: (e) => sinks.forEach((s) => s.requestFinished(e)),
    batchDispatched: (e) => sinks.forEach((s) => s.batchDispatched(e)),
    batchCompleted: (e) => sinks.forEach((s) => s.batchCompleted(e)),
    queueDepthChanged: (g, d) => sinks.forEach((s) => s.queueDepthChanged(g, d)),
    instanceAllocationChanged: (i, g, c) => sinks.forEach((s) => s.instanceAllocationChanged(i, g, c)),
  };
}
