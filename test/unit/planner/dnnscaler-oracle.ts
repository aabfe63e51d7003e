// Brute force of DNNScaler's own formulation for a one-app, one-module problem: on the running variant
// and cpu kind (else the first), with C = the core budget (else the hardware's maxCores), every batching
// knob (one instance on the largest core option within C, any batch option) and every co-location knob
// (k instances of c cores at batch 1, c a core option with k·c = C, k within the instance limit); each
// one's throughput is n·μ·ρ when its batches fill within the worst request budget, else 0. The approach
// with the higher best throughput wins (batching on a tie; the smaller knob within an approach).
import { estimateLatencyMs } from '../../../src/core/latency-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  utilisationCapOf,
  type PlanningProblem,
} from '../../../src/planner/planning-problem.js';
import { carries, spongeOraclePlacement } from './sponge-oracle.js';

export interface DnnscalerOracleResult {
  readonly approach: 'batching' | 'co-location';
  readonly instances: number;
  readonly cores: number;
  readonly batch: number;
  readonly throughputRps: number;
  /** Whether a plan on this knob meets the problem (whole rate unless max-throughput; cost budget). */
  readonly feasible: boolean;
  /** Cost ($/h) for min-cost, served req/s for max-throughput. */
  readonly objectiveValue: number;
}

const EPS = 1e-9;

export function dnnscalerOracle(problem: PlanningProblem): DnnscalerOracleResult | undefined {
  const app = problem.apps[0];
  const module = problem.modules[0];
  const placement = spongeOraclePlacement(problem);
  if (app === undefined || module === undefined || placement === undefined) return undefined;
  const { variant, hardware } = placement;
  const model = variant.latency[hardware.name];
  if (model === undefined) return undefined;
  const budgetMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
  const rho = utilisationCapOf(problem);
  const totalCores = problem.budget?.cores ?? hardware.maxCores;
  const options = coreOptionsOf(hardware);
  const throughput = (n: number, c: number, b: number): number => {
    const l = estimateLatencyMs(model, b, c);
    const capacity = (n * rho * 1000 * b) / l;
    return carries(n, b, l, rho, capacity, budgetMs) ? capacity : 0;
  };
  type Knob = { instances: number; cores: number; batch: number; throughputRps: number };
  const best = (knobs: Knob[]): Knob | undefined =>
    knobs.reduce<Knob | undefined>(
      (a, k) => (k.throughputRps > 0 && (a === undefined || k.throughputRps > a.throughputRps) ? k : a),
      undefined,
    );
  const batchCores = Math.max(...options.filter((c) => c <= totalCores + EPS));
  const batching = Number.isFinite(batchCores)
    ? best(
        batchOptionsOf(module).map((b) => ({
          instances: 1,
          cores: batchCores,
          batch: b,
          throughputRps: throughput(1, batchCores, b),
        })),
      )
    : undefined;
  const colocation = best(
    [...options]
      .reverse()
      .map((c) => ({ c, k: totalCores / c }))
      .filter(
        ({ k }) =>
          Math.abs(k - Math.round(k)) <= 1e-6 * k && Math.round(k) <= (hardware.maxInstances ?? Infinity),
      )
      .map(({ c, k }) => ({
        instances: Math.round(k),
        cores: c,
        batch: 1,
        throughputRps: throughput(Math.round(k), c, 1),
      })),
  );
  const coLocate =
    colocation !== undefined && (batching === undefined || colocation.throughputRps > batching.throughputRps);
  const knob = coLocate ? colocation : batching;
  if (knob === undefined) return undefined;
  const costPerHour = knob.instances * knob.cores * hardware.pricePerHour;
  const withinCost =
    problem.budget?.costPerHour === undefined || costPerHour <= problem.budget.costPerHour * (1 + 1e-6);
  const maxThroughput = problem.objective.kind === 'max-throughput';
  const carried = knob.throughputRps >= app.rateRps * (1 - 1e-6);
  return {
    approach: coLocate ? 'co-location' : 'batching',
    ...knob,
    feasible: withinCost && (maxThroughput || carried),
    objectiveValue: maxThroughput ? Math.min(app.rateRps, knob.throughputRps) : costPerHour,
  };
}
