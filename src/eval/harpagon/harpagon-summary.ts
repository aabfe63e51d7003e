/**
 * The figures of the Harpagon comparison, from the runs: per workload and planner, the planning-model
 * plan (ρ = 0.9, SLO as given) with its cost and how it fared when run, and the cheapest plan reaching
 * the attainment target with its cost, attainment and latency; per workload the cost ratios
 * nexus / harpagon; and the headline: those ratios summarised over the workloads on the main mix.
 * Missing values are `null` (JSON), never NaN.
 */
import type { SimulationResult } from '../../sim/simulation-types.js';
import type { TriedPlan } from './equal-attainment.js';
import { idleCostPerHour, planAnatomy, type ModuleAnatomy } from './plan-anatomy.js';
import { PLANNERS, type PlannerName, type WorkloadRuns } from './harpagon-runs.js';
import type { HarpagonWorkload } from './harpagon-workloads.js';

export interface RunFigures {
  readonly rho: number;
  readonly margin: number;
  readonly feasible: boolean;
  readonly costPerHour: number;
  readonly attainment: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly outcomes: SimulationResult['outcomes'];
  readonly withinSlo: number;
  readonly idleCostPerHour: number;
  readonly modules: readonly ModuleAnatomy[];
}

export interface PlannerFigures {
  readonly modelOnly: RunFigures;
  readonly chosen: RunFigures | null;
  /** Of the chosen plan, run with its module budgets enforced (admission `reject`). */
  readonly chosenAttainmentBudgeted: number | null;
  readonly closestAttainment: number;
  readonly simulations: number;
}

export interface WorkloadFigures {
  readonly name: string;
  readonly kind: HarpagonWorkload['kind'];
  readonly description: string;
  readonly rateRps: number;
  readonly sloMs: number;
  readonly planners: Readonly<Record<PlannerName, PlannerFigures>>;
  /** nexus / harpagon at equal attainment; null when either reached no plan. */
  readonly ratio: number | null;
  /** nexus-dp / harpagon-exact at equal attainment. */
  readonly ratioDpExact: number | null;
  /** nexus / harpagon of the planning model's ρ = 0.9 plans, before simulation. */
  readonly modelOnlyRatio: number | null;
}

export interface RatioSummary {
  readonly count: number;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export interface Headline {
  /** Workloads on the main mix (OCR and random graphs) with a ratio. */
  readonly all: RatioSummary;
  readonly ocr: RatioSummary;
  readonly graphs: RatioSummary;
  readonly ocrCpuOnly: RatioSummary;
  readonly modelOnlyAll: RatioSummary;
  /** Main-mix workloads where either side reached no plan. */
  readonly unresolved: readonly string[];
}

export function workloadFigures(runs: WorkloadRuns): WorkloadFigures {
  const app = runs.workload.problem.apps[0];
  const planners = {} as Record<PlannerName, PlannerFigures>;
  for (const name of PLANNERS) {
    const found = runs.byPlanner[name];
    planners[name] = {
      modelOnly: runFigures(runs.workload, found.modelOnly),
      chosen: found.chosen === undefined ? null : runFigures(runs.workload, found.chosen),
      chosenAttainmentBudgeted: runs.budgetedAttainment[name] ?? null,
      closestAttainment: found.closest.result.attainment,
      simulations: found.simulations,
    };
  }
  const cost = (n: PlannerName): number | undefined => planners[n].chosen?.costPerHour;
  return {
    name: runs.workload.name,
    kind: runs.workload.kind,
    description: runs.workload.description,
    rateRps: app?.rateRps ?? 0,
    sloMs: app?.sloMs ?? 0,
    planners,
    ratio: ratioOf(cost('nexus'), cost('harpagon')),
    ratioDpExact: ratioOf(cost('nexus-dp'), cost('harpagon-exact')),
    modelOnlyRatio: ratioOf(planners.nexus.modelOnly.costPerHour, planners.harpagon.modelOnly.costPerHour),
  };
}

export function headline(workloads: readonly WorkloadFigures[]): Headline {
  const main = workloads.filter((w) => w.kind !== 'ocr-cpu');
  const ratios = (ws: readonly WorkloadFigures[]): number[] =>
    ws.flatMap((w) => (w.ratio === null ? [] : [w.ratio]));
  return {
    all: summarise(ratios(main)),
    ocr: summarise(ratios(workloads.filter((w) => w.kind === 'ocr'))),
    graphs: summarise(ratios(workloads.filter((w) => w.kind === 'graph'))),
    ocrCpuOnly: summarise(ratios(workloads.filter((w) => w.kind === 'ocr-cpu'))),
    modelOnlyAll: summarise(main.flatMap((w) => (w.modelOnlyRatio === null ? [] : [w.modelOnlyRatio]))),
    unresolved: main.filter((w) => w.ratio === null).map((w) => w.name),
  };
}

export function summarise(xs: readonly number[]): RatioSummary {
  if (xs.length === 0) return { count: 0, median: null, min: null, max: null };
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { count: s.length, median, min: s[0] ?? null, max: s[s.length - 1] ?? null };
}

function runFigures(workload: HarpagonWorkload, tried: TriedPlan): RunFigures {
  const r = tried.result;
  const modules = planAnatomy(workload.problem, tried.plan);
  return {
    rho: tried.rho,
    margin: tried.margin,
    feasible: tried.plan.feasible,
    costPerHour: tried.plan.costPerHour,
    attainment: r.attainment,
    p50Ms: r.latencyMs.p50,
    p99Ms: r.latencyMs.p99,
    requests: r.requests,
    outcomes: r.outcomes,
    withinSlo: r.withinSlo,
    idleCostPerHour: idleCostPerHour(modules),
    modules,
  };
}

function ratioOf(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || !(b > 0) || !Number.isFinite(a) ? null : a / b;
}
