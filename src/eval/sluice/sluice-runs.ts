/**
 * Runs every policy of the `sluice` experiment through the simulator on the same workload, per-request
 * budgets, profiles and seed, and sums each run up: SLO attainment (rejected, expired and late requests
 * all miss), core-seconds and $, accuracy served, plan changes, latency, and why each miss happened.
 */
import type { Plan } from '../../planner/plan.js';
import { plannerByName } from '../../planner/planner-registry.js';
import type { PlanningProblem } from '../../planner/planning-problem.js';
import type { Solver } from '../../ports/solver.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { compileScenario, type Scenario } from '../../sim/scenario.js';
import type { SimulationResult, SimulationSpec } from '../../sim/simulation-types.js';
import type { TraceSource } from '../../sim/workload/build-workload.js';
import { missCauses, type MissCauses } from './miss-causes.js';
import type { SluicePolicy } from './sluice-policies.js';
import { fastestExecution, policyProblem, SLUICE_APP, type SluiceSetup } from './sluice-setup.js';

export interface PolicySummary {
  readonly id: string;
  readonly label: string;
  readonly role: SluicePolicy['role'];
  readonly requests: number;
  readonly outcomes: SimulationResult['outcomes'];
  readonly withinSlo: number;
  /** withinSlo / requests. */
  readonly attainment: number;
  /** requests − withinSlo. */
  readonly violations: number;
  /** Completed after their deadline. */
  readonly late: number;
  readonly coreSeconds: number;
  /** coreSeconds / durationS. */
  readonly averageCores: number;
  readonly dollars: number;
  readonly accuracy: number;
  readonly planChanges: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly durationS: number;
  /** The largest plan the run had in force, cores. */
  readonly largestPlanCores: number;
  readonly causes: MissCauses;
  readonly decisions: DecisionCounts;
}

/** What the control loop did with its proposals. */
export interface DecisionCounts {
  readonly applied: number;
  /** Applied changes that touched no instance (no start, stop, resize or new batch: only the split). */
  readonly sameInstances: number;
  /** Applied changes that both started and stopped instances (a new shape, not just more or fewer). */
  readonly reshapes: number;
  /** Held back by the cap on changes per minute. */
  readonly rateCapped: number;
  /** Of those, plans dearer than the one in force: capacity asked for and not granted. */
  readonly rateCappedScaleUps: number;
  /** Cheaper plans held back by the scale-down stabilisation. */
  readonly stabilising: number;
  /** No plan at all (the running one kept). */
  readonly infeasible: number;
}

/** One policy's run, kept for the charts and the explanation (its event log dropped). */
export interface PolicyRun {
  readonly policy: SluicePolicy;
  readonly problem: PlanningProblem;
  /** The plan the run started with: the planner's for the bootstrap rate. */
  readonly bootstrap: Plan;
  readonly result: SimulationResult;
  readonly summary: PolicySummary;
}

export interface SluiceRuns {
  readonly runs: readonly PolicyRun[];
  /** Budgets at arrival (SLO − upload) of the run's requests, in arrival order, ms. */
  readonly budgetsMs: readonly number[];
  /** The fastest execution there is (the fastest variant, batch 1, the largest instance), ms. */
  readonly fastestMs: number;
  /** That variant and its cores. */
  readonly fastestVariant: string;
  readonly fastestCores: number;
  /** Requests whose budget is below it: no policy can meet them. */
  readonly unmeetable: number;
}

/** Runs `policies` in order on `setup`. */
export function runPolicies(
  setup: SluiceSetup,
  policies: readonly SluicePolicy[],
  solver: Solver,
  log: (line: string) => void,
): SluiceRuns {
  const trace = (file: string): TraceSource => (file.startsWith('twitter') ? setup.trace : setup.busLog);
  const fastest = fastestExecution(setup);
  const fastestMs = fastest.latencyMs;
  const first = policies[0];
  if (first === undefined) throw new Error('sluice: no policies to run');
  const budgetsMs = budgetsOf(specOf(setup, first, policyProblem(setup, first), solver, trace, false));
  const runs = policies.map((policy) => {
    const problem = policyProblem(setup, policy);
    const planner = plannerByName(policy.planner);
    if (planner === undefined) throw new Error(`sluice: no planner '${policy.planner}'`);
    // Planners are pure: this is the plan the simulator would bootstrap with, kept for the analysis.
    const bootstrap = planner.plan(problem, { solver });
    const spec = specOf(setup, policy, problem, solver, trace, true);
    const full = runSimulation({ ...spec, fixedPlan: bootstrap });
    const causes = missCauses({
      eventLog: full.eventLog ?? [],
      budgetsMs,
      fastestMs,
      decisions: full.decisions,
      bootstrapCapacityRps: bootstrap.capacityRps,
    });
    const result: SimulationResult = { ...full, eventLog: undefined };
    const summary = summarise(policy, bootstrap, result, causes);
    log(
      `${policy.id}: attainment ${(100 * summary.attainment).toFixed(2)}%, ` +
        `${summary.averageCores.toFixed(2)} cores, accuracy ${summary.accuracy.toFixed(4)}`,
    );
    return { policy, problem, bootstrap, result, summary };
  });
  return {
    runs,
    budgetsMs,
    fastestMs,
    fastestVariant: fastest.variant,
    fastestCores: fastest.cores,
    unmeetable: budgetsMs.filter((b) => b < fastestMs).length,
  };
}

function specOf(
  setup: SluiceSetup,
  policy: SluicePolicy,
  problem: PlanningProblem,
  solver: Solver,
  trace: (file: string) => TraceSource,
  eventLog: boolean,
): SimulationSpec {
  const scenario: Scenario = {
    workloads: { [SLUICE_APP]: setup.workload },
    slo: { source: 'bus-log', payloadKB: setup.payloadKB },
    policy: policy.planner,
    // Sluice's default loop for every adaptive policy: the loop is shared, the planner is what differs.
    control: {},
    delays: { resizeMs: setup.resizeMs },
    ...(policy.dispatch === undefined ? {} : { dispatch: policy.dispatch }),
    seed: setup.seed,
  };
  const spec = compileScenario(scenario, { problem, trace, solver, eventLog });
  return policy.adaptive ? spec : { ...spec, control: undefined };
}

/** The budgets (SLO − upload) of the requests, from the same arrivals every run replays. */
function budgetsOf(spec: SimulationSpec): number[] {
  const out: number[] = [];
  for (const a of spec.arrivals.get(SLUICE_APP) ?? []) out.push((a.sloMs ?? 0) - (a.networkMs ?? 0));
  return out;
}

function summarise(
  policy: SluicePolicy,
  bootstrap: Plan,
  r: SimulationResult,
  causes: MissCauses,
): PolicySummary {
  const durationS = Math.max(1e-9, r.durationS);
  return {
    id: policy.id,
    label: policy.label,
    role: policy.role,
    requests: r.requests,
    outcomes: r.outcomes,
    withinSlo: r.withinSlo,
    attainment: r.attainment,
    violations: r.requests - r.withinSlo,
    late: r.outcomes.completed - r.withinSlo,
    coreSeconds: r.cost.coreSeconds,
    averageCores: r.cost.coreSeconds / durationS,
    dollars: r.cost.dollars,
    accuracy: r.accuracy,
    planChanges: r.planChanges,
    p50Ms: r.latencyMs.p50,
    p99Ms: r.latencyMs.p99,
    durationS: r.durationS,
    // Cheaper proposals wait out the stabilisation, dearer ones apply at once: the largest applied is in force.
    largestPlanCores: Math.max(
      bootstrap.cores,
      ...r.decisions.filter((d) => d.outcome === 'applied').map((d) => d.plan.cores),
    ),
    causes,
    decisions: decisionCounts(r, bootstrap),
  };
}

function decisionCounts(r: SimulationResult, bootstrap: Plan): DecisionCounts {
  const count = (outcome: string): number => r.decisions.filter((d) => d.outcome === outcome).length;
  const applied = r.decisions.filter((d) => d.outcome === 'applied');
  // The cost of the plan in force when each capped decision came: the last one applied before it.
  let inForce = bootstrap.costPerHour;
  let cappedScaleUps = 0;
  for (const d of r.decisions) {
    if (d.outcome === 'rate-capped' && d.plan.costPerHour > inForce) cappedScaleUps += 1;
    if (d.outcome === 'applied') inForce = d.plan.costPerHour;
  }
  return {
    applied: applied.length,
    sameInstances: applied.filter(
      (d) =>
        d.change !== undefined &&
        d.change.started + d.change.stopped + d.change.resized + d.change.rebatched === 0,
    ).length,
    reshapes: applied.filter((d) => d.change !== undefined && d.change.started > 0 && d.change.stopped > 0)
      .length,
    rateCapped: count('rate-capped'),
    rateCappedScaleUps: cappedScaleUps,
    stabilising: count('stabilising'),
    infeasible: count('infeasible'),
  };
}
