/**
 * What the DNNScaler experiment measured on one model (its verdict and both controllers' throughput
 * searches), and what the report is made from.
 */
import type { DnnscalerVerdict } from '../../planner/dnnscaler/dnnscaler-verdict.js';
import type { ControllerRun, RunSettings } from './controller-run.js';
import type { DnnscalerCase } from './dnnscaler-cases.js';
import type { ThroughputSearch } from './throughput-search.js';

export interface CaseResult {
  readonly kase: DnnscalerCase;
  /** DNNScaler's profiler verdict on the case; undefined when no knob meets L. */
  readonly verdict: DnnscalerVerdict | undefined;
  readonly dnnscaler: ThroughputSearch;
  readonly clipper: ThroughputSearch;
}

/** Both controllers' runs of one model at one rate (the report's controller trace). */
export interface TraceRuns {
  readonly result: CaseResult;
  readonly dnnscaler: ControllerRun;
  readonly clipper: ControllerRun;
}

export interface ReportInput {
  readonly results: readonly CaseResult[];
  readonly trace: TraceRuns | undefined;
  readonly settings: RunSettings;
  /** Bisection steps per search. */
  readonly steps: number;
  readonly quick: boolean;
  readonly paperClaim: string;
}

/** DNNScaler's throughput over Clipper's; undefined when Clipper sustained no probe. */
export function throughputRatio(result: CaseResult): number | undefined {
  return result.clipper.throughputRps > 0
    ? result.dnnscaler.throughputRps / result.clipper.throughputRps
    : undefined;
}
