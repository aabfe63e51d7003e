/**
 * Harpagon's latency reassigner (docs/papers.md §3, reading): once the split is chosen, the budget left
 * unused on the paths is handed back to the modules, first to those padding their batches with the
 * most dummy requests (a looser budget needs fewer). Each module takes all the slack the paths through
 * it still have. Budgets only grow, so every tuple still fills its batches in time, and every path
 * stays within the SLO.
 */

/**
 * The budgets after handing back the slack, in ms. `priority` orders the modules (larger first; ties
 * in index order), typically the dummy rate each adds.
 */
export function reassignLatency(
  budgetsMs: readonly number[],
  paths: readonly (readonly number[])[],
  sloMs: number,
  priority: readonly number[],
): number[] {
  // First every module grows in proportion to its budget, by the most all its paths allow: the slack is
  // shared, so no module is left at exactly its worst-case latency with nothing for queueing (the planning
  // model is a fluid one; executed arrivals are bursty). Then what is left on looser paths goes by priority.
  const pathSums = paths.map((path) => path.reduce((s, m) => s + (budgetsMs[m] ?? 0), 0));
  const out = budgetsMs.map((b, m) => {
    const factors = paths.flatMap((path, p) =>
      path.includes(m) && (pathSums[p] ?? 0) > 0 ? [sloMs / (pathSums[p] ?? 1)] : [],
    );
    return factors.length === 0 ? b : b * Math.max(1, Math.min(...factors));
  });
  const sums = paths.map((path) => path.reduce((s, m) => s + (out[m] ?? 0), 0));
  const order = out.map((_, m) => m).sort((a, b) => (priority[b] ?? 0) - (priority[a] ?? 0) || a - b);
  for (const m of order) {
    const through = paths.flatMap((path, p) => (path.includes(m) ? [p] : []));
    if (through.length === 0) continue;
    const slackMs = Math.min(...through.map((p) => sloMs - (sums[p] ?? 0)));
    if (!(slackMs > 0)) continue;
    out[m] = (out[m] ?? 0) + slackMs;
    for (const p of through) sums[p] = (sums[p] ?? 0) + slackMs;
  }
  return out;
}
