/**
 * Sluice's MILP, built as data: one formulation over every knob of the planning model.
 *
 * Per candidate i (sluice-candidates.ts): integer instances nᵢ ∈ [0, mostᵢ], a binary yᵢ (used) where
 * it has a minimum above 1 or a budget to claim, and continuous real rates rᵢ (per query size when
 * the app has sizes). Per app: served rate s (fixed at the offered rate unless the goal maximises it).
 * Per pipeline module: its budget Lₘ, continuous in [least, loosest].
 *   capacity        rᵢ ≤ capᵢ·nᵢ            sized: Σₖ timeᵢₖ·rᵢₖ ≤ 1000·ρ·nᵢ
 *   fewest          fewestᵢ·yᵢ ≤ nᵢ ≤ mostᵢ·yᵢ
 *   latency         pipelines: Lₘ ≥ λᵢ(nᵢ) = l + fill/nᵢ when yᵢ = 1. λ is convex and decreasing, so at
 *                   integer n it equals the largest of its chords through consecutive integers j, j+1,
 *                   and each chord lies below λ at every other integer: the rows
 *                   Lₘ ≥ λ(j) + (λ(j+1) − λ(j))·(nᵢ − j) − M·(1 − yᵢ) for j = fewest … most−1 are exact.
 *                   One-module apps: the fixed budget is already in fewestᵢ.
 *   conservation    Σ rᵢ = multiplierₘ·s (per size k: Σ rᵢₖ = multiplierₘ·shareₖ·s)
 *   budget classes  for each class budget B: Σ over candidates held to ≤ B of rᵢ ≥ share(≤ B)·s
 *   paths           Σ over each path of Lₘ ≤ tightest objective
 *   budgets         Σ cost·n ≤ $/h budget; Σ cores·n ≤ core budget; Σ n per hardware ≤ its limit
 * Objectives: min-cost; max-served (then min-cost-serving at that rate, for ties by cost); accuracy-cost
 * as objectiveValueOf defines it: Σ acc·r / total rate (exact for one-module apps; a pipeline's
 * product of accuracies enters through per-module weights, the tangent of the product, see
 * solve-accuracy-cost.ts) − α·(cores/core budget | cost/$ budget | cost) − β·Σ load/longest over new
 * variants (a binary per module and variant that needs loading, forced by its candidates' nᵢ).
 * Optionally a cutoff Σ cost·n ≤ a known plan's cost (min-cost: the optimum costs no more).
 */
import type { MilpConstraint, MilpModel, MilpTerm, MilpVariable } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { SluiceCandidates } from './candidate-types.js';
import { addBudgetRows, addResources, latencyRows, reloadWeights, row } from './model-rows.js';

export type SluiceGoal =
  | { readonly kind: 'min-cost' }
  | { readonly kind: 'max-served' }
  /** Least cost serving at least `servedRps` in total (ties of max-served). */
  | { readonly kind: 'min-cost-serving'; readonly servedRps: number }
  /** Per pipeline module, the weight of its accuracy (the product of the others'); default 1. */
  | { readonly kind: 'accuracy-cost'; readonly moduleWeights?: ReadonlyMap<string, number> }
  /** Least use of one resource (diagnosis of an infeasible problem). */
  | { readonly kind: 'min-resource'; readonly resource: 'cost' | 'cores' | { readonly hardware: string } };

export interface SluiceModelOptions {
  readonly goal: SluiceGoal;
  /** Total $/h at most: a cutoff from a plan already found (the optimum costs no more). */
  readonly costAtMost?: number;
  /** Budgets left out (diagnosis: which one binds). */
  readonly relax?: { readonly cost?: boolean; readonly cores?: boolean; readonly instances?: boolean };
}

/** Variable names of the model, by app, module and candidate position. */
export const sluiceNames = {
  served: (a: number): string => `s_${a}`,
  budget: (a: number, m: number): string => `L_${a}_${m}`,
  instances: (a: number, m: number, i: number): string => `n_${a}_${m}_${i}`,
  used: (a: number, m: number, i: number): string => `y_${a}_${m}_${i}`,
  rate: (a: number, m: number, i: number): string => `r_${a}_${m}_${i}`,
  sizeRate: (a: number, m: number, i: number, k: number): string => `r_${a}_${m}_${i}_${k}`,
  load: (a: number, m: number, v: number): string => `u_${a}_${m}_${v}`,
};

/** The MILP of `candidates` for `goal`. */
export function buildSluiceModel(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
  options: SluiceModelOptions,
): MilpModel {
  const variables: MilpVariable[] = [];
  const constraints: MilpConstraint[] = [];
  const objective = new Map<string, number>();
  const addObjective = (name: string, coefficient: number): void => {
    objective.set(name, (objective.get(name) ?? 0) + coefficient);
  };
  const goal = options.goal;
  const costTerms: MilpTerm[] = [];
  const coreTerms: MilpTerm[] = [];
  const hardwareTerms = new Map<string, MilpTerm[]>();
  const servedTerms: MilpTerm[] = [];
  const totalRps = candidates.apps.reduce((s, a) => s + a.app.rateRps, 0);
  const reload = reloadWeights(problem);

  for (const [a, entry] of candidates.apps.entries()) {
    const s = sluiceNames.served(a);
    const free = goal.kind === 'max-served' || goal.kind === 'min-cost-serving';
    const offered = entry.blocked !== undefined && free ? 0 : entry.app.rateRps;
    variables.push({ name: s, type: 'continuous', lower: free ? 0 : offered, upper: offered });
    servedTerms.push({ variable: s, coefficient: 1 });
    // An app that cannot be served at all (or has nothing to serve) only contributes its rate.
    if (entry.blocked !== undefined || offered <= 0) {
      if (offered > 0)
        constraints.push({ name: `blocked_${a}`, terms: [{ variable: s, coefficient: 1 }], upper: 0 });
      continue;
    }
    const pipeline = entry.modules.some((m) => m.fixedBudgetMs === undefined);
    for (const [m, mod] of entry.modules.entries()) {
      const L = sluiceNames.budget(a, m);
      // A module left without candidates (budgets allow none) keeps a finite budget range; its
      // carry row then makes the model infeasible, and the diagnosis names the budget.
      const least = Number.isFinite(mod.minBudgetMs) ? mod.minBudgetMs : 0;
      const loosest = Number.isFinite(mod.maxBudgetMs) ? mod.maxBudgetMs : entry.sloMs;
      if (pipeline)
        variables.push({ name: L, type: 'continuous', lower: least, upper: Math.max(least, loosest) });
      const sizes = entry.sizes ?? [];
      const rateTerms: MilpTerm[] = [];
      const sizeTerms = sizes.map((): MilpTerm[] => []);
      const classTerms = entry.classLevels.map((): MilpTerm[] => []);
      const variantLoads = new Map<string, MilpTerm[]>();
      for (const [i, c] of mod.candidates.entries()) {
        const n = sluiceNames.instances(a, m, i);
        const y = sluiceNames.used(a, m, i);
        const needUsed = pipeline || c.minInstances > 1;
        variables.push({ name: n, type: 'integer', upper: c.maxInstances });
        if (needUsed) {
          variables.push({ name: y, type: 'binary' });
          constraints.push(
            row(
              `fewest_${a}_${m}_${i}`,
              [
                [n, 1],
                [y, -c.minInstances],
              ],
              { lower: 0 },
            ),
          );
          constraints.push(
            row(
              `most_${a}_${m}_${i}`,
              [
                [n, 1],
                [y, -c.maxInstances],
              ],
              { upper: 0 },
            ),
          );
        }
        const own: MilpTerm[] = [];
        if (c.sizeMs !== undefined) {
          const busy: MilpTerm[] = [];
          for (const [k, ms] of c.sizeMs.entries()) {
            if (ms === undefined) continue;
            const rk = sluiceNames.sizeRate(a, m, i, k);
            variables.push({ name: rk, type: 'continuous' });
            busy.push({ variable: rk, coefficient: ms });
            sizeTerms[k]?.push({ variable: rk, coefficient: 1 });
            own.push({ variable: rk, coefficient: 1 });
          }
          busy.push({ variable: n, coefficient: -1000 * candidates.rho });
          constraints.push({ name: `capacity_${a}_${m}_${i}`, terms: busy, upper: 0 });
        } else {
          const r = sluiceNames.rate(a, m, i);
          variables.push({ name: r, type: 'continuous' });
          constraints.push(
            row(
              `capacity_${a}_${m}_${i}`,
              [
                [r, 1],
                [n, -c.config.instanceRps],
              ],
              { upper: 0 },
            ),
          );
          own.push({ variable: r, coefficient: 1 });
        }
        rateTerms.push(...own);
        for (const [k, level] of entry.classLevels.entries()) {
          if ((c.holdMs ?? 0) <= level.budgetMs * (1 + 1e-12)) classTerms[k]?.push(...own);
        }
        if (pipeline) constraints.push(...latencyRows(`${a}_${m}_${i}`, c, L, n, y, mod.minBudgetMs));
        addResources(c, n, costTerms, coreTerms, hardwareTerms);
        if (goal.kind === 'accuracy-cost' && totalRps > 0) {
          const weight = goal.moduleWeights?.get(mod.module.name) ?? 1;
          const coefficient = (weight * c.config.variant.accuracy) / (mod.multiplier * totalRps);
          for (const t of own) addObjective(t.variable, coefficient);
        }
        const loadTerm = reload.get(`${mod.module.name}/${c.config.variant.name}`);
        if (goal.kind === 'accuracy-cost' && loadTerm !== undefined) {
          const list = variantLoads.get(c.config.variant.name) ?? [];
          list.push({ variable: n, coefficient: 1 / c.maxInstances });
          variantLoads.set(c.config.variant.name, list);
        }
      }
      if (sizes.length > 0) {
        for (const [k, size] of sizes.entries())
          constraints.push({
            name: `carry_${a}_${m}_${k}`,
            terms: [...(sizeTerms[k] ?? []), { variable: s, coefficient: -mod.multiplier * size.share }],
            lower: 0,
            upper: 0,
          });
      } else {
        constraints.push({
          name: `carry_${a}_${m}`,
          terms: [...rateTerms, { variable: s, coefficient: -mod.multiplier }],
          lower: 0,
          upper: 0,
        });
      }
      for (const [k, level] of entry.classLevels.entries()) {
        if (level.cumulativeShare >= 1 - 1e-12) continue;
        constraints.push({
          name: `class_${a}_${m}_${k}`,
          terms: [...(classTerms[k] ?? []), { variable: s, coefficient: -level.cumulativeShare }],
          lower: 0,
        });
      }
      for (const [v, variant] of mod.module.variants.entries()) {
        const terms = variantLoads.get(variant.name);
        const weight = reload.get(`${mod.module.name}/${variant.name}`);
        if (terms === undefined || weight === undefined) continue;
        const u = sluiceNames.load(a, m, v);
        variables.push({ name: u, type: 'binary' });
        addObjective(u, -weight);
        // u ≥ nᵢ / mostᵢ for each candidate of the variant: any instance of it makes it load.
        for (const [t, term] of terms.entries())
          constraints.push(
            row(
              `load_${a}_${m}_${v}_${t}`,
              [
                [u, 1],
                [term.variable, -term.coefficient],
              ],
              { lower: 0 },
            ),
          );
      }
    }
    if (pipeline) {
      for (const [p, path] of entry.paths.entries()) {
        const terms = path.map((name) => ({
          variable: sluiceNames.budget(
            a,
            entry.modules.findIndex((m) => m.module.name === name),
          ),
          coefficient: 1,
        }));
        constraints.push({ name: `path_${a}_${p}`, terms, upper: entry.sloMs });
      }
    }
  }
  addBudgetRows(problem, options, constraints, costTerms, coreTerms, hardwareTerms);
  let sense: MilpModel['sense'] = 'minimize';
  if (goal.kind === 'min-cost' || goal.kind === 'min-cost-serving') {
    for (const t of costTerms) addObjective(t.variable, t.coefficient);
    if (goal.kind === 'min-cost-serving')
      constraints.push({ name: 'served_total', terms: servedTerms, lower: goal.servedRps });
  } else if (goal.kind === 'max-served') {
    sense = 'maximize';
    for (const t of servedTerms) addObjective(t.variable, t.coefficient);
  } else if (goal.kind === 'accuracy-cost') {
    sense = 'maximize';
    const { costWeight } = problem.objective.kind === 'accuracy-cost' ? problem.objective : { costWeight: 0 };
    const budget = problem.budget;
    const [terms, scale] =
      budget?.cores !== undefined
        ? [coreTerms, budget.cores]
        : budget?.costPerHour !== undefined
          ? [costTerms, budget.costPerHour]
          : [costTerms, 1];
    for (const t of terms) addObjective(t.variable, (-costWeight * t.coefficient) / scale);
  } else {
    const resource = goal.resource;
    const terms =
      resource === 'cost'
        ? costTerms
        : resource === 'cores'
          ? coreTerms
          : (hardwareTerms.get(resource.hardware) ?? []);
    for (const t of terms) addObjective(t.variable, t.coefficient);
  }
  return {
    sense,
    variables: variables.map((v) => {
      const c = objective.get(v.name);
      return c === undefined || c === 0 ? v : { ...v, objective: c };
    }),
    constraints,
  };
}
