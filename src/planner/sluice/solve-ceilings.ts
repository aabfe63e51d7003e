/**
 * What the solve sequences share: the step types, and the cost ceilings that keep them exact. A
 * pipeline may profit from more instances than its rate needs (batches fill faster, so it needs less
 * budget); only cost bounds how many, so every sequence finds a plan first and then allows as many
 * instances as that plan's cost (or what a better objective allows) pays for.
 */
import type { MilpSolution } from '../../ports/solver.js';
import { assemblePlan } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import { latencyFirstPlan } from './latency-first.js';
import type { SluiceCandidate, SluiceCandidates } from './candidate-types.js';
import type { SluiceGoal } from './sluice-model.js';
import { draftFromSolution } from './sluice-solution.js';

/** Solves the MILP of `candidates` for `goal` (optionally with total cost at most `costAtMost`). */
export type Run = (candidates: SluiceCandidates, goal: SluiceGoal, costAtMost?: number) => MilpSolution;
/** `candidates` with the instance bounds of a cost ceiling ($/h, whole group or per module). */
export type Regenerate = (ceilingPerHour: number | ReadonlyMap<string, number>) => SluiceCandidates;
/** The outcome of one objective's sequence. */
export type Stage =
  | {
      status: 'optimal';
      candidates: SluiceCandidates;
      values: Readonly<Record<string, number>>;
      /** Set when the plan is feasible but not proven optimal, saying why. */
      note?: string;
    }
  | { status: 'infeasible'; candidates: SluiceCandidates }
  | { status: 'error'; message: string };

/** Cost no plan better than `objective` can exceed: α·cost/scale ≤ best accuracy − objective. */
export function accuracyCeiling(problem: PlanningProblem, objective: number): number | undefined {
  if (problem.objective.kind !== 'accuracy-cost' || problem.budget?.cores !== undefined) return undefined;
  const alpha = problem.objective.costWeight;
  if (!(alpha > 0)) return undefined;
  const scale = problem.budget?.costPerHour ?? 1;
  const total = problem.apps.reduce((s, a) => s + a.rateRps, 0);
  const bestAccuracy =
    total > 0
      ? problem.apps.reduce((s, app) => {
          const product = app.modules.reduce((p, name) => {
            const module = problem.modules.find((m) => m.name === name);
            return p * Math.max(0, ...(module?.variants ?? []).map((v) => v.accuracy));
          }, 1);
          return s + (app.rateRps / total) * product;
        }, 0)
      : 0;
  return (Math.max(0, bestAccuracy - objective) * scale) / alpha + 1e-9;
}

/** Whether some pipeline candidate batches, so more instances than its rate needs could pay. */
export function fillBound(candidates: SluiceCandidates): boolean {
  return candidates.apps.some((a) =>
    a.modules.some((m) => m.fixedBudgetMs === undefined && m.candidates.some((c) => c.fillMs > 0)),
  );
}

/**
 * A ceiling for when no plan within the rate-bound instance counts exists and no $/h budget bounds
 * cost: the cost of the latency-first plan (latency-first.ts; for accuracy-cost, the cost its
 * objective allows); failing that, what the core budget and instance limits let every candidate run.
 * Undefined when nothing bounds the instance counts (then the planner reports infeasible).
 */
export function widerCeiling(problem: PlanningProblem, candidates: SluiceCandidates): number | undefined {
  const plan = latencyFirstPlan(problem, candidates);
  if (plan !== undefined) {
    if (problem.objective.kind !== 'accuracy-cost') return plan.costPerHour * (1 + 1e-9) + 1e-9;
    const objective = assemblePlan(
      problem,
      'sluice',
      draftFromSolution(candidates, plan.values, ''),
    ).objectiveValue;
    const ceiling = accuracyCeiling(problem, objective);
    if (ceiling !== undefined) return ceiling;
  }
  let total = 0;
  for (const app of candidates.apps)
    for (const m of app.modules) {
      let most = 0;
      for (const c of m.candidates) {
        const cap = resourceLimit(problem, c);
        if (!Number.isFinite(cap)) return undefined;
        most = Math.max(most, cap * c.config.instanceCostPerHour);
      }
      total += most;
    }
  return total;
}

/** Instances of a candidate the core budget and its hardware's limit allow. */
function resourceLimit(problem: PlanningProblem, c: SluiceCandidate): number {
  let cap = c.config.hardware.maxInstances ?? Number.POSITIVE_INFINITY;
  if (problem.budget?.cores !== undefined && c.config.hardware.kind === 'cpu')
    cap = Math.min(cap, Math.floor(problem.budget.cores / c.config.cores + 1e-9));
  return cap;
}

/**
 * Whether `wider` lets some candidate run more instances than `narrow` did. If not, `narrow`'s
 * optimum is already exact: every plan `wider` allows, `narrow` allows too.
 */
export function raisesBounds(narrow: SluiceCandidates, wider: SluiceCandidates): boolean {
  const key = (c: SluiceCandidate): string =>
    `${c.config.module}|${c.config.variant.name}|${c.config.hardware.name}|${c.config.cores}|${c.config.batch}|${c.holdMs ?? ''}`;
  const before = new Map<string, number>();
  for (const app of narrow.apps)
    for (const m of app.modules) for (const c of m.candidates) before.set(key(c), c.maxInstances);
  for (const app of wider.apps)
    for (const m of app.modules)
      for (const c of m.candidates) if (c.maxInstances > (before.get(key(c)) ?? 0)) return true;
  return false;
}

export function failed(solution: MilpSolution, candidates: SluiceCandidates): Stage {
  if (solution.status === 'infeasible') return { status: 'infeasible', candidates };
  if (solution.status === 'optimal') return { status: 'optimal', candidates, values: solution.values };
  return { status: 'error', message: solution.message };
}
