/**
 * A simulation scenario (DESIGN.md §4, `sluice simulate --scenario FILE`): the planning problem (the
 * modules, hardware and apps to serve), a workload per app, where the per-request budgets come from
 * (the SLO, or Sponge's 4G bandwidth log), the policy (a planner by name; `static` keeps the first plan),
 * the forecaster, the control loop's settings, actuation delays and the seed. `compileScenario` turns it
 * and the texts it refers to into a `SimulationSpec`; reading files is the caller's.
 */
import type { ControlLoopOptions } from '../control/control-loop.js';
import type { BatchingSpec } from '../core/model-spec.js';
import { SeededRng } from '../core/seeded-rng.js';
import { forecasterByName } from '../forecast/forecaster-registry.js';
import type { AnyForecaster } from '../forecast/forecaster.js';
import { plannerByName } from '../planner/planner-registry.js';
import type { PlanningProblem } from '../planner/planning-problem.js';
import type { Solver } from '../ports/solver.js';
import type { SimulationSpec } from './simulation-types.js';
import { buildWorkload, type TraceSource } from './workload/build-workload.js';
import { BusLogBudgets } from './workload/bus-log-budgets.js';
import type { Arrival } from './workload/workload.js';
import { WorkloadError } from './workload/workload-error.js';
import { parseWorkloadSpec, traceFileOf } from './workload/workload-spec.js';

export interface Scenario {
  readonly name?: string;
  /** Per app (by name), its workload spec (`twitter:...`, `poisson:RATE:SECONDS`, ...). */
  readonly workloads: Readonly<Record<string, string>>;
  /** `fixed`: every request has its app's SLO; `bus-log`: SLO minus the upload time on the 4G log (Sponge). */
  readonly slo?:
    | { readonly source: 'fixed' }
    | { readonly source: 'bus-log'; readonly payloadKB?: number | readonly [number, number] };
  /** A planner by name; `static` plans once, for the problem's rates, and never adapts. Default `sluice`. */
  readonly policy?: string;
  /** Default `window-max` with its defaults; `none`: plan for the last interval's rate. */
  readonly forecaster?:
    { readonly name: string; readonly options?: Readonly<Record<string, number>> } | 'none';
  readonly control?: ControlLoopOptions;
  readonly batching?: Partial<Omit<BatchingSpec, 'preferredBatch'>>;
  /** How queued requests reach instances: the batcher (default), KAIROS's matching, or FCFS. */
  readonly dispatch?: 'batch' | 'min-cost-matching' | 'fcfs';
  readonly delays?: { readonly startMs?: number; readonly resizeMs?: number };
  /** p99/p50 of batch times (the measured spread). Default 1.1. */
  readonly spread?: number;
  readonly seed?: number;
}

export interface ScenarioInputs {
  readonly problem: PlanningProblem;
  /** The text (or parsed trace) of a trace file the workloads name (`traceFileOf`), by file name. */
  readonly trace: (file: string) => TraceSource;
  readonly solver: Solver;
  readonly eventLog?: boolean;
  /** Overrides of the scenario's own fields (command-line options). */
  readonly seed?: number;
  readonly policy?: string;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export function compileScenario(scenario: Scenario, inputs: ScenarioInputs): SimulationSpec {
  const seed = inputs.seed ?? scenario.seed ?? 1;
  const policyName = inputs.policy ?? scenario.policy ?? 'sluice';
  const planner = plannerByName(policyName);
  if (planner === undefined) throw new ScenarioError(`policy: no planner named '${policyName}'`);
  const problem = inputs.problem;
  const arrivals = new Map<string, Iterable<Arrival>>();
  const forecasters = new Map<string, AnyForecaster>();
  const busLog =
    scenario.slo?.source === 'bus-log'
      ? BusLogBudgets.parse(asText(inputs.trace('report_bus_0001.log')))
      : undefined;
  for (const app of problem.apps) {
    const spec = scenario.workloads[app.name];
    if (spec === undefined) throw new ScenarioError(`workloads: no workload for app '${app.name}'`);
    let workload;
    try {
      const parsed = parseWorkloadSpec(spec);
      const file = traceFileOf(parsed);
      workload = buildWorkload(parsed, file === undefined ? undefined : inputs.trace(file));
    } catch (error) {
      if (error instanceof WorkloadError) throw new ScenarioError(`workloads.${app.name}: ${error.message}`);
      throw error;
    }
    const base = workload.arrivals(SeededRng.stream(seed, `arrivals:${app.name}`));
    const slo = scenario.slo;
    arrivals.set(
      app.name,
      busLog === undefined || slo?.source !== 'bus-log'
        ? base
        : busLog.attach(
            base,
            { sloMs: app.sloMs, ...(slo.payloadKB === undefined ? {} : { payloadKB: slo.payloadKB }) },
            SeededRng.stream(seed, `payload:${app.name}`),
          ),
    );
    const choice = scenario.forecaster ?? { name: 'window-max' };
    if (choice !== 'none') {
      const forecaster = forecasterByName(choice.name, choice.options ?? {});
      if (forecaster === undefined)
        throw new ScenarioError(`forecaster: no forecaster named '${choice.name}'`);
      forecasters.set(app.name, forecaster);
    }
  }
  for (const name of Object.keys(scenario.workloads)) {
    if (!problem.apps.some((a) => a.name === name))
      throw new ScenarioError(`workloads: the problem has no app '${name}'`);
  }
  return {
    problem,
    arrivals,
    planner,
    solver: inputs.solver,
    forecasters,
    control: planner.name === 'static' ? undefined : (scenario.control ?? {}),
    batching: {
      policy: scenario.batching?.policy ?? 'deadline',
      admission: scenario.batching?.admission ?? 'reject',
      maxQueueDelayMs: scenario.batching?.maxQueueDelayMs ?? 0,
      maxQueueLength: scenario.batching?.maxQueueLength ?? 100_000,
    },
    ...(scenario.dispatch === undefined ? {} : { dispatch: scenario.dispatch }),
    ...(scenario.delays?.startMs === undefined ? {} : { startMs: scenario.delays.startMs }),
    ...(scenario.delays?.resizeMs === undefined ? {} : { resizeMs: scenario.delays.resizeMs }),
    ...(scenario.spread === undefined ? {} : { spread: scenario.spread }),
    seed,
    ...(inputs.eventLog === undefined ? {} : { eventLog: inputs.eventLog }),
  };
}

function asText(source: TraceSource): string {
  if (typeof source !== 'string') throw new ScenarioError('the bus log must be given as text');
  return source;
}
