/**
 * `sluice serve --policy NAME`: the control loop on a live server. The engine reports to an observer as
 * well as to Prometheus; each interval the loop forecasts, plans with the chosen planner on this
 * machine's latency models, and a deployment carries the plan out through the local actuator (real
 * instance processes, in-place CPU resizes). Every decision is appended to a JSONL log and kept for
 * `GET /sluice/decisions`; the plan in force is `GET /sluice/plan`.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ControlLoop, type ControlLoopOptions, type Decision } from '../control/control-loop.js';
import type { ControlObserver } from '../control/control-observer.js';
import { Deployment } from '../control/deployment.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import type { ModuleSpec } from '../core/model-spec.js';
import type { Engine } from '../engine/engine.js';
import type { AnyForecaster } from '../forecast/forecaster.js';
import type { Plan } from '../planner/plan.js';
import type { PlannerEntry } from '../planner/planner.js';
import type { PlanningProblem } from '../planner/planning-problem.js';
import type { Clock } from '../ports/clock.js';
import type { Solver } from '../ports/solver.js';
import { LocalActuator } from '../runtime/local-actuator.js';
import type { OnnxWorkerPool } from '../runtime/onnx-worker-pool.js';
import type { ControlView } from '../server/http-server.js';
import type { PrometheusMetrics } from '../server/prometheus-metrics.js';

export interface AdaptiveServing {
  readonly loop: ControlLoop;
  readonly deployment: Deployment;
  readonly view: ControlView;
  /** The first plan, once its instances serve. */
  readonly ready: Promise<Plan>;
  stop(): void;
}

export interface AdaptiveDeps {
  readonly engine: Engine<InferencePayload, InferenceResult>;
  readonly pool: OnnxWorkerPool;
  readonly clock: Clock;
  readonly observer: ControlObserver;
  readonly modules: readonly ModuleSpec[];
  readonly problem: PlanningProblem;
  readonly planner: PlannerEntry;
  readonly solver: Solver;
  readonly forecaster: (app: string) => AnyForecaster | undefined;
  readonly control: ControlLoopOptions;
  /** Intra-op threads of every instance (fixed, so that resizes only change the CPU quota). */
  readonly threads: number;
  readonly decisionLog: string | undefined;
  /** Plan changes and the plan in force, as Prometheus metrics. */
  readonly metrics?: PrometheusMetrics;
  readonly log: (line: string) => void;
  /** Called with the plan in force at start-up and after every decision (apps take its module budgets). */
  readonly onPlan?: (plan: Plan) => void;
}

const KEEP_DECISIONS = 10_000;

export function startAdaptiveServing(deps: AdaptiveDeps): AdaptiveServing {
  const files = new Map<string, string>();
  for (const m of deps.modules) for (const v of m.variants) files.set(`${m.name}/${v.name}`, v.file);
  const actuator = new LocalActuator(deps.pool, deps.clock, {
    modelPathOf: (group) => {
      const file = files.get(group);
      if (file === undefined) throw new Error(`no model file for '${group}'`);
      return file;
    },
    threads: deps.threads,
  });
  let started = 0;
  let pendingStarts = 0;
  let onSettled: (() => void) | undefined;
  const deployment = new Deployment({
    clock: deps.clock,
    actuator,
    serving: deps.engine,
    onEvent: (e) => {
      if (e.kind === 'start-asked') pendingStarts += 1;
      if (e.kind === 'started' || (e.kind === 'failed' && e.detail.startsWith('start'))) {
        pendingStarts -= 1;
        started += 1;
        if (pendingStarts === 0) onSettled?.();
      }
      if (e.kind !== 'start-asked' && e.kind !== 'resize-asked' && e.kind !== 'stop-asked')
        deps.log(`instance ${e.instanceId} ${e.kind}: ${e.detail}`);
    },
  });
  const decisions: Decision[] = [];
  if (deps.decisionLog !== undefined) mkdirSync(dirname(deps.decisionLog), { recursive: true });
  const forecasters = new Map<string, AnyForecaster>();
  for (const app of deps.problem.apps) {
    const f = deps.forecaster(app.name);
    if (f !== undefined) forecasters.set(app.name, f);
  }
  const loop = new ControlLoop(
    {
      clock: deps.clock,
      planner: deps.planner,
      solver: deps.solver,
      forecasters,
      problem: deps.problem,
      deployment,
      observer: deps.observer,
      onDecision: (d) => {
        decisions.push(d);
        if (decisions.length > KEEP_DECISIONS) decisions.splice(0, decisions.length - KEEP_DECISIONS);
        if (deps.decisionLog !== undefined) appendFileSync(deps.decisionLog, `${JSON.stringify(d)}\n`);
        deps.metrics?.controlDecision(d.outcome, d.plan);
        if (d.outcome === 'applied') deps.log(`plan applied: ${d.plan.tuples.join('; ')} (${d.reason})`);
        const inForce = loop.plan;
        if (inForce !== undefined) deps.onPlan?.(inForce);
      },
    },
    deps.control,
  );
  const first = loop.bootstrap();
  deps.onPlan?.(first);
  deps.log(
    `first plan (${deps.planner.name}): ${first.modules.flatMap((m) => m.tuples.map((t) => `${m.name}: ${t.instances}x ${t.variant} ${t.cores} cores b${t.batch}`)).join('; ') || 'nothing'}${first.feasible ? '' : ` (infeasible: ${first.reason})`}`,
  );
  const ready = new Promise<Plan>((resolve) => {
    if (pendingStarts === 0) resolve(first);
    else onSettled = () => resolve(first);
  });
  void ready.then(() => {
    deps.log(`${started} instances serving; control loop every ${deps.control.intervalMs ?? 1000} ms`);
    loop.start();
  });
  return {
    loop,
    deployment,
    ready,
    view: {
      plan: () => loop.plan,
      decisions: (limit) => decisions.slice(-limit),
    },
    stop: () => loop.stop(),
  };
}
