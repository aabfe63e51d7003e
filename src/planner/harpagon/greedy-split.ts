/**
 * Harpagon's latency splitting (docs/papers.md §3, level 3), greedy by latency-cost efficiency, in two
 * passes (our reading of "greedily"):
 * - down (`descendingSplit`): every module starts at its loosest budget; while some path overruns the
 *   SLO, the module on an overrunning path whose next tighter breakpoint adds the least $/h per ms it
 *   frees moves there, counting no more ms than its paths overrun by (ties: the one freeing more).
 *   Only the breakpoints visited are ever computed.
 * - up (`greedySplit`): while some module can move to its next looser breakpoint within the slack of
 *   every path through it, the module saving the most $/h per extra ms moves (ties: the larger
 *   saving). From the tightest breakpoints this is the whole greedy; after the down pass it hands back
 *   what the down pass over-tightened. The cost never rises on the way up.
 */
import { SPLIT_TOLERANCE, pathsThrough, type CostSteps } from './cost-steps.js';
import type { DescendingSteps } from './module-cost-curve.js';

/**
 * Breakpoint indices, one per module (0: the loosest), with every path within `sloMs`, or undefined
 * when no module on an overrunning path has a tighter breakpoint left. `paths` lists module indices.
 */
export function descendingSplit(
  sweeps: readonly DescendingSteps[],
  paths: readonly (readonly number[])[],
  sloMs: number,
): number[] | undefined {
  if (sweeps.some((s) => !s.has(0))) return undefined;
  const limitMs = sloMs * (1 + SPLIT_TOLERANCE);
  const at = sweeps.map(() => 0);
  const sums = paths.map((path) => path.reduce((s, m) => s + (sweeps[m]?.budgetMs(0) ?? 0), 0));
  const pathsOf = pathsThrough(sweeps.length, paths);
  for (;;) {
    let mover = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    let bestFreed = 0;
    let over = false;
    sweeps.forEach((s, m) => {
      let overrunMs = 0;
      for (const p of pathsOf[m] ?? []) overrunMs = Math.max(overrunMs, (sums[p] ?? 0) - limitMs);
      if (!(overrunMs > 0)) return;
      over = true;
      const k = at[m] ?? 0;
      if (!s.has(k + 1)) return;
      const freedMs = s.budgetMs(k) - s.budgetMs(k + 1);
      // Only the ms that shorten an overrun count: freeing more than that buys nothing yet.
      const ratio = (s.costPerHour(k + 1) - s.costPerHour(k)) / Math.min(freedMs, overrunMs);
      if (ratio < bestRatio || (ratio === bestRatio && freedMs > bestFreed)) {
        mover = m;
        bestRatio = ratio;
        bestFreed = freedMs;
      }
    });
    if (!over) return at;
    if (mover < 0) return undefined;
    const s = sweeps[mover];
    const k = at[mover] ?? 0;
    if (s === undefined) return undefined;
    const freedMs = s.budgetMs(k) - s.budgetMs(k + 1);
    at[mover] = k + 1;
    for (const p of pathsOf[mover] ?? []) sums[p] = (sums[p] ?? 0) - freedMs;
  }
}

/**
 * Breakpoint indices into `steps` (ascending budgets), one per module, or undefined when the start
 * overruns a path. `start` defaults to every module's first (tightest) breakpoint. `paths` lists
 * module indices; every path's budgets must sum to at most `sloMs`.
 */
export function greedySplit(
  steps: readonly CostSteps[],
  paths: readonly (readonly number[])[],
  sloMs: number,
  start?: readonly number[],
): number[] | undefined {
  if (steps.some((s) => s.budgetsMs.length === 0)) return undefined;
  const limitMs = sloMs * (1 + SPLIT_TOLERANCE);
  const at = steps.map((_, m) => start?.[m] ?? 0);
  const budgetOf = (m: number): number => steps[m]?.budgetsMs[at[m] ?? 0] ?? 0;
  const sums = paths.map((path) => path.reduce((s, m) => s + budgetOf(m), 0));
  if (sums.some((s) => s > limitMs)) return undefined;
  const pathsOf = pathsThrough(steps.length, paths);
  for (;;) {
    let mover = -1;
    let bestRatio = 0;
    let bestSaving = 0;
    steps.forEach((s, m) => {
      const i = at[m] ?? 0;
      const nextMs = s.budgetsMs[i + 1];
      if (nextMs === undefined) return;
      const extraMs = nextMs - (s.budgetsMs[i] ?? 0);
      let slackMs = Number.POSITIVE_INFINITY;
      for (const p of pathsOf[m] ?? []) slackMs = Math.min(slackMs, limitMs - (sums[p] ?? 0));
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
