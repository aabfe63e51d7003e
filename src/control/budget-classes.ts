/**
 * Budget classes from the budgets requests had at arrival (Sponge's per-request SLOs: the SLO minus the
 * network time already spent): the ascending budgets cut into `classes` groups of equal count, each held
 * to its group's smallest budget (so every request in it can be met), equal budgets merged.
 */
import type { BudgetClass } from '../planner/planning-problem.js';

/** At least this much budget is planned for, even for requests that arrived (nearly) too late, ms. */
const MIN_BUDGET_MS = 1;

export function budgetClassesOf(
  sortedBudgetsMs: readonly number[],
  classes: number,
  sloMs: number,
): BudgetClass[] {
  const n = sortedBudgetsMs.length;
  if (n === 0 || classes < 1) return [{ budgetMs: sloMs, share: 1 }];
  const out: BudgetClass[] = [];
  for (let k = 0; k < classes; k++) {
    const from = Math.floor((k * n) / classes);
    const to = Math.floor(((k + 1) * n) / classes);
    if (to <= from) continue;
    const budgetMs = Math.min(sloMs, Math.max(MIN_BUDGET_MS, Math.floor(sortedBudgetsMs[from] ?? sloMs)));
    const share = (to - from) / n;
    const last = out[out.length - 1];
    if (last !== undefined && last.budgetMs === budgetMs)
      out[out.length - 1] = { budgetMs, share: last.share + share };
    else out.push({ budgetMs, share });
  }
  return out;
}
