/**
 * Does the simulator's single-server model reproduce InfAdapter's measured capacities? InfAdapter measured,
 * per variant and core count, the highest Poisson rate whose p99 stayed within the SLA (binary search,
 * 16-s runs). Here the same search runs against the simulator: one instance of the variant at those cores,
 * batch 1, the imported service time (1000 / saturation_tp ms per request, one request at a time), every
 * request served however late (admission `serve`: a load test measures, it does not refuse). Beside it: the
 * capacity Sluice's planner assumes (ρ · 1000 / l(1, c), ρ = 0.9) and InfAdapter's own model, the measured
 * capacities fitted linearly in cores and derated, 0.8 · (a · n + b).
 */
import type { Profile } from '../../core/profile.js';
import { assembleFixedPlan } from '../../planner/baselines/assemble-fixed-plan.js';
import { tupleCapacityRps, tupleLatencyMs } from '../../planner/planning-model.js';
import type { PlanningProblem } from '../../planner/planning-problem.js';
import type { Solver } from '../../ports/solver.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { compileScenario } from '../../sim/scenario.js';
import { INFADAPTER_BUDGET_CORES, INFADAPTER_SLO_MS, type ProfileSource } from './profile-sources.js';

/** InfAdapter's measurement protocol: 16-s runs. */
const RUN_S = 16;
/** Halvings of the search interval [0, 1.5 · saturation]: a resolution of 0.6% of saturation. */
const SEARCH_STEPS = 8;
const SEARCH_CEILING = 1.5;
/** InfAdapter's derating of its fitted capacity. */
const INFADAPTER_DERATE = 0.8;
const RHO = 0.9;

export interface CapacityCheckPoint {
  readonly variant: string;
  readonly cores: number;
  /** The file's capacity at the SLO; undefined where no tested rate met it. */
  readonly measuredRps: number | undefined;
  /** The pod's saturation throughput (the file's saturation_tp). */
  readonly saturationRps: number;
  /** The highest rate whose simulated p99 stayed within the SLO. */
  readonly simulatedRps: number;
  /** The simulated p99 at the measured capacity, ms; undefined without one. */
  readonly simulatedP99AtMeasuredMs: number | undefined;
  /** What Sluice's planning model lets one instance carry. */
  readonly plannedRps: number;
  /** InfAdapter's own capacity model, 0.8 · (a · n + b). */
  readonly infadapterModelRps: number;
}

/** The check at each of `points` (variant name and cores) of `source` (the measured capacities). */
export function capacityCheck(
  source: ProfileSource,
  points: readonly { readonly variant: string; readonly cores: number }[],
  solver: Solver,
  seed: number,
): CapacityCheckPoint[] {
  return points.map(({ variant, cores }) => {
    const profile = source.profiles.find((p) => p.variant === variant);
    const planning = source.module.variants.find((v) => v.name === variant);
    if (profile === undefined || planning === undefined)
      throw new Error(`capacity check: no variant '${variant}' in ${source.key}`);
    const saturationRps = profile.points.find((p) => p.cores === cores)?.throughputRps ?? 0;
    const measuredRps = profile.capacity?.points.find((p) => p.cores === cores)?.rateRps;
    const p99At = (rateRps: number): number => simulatedP99Ms(source, variant, cores, rateRps, solver, seed);
    let lo = 0;
    let hi = SEARCH_CEILING * saturationRps;
    for (let i = 0; i < SEARCH_STEPS; i++) {
      const mid = (lo + hi) / 2;
      if (p99At(mid) <= INFADAPTER_SLO_MS) lo = mid;
      else hi = mid;
    }
    const latencyMs = tupleLatencyMs(planning, source.hardware.name, 1, cores) ?? Infinity;
    const { a, b } = linearFit(profile);
    return {
      variant,
      cores,
      measuredRps,
      saturationRps,
      simulatedRps: lo,
      simulatedP99AtMeasuredMs: measuredRps === undefined ? undefined : p99At(measuredRps),
      plannedRps: tupleCapacityRps(latencyMs, 1, 1, RHO, INFADAPTER_SLO_MS),
      infadapterModelRps: INFADAPTER_DERATE * (a * cores + b),
    };
  });
}

/** p99 in ms of a 16-s Poisson run at `rateRps` against one fixed instance (+∞ when nothing completed). */
function simulatedP99Ms(
  source: ProfileSource,
  variantName: string,
  cores: number,
  rateRps: number,
  solver: Solver,
  seed: number,
): number {
  if (!(rateRps > 0)) return 0;
  const variant = source.module.variants.find((v) => v.name === variantName);
  if (variant === undefined) return Infinity;
  const problem: PlanningProblem = {
    objective: { kind: 'min-cost' },
    budget: { cores: INFADAPTER_BUDGET_CORES },
    hardware: [source.hardware],
    modules: [{ ...source.module, variants: [variant] }],
    apps: [{ name: 'classify', modules: ['resnet'], edges: [], sloMs: INFADAPTER_SLO_MS, rateRps }],
  };
  const fixedPlan = assembleFixedPlan(
    problem,
    'static',
    [
      {
        name: 'resnet',
        budgetMs: INFADAPTER_SLO_MS,
        tuples: [{ variant, hardware: source.hardware, cores, batch: 1, instances: 1 }],
      },
    ],
    'capacity check: one instance, fixed',
  );
  const spec = compileScenario(
    {
      workloads: { classify: `poisson:${rateRps.toFixed(4)}:${RUN_S}` },
      policy: 'static',
      forecaster: 'none',
      batching: { admission: 'serve' },
      seed,
    },
    {
      problem,
      trace: () => {
        throw new Error('capacity check: a Poisson workload reads no trace');
      },
      solver,
    },
  );
  const result = runSimulation({ ...spec, fixedPlan });
  return result.outcomes.completed === 0 ? Infinity : result.latencyMs.p99;
}

/** Least squares of the measured capacities against cores: capacity ≈ a · n + b. */
function linearFit(profile: Profile): { a: number; b: number } {
  const pts = profile.capacity?.points ?? [];
  const n = pts.length;
  if (n === 0) return { a: 0, b: 0 };
  const mx = pts.reduce((s, p) => s + p.cores, 0) / n;
  const my = pts.reduce((s, p) => s + p.rateRps, 0) / n;
  const sxx = pts.reduce((s, p) => s + (p.cores - mx) ** 2, 0);
  const sxy = pts.reduce((s, p) => s + (p.cores - mx) * (p.rateRps - my), 0);
  const a = sxx > 0 ? sxy / sxx : 0;
  return { a, b: my - a * mx };
}
