/**
 * Dropping candidates that can never do better than another, so the MILP stays small. Exact.
 *
 * Candidate a dominates b when some whole number α makes "α instances of a for every instance of b" a
 * replacement that is never worse, in every plan that uses b:
 *   - capacity: α·cap(a) ≥ cap(b) (sized: a serves every size b serves, in time(a) ≤ α·time(b));
 *   - latency: a fits wherever b fits: one-module apps: a is held to no looser a budget and
 *     α·fewest(b) ≥ fewest(a); pipelines: λa(α·n) ≤ λb(n) for every n ≥ fewest(b) (λ(n) = l + fill/n;
 *     the difference of two such curves is monotone in n, so checking n = fewest(b) and n → ∞
 *     suffices, whatever b's instance bound: pruning does not change when a cost ceiling does);
 *   - resources: α·cost(a) ≤ cost(b), and α·cores(a) ≤ cores(b) when a core budget exists; when a's
 *     hardware has an instance limit, a runs on b's hardware and α = 1;
 *   - objective: min-cost and max-throughput do not see variants; accuracy-cost needs a to be b's
 *     variant, or at least as accurate and free to load (running now, no load time, or β = 0), since
 *     accuracy is increasing in every module's accuracy and reload counts each new variant once.
 * Replacing b this way in an optimal plan keeps it feasible and its objective no worse, and the new
 * tuple merges with an existing one of a (same configuration and budget) without loss. Each dropped
 * candidate is dominated by one that is kept, so some optimal plan uses kept candidates only. Every
 * instance bound of a still holds after the replacement: it costs no more, and the planning model's
 * bounds (see sluice-candidates.ts) hold for any plan of no higher cost.
 */
import type { PlanningModule, PlanningProblem } from '../planning-problem.js';
import type { SluiceCandidate } from './candidate-types.js';

export interface DominanceContext {
  /** Pipeline module: budgets are decided, so latency compares the curves λ(n). */
  readonly pipeline: boolean;
  readonly module: PlanningModule;
}

/** Tightness of the comparisons: only a clear replacement counts. */
const EPS = 1e-12;
/** Most extra α tried above the smallest that carries b's capacity. */
const ALPHA_TRIES = 4;

/** The candidates no other kept candidate dominates (order preserved). */
export function pruneDominated(
  problem: PlanningProblem,
  candidates: readonly SluiceCandidate[],
  context: DominanceContext,
): SluiceCandidate[] {
  const freeVariants = reloadFreeVariants(problem, context.module);
  const coresMatter = problem.budget?.cores !== undefined;
  const accuracyMatters = problem.objective.kind === 'accuracy-cost';
  const order = candidates
    .map((c, i) => ({ c, i, key: efficiencyKey(c) }))
    .sort(
      (x, y) => x.key - y.key || x.c.config.instanceCostPerHour - y.c.config.instanceCostPerHour || x.i - y.i,
    );
  const kept: { c: SluiceCandidate; i: number }[] = [];
  for (const entry of order) {
    const b = entry.c;
    let by = -1;
    for (let k = 0; k < kept.length && by < 0; k++) {
      const a = (kept[k] as { c: SluiceCandidate }).c;
      if (accuracyMatters && a.config.variant !== b.config.variant) {
        if (a.config.variant.accuracy < b.config.variant.accuracy) continue;
        if (!freeVariants.has(a.config.variant.name)) continue;
      }
      if (dominates(a, b, context.pipeline, coresMatter)) by = k;
    }
    if (by < 0) kept.push(entry);
    else if (by > 0) {
      // Move the dominator forward: a few strong candidates dominate most of the rest, so later
      // checks usually stop at the first or second entry.
      const [strong] = kept.splice(by, 1);
      if (strong !== undefined) kept.splice(Math.floor(by / 2), 0, strong);
    }
  }
  return kept.sort((x, y) => x.i - y.i).map((k) => k.c);
}

/** Whether α instances of a per instance of b are a replacement never worse (resources and latency). */
export function dominates(
  a: SluiceCandidate,
  b: SluiceCandidate,
  pipeline: boolean,
  coresMatter: boolean,
): boolean {
  if (a === b) return false;
  if ((a.holdMs ?? 0) > (b.holdMs ?? 0) * (1 + EPS)) return false;
  const limited = a.config.hardware.maxInstances !== undefined;
  if (limited && a.config.hardware.name !== b.config.hardware.name) return false;
  let low = 1;
  if (b.sizeMs !== undefined) {
    for (const [i, tb] of b.sizeMs.entries()) {
      if (tb === undefined) continue;
      const ta = a.sizeMs?.[i];
      if (ta === undefined) return false;
      low = Math.max(low, Math.ceil(ta / tb - EPS));
    }
  } else {
    low = Math.max(low, Math.ceil(b.config.instanceRps / a.config.instanceRps - EPS));
  }
  if (!pipeline) low = Math.max(low, Math.ceil(a.minInstances / b.minInstances - EPS));
  let high = low + ALPHA_TRIES;
  const costA = a.config.instanceCostPerHour;
  const costB = b.config.instanceCostPerHour;
  if (costA > 0) high = Math.min(high, Math.floor((costB / costA) * (1 + EPS)));
  if (coresMatter && a.config.hardware.kind === 'cpu') {
    const coresB = b.config.hardware.kind === 'cpu' ? b.config.cores : 0;
    high = Math.min(high, Math.floor((coresB / a.config.cores) * (1 + EPS)));
  }
  if (limited) high = Math.min(high, 1);
  for (let alpha = low; alpha <= high; alpha++) {
    if (!pipeline || curveBelow(a, b, alpha)) return true;
  }
  return false;
}

/**
 * λa(α·n) ≤ λb(n) for every n ≥ fewest(b): the difference is monotone in n, so it suffices at
 * n = fewest(b) and as n grows without bound (la ≤ lb). Independent of b's instance bound, so a cost
 * ceiling that raises bounds never changes what is pruned.
 */
function curveBelow(a: SluiceCandidate, b: SluiceCandidate, alpha: number): boolean {
  const slack = EPS * Math.max(1, b.config.latencyMs);
  const base = a.config.latencyMs - b.config.latencyMs;
  const low = b.minInstances;
  return base <= slack && base + a.fillMs / (alpha * low) - b.fillMs / low <= slack;
}

/** Cost per unit of capacity: dominators come first in this order, so one pass prunes well. */
function efficiencyKey(c: SluiceCandidate): number {
  if (c.sizeMs === undefined) return c.config.instanceCostPerHour / c.config.instanceRps;
  const times = c.sizeMs.filter((t) => t !== undefined);
  const mean = times.reduce((s, t) => s + t, 0) / Math.max(1, times.length);
  return c.config.instanceCostPerHour * mean;
}

/** Variants of `module` that add nothing to the reload term when a plan starts them. */
function reloadFreeVariants(problem: PlanningProblem, module: PlanningModule): Set<string> {
  const objective = problem.objective;
  const beta = objective.kind === 'accuracy-cost' ? (objective.reloadWeight ?? 0) : 0;
  const longest = Math.max(0, ...problem.modules.flatMap((m) => m.variants.map((v) => v.loadMs ?? 0)));
  const running = new Set(
    (problem.current?.modules ?? [])
      .filter((m) => m.name === module.name)
      .flatMap((m) => m.tuples.map((t) => t.variant)),
  );
  return new Set(
    module.variants
      .filter((v) => beta === 0 || longest === 0 || (v.loadMs ?? 0) === 0 || running.has(v.name))
      .map((v) => v.name),
  );
}
