/**
 * DNNScaler's online controller (`dnnscaler-controller.ts`) run by Sluice's control loop, as a planner.
 * A planner is a pure function of its problem, but the controller has state (the binary search's bounds,
 * its hysteresis counters). The state therefore travels in the plan itself: each plan this planner
 * returns carries the controller state that produced it, and the control loop hands the running plan
 * back as `problem.current` on the next tick. A plan the loop did not apply is never seen again, so the
 * state stays the one of the plan in force, as it should.
 *
 * The controller decides once per period (3 s); the control loop must tick at that same interval (each
 * tick is one period: the planner counts ticks, since a problem carries no clock). It reads the mean
 * latency the loop observed over the interval (`problem.observations.latencyMs[module].mean`): for
 * `batching` it sets the batch of one instance on all `totalCores`; for `co-location` it sets the number
 * k of batch-1 instances sharing them (C/k cores each).
 */
import type { Plan } from '../../planner/plan.js';
import { assembleFixedPlan } from '../../planner/baselines/assemble-fixed-plan.js';
import {
  createDnnscalerState,
  dnnscalerController,
  type DnnscalerControllerOptions,
  type DnnscalerState,
} from '../../planner/dnnscaler/dnnscaler-controller.js';
import type { PlannerEntry } from '../../planner/planner.js';
import type {
  HardwareSpec,
  PlanningModule,
  PlanningProblem,
  PlanningVariant,
} from '../../planner/planning-problem.js';

/** What the controller state is carried under in a plan. */
export interface DnnscalerOnlineState {
  readonly controller: DnnscalerState;
  /** Control periods seen since the first plan. */
  readonly tick: number;
  /** The mean latency the last step judged, ms; undefined when nothing finished in the interval. */
  readonly observedMeanMs: number | undefined;
}

/** A plan with the controller state that made it. */
export type DnnscalerOnlinePlan = Plan & { readonly policyState: DnnscalerOnlineState };

export interface DnnscalerOnlineOptions {
  readonly module: PlanningModule;
  readonly variant: PlanningVariant;
  readonly hardware: HardwareSpec;
  /** C: the cores the model may use (all of them at batching; shared by the instances at co-location). */
  readonly totalCores: number;
  /** The controller's settings: approach, target L (ms), batch range, co-location estimates, period. */
  readonly controller: DnnscalerControllerOptions;
}

const NAME = 'dnnscaler-online';

/** The controller state a plan carries, if it is one of this planner's. */
export function dnnscalerStateOf(plan: Plan | undefined): DnnscalerOnlineState | undefined {
  if (plan?.policyState === undefined) return undefined;
  const carried = (plan as DnnscalerOnlinePlan).policyState;
  return typeof carried === 'object' && 'controller' in carried ? carried : undefined;
}

/** The planner for one module; create one per experiment case (it holds settings, never state). */
export function dnnscalerOnlinePlanner(options: DnnscalerOnlineOptions): PlannerEntry {
  const periodMs = options.controller.periodMs ?? 3000;
  const plan = (problem: PlanningProblem): Plan => {
    const previous = dnnscalerStateOf(problem.current);
    let state: DnnscalerOnlineState;
    if (previous === undefined) {
      state = { controller: createDnnscalerState(options.controller), tick: 0, observedMeanMs: undefined };
    } else {
      const tick = previous.tick + 1;
      const meanMs = problem.observations?.latencyMs?.[options.module.name]?.mean;
      const controller =
        meanMs === undefined
          ? previous.controller
          : dnnscalerController(previous.controller, { nowMs: tick * periodMs, meanLatencyMs: meanMs }).state;
      state = { controller, tick, observedMeanMs: meanMs };
    }
    return withState(problem, options, state);
  };
  return {
    name: NAME,
    summary: "DNNScaler's online batch / instance scaler (binary search in the 0.85 L..L band on the mean)",
    exact: false,
    feedback: true,
    plan,
  };
}

function withState(
  problem: PlanningProblem,
  options: DnnscalerOnlineOptions,
  state: DnnscalerOnlineState,
): DnnscalerOnlinePlan {
  const { controller } = state;
  const batching = controller.settings.approach === 'batching';
  const instances = batching ? 1 : controller.instances;
  const tuple = {
    variant: options.variant,
    hardware: options.hardware,
    cores: options.totalCores / instances,
    batch: batching ? controller.batch : 1,
    instances,
  };
  const seen =
    state.observedMeanMs === undefined ? 'no latency observed' : `mean ${fmt(state.observedMeanMs)} ms`;
  const knob = batching ? `batch ${tuple.batch}` : `${instances} instance${instances === 1 ? '' : 's'}`;
  const reason = `dnnscaler (${controller.settings.approach}): ${seen} vs L ${fmt(controller.settings.targetMs)} ms -> ${knob}`;
  const plan = assembleFixedPlan(
    problem,
    NAME,
    [{ name: options.module.name, budgetMs: controller.settings.targetMs, tuples: [tuple] }],
    reason,
  );
  return { ...plan, policyState: state };
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}
