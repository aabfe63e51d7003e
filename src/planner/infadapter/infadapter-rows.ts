/**
 * The variables and constraints InfAdapter's programs share (papers.md §2, with batching and without the
 * original's rule that only the smallest variant may hold spare capacity):
 *   y_i ∈ {0, 1}        candidate i (variant m, hardware h, n cores) runs one instance
 *   λ_{a,m} ≥ 0          requests per second app a sends to variant m
 *   one_a<a>_v<m>:       Σ_{i of m} y_i ≤ 1                      (one allocation per variant)
 *   cap_a<a>_v<m>:       λ_{a,m} − Σ_{i of m} cap_i · y_i ≤ 0     (a variant carries at most its capacity)
 *   rate_a<a>:           Σ_m λ_{a,m} = λ_a (or ≤ λ_a, or free)    (the app's rate is carried)
 *   cores:               Σ_i n_i · y_i ≤ budget.cores             (when set)
 *   cost:                Σ_i price_i · y_i ≤ budget.costPerHour   (when set)
 *   instances_h<h>:      Σ_{i on h} y_i ≤ maxInstances_h          (when set)
 * The objective is each program's own (infadapter-model.ts, capacity-model.ts).
 */
import type { MilpConstraint, MilpVariable } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { InfadapterCandidate, InfadapterScope } from './infadapter-candidates.js';

/** How an app's variant rates relate to its offered rate λ_a. */
export type RateRow = 'equal' | 'at-most' | 'free';

export interface InfadapterRowsOptions {
  /** `equal`: carry exactly λ_a (the plan); `at-most`: up to λ_a; `free`: no rate row (pure capacity). */
  readonly rates: RateRow;
  /** Indices of the apps to include; default all. Other apps' candidates stay out of the model. */
  readonly apps?: readonly number[];
}

export interface InfadapterRows {
  /** λ's, then y's, app by app; no objective coefficients yet. */
  readonly variables: readonly MilpVariable[];
  readonly constraints: readonly MilpConstraint[];
}

/** The binary choosing candidate `candidate`. */
export const choiceName = (candidate: InfadapterCandidate): string => `y${candidate.index}`;

/** The rate app `app` sends to variant `variant`, in req/s. */
export const rateName = (app: number, variant: number): string => `lam_a${app}_v${variant}`;

/** The shared rows of InfAdapter's programs for `scope` (see the file comment). */
export function infadapterRows(
  problem: PlanningProblem,
  scope: InfadapterScope,
  options: InfadapterRowsOptions,
): InfadapterRows {
  const variables: MilpVariable[] = [];
  const constraints: MilpConstraint[] = [];
  const included = new Set(options.apps ?? scope.apps.map((_, i) => i));
  const chosen: InfadapterCandidate[] = [];
  for (const [a, entry] of scope.apps.entries()) {
    if (!included.has(a)) continue;
    const rateTerms: { variable: string; coefficient: number }[] = [];
    const variants = [...new Set(entry.candidates.map((c) => c.variant))];
    for (const v of variants) {
      const own = entry.candidates.filter((c) => c.variant === v);
      const lambda = rateName(a, v);
      variables.push({
        name: lambda,
        type: 'continuous',
        upper: Math.max(...own.map((c) => c.capacityRps)),
      });
      for (const c of own) variables.push({ name: choiceName(c), type: 'binary' });
      constraints.push({
        name: `one_a${a}_v${v}`,
        terms: own.map((c) => ({ variable: choiceName(c), coefficient: 1 })),
        upper: 1,
      });
      constraints.push({
        name: `cap_a${a}_v${v}`,
        terms: [
          { variable: lambda, coefficient: 1 },
          ...own.map((c) => ({ variable: choiceName(c), coefficient: -c.capacityRps })),
        ],
        upper: 0,
      });
      rateTerms.push({ variable: lambda, coefficient: 1 });
      chosen.push(...own);
    }
    if (options.rates !== 'free') {
      const rateRps = entry.app.rateRps;
      constraints.push({
        name: `rate_a${a}`,
        terms: rateTerms,
        ...(options.rates === 'equal' ? { lower: rateRps, upper: rateRps } : { upper: rateRps }),
      });
    }
  }
  const budget = problem.budget;
  if (budget?.cores !== undefined)
    constraints.push({
      name: 'cores',
      terms: chosen.map((c) => ({ variable: choiceName(c), coefficient: c.config.cores })),
      upper: budget.cores,
    });
  if (budget?.costPerHour !== undefined)
    constraints.push({
      name: 'cost',
      terms: chosen.map((c) => ({ variable: choiceName(c), coefficient: c.config.instanceCostPerHour })),
      upper: budget.costPerHour,
    });
  for (const [h, hardware] of problem.hardware.entries()) {
    const on = chosen.filter((c) => c.hardware === h);
    if (hardware.maxInstances === undefined || on.length === 0) continue;
    constraints.push({
      name: `instances_h${h}`,
      terms: on.map((c) => ({ variable: choiceName(c), coefficient: 1 })),
      upper: hardware.maxInstances,
    });
  }
  return { variables, constraints };
}
