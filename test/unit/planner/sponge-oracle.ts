// Brute force of Sponge's own formulation for a one-app, one-module problem: on the running variant
// (else the first) and the running cpu kind (else the first cpu kind with a latency model), the
// lexicographically smallest (instances n, cores c, batch b) such that n instances carry the whole rate
// at the utilisation cap, batches fill within the worst request budget when dummies pad the stream to
// capacity, and the hardware's instance limit and the core and cost budgets hold. Written from the
// planning model's formulas, not from the planner's code.
import { estimateLatencyMs } from '../../../src/core/latency-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  utilisationCapOf,
  type HardwareSpec,
  type PlanningProblem,
} from '../../../src/planner/planning-problem.js';

export interface OracleTuple {
  readonly variant: string;
  readonly hardware: string;
  readonly instances: number;
  readonly cores: number;
  readonly batch: number;
  readonly costPerHour: number;
}

const EPS = 1e-9;

/** Sponge's placement rule: running variant and cpu kind, else the first of each. */
export function spongeOraclePlacement(
  problem: PlanningProblem,
): { variant: PlanningProblem['modules'][number]['variants'][number]; hardware: HardwareSpec } | undefined {
  const module = problem.modules[0];
  if (module === undefined) return undefined;
  const running = problem.current?.modules.find((m) => m.name === module.name)?.tuples[0];
  const variant = module.variants.find((v) => v.name === running?.variant) ?? module.variants[0];
  if (variant === undefined) return undefined;
  const cpuWithModel = problem.hardware.filter(
    (h) => h.kind === 'cpu' && variant.latency[h.name] !== undefined,
  );
  const hardware = cpuWithModel.find((h) => h.name === running?.hardware) ?? cpuWithModel[0];
  return hardware === undefined ? undefined : { variant, hardware };
}

/** Whether n instances of (c, b) with batch latency l carry `rateRps` within `budgetMs` at ρ. */
export function carries(
  n: number,
  b: number,
  l: number,
  rho: number,
  rateRps: number,
  budgetMs: number,
): boolean {
  const capacityRps = (n * rho * 1000 * b) / l;
  if (rateRps > capacityRps * (1 + EPS)) return false;
  const fillMs = b <= 1 ? 0 : (1000 * (b - 1)) / capacityRps;
  return fillMs + l <= budgetMs * (1 + EPS);
}

/** Sponge's optimum, or undefined when nothing is feasible. */
export function spongeOracle(problem: PlanningProblem): OracleTuple | undefined {
  const app = problem.apps[0];
  const module = problem.modules[0];
  const placement = spongeOraclePlacement(problem);
  if (app === undefined || module === undefined || placement === undefined) return undefined;
  const { variant, hardware } = placement;
  const model = variant.latency[hardware.name];
  if (model === undefined) return undefined;
  const budgetMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
  const rho = utilisationCapOf(problem);
  const cores = coreOptionsOf(hardware);
  const batches = batchOptionsOf(module);
  if (!cores.some((c) => batches.some((b) => estimateLatencyMs(model, b, c) <= budgetMs * (1 + EPS))))
    return undefined;
  const mostInstances = hardware.maxInstances ?? 5000;
  for (let n = 1; n <= mostInstances; n++) {
    // Past this count every configuration is over the core or cost budget.
    const fewestCores = n * (cores[0] ?? 1);
    if (problem.budget?.cores !== undefined && fewestCores > problem.budget.cores * (1 + EPS))
      return undefined;
    if (
      problem.budget?.costPerHour !== undefined &&
      fewestCores * hardware.pricePerHour > problem.budget.costPerHour * (1 + EPS)
    )
      return undefined;
    for (const c of cores) {
      const costPerHour = n * c * hardware.pricePerHour;
      if (problem.budget?.cores !== undefined && n * c > problem.budget.cores * (1 + EPS)) continue;
      if (problem.budget?.costPerHour !== undefined && costPerHour > problem.budget.costPerHour * (1 + EPS))
        continue;
      for (const b of batches) {
        const l = estimateLatencyMs(model, b, c);
        if (carries(n, b, l, rho, app.rateRps, budgetMs))
          return {
            variant: variant.name,
            hardware: hardware.name,
            instances: n,
            cores: c,
            batch: b,
            costPerHour,
          };
      }
    }
  }
  return undefined;
}
