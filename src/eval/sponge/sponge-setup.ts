/**
 * What the Sponge experiment runs (papers.md §1): the full ResNet-50 profiled on this machine, a
 * Twitter slice with Sponge's per-request budgets from the 4G bus log, and the policies compared, each
 * with the reading of the system it stands for. Everything here is data; `sponge-runs.ts` runs it.
 */
import { readFileSync } from 'node:fs';
import type { ControlLoopOptions } from '../../control/control-loop.js';
import { estimateLatencyMs, type LatencyModel } from '../../core/latency-model.js';
import type { Profile } from '../../core/profile.js';
import { spongePlanner } from '../../planner/sponge/sponge-planner.js';
import type { HardwareSpec, PlanningModule, PlanningProblem } from '../../planner/planning-problem.js';
import { moduleFromProfiles } from '../../planner/problem-from-profiles.js';
import type { Solver } from '../../ports/solver.js';
import type { Plan } from '../../planner/plan.js';
import type { Scenario } from '../../sim/scenario.js';
import { TwitterTrace } from '../../sim/workload/twitter-trace.js';
import { parseWorkloadSpec } from '../../sim/workload/workload-spec.js';

/** The variant profiled here that stands in for Sponge's YOLOv5 (see `SPONGE_MODEL_CHOICE`). */
export const SPONGE_VARIANT = 'resnet50';
export const SPONGE_MODEL_CHOICE =
  'ResNet-50 stands in for Sponge’s YOLOv5 rather than ResNet-18: at about 100 ms per image on one ' +
  'core it is as costly as a small YOLOv5 on CPU, so a few dozen requests per second need several ' +
  'cores, where ResNet-18 (40 ms) would carry this slice on one or two.';
/** End-to-end SLO, ms (Sponge's). */
export const SPONGE_SLO_MS = 1000;
/** Image payloads uploaded over the bus log, KB (Sponge's 100–500 KB). */
export const SPONGE_PAYLOAD_KB: readonly [number, number] = [100, 500];
/** Largest instance, cores. */
export const SPONGE_MAX_CORES = 16;
/** Largest batch. */
export const SPONGE_MAX_BATCH = 8;
/**
 * In-place resize of ResNet-50 to full effect, ms: BENCHMARKS.md, "quota only" (cgroup quota written,
 * intra-op threads kept), measured here; the profile predates that field.
 */
export const SPONGE_RESIZE_MS = 169;
/** The damping of IPA's Twitter configurations (traces README §1): every count ÷ 8. */
export const SPONGE_DAMPING = 8;
/** Day 15, minutes 82–103: InfAdapter's slice (27–274 req/s raw), with its step at minute 92. */
export const FULL_WORKLOAD = `twitter:15.01.22:15.01.43:${SPONGE_DAMPING}`;
/** 150 s of the same slice around its step (second 1,301,547), for the quick run. */
export const QUICK_WORKLOAD = `twitter:1301480:1301630:${SPONGE_DAMPING}`;
export const FULL_SEEDS: readonly number[] = [1, 2, 3];
export const QUICK_SEEDS: readonly number[] = [1];
/** The app's name in the problem and scenarios. */
export const SPONGE_APP = 'classify';

export interface SpongePolicy {
  /** Row label and chart series name. */
  readonly id: string;
  /** The planner run (`plannerByName`). */
  readonly planner: string;
  /** What it stands for and how it is configured, one sentence (with sources). */
  readonly reading: string;
  /** True for a row that varies Sponge's own settings rather than a baseline. */
  readonly sensitivity?: boolean;
  readonly scenario: Pick<Scenario, 'forecaster' | 'control'>;
  /** The problem's rate for the first plan: `start` (the slice's first 10 s) or `peak`. */
  readonly initialRate: 'start' | 'peak';
  /** Start from Sponge's own plan for the peak rate (and keep it: the static planner never changes it). */
  readonly fromPeakPlan?: boolean;
}

const SPONGE_CONTROL: ControlLoopOptions = {
  intervalMs: 1000,
  scaleDownStabilisationMs: 0,
  maxChangesPerMinute: 60,
};

export const SPONGE_POLICIES: readonly SpongePolicy[] = [
  {
    id: 'sponge',
    planner: 'sponge',
    reading:
      'Sponge as published (papers.md §1): every 1 s, the fewest cores then the smallest batch of one ' +
      'instance that carry the last second’s rate within the worst budget seen, applied at once by an ' +
      'in-place resize (no forecaster, no scale-down stabilisation, no cap on changes); EDF queue and ' +
      'deadline-aware batching.',
    scenario: { forecaster: 'none', control: SPONGE_CONTROL },
    initialRate: 'start',
  },
  {
    id: 'sponge + window-max',
    planner: 'sponge',
    sensitivity: true,
    reading:
      'The same planner under Sluice’s default loop: plans for the highest rate of the last 60 s + 10% ' +
      '(window-max), scales down only after 30 s, at most 12 changes a minute.',
    scenario: { forecaster: { name: 'window-max' }, control: { intervalMs: 1000 } },
    initialRate: 'start',
  },
  {
    id: 'hpa',
    planner: 'hpa',
    reading:
      'Kubernetes HPA, Sponge’s “FA2”: 1-core replicas at batch 1; every 15 s sync, ' +
      '⌈replicas × utilisation / 80%⌉ from the CPU usage of the last period, 10% tolerance, scale-up ' +
      'capped at double or +4 pods, the highest recommendation of the last 300 s on scale-down ' +
      '(kubernetes.io “Horizontal Pod Autoscaling”: sync period, algorithm details, default behaviour; ' +
      '80% is autoscaling/v1’s default target); each new replica pays the profiled cold start.',
    scenario: { forecaster: 'none', control: { intervalMs: 15_000, scaleDownStabilisationMs: 300_000 } },
    initialRate: 'start',
  },
  {
    id: 'vpa',
    planner: 'vpa',
    reading:
      'Kubernetes VPA (Recreate mode): one pod at batch 1; every minute (the recommender’s default ' +
      'interval) its cores become the p90 of the last 5 minutes’ CPU usage + 15%, rounded up, applied by ' +
      'restarting the pod (cold start).',
    scenario: { forecaster: 'none', control: { intervalMs: 60_000, scaleDownStabilisationMs: 0 } },
    initialRate: 'start',
  },
  {
    id: 'static-peak',
    planner: 'static',
    reading:
      'The static planner given the slice’s peak rate: its default configuration (the largest instance, ' +
      'the largest batch that fits the SLO, as many instances as the peak needs), never changed.',
    scenario: {},
    initialRate: 'peak',
  },
  {
    id: 'static-min',
    planner: 'static',
    reading:
      'The least peak provisioning: Sponge’s own plan for the peak rate (the fewest cores of one instance ' +
      'that carry it), held for the whole run.',
    scenario: {},
    initialRate: 'peak',
    fromPeakPlan: true,
  },
];

export interface SpongeSetup {
  readonly profile: Profile;
  readonly module: PlanningModule;
  readonly hardware: HardwareSpec;
  readonly workload: string;
  readonly seeds: readonly number[];
  readonly trace: TwitterTrace;
  readonly busLog: string;
  /** The slice's requests per second, damped, gaps skipped. */
  readonly countsRps: Int32Array;
  /** Mean of the slice's first 10 s, req/s: the rate the adaptive policies start from. */
  readonly startRps: number;
  readonly peakRps: number;
  /** Cold start of a new instance, ms (the profile's). */
  readonly coldStartMs: number;
  readonly latency: LatencyModel;
}

/** The profile, trace slice and workload of the quick or the full run. */
export function spongeSetup(
  quick: boolean,
  shared: (path: string) => string,
  profileText = readFileSync(
    new URL(`../../../experiments/profiles/resnet-full/${SPONGE_VARIANT}.json`, import.meta.url),
    'utf8',
  ),
): SpongeSetup {
  const profile = JSON.parse(profileText) as Profile;
  const module = moduleFromProfiles(profile.module, [profile], { maxBatch: SPONGE_MAX_BATCH });
  const latency = module.variants[0]?.latency[profile.hardware.name];
  if (latency === undefined) throw new Error(`sponge: the ${SPONGE_VARIANT} profile has no latency model`);
  const hardware: HardwareSpec = {
    name: profile.hardware.name,
    kind: 'cpu',
    pricePerHour: 1,
    maxCores: SPONGE_MAX_CORES,
  };
  const workload = quick ? QUICK_WORKLOAD : FULL_WORKLOAD;
  const trace = TwitterTrace.parse(shared('traces/twitter-2021-08-rps.txt'));
  const spec = parseWorkloadSpec(workload);
  if (spec.kind !== 'twitter') throw new Error(`sponge: ${workload} is not a Twitter slice`);
  const { countsRps } = trace.slice(spec);
  const first = Array.from(countsRps.subarray(0, 10));
  return {
    profile,
    module,
    hardware,
    workload,
    seeds: quick ? QUICK_SEEDS : FULL_SEEDS,
    trace,
    busLog: shared('traces/report_bus_0001.log'),
    countsRps,
    startRps: first.reduce((a, b) => a + b, 0) / Math.max(1, first.length),
    peakRps: Math.max(...countsRps),
    coldStartMs: profile.coldStart?.coldStartMs ?? module.variants[0]?.loadMs ?? 0,
    latency,
  };
}

/** The planning problem a policy starts from: one app, one module, one cpu kind of up to 16 cores. */
export function spongeProblem(setup: SpongeSetup, policy: SpongePolicy, solver: Solver): PlanningProblem {
  const rateRps = policy.initialRate === 'peak' ? setup.peakRps : setup.startRps;
  const problem: PlanningProblem = {
    objective: { kind: 'min-cost' },
    hardware: [setup.hardware],
    modules: [setup.module],
    apps: [{ name: SPONGE_APP, modules: [setup.module.name], edges: [], sloMs: SPONGE_SLO_MS, rateRps }],
  };
  if (policy.fromPeakPlan !== true) return problem;
  return { ...problem, current: peakPlan(problem, solver) };
}

function peakPlan(problem: PlanningProblem, solver: Solver): Plan {
  const plan = spongePlanner.plan(problem, { solver });
  if (plan.modules.length === 0) throw new Error(`sponge: no plan for the peak: ${plan.reason}`);
  return plan;
}

/** l(b, c) of the profiled variant, ms. */
export function latencyMs(setup: SpongeSetup, batch: number, cores: number): number {
  return estimateLatencyMs(setup.latency, batch, cores);
}
