/**
 * Harpagon's latency splitting (docs/papers.md §3, level 3), greedy by latency-cost efficiency: every
 * module starts at its first breakpoint (the smallest budget at which it is worth considering, see
 * app-split.ts), then, while some module can move to its next breakpoint within the slack of every
 * path through it, the module saving the most $/h per extra ms moves (ties: the larger saving). It
 * stops when no move fits; the cost never rises on the way.
 */
import { SPLIT_TOLERANCE, type CostSteps } from './cost-steps.js';

/**
 * Breakpoint indices, one per module, or undefined when even the first breakpoints overrun a path.
 * `paths` lists module indices; every path's budgets must sum to at most `sloMs`.
 */
export function greedySplit(
  steps: readonly CostSteps[],
  paths: readonly (readonly number[])[],
  sloMs: number,
): number[] | undefined {
  if (steps.some((s) => s.budgetsMs.length === 0)) return undefined;
  const limitMs = sloMs * (1 + SPLIT_TOLERANCE);
  const at = steps.map(() => 0);
  const budgetOf = (m: number): number => steps[m]?.budgetsMs[at[m] ?? 0] ?? 0;
  const sums = paths.map((path) => path.reduce((s, m) => s + budgetOf(m), 0));
  if (sums.some((s) => s > limitMs)) return undefined;
  const pathsOf = steps.map((_, m) => paths.flatMap((path, p) => (path.includes(m) ? [p] : [])));
  for (;;) {
    let mover = -1;
    let bestRatio = 0;
    let bestSaving = 0;
    steps.forEach((s, m) => {
      const i = at[m] ?? 0;
      const nextMs = s.budgetsMs[i + 1];
      if (nextMs === undefined) return;
      const extraMs = nextMs - (s.budgetsMs[i] ?? 0);
      const slackMs = Math.min(...(pathsOf[m] ?? []).map((p) => limitMs - (sums[p] ?? 0)));
      if (extraMs > slackMs) return;
      const saving = (s.costsPerHour[i] ?? 0) - (s.costsPerHour[i + 1] ?? 0);
      const ratio = saving / extraMs;
      if (ratio > bestRatio || (ratio === bestRatio && saving > bestSaving)) {
        mover = m;
        bestRatio = ratio;
        bestSaving = saving;
      }
    });
    if (mover < 0) return at;
    const before = budgetOf(mover);
    at[mover] = (at[mover] ?? 0) + 1;
    const extraMs = budgetOf(mover) - before;
    for (const p of pathsOf[mover] ?? []) sums[p] = (sums[p] ?? 0) + extraMs;
  }
}
