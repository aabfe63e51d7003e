/**
 * A simulated run: Sluice's own engine (admission, EDF queues, deadline-aware batcher), control loop,
 * forecaster and planner, wired to a backend whose batch times are drawn from the latency models with the
 * measured spread and to an actuator whose actions take the profiled delays, on a virtual clock. The
 * workload's arrivals are submitted at their times; the run ends once every request has its outcome.
 * Deterministic: the same spec (and seed) gives the same results and the same event log, byte for byte.
 */
import { ControlLoop, type Decision } from '../control/control-loop.js';
import { ControlObserver } from '../control/control-observer.js';
import { Deployment } from '../control/deployment.js';
import { SeededRng } from '../core/seeded-rng.js';
import { AppRunner } from '../engine/app-runner.js';
import { Engine } from '../engine/engine.js';
import type { PlanningApp, PlanningModule, PlanningVariant } from '../planner/planning-problem.js';
import { teeMetrics, type MetricsSink } from '../ports/metrics-sink.js';
import { ProfileBackend, spreadSigma } from './profile-backend.js';
import { RunRecorder } from './run-recorder.js';
import { SimulatedActuator } from './simulated-actuator.js';
import type { SimulationResult, SimulationSpec } from './simulation-types.js';
import { VirtualClock } from './virtual-clock.js';
import type { Arrival } from './workload/workload.js';

/** Requests carry nothing in the simulator but the app they belong to. */
type Ticket = string;

export function runSimulation(spec: SimulationSpec): SimulationResult {
  const clock = new VirtualClock();
  const sigma = spreadSigma(spec.spread ?? 1.1);
  const backend = new ProfileBackend<Ticket>(clock, SeededRng.stream(spec.seed, 'backend'));
  const observer = new ControlObserver(0);
  const recorder = new RunRecorder(spec, clock);
  const metrics: MetricsSink = teeMetrics(observer, recorder.metrics);
  const engine = new Engine<Ticket, null>({ clock, backend, metrics });
  const variants = new Map<string, { module: PlanningModule; variant: PlanningVariant }>();
  for (const m of spec.problem.modules)
    for (const v of m.variants) variants.set(`${m.name}/${v.name}`, { module: m, variant: v });
  const sloOf = new Map(spec.problem.apps.flatMap((a) => a.modules.map((m) => [m, a.sloMs] as const)));
  for (const module of spec.problem.modules) {
    const first = module.variants[0];
    if (first === undefined) continue;
    engine.addModule({
      name: module.name,
      inputs: [],
      batched: module.maxBatch > 1,
      defaultSloMs: sloOf.get(module.name) ?? 1000,
      variants: module.variants.map((v) => v.name),
      defaultVariant: first.name,
    });
    for (const variant of module.variants) {
      const prior = Object.values(variant.latency)[0];
      engine.addGroup(
        {
          module: module.name,
          variant: variant.name,
          maxBatch: module.maxBatch,
          batching: { ...spec.batching, preferredBatch: module.maxBatch },
          ...(spec.dispatch === undefined ? {} : { dispatch: spec.dispatch }),
        },
        prior === undefined ? {} : { prior },
      );
      if (prior !== undefined) backend.setGroup(`${module.name}/${variant.name}`, { latency: prior, sigma });
    }
  }
  const actuator = new SimulatedActuator(clock, backend, {
    startMs: (group) => spec.startMs ?? variants.get(group)?.variant.loadMs ?? 1000,
    resizeMs: () => spec.resizeMs ?? 50,
    model: (group, hardware) => {
      const latency = variants.get(group)?.variant.latency[hardware];
      if (latency === undefined)
        throw new Error(`simulation: ${group} has no latency model on '${hardware}'`);
      return { latency, sigma };
    },
  });
  const deployment = new Deployment({
    clock,
    actuator,
    serving: engine,
    onEvent: (e) => recorder.deploymentEvent(e),
    resizeByRestart: spec.planner.resizesByRestart === true,
    latencyOf: (module, variant, hardware) => variants.get(`${module}/${variant}`)?.variant.latency[hardware],
  });
  const decisions: Decision[] = [];
  let afterDecision = (): void => undefined;
  const loop = new ControlLoop(
    {
      clock,
      planner: spec.planner,
      solver: spec.solver,
      forecasters: spec.forecasters,
      problem: spec.problem,
      deployment,
      observer,
      onDecision: (d) => {
        decisions.push(d);
        recorder.decision(d);
        if (d.outcome === 'applied') afterDecision();
      },
    },
    spec.control ?? {},
  );
  actuator.instant = true;
  const first = loop.bootstrap(spec.fixedPlan);
  actuator.instant = false;
  recorder.planApplied(first);
  if (spec.control !== undefined) loop.start();

  // Every app, one module or many, goes through the app runner: fan-out and module budgets as live.
  const fanRng = SeededRng.stream(spec.seed, 'fanout');
  const fanouts = new Map(
    spec.problem.apps.flatMap((a) => a.edges.map((e) => [`${e.from}>${e.to}`, e.fanout ?? 1] as const)),
  );
  const runner = new AppRunner<Ticket, null>(engine, clock, spec.problem.apps, (edge, _output, payload) => {
    // A mean fan-out of f: floor(f) requests, and one more with probability frac(f).
    const f = fanouts.get(`${edge.from}>${edge.to}`) ?? 1;
    const n = Math.floor(f) + (fanRng.next() < f - Math.floor(f) ? 1 : 0);
    return Array.from({ length: n }, () => payload);
  });
  const applyBudgets = (): void => {
    const plan = loop.plan;
    if (plan === undefined) return;
    for (const app of spec.problem.apps) {
      if (app.modules.length < 2) continue;
      runner.setBudgets(
        app.name,
        Object.fromEntries(
          plan.modules.filter((m) => app.modules.includes(m.name)).map((m) => [m.name, m.budgetMs]),
        ),
      );
    }
  };
  applyBudgets();
  afterDecision = applyBudgets;

  let open = 0;
  let submitted = 0;
  for (const app of spec.problem.apps) {
    const arrivals = spec.arrivals.get(app.name);
    if (arrivals === undefined) continue;
    open += 1;
    feed(app, arrivals[Symbol.iterator](), () => {
      open -= 1;
    });
  }

  function feed(app: PlanningApp, it: Iterator<Arrival>, finished: () => void): void {
    const sizes = app.querySizes;
    const sizeRng = SeededRng.stream(spec.seed, `sizes:${app.name}`);
    const rowsOf = (): number => {
      if (sizes === undefined) return 1;
      let u = sizeRng.next();
      for (const s of sizes) {
        u -= s.share;
        if (u < 0) return s.rows;
      }
      return sizes[sizes.length - 1]?.rows ?? 1;
    };
    const next = (): void => {
      const step = it.next();
      if (step.done === true) {
        finished();
        return;
      }
      const arrival = step.value;
      clock.setTimer(arrival.atMs, () => {
        submitted += 1;
        const id = submitted;
        const budget = {
          sloMs: arrival.sloMs ?? app.sloMs,
          ...(arrival.networkMs === undefined ? {} : { networkMs: arrival.networkMs }),
        };
        recorder.arrival(id, app.name, arrival.atMs);
        runner.submit(
          app.name,
          { arrivalMs: arrival.atMs, budget, rows: rowsOf(), payload: app.name },
          (outcome) => recorder.outcome(id, app.name, outcome),
        );
        next();
      });
    };
    next();
  }

  recorder.startSeries(deployment, () => {
    // The run is over once every workload is exhausted and every request answered.
    const done = open === 0 && engine.pendingCount === 0 && recorder.open === 0;
    if (done) loop.stop();
    return done;
  });
  clock.runAll(Number.MAX_SAFE_INTEGER);
  return recorder.result({
    submitted,
    decisions,
    planChanges: decisions.filter((d) => d.outcome === 'applied').length,
  });
}
