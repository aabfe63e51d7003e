/**
 * Why a problem has no plan: the binding constraint, in a sentence. Latency first (found while building
 * candidates: an SLO below every configuration's batch latency, a path whose fastest modules already
 * exceed it); then each budget alone ($/h, cores, per-hardware instance limits): the first whose
 * enforcement alone leaves the problem infeasible binds, and the sentence quotes the least amount of
 * that resource serving the rate needs (with no budget at all). Each question is asked of a copy of
 * the problem with only the budgets in question, so instance bounds derived from the other budgets do
 * not leak in. No question needs a solver where the frontier programme (groups of one-module apps)
 * or, for $/h, the decomposition applies.
 */
import type { Solver } from '../../ports/solver.js';
import type { PlanningBudget, PlanningProblem } from '../planning-problem.js';
import { decomposable, solveDecomposed } from './decomposed-solve.js';
import { solveByFrontier } from './frontier-solve.js';
import { sluiceCandidates } from './sluice-candidates.js';
import type { SluiceCandidates } from './candidate-types.js';
import { buildSluiceModel, type SluiceGoal } from './sluice-model.js';

type Resource = Extract<SluiceGoal, { kind: 'min-resource' }>['resource'];

/**
 * The binding constraint of an infeasible min-cost or accuracy-cost problem (every app of `apps` at
 * its offered rate). `serving` describes the traffic, e.g. "serving app 'ocr' at 50 req/s".
 */
export function diagnoseInfeasible(
  problem: PlanningProblem,
  apps: readonly string[],
  solver: Solver,
  serving?: string,
): string {
  const keep = (budget: PlanningBudget, limits: boolean): PlanningProblem => ({
    ...problem,
    objective: { kind: 'min-cost' },
    budget,
    hardware: problem.hardware.map((h) => {
      if (limits) return h;
      const { maxInstances: _, ...rest } = h;
      return rest;
    }),
  });
  const free = keep({}, false);
  const freeCandidates = sluiceCandidates(free, { apps });
  if (freeCandidates.malformed !== undefined) return freeCandidates.malformed;
  const blocked = freeCandidates.apps.find((a) => a.blocked !== undefined)?.blocked;
  if (blocked !== undefined) return blocked;
  const say = serving ?? describeServing(freeCandidates);
  const least = (resource: Resource): number | undefined => {
    const found = solveByFrontier(free, freeCandidates, { kind: 'min-resource', resource });
    if (found !== undefined) return found.status === 'optimal' ? found.objective : undefined;
    if (resource === 'cost' && decomposable(freeCandidates, false)) {
      const found = solveDecomposed(freeCandidates);
      if (found.status === 'optimal') return found.cost;
    }
    const model = buildSluiceModel(free, freeCandidates, { goal: { kind: 'min-resource', resource } });
    const solution = solver.solve(model);
    return solution.status === 'optimal' ? solution.objective : undefined;
  };
  const feasible = (variant: PlanningProblem): boolean => {
    const candidates = sluiceCandidates(variant, { apps });
    if (candidates.apps.some((a) => a.blocked !== undefined)) return false;
    const found = solveByFrontier(variant, candidates, { kind: 'min-cost' });
    if (found !== undefined) return found.status === 'optimal';
    const limited =
      variant.budget?.cores !== undefined || variant.hardware.some((h) => h.maxInstances !== undefined);
    if (decomposable(candidates, limited)) {
      const found = solveDecomposed(candidates);
      if (found.status !== 'exhausted')
        return (
          found.status === 'optimal' && found.cost <= (variant.budget?.costPerHour ?? Infinity) * (1 + 1e-9)
        );
    }
    return (
      solver.solve(buildSluiceModel(variant, candidates, { goal: { kind: 'min-cost' } })).status === 'optimal'
    );
  };
  if (!feasible(free))
    return `no split of the latency objectives lets every module meet its batch latency when ${say}`;
  const budget = problem.budget;
  if (budget?.costPerHour !== undefined && !feasible(keep({ costPerHour: budget.costPerHour }, false)))
    return `${say} within the SLO needs at least ${round(least('cost'))} $/h; the budget is ${budget.costPerHour} $/h`;
  if (budget?.cores !== undefined && !feasible(keep({ cores: budget.cores }, false)))
    return `${say} within the SLO needs at least ${round(least('cores'))} cores; the budget is ${budget.cores} cores`;
  const limited = problem.hardware.filter((h) => h.maxInstances !== undefined);
  if (limited.length > 0 && !feasible(keep({}, true))) {
    for (const h of limited) {
      const need = least({ hardware: h.name });
      if (need !== undefined && h.maxInstances !== undefined && need > h.maxInstances + 1e-9)
        return `${say} within the SLO needs at least ${round(need)} instances of '${h.name}', over its limit of ${h.maxInstances}`;
    }
    return `${say} within the SLO needs more instances than the hardware limits allow together`;
  }
  const parts = [
    budget?.costPerHour !== undefined
      ? `${budget.costPerHour} $/h (alone it would need ${round(least('cost'))})`
      : '',
    budget?.cores !== undefined ? `${budget.cores} cores (alone ${round(least('cores'))})` : '',
    limited.length > 0 ? 'the hardware instance limits' : '',
  ].filter((p) => p !== '');
  return `${say} within the SLO does not fit the budgets together: ${parts.join(', ')}`;
}

function describeServing(candidates: SluiceCandidates): string {
  const apps = candidates.apps.filter((a) => a.app.rateRps > 0);
  if (apps.length === 1 && apps[0] !== undefined)
    return `serving app '${apps[0].app.name}' at ${round(apps[0].app.rateRps)} req/s`;
  return `serving ${apps.map((a) => `'${a.app.name}' at ${round(a.app.rateRps)} req/s`).join(', ')}`;
}

function round(x: number | undefined): string {
  return x === undefined ? '?' : String(Math.round(x * 1000) / 1000);
}
