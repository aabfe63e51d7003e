/**
 * The options of the cheapest-cover problem (cheapest-cover.ts) of one module at one budget of the
 * decomposition's sweep.
 */
import { minInstancesForBudget } from '../tuple-configs.js';
import { dominates } from './candidate-dominance.js';
import type { SluiceCandidate } from './candidate-types.js';
import type { CoverOption } from './cheapest-cover.js';

/**
 * The cover options of one module at a budget: each candidate with its instance floor there, and zero
 * instances for those dominated at this budget (candidate-dominance.ts with the budget fixed: exact,
 * and it leaves mostly single-core tuples for the branch and bound). Keeps its work between budgets
 * of the sweep: the order by cost per capacity, and the dominators found last time, tried first.
 */
export class CoverScratch {
  private readonly fixed: { -readonly [K in keyof SluiceCandidate]: SluiceCandidate[K] }[];
  private readonly order: number[];
  private kept: number[] = [];

  constructor(
    private readonly candidates: readonly SluiceCandidate[],
    private readonly coresBudgeted: boolean,
  ) {
    this.fixed = candidates.map((c) => ({ ...c }));
    const key = (c: SluiceCandidate): number => c.config.instanceCostPerHour / c.config.instanceRps;
    this.order = candidates.map((_, i) => i).sort((x, y) => key(candidates[x]!) - key(candidates[y]!));
  }

  at(budgetMs: number): CoverOption[] {
    const fewest = this.candidates.map((c) => {
      const n = Math.max(c.minInstances, minInstancesForBudget(c.config, budgetMs));
      return Number.isFinite(n) && n <= c.maxInstances ? n : 0;
    });
    this.fixed.forEach((c, i) => {
      c.minInstances = fewest[i] ?? 0;
    });
    // Dominators are tried in last budget's order (strong ones first), but only once kept at this
    // budget: every dropped candidate then has a kept dominator.
    const tries: number[] = this.kept.filter((i) => (fewest[i] ?? 0) > 0);
    const live = new Set<number>();
    for (const i of this.order) {
      if ((fewest[i] ?? 0) === 0) continue;
      const b = this.fixed[i]!;
      let by = -1;
      for (let k = 0; k < tries.length && by < 0; k++) {
        const a = tries[k]!;
        if (live.has(a) && dominates(this.fixed[a]!, b, false, this.coresBudgeted)) by = k;
      }
      if (by < 0) {
        live.add(i);
        if (!tries.includes(i)) tries.push(i);
      } else if (by > 0) {
        const [strong] = tries.splice(by, 1);
        if (strong !== undefined) tries.unshift(strong);
      }
    }
    this.kept = tries.filter((i) => live.has(i));
    return this.candidates.map((c, i) => ({
      capacityRps: c.config.instanceRps,
      costPerHour: c.config.instanceCostPerHour,
      fewest: fewest[i] ?? 0,
      most: live.has(i) ? c.maxInstances : 0,
    }));
  }
}
