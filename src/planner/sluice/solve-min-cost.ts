/**
 * Min-cost: the least $/h serving every app's whole rate.
 *
 * Without budgets that couple tuples (core budget, instance limits), budget classes or query sizes,
 * the exact decomposition (decomposed-solve.ts) solves it with no MILP. With coupling budgets, the
 * decomposition still solves the relaxation without them: when its plan happens to meet them, it is
 * optimal. Otherwise a Lagrangian search (prices on cores and on limited instances, doubled until the
 * decomposition's plan meets the budgets) finds a feasible plan; its cost is a valid cutoff for the
 * MILP (the optimum costs no more) and a valid ceiling for latency-bound instance counts. Should the
 * MILP stop early (the solver's time limit), that plan is returned, marked as not proven optimal.
 */
import type { MilpSolution } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import { decomposable, solveDecomposed } from './decomposed-solve.js';
import type { SluiceCandidate, SluiceCandidates } from './candidate-types.js';
import { sluiceNames } from './sluice-model.js';
import {
  failed,
  fillBound,
  raisesBounds,
  widerCeiling,
  type Regenerate,
  type Run,
  type Stage,
} from './solve-ceilings.js';

/** The min-cost sequence for one group of apps. */
export function solveMinCost(
  initial: SluiceCandidates,
  run: Run,
  regenerate: Regenerate,
  problem: PlanningProblem,
  decompose: boolean,
): Stage {
  const coupling =
    problem.budget?.cores !== undefined || problem.hardware.some((h) => h.maxInstances !== undefined);
  if (!decompose || !decomposable(initial, false))
    return milpMinCost(initial, run, regenerate, problem, undefined);
  const relaxed = decomposedMinCost(initial, regenerate, problem);
  // The branch and bound gave up: the MILP decides.
  if (relaxed.status === 'error') return milpMinCost(initial, run, regenerate, problem, undefined);
  if (relaxed.status !== 'optimal' || !coupling || withinLimits(problem, relaxed.candidates, relaxed.values))
    return relaxed;
  const feasible = lagrangianPlan(problem, initial);
  const exact = milpMinCost(initial, run, regenerate, problem, feasible);
  if (exact.status === 'error' && feasible !== undefined)
    return {
      status: 'optimal',
      candidates: feasible.candidates,
      values: feasible.values,
      note: `the MILP stopped (${exact.message}); this plan meets every budget but is not proven optimal`,
    };
  return exact;
}

interface Priced {
  readonly candidates: SluiceCandidates;
  readonly values: Readonly<Record<string, number>>;
  readonly cost: number;
}

/** The decomposition with its own ceiling refinement (exact for the problem without coupling budgets). */
function decomposedMinCost(
  initial: SluiceCandidates,
  regenerate: Regenerate,
  problem: PlanningProblem,
): Stage {
  const budget = problem.budget?.costPerHour;
  const solve = (c: SluiceCandidates) => {
    const found = solveDecomposed(c);
    return found.status === 'optimal' && budget !== undefined && found.cost > budget * (1 + 1e-9)
      ? ({ status: 'infeasible' } as const)
      : found;
  };
  let candidates = initial;
  let found = solve(candidates);
  if (found.status === 'infeasible' && fillBound(initial) && budget === undefined) {
    const ceiling = widerCeiling(problem, initial);
    if (ceiling !== undefined) {
      candidates = regenerate(ceiling);
      found = solve(candidates);
    }
  }
  if (found.status === 'exhausted')
    return { status: 'error', message: 'the branch and bound hit its node limit' };
  if (found.status !== 'optimal') return { status: 'infeasible', candidates };
  if (fillBound(candidates)) {
    const wider = regenerate(found.ceilings);
    if (raisesBounds(candidates, wider)) {
      const again = solve(wider);
      if (again.status === 'optimal' && again.cost < found.cost)
        return { status: 'optimal', candidates: wider, values: again.values };
    }
  }
  return { status: 'optimal', candidates, values: found.values };
}

/** The MILP, with a cost cutoff and ceiling from a feasible plan when there is one. */
function milpMinCost(
  initial: SluiceCandidates,
  run: Run,
  regenerate: Regenerate,
  problem: PlanningProblem,
  feasible: Priced | undefined,
): Stage {
  const budget = problem.budget?.costPerHour;
  const cutoff = feasible === undefined ? undefined : feasible.cost * (1 + 1e-9) + 1e-9;
  let candidates = feasible === undefined ? initial : fillBound(initial) ? regenerate(cutoff ?? 0) : initial;
  let solution: MilpSolution = run(candidates, { kind: 'min-cost' }, cutoff);
  if (
    feasible === undefined &&
    solution.status === 'infeasible' &&
    fillBound(initial) &&
    budget === undefined
  ) {
    const ceiling = widerCeiling(problem, initial);
    if (ceiling !== undefined) {
      candidates = regenerate(ceiling);
      solution = run(candidates, { kind: 'min-cost' });
    }
  }
  if (solution.status !== 'optimal') return failed(solution, candidates);
  if (feasible === undefined && fillBound(candidates)) {
    const wider = regenerate(solution.objective * (1 + 1e-9) + 1e-9);
    if (raisesBounds(candidates, wider)) {
      const again = run(wider, { kind: 'min-cost' });
      if (again.status === 'optimal' && again.objective < solution.objective)
        return { status: 'optimal', candidates: wider, values: again.values };
    }
  }
  return { status: 'optimal', candidates, values: solution.values };
}

/**
 * A plan meeting the core budget and instance limits, from the decomposition with cores and limited
 * instances priced: the prices double until the plan fits (a heuristic; undefined if none does).
 */
function lagrangianPlan(problem: PlanningProblem, candidates: SluiceCandidates): Priced | undefined {
  const base = solveDecomposed(candidates);
  if (base.status !== 'optimal') return undefined;
  const scale = Math.max(base.cost, 1e-6);
  const cores = problem.budget?.cores;
  for (let price = 1 / 16; price <= 256; price *= 2) {
    const penalty = (c: SluiceCandidate): number => {
      const limit = c.config.hardware.maxInstances;
      const perCore = cores !== undefined && c.config.hardware.kind === 'cpu' ? c.config.cores / cores : 0;
      return price * scale * (perCore + (limit !== undefined ? 1 / Math.max(1, limit) : 0));
    };
    const priced = {
      ...candidates,
      apps: candidates.apps.map((a) => ({
        ...a,
        modules: a.modules.map((m) => ({
          ...m,
          candidates: m.candidates.map((c) => ({
            ...c,
            config: { ...c.config, instanceCostPerHour: c.config.instanceCostPerHour + penalty(c) },
          })),
        })),
      })),
    };
    const found = solveDecomposed(priced);
    if (found.status !== 'optimal') return undefined;
    if (!withinLimits(problem, candidates, found.values)) continue;
    const cost = totalCost(candidates, found.values);
    if (problem.budget?.costPerHour !== undefined && cost > problem.budget.costPerHour * (1 + 1e-9))
      return undefined;
    return { candidates, values: found.values, cost };
  }
  return undefined;
}

function totalCost(candidates: SluiceCandidates, values: Readonly<Record<string, number>>): number {
  let cost = 0;
  candidates.apps.forEach((app, a) =>
    app.modules.forEach((m, k) =>
      m.candidates.forEach((c, i) => {
        cost += Math.round(values[sluiceNames.instances(a, k, i)] ?? 0) * c.config.instanceCostPerHour;
      }),
    ),
  );
  return cost;
}

/** Whether the plan in `values` meets the core budget and every hardware instance limit. */
function withinLimits(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
  values: Readonly<Record<string, number>>,
): boolean {
  let cores = 0;
  const perHardware = new Map<string, number>();
  candidates.apps.forEach((app, a) =>
    app.modules.forEach((m, k) =>
      m.candidates.forEach((c, i) => {
        const n = Math.round(values[sluiceNames.instances(a, k, i)] ?? 0);
        if (c.config.hardware.kind === 'cpu') cores += n * c.config.cores;
        perHardware.set(c.config.hardware.name, (perHardware.get(c.config.hardware.name) ?? 0) + n);
      }),
    ),
  );
  const budget = problem.budget?.cores;
  if (budget !== undefined && cores > budget * (1 + 1e-9)) return false;
  return problem.hardware.every(
    (h) => h.maxInstances === undefined || (perHardware.get(h.name) ?? 0) <= h.maxInstances,
  );
}
