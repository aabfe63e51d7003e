/**
 * The runs compared on one profile source: InfAdapter (Sluice's `infadapter` planner under InfAdapter's own
 * control settings) over all five variants, and the Kubernetes VPA (`vpa` planner) on each single variant,
 * all on the same trace slice, seed, engine and profiles.
 *
 * InfAdapter (papers.md §2): a decision every 30 s (`intervalMs` and `variantIntervalMs`), scale-down only
 * once 4 consecutive decisions agree (a 120-s stabilisation window holds the current decision and the 3
 * before it; the most expensive of them is applied), the load predictor = the window maximum of the last
 * 60 s + 10% (its LSTM is not available in Sluice yet), α = 0.05, β = 0.001, cores per variant 0 or 2..20,
 * a new variant instance ready after the variant's cold start, a change of cores after `reconfigureMs`.
 * VPA: the recommender and updater loops run every minute (their `--recommender-interval` and
 * `--updater-interval` defaults), no forecast, one pod at batch 1 sized to p90 usage + 15%, every resize a
 * restart that pays the variant's cold start.
 */
import type { ControlLoopOptions } from '../../control/control-loop.js';
import type { Plan } from '../../planner/plan.js';
import { plannerByName } from '../../planner/planner-registry.js';
import type { PlanningProblem, PlanningVariant } from '../../planner/planning-problem.js';
import type { Solver } from '../../ports/solver.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { compileScenario, type Scenario } from '../../sim/scenario.js';
import type { SimulationResult } from '../../sim/simulation-types.js';
import type { TwitterTrace } from '../../sim/workload/twitter-trace.js';
import { INFADAPTER_BUDGET_CORES, INFADAPTER_SLO_MS, type ProfileSource } from './profile-sources.js';

/** InfAdapter's weights: α on cores over the budget, β on load time of new variants over the longest. */
export const INFADAPTER_ALPHA = 0.05;
export const INFADAPTER_BETA = 0.001;
/** InfAdapter decides every 30 s; 4 agreeing decisions before a scale-down. */
const INFADAPTER_INTERVAL_MS = 30_000;
const INFADAPTER_AGREEING_DECISIONS = 4;
/** InfAdapter's predictor reads the last minute's maximum and adds 10%. */
const PREDICTOR_WINDOW_MS = 60_000;
const PREDICTOR_HEADROOM = 0.1;
/** InfAdapter gives a variant 0 or at least 2 cores (papers.md §2). */
const INFADAPTER_MIN_CORES = 2;
/** VPA's recommender and updater period, ms. */
const VPA_INTERVAL_MS = 60_000;

/** A slice of the trace, in trace seconds [startS, endS). */
export interface TraceSlice {
  readonly startS: number;
  readonly endS: number;
}

export interface PolicyRun {
  /** `infadapter` or `vpa-<variant>`. */
  readonly policy: string;
  /** For tables and legends, e.g. `VPA resnet50`. */
  readonly label: string;
  /** VPA's single variant; undefined for InfAdapter. */
  readonly variant: string | undefined;
  readonly problem: PlanningProblem;
  /** The plan the run started with (the planner's plan for the bootstrap rate). */
  readonly bootstrap: Plan;
  /** How long a change the run applies takes to be in force, ms (restart or rollout). */
  readonly changeMs: number;
  readonly result: SimulationResult;
}

export interface PolicyRunInputs {
  readonly source: ProfileSource;
  readonly trace: TwitterTrace;
  readonly slice: TraceSlice;
  readonly seed: number;
  readonly solver: Solver;
  readonly log: (line: string) => void;
}

/** InfAdapter first, then VPA on each variant in the module's order. */
export function runPolicies(inputs: PolicyRunInputs): PolicyRun[] {
  const { source, trace, slice, seed, solver } = inputs;
  const workload = `twitter:${slice.startS}:${slice.endS}:${source.damping}`;
  const rateRps = bootstrapRateRps(trace, slice, source.damping);
  // The run starts from the plan computed here (the simulator would compute the same one: planners are pure).
  const compile = (
    scenario: Omit<Scenario, 'workloads'>,
    problem: PlanningProblem,
    bootstrap: Plan,
  ): SimulationResult =>
    runSimulation({
      ...compileScenario(
        { ...scenario, workloads: { classify: workload }, seed },
        {
          problem,
          trace: () => trace,
          solver,
        },
      ),
      fixedPlan: bootstrap,
    });
  const runs: PolicyRun[] = [];

  const infadapterProblem = problemFor(source, source.module.variants, rateRps, INFADAPTER_MIN_CORES);
  const infadapterControl: ControlLoopOptions = {
    intervalMs: INFADAPTER_INTERVAL_MS,
    variantIntervalMs: INFADAPTER_INTERVAL_MS,
    // Proposals newer than now − window count: exactly this decision and the 3 before it.
    scaleDownStabilisationMs: INFADAPTER_AGREEING_DECISIONS * INFADAPTER_INTERVAL_MS,
    // Plan until the next decision (the window-max predictor ignores the horizon; a backlog drains over it).
    horizonMs: INFADAPTER_INTERVAL_MS,
    budgetClasses: 0,
  };
  inputs.log(`${source.key}: infadapter on ${workload}`);
  const infadapterStart = planOnce('infadapter', infadapterProblem, solver);
  runs.push({
    policy: 'infadapter',
    label: 'InfAdapter',
    variant: undefined,
    problem: infadapterProblem,
    bootstrap: infadapterStart,
    changeMs: source.reconfigureMs,
    result: compile(
      {
        policy: 'infadapter',
        forecaster: {
          name: 'window-max',
          options: { windowMs: PREDICTOR_WINDOW_MS, headroom: PREDICTOR_HEADROOM },
        },
        control: infadapterControl,
        delays: { resizeMs: source.reconfigureMs },
      },
      infadapterProblem,
      infadapterStart,
    ),
  });

  for (const variant of source.module.variants) {
    const problem = problemFor(source, [variant], rateRps, undefined);
    inputs.log(`${source.key}: vpa ${variant.name}`);
    const start = planOnce('vpa', problem, solver);
    runs.push({
      policy: `vpa-${variant.name}`,
      label: `VPA ${variant.name}`,
      variant: variant.name,
      problem,
      bootstrap: start,
      changeMs: variant.loadMs ?? 0,
      result: compile(
        {
          policy: 'vpa',
          forecaster: 'none',
          // Stabilisation 0: the updater acts on the latest recommendation (the recommender's own
          // percentile over its usage window is the only smoothing).
          control: { intervalMs: VPA_INTERVAL_MS, scaleDownStabilisationMs: 0, budgetClasses: 0 },
        },
        problem,
        start,
      ),
    });
  }
  return runs;
}

/**
 * The rate the runs start provisioned for: InfAdapter's predictor over the minute before the slice (its
 * per-second maximum + 10%), as if the system had been running; the same for every policy.
 */
export function bootstrapRateRps(trace: TwitterTrace, slice: TraceSlice, damping: number): number {
  const before = trace.slice({ startS: Math.max(0, slice.startS - 60), endS: slice.startS, damping });
  return Math.max(1, ...before.countsRps) * (1 + PREDICTOR_HEADROOM);
}

function problemFor(
  source: ProfileSource,
  variants: readonly PlanningVariant[],
  rateRps: number,
  minCores: number | undefined,
): PlanningProblem {
  const hardware =
    minCores === undefined
      ? source.hardware
      : {
          ...source.hardware,
          coreOptions: Array.from(
            { length: source.hardware.maxCores - minCores + 1 },
            (_, i) => minCores + i,
          ),
        };
  return {
    objective: { kind: 'accuracy-cost', costWeight: INFADAPTER_ALPHA, reloadWeight: INFADAPTER_BETA },
    budget: { cores: INFADAPTER_BUDGET_CORES },
    hardware: [hardware],
    modules: [{ ...source.module, variants }],
    apps: [{ name: 'classify', modules: ['resnet'], edges: [], sloMs: INFADAPTER_SLO_MS, rateRps }],
  };
}

/** The plan the simulator bootstraps with (planners are pure, so this is the same plan). */
function planOnce(name: string, problem: PlanningProblem, solver: Solver): Plan {
  const planner = plannerByName(name);
  if (planner === undefined) throw new Error(`infadapter experiment: no planner '${name}'`);
  return planner.plan(problem, { solver });
}
