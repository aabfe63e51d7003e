/**
 * One simulated run of a controller on one model at one offered rate, measured as the DNNScaler
 * experiment needs it. The load is Poisson: it ramps up in ten equal steps from a tenth of the rate (so
 * a controller that starts at batch 1 can grow with it, as traffic grows on a real service), then holds
 * the rate; the run is judged on the requests that arrive over the last `measureS` seconds of the
 * hold, by their end-to-end latency (queueing included). Both controllers run in Sluice's control loop
 * with the same period, on the same allocation, arrivals and seed; the batcher dispatches whatever is
 * queued up to the batch in force as soon as an instance is free (no waiting for a batch to fill, as in
 * Clipper and DNNScaler), and serves every request however late (latency is measured, not cut off)
 * unless the queue is full (10 L of work at the ceiling: only a run far past its limit gets there).
 */
import { percentile } from '../../core/percentile.js';
import { SeededRng } from '../../core/seeded-rng.js';
import { clipperPlanner } from '../../planner/baselines/clipper-planner.js';
import { colocationEstimatesMs } from '../../planner/dnnscaler/dnnscaler-controller.js';
import { dnnscalerVerdict, type DnnscalerVerdict } from '../../planner/dnnscaler/dnnscaler-verdict.js';
import type { PlannerEntry } from '../../planner/planner.js';
import type { Solver } from '../../ports/solver.js';
import { runSimulation } from '../../sim/run-simulation.js';
import type { SimulationResult } from '../../sim/simulation-types.js';
import { rateArrivals, type RateSegment } from '../../sim/workload/rate-arrivals.js';
import type { DnnscalerCase } from './dnnscaler-cases.js';
import { dnnscalerOnlinePlanner } from './dnnscaler-online-planner.js';

export type ControllerName = 'dnnscaler' | 'clipper';

export interface RunSettings {
  /** Ramp from rate/RAMP_STEPS to the rate in RAMP_STEPS equal steps, s. */
  readonly rampS: number;
  /** Then the rate held, s. */
  readonly holdS: number;
  /** Judged: the requests arriving in the last this many seconds of the hold. */
  readonly measureS: number;
  /** The control period of both controllers (DNNScaler's 3 s), ms. */
  readonly periodMs: number;
  readonly seed: number;
}

/** The ramp's steps: it starts at a tenth of the rate, where batch 1 is comfortably fast enough. */
export const RAMP_STEPS = 10;

/** A request's share of rejections (queue full) above which a rate counts as not sustained. */
export const MAX_REJECTED_SHARE = 0.01;

/** The queue holds this many L's worth of work at the ceiling rate before refusing (keeps overload cheap). */
const QUEUE_TARGETS = 10;

export interface ControllerRun {
  readonly controller: ControllerName;
  readonly rateRps: number;
  /** Of completed requests arriving in the judged window, ms. */
  readonly meanMs: number;
  readonly p95Ms: number;
  readonly judged: number;
  /** Refused with a full queue in the judged window, over the window's arrivals. */
  readonly rejectedShare: number;
  /** mean ≤ L and rejections within MAX_REJECTED_SHARE. */
  readonly sustained: boolean;
  /** Over the whole run: every request has exactly one outcome. */
  readonly requests: number;
  readonly outcomes: SimulationResult['outcomes'];
  readonly outcomeLines: number;
  /** Knob values in force at the end, and over time (one point per control tick, from t = 0). */
  readonly finalBatch: number;
  readonly finalInstances: number;
  readonly knobs: readonly KnobPoint[];
  /**
   * The first time the controller cut its knob (a smaller batch or fewer instances), with the mean and
   * p95 latency of the control period that decision judged; undefined when it never cut.
   */
  readonly firstCut:
    { readonly tS: number; readonly judgedMeanMs: number; readonly judgedP95Ms: number } | undefined;
  /** Per second: arrivals, and the mean latency of the requests finishing in it (ms; NaN when none). */
  readonly seconds: readonly SecondPoint[];
}

export interface KnobPoint {
  readonly tS: number;
  readonly batch: number;
  readonly instances: number;
}

export interface SecondPoint {
  readonly tS: number;
  readonly arrivals: number;
  readonly meanMs: number;
}

/** DNNScaler's profiler verdict on the case's allocation at its target (ρ = 0.9, the planning model's). */
export function caseVerdict(kase: DnnscalerCase): DnnscalerVerdict | undefined {
  return dnnscalerVerdict({
    module: kase.module,
    variant: kase.variant,
    hardware: kase.hardware,
    totalCores: kase.totalCores,
    targetMs: kase.targetMs,
    rho: kase.problem.utilisationCap ?? 0.9,
  });
}

/** The planner standing for `controller` on `kase`; both start at batch 1. */
export function controllerPlanner(
  kase: DnnscalerCase,
  controller: ControllerName,
  periodMs: number,
): PlannerEntry {
  if (controller === 'clipper') return clipperPlanner;
  const approach = caseVerdict(kase)?.approach ?? 'batching';
  const model = kase.variant.latency[kase.hardware.name];
  const colocate = approach === 'co-location' && model !== undefined;
  return dnnscalerOnlinePlanner({
    module: kase.module,
    variant: kase.variant,
    hardware: kase.hardware,
    totalCores: kase.totalCores,
    controller: {
      approach,
      targetMs: kase.targetMs,
      maxBatch: kase.module.maxBatch,
      maxInstances: colocate ? kase.colocatedInstances : 1,
      ...(colocate
        ? { estimatedLatencyMs: colocationEstimatesMs(model, kase.totalCores, kase.colocatedInstances) }
        : {}),
      initialBatch: 1,
      periodMs,
    },
  });
}

/** The ramp-and-hold segments for `rateRps`. */
export function loadSegments(rateRps: number, settings: RunSettings): RateSegment[] {
  const ramp = Array.from({ length: RAMP_STEPS }, (_, i) => ({
    rateRps: (rateRps * (i + 1)) / RAMP_STEPS,
    durationS: settings.rampS / RAMP_STEPS,
  }));
  return [...ramp, { rateRps, durationS: settings.holdS }];
}

/** Runs `controller` on `kase` at `rateRps` (deterministic for the settings' seed). */
export function runController(
  kase: DnnscalerCase,
  controller: ControllerName,
  rateRps: number,
  settings: RunSettings,
  solver: Solver,
): ControllerRun {
  const segments = loadSegments(rateRps, settings);
  const arrivals = [...rateArrivals(segments, SeededRng.stream(settings.seed, 'arrivals'))].map((atMs) => ({
    atMs,
  }));
  const maxQueueLength =
    Math.ceil((QUEUE_TARGETS * kase.targetMs * kase.ceilingRps) / 1000) + 4 * kase.module.maxBatch;
  const planner = controllerPlanner(kase, controller, settings.periodMs);
  // The first plan, made here so its knobs start the trace; the run starts from this very plan.
  const first = planner.plan(kase.problem, { solver });
  const start = first.modules[0]?.tuples[0];
  const result = runSimulation({
    problem: kase.problem,
    arrivals: new Map([['serve', arrivals]]),
    planner,
    solver,
    fixedPlan: first,
    forecasters: new Map(),
    control: {
      intervalMs: settings.periodMs,
      // Neither controller is held back by the loop's own damping: every decision is applied.
      scaleDownStabilisationMs: 0,
      maxChangesPerMinute: 60,
      budgetClasses: 0,
    },
    batching: { policy: 'fifo', admission: 'serve', maxQueueDelayMs: 0, maxQueueLength },
    dispatch: 'batch',
    startMs: kase.startMs,
    resizeMs: kase.resizeMs,
    spread: kase.spread,
    seed: settings.seed,
    eventLog: true,
  });
  const endMs = segments.reduce((s, g) => s + g.durationS, 0) * 1000;
  const startKnob = { tS: 0, batch: start?.batch ?? 1, instances: start?.instances ?? 1 };
  return measure(
    kase,
    controller,
    rateRps,
    result,
    startKnob,
    settings.periodMs,
    endMs - settings.measureS * 1000,
    endMs,
  );
}

const OUTCOME = /^(\S+) (completed|rejected|expired|failed) (\d+) (\S+)/;
const TUPLE = /: (\d+)x \S+ \S+c b(\d+)$/;

function measure(
  kase: DnnscalerCase,
  controller: ControllerName,
  rateRps: number,
  result: SimulationResult,
  startKnob: KnobPoint,
  periodMs: number,
  fromMs: number,
  toMs: number,
): ControllerRun {
  const judgedMs: number[] = [];
  let arrivedInWindow = 0;
  let rejectedInWindow = 0;
  let outcomeLines = 0;
  const bySecond = new Map<number, { n: number; sum: number }>();
  const byPeriod = new Map<number, number[]>();
  for (const line of result.eventLog ?? []) {
    const m = OUTCOME.exec(line);
    if (m === null) continue;
    outcomeLines += 1;
    const finishedMs = Number(m[1]);
    const latencyMs = Number(m[4]);
    const arrivedMs = finishedMs - latencyMs;
    const inWindow = arrivedMs >= fromMs && arrivedMs < toMs;
    if (inWindow) arrivedInWindow += 1;
    if (m[2] === 'completed') {
      if (inWindow) judgedMs.push(latencyMs);
      const s = Math.floor(finishedMs / 1000);
      const bin = bySecond.get(s) ?? { n: 0, sum: 0 };
      bin.n += 1;
      bin.sum += latencyMs;
      bySecond.set(s, bin);
      const k = Math.floor(finishedMs / periodMs);
      const period = byPeriod.get(k) ?? [];
      period.push(latencyMs);
      byPeriod.set(k, period);
    } else if (inWindow) {
      rejectedInWindow += 1;
    }
  }
  judgedMs.sort((a, b) => a - b);
  const meanMs = judgedMs.length === 0 ? Number.POSITIVE_INFINITY : mean(judgedMs);
  const rejectedShare = arrivedInWindow === 0 ? 0 : rejectedInWindow / arrivedInWindow;
  const knobs: KnobPoint[] = [startKnob];
  for (const d of result.decisions) {
    if (d.outcome !== 'applied' && d.outcome !== 'unchanged') continue;
    const t = TUPLE.exec(d.plan.tuples[0] ?? '');
    if (t === null) continue;
    knobs.push({ tS: d.atMs / 1000, instances: Number(t[1]), batch: Number(t[2]) });
  }
  const last = knobs[knobs.length - 1];
  const cutAt = knobs.findIndex(
    (k, i) => i > 0 && (k.batch < (knobs[i - 1]?.batch ?? 0) || k.instances < (knobs[i - 1]?.instances ?? 0)),
  );
  const cut = knobs[cutAt];
  // The decision at t judged the completions of the period ending at t.
  const judged = cut === undefined ? undefined : byPeriod.get(Math.round((cut.tS * 1000) / periodMs) - 1);
  const firstCut =
    cut === undefined || judged === undefined || judged.length === 0
      ? undefined
      : {
          tS: cut.tS,
          judgedMeanMs: mean(judged),
          judgedP95Ms: percentile(
            [...judged].sort((a, b) => a - b),
            0.95,
          ),
        };
  return {
    controller,
    rateRps,
    meanMs,
    p95Ms: judgedMs.length === 0 ? Number.POSITIVE_INFINITY : percentile(judgedMs, 0.95),
    judged: judgedMs.length,
    rejectedShare,
    sustained: judgedMs.length > 0 && meanMs <= kase.targetMs && rejectedShare <= MAX_REJECTED_SHARE,
    requests: result.requests,
    outcomes: result.outcomes,
    outcomeLines,
    finalBatch: last?.batch ?? 1,
    finalInstances: last?.instances ?? 1,
    knobs,
    firstCut,
    seconds: result.series.map((p) => {
      const bin = bySecond.get(Math.round(p.tS));
      return { tS: p.tS, arrivals: p.arrivals, meanMs: bin === undefined ? Number.NaN : bin.sum / bin.n };
    }),
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
