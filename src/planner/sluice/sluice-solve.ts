/**
 * The solve sequence for one group of apps (the planner splits apps into groups when no budget couples
 * them), per objective: solve-min-cost.ts (decomposition, relaxation and MILP), max-throughput here
 * (the most served rate, then the least cost serving it: ties by cost), solve-accuracy-cost.ts
 * (tangent rounds for pipelines); groups of one-module apps first go to the exact frontier programme
 * (frontier-solve.ts), which needs no MILP. Each keeps exactness with the cost ceilings of solve-ceilings.ts:
 * a pipeline may profit from more instances than its rate needs, and only cost bounds that.
 */
import type { Solver } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import { withCeiling } from './candidate-bounds.js';
import type { SluiceCandidates } from './candidate-types.js';
import { buildSluiceModel, type SluiceGoal } from './sluice-model.js';
import { solveByFrontier, type FrontierGoal } from './frontier-solve.js';
import { solveAccuracyCost } from './solve-accuracy-cost.js';
import {
  failed,
  fillBound,
  raisesBounds,
  widerCeiling,
  type Regenerate,
  type Run,
  type Stage,
} from './solve-ceilings.js';
import { solveMinCost } from './solve-min-cost.js';

export type GroupOutcome =
  | {
      readonly status: 'optimal';
      readonly candidates: SluiceCandidates;
      readonly values: Readonly<Record<string, number>>;
      /** Set when the plan is feasible but not proven optimal, saying why. */
      readonly note?: string;
      /** MILPs solved. */
      readonly solves: number;
    }
  | { readonly status: 'infeasible'; readonly candidates: SluiceCandidates; readonly solves: number }
  | { readonly status: 'error'; readonly message: string; readonly solves: number };

export interface SolveOptions {
  /** Use the exact decomposition where it applies (min-cost without coupling budgets); default true. */
  readonly decompose?: boolean;
  /** Prune dominated candidates; default true. */
  readonly prune?: boolean;
  /** Solve groups of one-module apps by the exact frontier programme (frontier-solve.ts); default true. */
  readonly frontier?: boolean;
}

/** Solves the apps of `candidates` for the problem's objective. */
export function solveGroup(
  problem: PlanningProblem,
  initial: SluiceCandidates,
  solver: Solver,
  options: SolveOptions = {},
): GroupOutcome {
  const counter = { solves: 0 };
  const run: Run = (c, goal, costAtMost) => {
    counter.solves++;
    return solver.solve(
      buildSluiceModel(problem, c, { goal, ...(costAtMost === undefined ? {} : { costAtMost }) }),
    );
  };
  const regenerate: Regenerate = (ceilingPerHour) => withCeiling(problem, initial, ceilingPerHour);
  const kind = problem.objective.kind;
  if (options.frontier !== false) {
    const goal: FrontierGoal =
      kind === 'min-cost' ? { kind } : kind === 'max-throughput' ? { kind: 'max-served' } : { kind };
    const found = solveByFrontier(problem, initial, goal);
    if (found?.status === 'optimal')
      return { status: 'optimal', candidates: initial, values: found.values, solves: 0 };
    if (found?.status === 'infeasible') return { status: 'infeasible', candidates: initial, solves: 0 };
  }
  const outcome =
    kind === 'min-cost'
      ? solveMinCost(initial, run, regenerate, problem, options.decompose !== false)
      : kind === 'max-throughput'
        ? maxThroughput(initial, run, regenerate, problem)
        : solveAccuracyCost(initial, run, regenerate, problem);
  return { ...outcome, solves: counter.solves };
}

function maxThroughput(
  initial: SluiceCandidates,
  run: Run,
  regenerate: Regenerate,
  problem: PlanningProblem,
): Stage {
  let candidates = initial;
  let most = run(candidates, { kind: 'max-served' });
  const noBudget = problem.budget?.costPerHour === undefined;
  const fallback = most.status === 'optimal' && most.objective <= 1e-9 && fillBound(initial) && noBudget;
  const ceiling = fallback ? widerCeiling(problem, initial) : undefined;
  if (ceiling !== undefined) {
    candidates = regenerate(ceiling);
    most = run(candidates, { kind: 'max-served' });
  }
  if (most.status !== 'optimal') return failed(most, candidates);
  if (most.objective <= 1e-9) return { status: 'infeasible', candidates };
  const servedRps = most.objective * (1 - 1e-9);
  const goal: SluiceGoal = { kind: 'min-cost-serving', servedRps };
  const cheapest = run(candidates, goal);
  if (cheapest.status !== 'optimal') return { status: 'optimal', candidates, values: most.values };
  const offered = candidates.apps.reduce((s, a) => s + a.app.rateRps, 0);
  if (fillBound(candidates) && noBudget && most.objective >= offered * (1 - 1e-9)) {
    const wider = regenerate(cheapest.objective * (1 + 1e-9) + 1e-9);
    if (raisesBounds(candidates, wider)) {
      const again = run(wider, goal);
      if (again.status === 'optimal' && again.objective < cheapest.objective)
        return { status: 'optimal', candidates: wider, values: again.values };
    }
  }
  return { status: 'optimal', candidates, values: cheapest.values };
}
