/**
 * Throughput at the latency target: the highest offered rate a controller sustains (mean end-to-end
 * latency of the judged window ≤ L, rejections ≤ 1%), found by bisection between 0 (sustained) and
 * 1.05 × the case's ceiling (no knob can serve it: the ceiling is the best knob's median service rate,
 * and the mean batch time is above the median). Each probe is a fresh run from batch 1; after `steps`
 * probes the answer is the highest sustained rate, to within 1.05 × ceiling / 2^steps.
 */
import type { Solver } from '../../ports/solver.js';
import type { DnnscalerCase } from './dnnscaler-cases.js';
import {
  runController,
  type ControllerName,
  type ControllerRun,
  type RunSettings,
} from './controller-run.js';

/** The upper end of the search, as a multiple of the case's ceiling. */
export const CEILING_MARGIN = 1.05;

export interface ThroughputSearch {
  readonly controller: ControllerName;
  /** The highest sustained probe rate, req/s (0 when none was). */
  readonly throughputRps: number;
  /** The run at that rate. */
  readonly at: ControllerRun | undefined;
  /** The lowest probe rate not sustained, and its run (undefined when every probe was sustained). */
  readonly failed: ControllerRun | undefined;
  /** Every probe in the order run. */
  readonly probes: readonly ControllerRun[];
}

export function searchThroughput(
  kase: DnnscalerCase,
  controller: ControllerName,
  steps: number,
  settings: RunSettings,
  solver: Solver,
): ThroughputSearch {
  let low = 0;
  let high = CEILING_MARGIN * kase.ceilingRps;
  let at: ControllerRun | undefined;
  let failed: ControllerRun | undefined;
  const probes: ControllerRun[] = [];
  for (let i = 0; i < steps; i++) {
    const rateRps = (low + high) / 2;
    const run = runController(kase, controller, rateRps, settings, solver);
    probes.push(run);
    if (run.sustained) {
      low = rateRps;
      at = run;
    } else {
      high = rateRps;
      failed = run;
    }
  }
  return { controller, throughputRps: low, at, failed, probes };
}
