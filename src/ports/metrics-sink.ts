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

export interface BatchDispatched {
  readonly group: string;
  readonly instanceId: string;
  readonly rows: number;
  readonly items: number;
}

export interface MetricsSink {
  requestFinished(event: RequestFinished): void;
  batchDispatched(event: BatchDispatched): void;
  queueDepthChanged(group: string, depth: number): void;
  instanceAllocationChanged(instanceId: string, group: string, cores: number | undefined): void;
}

/** A sink that records nothing. */
export const NO_METRICS: MetricsSink = {
  requestFinished: () => undefined,
  batchDispatched: () => undefined,
  queueDepthChanged: () => undefined,
  instanceAllocationChanged: () => undefined,
};
