/**
 * Where a run's SLO violations come from, attributed by the second they occur in (a violation is a request
 * rejected, expired or answered late: arrivals − answered within the SLO, per second of the run's series):
 * - `reconfiguring`: within a change's delay (+ one SLO) after the control loop applied a plan that starts,
 *   stops or resizes instances: VPA's restarts (the pod is gone until the new one has loaded the model) and
 *   InfAdapter's rollouts and new variants (the old allocation serves until the new one is ready);
 * - `overCapacity`: otherwise, in a second whose arrivals exceed the capacity of the plan in force (the
 *   load outgrew what the last decision provisioned for);
 * - `other`: the rest (queueing near capacity, the spread of batch times).
 * Per-second attribution is approximate at the edges (a request arriving late in one second is answered in
 * the next); the three add up to the run's violations exactly before clamping at 0.
 */
import type { PolicyRun } from './policy-runs.js';

export interface ViolationCauses {
  readonly reconfiguring: number;
  /** Of `reconfiguring`, those within the windows of changes that started an instance. */
  readonly afterStarts: number;
  readonly overCapacity: number;
  readonly other: number;
  /** Seconds whose arrivals exceeded the plan in force (outside reconfiguration windows). */
  readonly overCapacitySeconds: number;
  /** Applied plans that started, stopped or resized an instance. */
  readonly reconfigurations: number;
  /** Of those, the ones that started an instance (a new variant, a replacement pod). */
  readonly starts: number;
  /** Of those, restarts: an instance stopped and another started by the same change. */
  readonly restarts: number;
  /** The capacity of the plan in force at each second of the series, req/s. */
  readonly capacityRps: readonly number[];
}

/** The causes of `run`'s violations (see the file comment). */
export function violationCauses(run: PolicyRun): ViolationCauses {
  const { series, decisions } = run.result;
  const sloMs = run.problem.apps[0]?.sloMs ?? 0;
  const windows: { fromMs: number; toMs: number; starts: boolean }[] = [];
  let restarts = 0;
  for (const d of decisions) {
    const c = d.change;
    if (d.outcome !== 'applied' || c === undefined || c.started + c.stopped + c.resized === 0) continue;
    windows.push({ fromMs: d.atMs, toMs: d.atMs + run.changeMs + sloMs, starts: c.started > 0 });
    if (c.started > 0 && c.stopped > 0) restarts += 1;
  }
  // The running plan changes when a decision applies a plan or keeps the same instances with new rates.
  // (A scale-down applies the most expensive plan of the stabilisation window, which may be an earlier
  // proposal than the decision's own: its capacity is then a little understated here.)
  const steps = decisions
    .filter((d) => d.outcome === 'applied' || d.outcome === 'unchanged')
    .map((d) => ({ atMs: d.atMs, capacityRps: d.plan.capacityRps }));
  let next = 0;
  let capacity = run.bootstrap.capacityRps;
  let reconfiguring = 0;
  let afterStarts = 0;
  let overCapacity = 0;
  let other = 0;
  let overCapacitySeconds = 0;
  const capacityRps: number[] = [];
  for (const point of series) {
    const atMs = point.tS * 1000;
    while (next < steps.length && (steps[next]?.atMs ?? Infinity) <= atMs) {
      capacity = steps[next]?.capacityRps ?? capacity;
      next += 1;
    }
    capacityRps.push(capacity);
    const violations = point.arrivals - point.withinSlo;
    const open = windows.filter((w) => atMs + 1000 > w.fromMs && atMs < w.toMs);
    if (open.length > 0) {
      reconfiguring += violations;
      if (open.some((w) => w.starts)) afterStarts += violations;
    } else if (point.arrivals > capacity) {
      overCapacity += violations;
      overCapacitySeconds += 1;
    } else other += violations;
  }
  return {
    reconfiguring: Math.max(0, reconfiguring),
    afterStarts: Math.max(0, afterStarts),
    overCapacity: Math.max(0, overCapacity),
    other: Math.max(0, other),
    overCapacitySeconds,
    reconfigurations: windows.length,
    starts: windows.filter((w) => w.starts).length,
    restarts,
    capacityRps,
  };
}
