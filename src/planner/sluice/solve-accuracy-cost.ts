/**
 * Accuracy-cost: accuracy − α·cost − β·reload, exactly as objectiveValueOf scores it. Linear for
 * one-module apps (traffic-weighted accuracy), so one MILP. A pipeline's accuracy is a product of
 * module accuracies: each round maximises its tangent (module weights = product of the other modules'
 * accuracies at the last plan, starting from each module's best variant) and keeps the best plan by
 * the true objective. Exact when at most one module of each app has variants of different accuracy
 * (the product is then linear); otherwise a local optimum of the product, not a proven one.
 */
import { assemblePlan, type PlanDraft } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { SluiceCandidates } from './candidate-types.js';
import { draftFromSolution } from './sluice-solution.js';
import {
  accuracyCeiling,
  fillBound,
  raisesBounds,
  widerCeiling,
  type Regenerate,
  type Run,
  type Stage,
} from './solve-ceilings.js';

const ROUNDS = 4;

/** The accuracy-cost sequence for one group of apps. */
export function solveAccuracyCost(
  initial: SluiceCandidates,
  run: Run,
  regenerate: Regenerate,
  problem: PlanningProblem,
): Stage {
  let candidates = initial;
  let best = tangentRounds(problem, candidates, run, undefined);
  const fallback =
    best.status === 'infeasible' && fillBound(initial) && problem.budget?.costPerHour === undefined;
  const wider = fallback ? widerCeiling(problem, initial) : undefined;
  if (wider !== undefined) {
    candidates = regenerate(wider);
    best = tangentRounds(problem, candidates, run, undefined);
  }
  if (best.status !== 'optimal') return best;
  const ceiling = accuracyCeiling(problem, best.objective);
  if (fillBound(candidates) && ceiling !== undefined) {
    const widened = regenerate(ceiling);
    if (raisesBounds(candidates, widened)) {
      const again = tangentRounds(problem, widened, run, best.accuracy);
      if (again.status === 'optimal' && again.objective > best.objective) return again;
    }
  }
  return best;
}

type Tangent =
  | {
      status: 'optimal';
      candidates: SluiceCandidates;
      values: Readonly<Record<string, number>>;
      objective: number;
      /** The module accuracies whose tangent gave this plan. */
      accuracy: Map<string, number>;
    }
  | { status: 'infeasible'; candidates: SluiceCandidates }
  | { status: 'error'; message: string };

function tangentRounds(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
  run: Run,
  start: Map<string, number> | undefined,
): Tangent {
  let accuracy = start ?? bestAccuracies(candidates);
  let best: Tangent | undefined;
  const rounds = needsTangent(candidates) ? ROUNDS : 1;
  for (let round = 0; round < rounds; round++) {
    const weights = tangentWeights(candidates, accuracy);
    const solution = run(candidates, { kind: 'accuracy-cost', moduleWeights: weights });
    if (solution.status === 'infeasible') return best ?? { status: 'infeasible', candidates };
    if (solution.status !== 'optimal') return best ?? { status: 'error', message: solution.message };
    const draft = draftFromSolution(candidates, solution.values, '');
    const objective = assemblePlan(problem, 'sluice', draft).objectiveValue;
    if (best?.status === 'optimal' && objective <= best.objective + 1e-12) break;
    best = { status: 'optimal', candidates, values: solution.values, objective, accuracy };
    accuracy = moduleAccuracies(problem, draft, accuracy);
  }
  return best ?? { status: 'infeasible', candidates };
}

/** Accuracy of each module's best variant: the tangent's first point. */
function bestAccuracies(candidates: SluiceCandidates): Map<string, number> {
  const out = new Map<string, number>();
  for (const app of candidates.apps)
    for (const m of app.modules)
      out.set(m.module.name, Math.max(0, ...m.module.variants.map((v) => v.accuracy)));
  return out;
}

/** Weight of each module's accuracy: the product of the other modules' accuracies in its app. */
function tangentWeights(
  candidates: SluiceCandidates,
  accuracy: ReadonlyMap<string, number>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const app of candidates.apps) {
    for (const m of app.modules) {
      const others = app.modules.filter((o) => o !== m);
      out.set(
        m.module.name,
        others.reduce((p, o) => p * (accuracy.get(o.module.name) ?? 1), 1),
      );
    }
  }
  return out;
}

function moduleAccuracies(
  problem: PlanningProblem,
  draft: PlanDraft,
  previous: ReadonlyMap<string, number>,
): Map<string, number> {
  const out = new Map(previous);
  for (const entry of draft.modules) {
    const module = problem.modules.find((m) => m.name === entry.name);
    const rate = entry.tuples.reduce((s, t) => s + t.rateRps, 0);
    if (module === undefined || rate <= 0) continue;
    const weighted = entry.tuples.reduce(
      (s, t) => s + t.rateRps * (module.variants.find((v) => v.name === t.variant)?.accuracy ?? 0),
      0,
    );
    out.set(entry.name, weighted / rate);
  }
  return out;
}

/** Whether some app has two modules whose variants differ in accuracy (the product is not linear). */
function needsTangent(candidates: SluiceCandidates): boolean {
  return candidates.apps.some(
    (app) => app.modules.filter((m) => new Set(m.module.variants.map((v) => v.accuracy)).size > 1).length > 1,
  );
}
