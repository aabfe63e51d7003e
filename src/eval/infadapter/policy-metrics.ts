/**
 * The figures of one policy's run that the report compares (violations, cost in cores, accuracy served,
 * plan changes), the best single variant among the VPA runs, and InfAdapter's reductions against each.
 */
import type { PolicyRun } from './policy-runs.js';
import { violationCauses, type ViolationCauses } from './violation-causes.js';

export interface PolicyMetrics {
  readonly policy: string;
  readonly label: string;
  readonly variant: string | undefined;
  readonly requests: number;
  readonly completed: number;
  readonly rejected: number;
  readonly expired: number;
  readonly failed: number;
  readonly withinSlo: number;
  /** Requests not answered within the SLO: rejected, expired, failed or late. */
  readonly violations: number;
  /** violations / requests. */
  readonly violationRate: number;
  /** Core-seconds allocated (starting instances included) over the run's duration. */
  readonly averageCores: number;
  /** The most cores any plan of the run asked for (allocations in transition can briefly hold more). */
  readonly largestPlanCores: number;
  /** Traffic-weighted accuracy of the completed requests' variants. */
  readonly accuracy: number;
  /** Plans applied after the first. */
  readonly planChanges: number;
  /** Of completed requests, ms. */
  readonly p99Ms: number;
  readonly durationS: number;
  readonly causes: Omit<ViolationCauses, 'capacityRps'>;
}

/** InfAdapter against one VPA run: 1 − InfAdapter's / VPA's (positive: InfAdapter is better). */
export interface Reduction {
  readonly vs: string;
  /** undefined when the VPA run had no violation. */
  readonly violationReduction: number | undefined;
  readonly costReduction: number;
  /** InfAdapter's accuracy served minus VPA's. */
  readonly accuracyGain: number;
}

export function policyMetrics(run: PolicyRun): PolicyMetrics {
  const r = run.result;
  const violations = r.requests - r.withinSlo;
  const { capacityRps: _perSecond, ...causes } = violationCauses(run);
  return {
    policy: run.policy,
    label: run.label,
    variant: run.variant,
    requests: r.requests,
    completed: r.outcomes.completed,
    rejected: r.outcomes.rejected,
    expired: r.outcomes.expired,
    failed: r.outcomes.failed,
    withinSlo: r.withinSlo,
    violations,
    violationRate: r.requests === 0 ? 0 : violations / r.requests,
    averageCores: r.durationS > 0 ? r.cost.coreSeconds / r.durationS : 0,
    // Scale-ups are applied as proposed (stabilisation holds back only cheaper plans), so the largest
    // proposal among the applied decisions is the largest plan in force.
    largestPlanCores: Math.max(
      run.bootstrap.cores,
      ...r.decisions.filter((d) => d.outcome === 'applied').map((d) => d.plan.cores),
    ),
    accuracy: r.accuracy,
    planChanges: r.planChanges,
    p99Ms: r.latencyMs.p99,
    durationS: r.durationS,
    causes,
  };
}

/** The VPA run with the fewest violations, ties broken by fewer cores; undefined without VPA runs. */
export function bestSingleVariant(rows: readonly PolicyMetrics[]): PolicyMetrics | undefined {
  return rows
    .filter((m) => m.variant !== undefined)
    .reduce<PolicyMetrics | undefined>(
      (best, m) =>
        best === undefined ||
        m.violations < best.violations ||
        (m.violations === best.violations && m.averageCores < best.averageCores)
          ? m
          : best,
      undefined,
    );
}

export function reductionAgainst(infadapter: PolicyMetrics, vpa: PolicyMetrics): Reduction {
  return {
    vs: vpa.policy,
    violationReduction: vpa.violations > 0 ? 1 - infadapter.violations / vpa.violations : undefined,
    costReduction: vpa.averageCores > 0 ? 1 - infadapter.averageCores / vpa.averageCores : 0,
    accuracyGain: infadapter.accuracy - vpa.accuracy,
  };
}
