/**
 * The rows of Sluice's MILP that are more than one line: the latency chords of a pipeline candidate,
 * the resource sums, the budget rows, and the reload weights of variants that would need loading.
 */
import type { MilpConstraint, MilpTerm } from '../../ports/solver.js';
import type { PlanningProblem } from '../planning-problem.js';
import type { SluiceCandidate } from './candidate-types.js';

/**
 * Lₘ ≥ λ(nᵢ) when yᵢ = 1: the chords of λ through consecutive integers (exact at integer n), written
 * so that they are slack at nᵢ = yᵢ = 0: Lₘ − slope·nᵢ − (intercept − least)·yᵢ ≥ least.
 */
export function latencyRows(
  id: string,
  c: SluiceCandidate,
  L: string,
  n: string,
  y: string,
  leastMs: number,
): MilpConstraint[] {
  const l = c.config.latencyMs;
  const lambda = (k: number): number => l + c.fillMs / k;
  const rows: MilpConstraint[] = [
    row(
      `need_${id}`,
      [
        [L, 1],
        [y, -lambda(c.maxInstances)],
      ],
      { lower: 0 },
    ),
  ];
  if (c.fillMs === 0) return rows;
  if (c.minInstances === c.maxInstances) {
    rows[0] = row(
      `need_${id}`,
      [
        [L, 1],
        [y, -lambda(c.minInstances)],
      ],
      { lower: 0 },
    );
    return rows;
  }
  for (let j = c.minInstances; j < c.maxInstances; j++) {
    const slope = lambda(j + 1) - lambda(j);
    const intercept = lambda(j) - slope * j;
    rows.push(
      row(
        `chord_${id}_${j}`,
        [
          [L, 1],
          [n, -slope],
          [y, -(intercept - leastMs)],
        ],
        { lower: leastMs },
      ),
    );
  }
  return rows;
}

export function addResources(
  c: SluiceCandidate,
  n: string,
  costTerms: MilpTerm[],
  coreTerms: MilpTerm[],
  hardwareTerms: Map<string, MilpTerm[]>,
): void {
  if (c.config.instanceCostPerHour !== 0)
    costTerms.push({ variable: n, coefficient: c.config.instanceCostPerHour });
  if (c.config.hardware.kind === 'cpu') coreTerms.push({ variable: n, coefficient: c.config.cores });
  const list = hardwareTerms.get(c.config.hardware.name) ?? [];
  list.push({ variable: n, coefficient: 1 });
  hardwareTerms.set(c.config.hardware.name, list);
}

/** Which budgets to leave out, and a $/h cutoff (see SluiceModelOptions). */
export interface BudgetRowOptions {
  readonly costAtMost?: number;
  readonly relax?: { readonly cost?: boolean; readonly cores?: boolean; readonly instances?: boolean };
}

export function addBudgetRows(
  problem: PlanningProblem,
  options: BudgetRowOptions,
  constraints: MilpConstraint[],
  costTerms: readonly MilpTerm[],
  coreTerms: readonly MilpTerm[],
  hardwareTerms: ReadonlyMap<string, MilpTerm[]>,
): void {
  const relax = options.relax ?? {};
  const budget = problem.budget;
  if (budget?.costPerHour !== undefined && !relax.cost && costTerms.length > 0)
    constraints.push({ name: 'budget_cost', terms: costTerms, upper: budget.costPerHour });
  if (options.costAtMost !== undefined && costTerms.length > 0)
    constraints.push({ name: 'cutoff_cost', terms: costTerms, upper: options.costAtMost });
  if (budget?.cores !== undefined && !relax.cores && coreTerms.length > 0)
    constraints.push({ name: 'budget_cores', terms: coreTerms, upper: budget.cores });
  if (relax.instances) return;
  for (const [h, hardware] of problem.hardware.entries()) {
    const terms = hardwareTerms.get(hardware.name);
    if (hardware.maxInstances !== undefined && terms !== undefined)
      constraints.push({ name: `limit_${h}`, terms, upper: hardware.maxInstances });
  }
}

/** β · load / longest of each (module/variant) that would need loading; absent when free. */
export function reloadWeights(problem: PlanningProblem): Map<string, number> {
  const out = new Map<string, number>();
  const objective = problem.objective;
  if (objective.kind !== 'accuracy-cost') return out;
  const beta = objective.reloadWeight ?? 0;
  const longest = Math.max(0, ...problem.modules.flatMap((m) => m.variants.map((v) => v.loadMs ?? 0)));
  if (beta === 0 || longest === 0) return out;
  const running = new Set(
    (problem.current?.modules ?? []).flatMap((m) => m.tuples.map((t) => `${m.name}/${t.variant}`)),
  );
  for (const module of problem.modules) {
    for (const v of module.variants) {
      const key = `${module.name}/${v.name}`;
      if ((v.loadMs ?? 0) > 0 && !running.has(key)) out.set(key, (beta * (v.loadMs ?? 0)) / longest);
    }
  }
  return out;
}

export function row(
  name: string,
  terms: readonly (readonly [string, number])[],
  bounds: { lower?: number; upper?: number },
): MilpConstraint {
  return { name, terms: terms.map(([variable, coefficient]) => ({ variable, coefficient })), ...bounds };
}
