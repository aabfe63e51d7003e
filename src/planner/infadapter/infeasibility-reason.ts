/**
 * Why InfAdapter's program has no solution, as the binding constraint with its numbers: an app whose
 * budget is below every variant's fastest batch (latency), an app whose rate exceeds the most any
 * combination of allocations carries within the budgets (capacity), or apps that fit one by one but
 * not together (shared budget).
 */
import type { Solver } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import { buildCapacityModel } from './capacity-model.js';
import { mostCarriedByFrontier } from './infadapter-frontier.js';
import type { InfadapterApp, InfadapterScope } from './infadapter-candidates.js';

/**
 * The latency reason of the first app with traffic and no candidate that answers within its budget;
 * undefined when every such app has one. Needs no solver.
 */
export function latencyReason(scope: InfadapterScope): string | undefined {
  const entry = scope.apps.find((a) => a.app.rateRps > 0 && a.candidates.length === 0);
  if (entry === undefined) return undefined;
  const name = entry.module.name;
  const fastest = entry.fastest;
  if (fastest === undefined)
    return `latency: no variant of module '${name}' has a latency model on a cpu hardware`;
  const at = `'${fastest.variant.name}' at l(${fastest.batch}, ${fastest.cores} cores) = ${round(fastest.latencyMs)} ms on ${fastest.hardware.name}`;
  return fastest.latencyMs > entry.budgetMs
    ? `latency: module '${name}' must answer within ${entry.budgetMs} ms, below every variant's fastest batch: the fastest is ${at}`
    : `latency: no variant of module '${name}' fills and runs a batch within its ${entry.budgetMs} ms budget at its capacity: the fastest batch is ${at}`;
}

/**
 * True when some app's rate exceeds a bound no combination can beat: the sum over its variants of the
 * largest capacity one allocation within the core and cost budgets gives. Lets the planner skip a solve
 * whose infeasibility is certain. Needs no solver.
 */
export function exceedsCapacityBound(problem: PlanningProblem, scope: InfadapterScope): boolean {
  const cores = problem.budget?.cores ?? Number.POSITIVE_INFINITY;
  const cost = problem.budget?.costPerHour ?? Number.POSITIVE_INFINITY;
  return scope.apps.some((entry) => {
    const best = new Map<number, number>();
    for (const c of entry.candidates)
      if (c.config.cores <= cores && c.config.instanceCostPerHour <= cost)
        best.set(c.variant, Math.max(best.get(c.variant) ?? 0, c.capacityRps));
    return [...best.values()].reduce((s, r) => s + r, 0) < entry.app.rateRps;
  });
}

/**
 * The binding constraint of a problem whose InfAdapter program is infeasible (the capacity programs by
 * the frontier programme, or through `solver` when that gives up); a solver failure is reported as such.
 */
export function infeasibilityReason(
  problem: PlanningProblem,
  scope: InfadapterScope,
  solver: Solver,
): string {
  const latency = latencyReason(scope);
  if (latency !== undefined) return latency;
  const limits = limitsPhrase(problem, scope);
  const named = scope.apps.length > 1;
  for (const [a, entry] of scope.apps.entries()) {
    const rateRps = entry.app.rateRps;
    if (!(rateRps > 0)) continue;
    const most =
      mostCarriedByFrontier(problem, scope, [a], false) ??
      carried(solver, buildCapacityModel(problem, scope, { apps: [a] }));
    if (typeof most === 'string') return most;
    if (most < rateRps)
      return `capacity: ${named ? `app '${entry.app.name}': ` : ''}the most any combination within ${limits} carries within ${entry.budgetMs} ms is ${round(most)} req/s, below the ${rateRps} req/s needed`;
  }
  const totalRps = scope.apps.reduce((s, a) => s + a.app.rateRps, 0);
  const together =
    mostCarriedByFrontier(
      problem,
      scope,
      scope.apps.map((_, a) => a),
      true,
    ) ?? carried(solver, buildCapacityModel(problem, scope, { rates: 'at-most' }));
  if (typeof together === 'string') return together;
  if (together < totalRps)
    return `capacity: each app fits alone, but within ${limits} the apps together carry at most ${round(together)} req/s of the ${totalRps} req/s they need`;
  return 'the solver found the program infeasible, though its capacity suffices (numerical trouble)';
}

/** The optimum of a capacity program, or a sentence about the solver's failure. */
function carried(solver: Solver, model: ReturnType<typeof buildCapacityModel>): number | string {
  const solution = solver.solve(model);
  return solution.status === 'optimal'
    ? solution.objective
    : `the solver could not bound the capacity: ${solution.message}`;
}

/** The budgets and limits the capacity is held to, as words. */
function limitsPhrase(problem: PlanningProblem, scope: InfadapterScope): string {
  const parts: string[] = [];
  if (problem.budget?.cores !== undefined) parts.push(`${problem.budget.cores} cores`);
  if (problem.budget?.costPerHour !== undefined) parts.push(`${problem.budget.costPerHour} $/h`);
  const used = new Set(scope.apps.flatMap((a: InfadapterApp) => a.candidates.map((c) => c.hardware)));
  for (const [h, hardware] of problem.hardware.entries())
    if (used.has(h) && hardware.maxInstances !== undefined)
      parts.push(
        `${hardware.maxInstances} instance${hardware.maxInstances === 1 ? '' : 's'} of ${hardware.name}`,
      );
  if (parts.length === 0) {
    const most = Math.max(0, ...scope.apps.flatMap((a) => a.candidates.map((c) => c.config.cores)));
    parts.push(`one instance per variant of at most ${most} cores`);
  }
  return parts.join(' and ');
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
