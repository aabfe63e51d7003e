// The oracle for the InfAdapter planner: its formulation solved by brute force. Every assignment of
// (nothing, or one allocation: cpu hardware and core option) to every variant of every app, within the
// core, cost and instance budgets; given the chosen allocations the traffic split is greedy (fill the most
// accurate variants first, up to capacity), which is optimal for a linear objective with capacity limits;
// each candidate plan is valued by assemblePlan (objectiveValueOf) and the best kept.
import type { PlanModule, PlanTuple } from '../../../src/planner/plan.js';
import {
  assemblePlan,
  dummyRpsNeeded,
  tupleCapacityRps,
  tupleLatencyMs,
} from '../../../src/planner/planning-model.js';
import {
  batchOptionsOf,
  coreOptionsOf,
  tupleCostPerHour,
  utilisationCapOf,
  type PlanningProblem,
  type PlanningVariant,
} from '../../../src/planner/planning-problem.js';

interface Allocation {
  readonly hardware: number;
  readonly cores: number;
  readonly batch: number;
  readonly latencyMs: number;
  readonly capacityRps: number;
  readonly costPerHour: number;
}

interface Slot {
  readonly app: number;
  readonly variant: PlanningVariant;
  /** Index 0 is "not used". */
  readonly options: readonly (Allocation | undefined)[];
}

export interface BruteForceResult {
  readonly feasible: boolean;
  /** The best objective value (max for accuracy-cost, min for min-cost); NaN when infeasible. */
  readonly objectiveValue: number;
  /** Per app, the most any budget-feasible assignment's allocations carry (Σ cap of its variants). */
  readonly mostCarriedRps: readonly number[];
  /** Assignments valued by assemblePlan. */
  readonly evaluated: number;
}

/** The InfAdapter formulation of `problem` (one-module apps, accuracy-cost or min-cost) by enumeration. */
export function bruteForceInfadapter(problem: PlanningProblem): BruteForceResult {
  const rho = utilisationCapOf(problem);
  const maximise = problem.objective.kind === 'accuracy-cost';
  const slots: Slot[] = [];
  const budgets = problem.apps.map((app) =>
    Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs)),
  );
  for (const [a, app] of problem.apps.entries()) {
    const module = problem.modules.find((m) => m.name === app.modules[0])!;
    const budgetMs = budgets[a]!;
    for (const variant of module.variants) {
      const options: (Allocation | undefined)[] = [undefined];
      for (const [h, hardware] of problem.hardware.entries()) {
        if (hardware.kind !== 'cpu' || variant.latency[hardware.name] === undefined) continue;
        for (const cores of coreOptionsOf(hardware)) {
          let best: Allocation | undefined;
          for (const batch of batchOptionsOf(module)) {
            const latencyMs = tupleLatencyMs(variant, hardware.name, batch, cores)!;
            const capacityRps = tupleCapacityRps(latencyMs, batch, 1, rho, budgetMs);
            if (best === undefined || capacityRps > best.capacityRps)
              best = {
                hardware: h,
                cores,
                batch,
                latencyMs,
                capacityRps,
                costPerHour: tupleCostPerHour(hardware, cores, 1),
              };
          }
          if (best !== undefined) options.push(best);
        }
      }
      slots.push({ app: a, variant, options });
    }
  }
  const pick = slots.map(() => 0);
  let bestValue = Number.NaN;
  let evaluated = 0;
  const mostCarriedRps = problem.apps.map(() => 0);
  for (;;) {
    const chosen = slots.map((s, i) => s.options[pick[i]!]);
    if (withinBudgets(problem, chosen)) {
      const capacity = problem.apps.map(() => 0);
      for (const [i, c] of chosen.entries()) if (c !== undefined) capacity[slots[i]!.app]! += c.capacityRps;
      for (const [a, cap] of capacity.entries()) mostCarriedRps[a] = Math.max(mostCarriedRps[a]!, cap);
      if (problem.apps.every((app, a) => capacity[a]! >= app.rateRps)) {
        const value = valueOf(problem, slots, chosen, budgets);
        evaluated++;
        if (Number.isNaN(bestValue) || (maximise ? value > bestValue : value < bestValue)) bestValue = value;
      }
    }
    let i = 0;
    while (i < slots.length && ++pick[i]! >= slots[i]!.options.length) pick[i++] = 0;
    if (i === slots.length) break;
  }
  return { feasible: !Number.isNaN(bestValue), objectiveValue: bestValue, mostCarriedRps, evaluated };
}

function withinBudgets(problem: PlanningProblem, chosen: readonly (Allocation | undefined)[]): boolean {
  let cores = 0;
  let cost = 0;
  const instances = problem.hardware.map(() => 0);
  for (const c of chosen) {
    if (c === undefined) continue;
    cores += c.cores;
    cost += c.costPerHour;
    instances[c.hardware]!++;
  }
  if (problem.budget?.cores !== undefined && cores > problem.budget.cores) return false;
  if (problem.budget?.costPerHour !== undefined && cost > problem.budget.costPerHour) return false;
  return problem.hardware.every((h, i) => h.maxInstances === undefined || instances[i]! <= h.maxInstances);
}

/** The chosen allocations with the greedy split, valued through assemblePlan (which must find it feasible). */
function valueOf(
  problem: PlanningProblem,
  slots: readonly Slot[],
  chosen: readonly (Allocation | undefined)[],
  budgets: readonly number[],
): number {
  const modules: PlanModule[] = problem.apps.map((app, a) => {
    const mine = slots
      .map((s, i) => ({ slot: s, allocation: chosen[i] }))
      .filter((x) => x.slot.app === a && x.allocation !== undefined)
      .sort((x, y) => y.slot.variant.accuracy - x.slot.variant.accuracy);
    let left = app.rateRps;
    const tuples: PlanTuple[] = mine.map(({ slot, allocation }) => {
      const c = allocation!;
      const rateRps = Math.min(left, c.capacityRps);
      left -= rateRps;
      const dummy = rateRps > 0 ? dummyRpsNeeded(c.latencyMs, c.batch, budgets[a]!, rateRps) : 0;
      return {
        variant: slot.variant.name,
        hardware: problem.hardware[c.hardware]!.name,
        cores: c.cores,
        batch: c.batch,
        instances: 1,
        rateRps,
        dummyRps: Math.min(Math.max(0, c.capacityRps - rateRps), dummy),
      };
    });
    return { name: app.modules[0]!, budgetMs: budgets[a]!, tuples };
  });
  const plan = assemblePlan(problem, 'oracle', { modules, reason: 'brute force' });
  if (!plan.feasible) throw new Error(`the oracle built an infeasible plan: ${plan.reason}`);
  return plan.objectiveValue;
}
