/**
 * The control loop of a live server, assembled: each served variant's latency model on this machine (its
 * profile, else a start-up calibration on one core), the live planning problem, the chosen planner and
 * forecaster, HiGHS, and the adaptive deployment on the server's worker pool.
 */
import { availableParallelism } from 'node:os';
import type { ControlLoopOptions } from '../control/control-loop.js';
import type { ControlObserver } from '../control/control-observer.js';
import type { Objective } from '../planner/planning-problem.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import type { LatencyModel } from '../core/latency-model.js';
import { groupId, type ModuleSpec } from '../core/model-spec.js';
import type { Profile } from '../core/profile.js';
import type { Engine } from '../engine/engine.js';
import { forecasterByName } from '../forecast/forecaster-registry.js';
import { calibratedModel, liveProblem, type LiveApp } from '../planner/live-problem.js';
import type { Plan } from '../planner/plan.js';
import { plannerByName, PLANNERS } from '../planner/planner-registry.js';
import { latencyFromProfile } from '../planner/problem-from-profiles.js';
import type { Clock } from '../ports/clock.js';
import { calibrateInstance } from '../runtime/calibrate-instance.js';
import type { OnnxWorkerPool } from '../runtime/onnx-worker-pool.js';
import { HighsSolver } from '../solver/highs-solver.js';
import type { PrometheusMetrics } from '../server/prometheus-metrics.js';
import { startAdaptiveServing, type AdaptiveServing } from './adaptive-serving.js';
import { SluiceError } from '../core/errors.js';

/** `sluice serve --policy NAME` and its options. */
export interface AdaptiveOptions {
  /** A planner by name (`sluice plan --help`). */
  readonly policy: string;
  /** A forecaster by name; default `window-max`; `none`: the last interval's rate. */
  readonly forecaster?: string;
  readonly control?: ControlLoopOptions;
  /** Append every decision here as JSON lines; default `.sluice/decisions.jsonl`. */
  readonly decisionLog?: string;
  /** Default accuracy − 0.05 · cores / machine cores (InfAdapter's weight). */
  readonly objective?: Objective;
  /** Intra-op threads of every instance; default the machine's cores (resizes then only change the quota). */
  readonly threads?: number;
}

export interface ControlInputs {
  readonly adaptive: AdaptiveOptions;
  readonly pool: OnnxWorkerPool;
  readonly engine: Engine<InferencePayload, InferenceResult>;
  readonly clock: Clock;
  readonly observer: ControlObserver;
  readonly modules: readonly ModuleSpec[];
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly metrics: PrometheusMetrics;
  readonly log: (line: string) => void;
  /** Served applications, planned as one (module budgets that sum to the SLO along each path). */
  readonly apps?: readonly LiveApp[];
  /** The plan in force, at start-up and after every decision. */
  readonly onPlan?: (plan: Plan) => void;
}

export async function startControl(inputs: ControlInputs): Promise<AdaptiveServing> {
  const { adaptive, pool, modules, log } = inputs;
  const planner = plannerByName(adaptive.policy);
  if (planner === undefined)
    throw new SluiceError(
      'INVALID_CONFIG',
      `--policy: no planner '${adaptive.policy}' (${PLANNERS.map((p) => p.name).join(', ')})`,
    );
  const machineCores = availableParallelism();
  const threads = adaptive.threads ?? machineCores;
  const latency = new Map<string, LatencyModel>();
  const loadMs = new Map<string, number>();
  for (const module of modules) {
    for (const variant of module.variants) {
      const group = groupId(module.name, variant.name);
      const profile = inputs.profiles.get(group);
      if (profile !== undefined) {
        latency.set(group, latencyFromProfile(profile));
        if (profile.coldStart !== undefined) loadMs.set(group, profile.coldStart.coldStartMs);
        continue;
      }
      // No profile: a one-core calibration (batch 1 and 4) stands in, assuming the work parallelises.
      const instanceId = `${group}#calibration`;
      const began = inputs.clock.nowMs();
      await pool.startInstance({
        instanceId,
        group,
        modelPath: variant.file,
        cores: 1,
        intraOpThreads: threads,
        expected: { inputs: module.inputs, outputs: module.outputs, maxBatch: module.maxBatch },
      });
      const startMs = inputs.clock.nowMs() - began;
      try {
        const points = await calibrateInstance(pool, { instanceId, group, module });
        const model = calibratedModel(points, 1);
        if (model !== undefined) latency.set(group, model);
        loadMs.set(group, startMs);
        log(
          `${group}: no profile; calibrated on 1 core (${points.map((p) => `${p.computeMs.toFixed(1)} ms at batch ${p.rows}`).join(', ')})`,
        );
      } finally {
        await pool.stopInstance(instanceId);
      }
    }
  }
  const problem = liveProblem(modules, {
    machineCores,
    objective: adaptive.objective ?? { kind: 'accuracy-cost', costWeight: 0.05 },
    latency,
    loadMs,
    ...(inputs.apps === undefined ? {} : { apps: inputs.apps }),
  });
  const forecasterName = adaptive.forecaster ?? 'window-max';
  if (forecasterName !== 'none' && forecasterByName(forecasterName) === undefined)
    throw new SluiceError('INVALID_CONFIG', `--forecaster: no forecaster '${forecasterName}'`);
  return startAdaptiveServing({
    engine: inputs.engine,
    pool,
    clock: inputs.clock,
    observer: inputs.observer,
    modules,
    problem,
    planner,
    solver: await HighsSolver.create(),
    forecaster: () => (forecasterName === 'none' ? undefined : forecasterByName(forecasterName)),
    // Every module keeps at least one instance: a live server does not scale to zero.
    control: { minRateRps: 1, ...adaptive.control },
    threads,
    decisionLog: adaptive.decisionLog ?? '.sluice/decisions.jsonl',
    metrics: inputs.metrics,
    log,
    ...(inputs.onPlan === undefined ? {} : { onPlan: inputs.onPlan }),
  });
}
