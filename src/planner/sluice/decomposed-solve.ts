/**
 * Sluice's model solved by decomposition, for min-cost apps that nothing but a $/h budget couples (no
 * core budget, instance limits, budget classes or query sizes). Then the cost is a sum over modules of
 * C(L), the cheapest cover of the module's rate within budget L, and the only link between modules is
 * the SLO along each path. C is a step function of L; its steps are found exactly by a sweep from the
 * loosest budget down: the cheapest cover at L needs some budget λ ≤ L (the most any of its tuples
 * needs, l + fill/n), so the next step can only start below λ, at the next budget where some
 * candidate's instance floor changes. Each sweep stops where a module would cost more than a known
 * plan allows (costLimits). Then one step per module within every path's SLO at the least total cost
 * (budget-split.ts: a Pareto merge for a chain, a bounded depth-first search for other graphs).
 * Exact (the same optimum as the MILP), and no solver is needed; `exhausted` tells the caller to use
 * the MILP when a branch and bound hits its node limit. The core budget and instance limits are not
 * seen here except through each candidate's instance bound (a relaxation: solve-min-cost.ts).
 */
import { chainSplit, cheapestSplit, type Step } from './budget-split.js';
import { cheapestCover } from './cheapest-cover.js';
import { CoverScratch } from './cover-scratch.js';
import type { SluiceApp, SluiceCandidate, SluiceCandidates, SluiceModule } from './candidate-types.js';
import { sluiceNames } from './sluice-model.js';

export type DecomposedResult =
  | {
      readonly status: 'optimal';
      readonly values: Record<string, number>;
      readonly cost: number;
      /**
       * Per pipeline module, $/h no optimal plan spends on it: its app's cost here less the other
       * modules' cheapest covers (at their loosest budgets): bounds latency-bound instance counts.
       */
      readonly ceilings: ReadonlyMap<string, number>;
    }
  | { readonly status: 'infeasible' }
  | { readonly status: 'exhausted' };

const MAX_STEPS = 2000;

/** Whether the decomposition is exact for `candidates` under `problem`'s budgets. */
export function decomposable(candidates: SluiceCandidates, coupled: boolean): boolean {
  return !coupled && candidates.apps.every((a) => a.classLevels.length === 0 && a.sizes === undefined);
}

/** The least-cost plan of every app (apps are independent here), as MILP variable values. */
export function solveDecomposed(candidates: SluiceCandidates): DecomposedResult {
  const values: Record<string, number> = {};
  const ceilings = new Map<string, number>();
  let total = 0;
  for (const [a, app] of candidates.apps.entries()) {
    values[sluiceNames.served(a)] = app.app.rateRps;
    const limits = costLimits(app, candidates.coresBudgeted);
    if (limits === 'exhausted') return { status: 'exhausted' };
    const steps: Step[][] = [];
    for (const [m, mod] of app.modules.entries()) {
      const found = moduleSteps(mod, candidates.coresBudgeted, limits[m] ?? Number.POSITIVE_INFINITY);
      if (found === 'exhausted') return { status: 'exhausted' };
      if (found.length === 0) return { status: 'infeasible' };
      steps.push(found);
    }
    const choice = app.paths.length === 1 ? chainSplit(app, steps) : cheapestSplit(app, steps);
    if (choice === undefined) return { status: 'infeasible' };
    const appCost = choice.reduce((s, step) => s + step.cost, 0);
    const floors = steps.map((list) => Math.min(...list.map((step) => step.cost)));
    const floorSum = floors.reduce((s, f) => s + f, 0);
    app.modules.forEach((mod, m) =>
      ceilings.set(mod.module.name, appCost - (floorSum - (floors[m] ?? 0)) + 1e-9 * Math.max(1, appCost)),
    );
    for (const [m, mod] of app.modules.entries()) {
      const step = choice[m];
      if (step === undefined) continue;
      total += step.cost;
      values[sluiceNames.budget(a, m)] = step.needMs;
      let left = mod.offeredRps;
      for (const [i, c] of mod.candidates.entries()) {
        const n = step.counts[i] ?? 0;
        const rate = Math.min(left, n * c.config.instanceRps);
        values[sluiceNames.instances(a, m, i)] = n;
        values[sluiceNames.rate(a, m, i)] = rate;
        left -= rate;
      }
    }
  }
  return { status: 'optimal', values, cost: total, ceilings };
}

/**
 * Per module, the most it may cost in an optimal plan of its app: a known plan's cost (each module at
 * its fastest latency scaled so the longest path meets the SLO) less the other modules' least costs
 * (at their loosest budgets). The sweep of a module stops there: tighter budgets only cost more.
 */
function costLimits(app: SluiceApp, coresBudgeted: boolean): number[] | 'exhausted' {
  const none = app.modules.map(() => Number.POSITIVE_INFINITY);
  if (app.modules.every((m) => m.fixedBudgetMs !== undefined)) return none;
  const names = app.modules.map((m) => m.module.name);
  const fastest = app.modules.map((m) => Math.min(...m.candidates.map((c) => c.config.latencyMs)));
  const longest = Math.max(
    ...app.paths.map((p) => p.reduce((s, name) => s + (fastest[names.indexOf(name)] ?? 0), 0)),
  );
  const cover = (mod: SluiceModule, budgetMs: number) =>
    cheapestCover(new CoverScratch(mod.candidates, coresBudgeted).at(budgetMs), mod.offeredRps);
  const floors: number[] = [];
  let known = 0;
  for (const [m, mod] of app.modules.entries()) {
    const loosest = cover(mod, mod.maxBudgetMs);
    if (loosest.status === 'exhausted') return 'exhausted';
    if (loosest.status !== 'optimal') return none;
    floors.push(loosest.cost);
    const share = Math.min(mod.maxBudgetMs, ((fastest[m] ?? 0) * app.sloMs) / longest);
    const split = cover(mod, share);
    if (split.status === 'exhausted') return 'exhausted';
    known += split.status === 'optimal' ? split.cost : Number.POSITIVE_INFINITY;
  }
  const floorSum = floors.reduce((s, f) => s + f, 0);
  return floors.map((f) => known - (floorSum - f));
}

/** The steps of C(L) for one module, loosest budget first (cost rising as the budget tightens). */
function moduleSteps(mod: SluiceModule, coresBudgeted: boolean, costLimit: number): Step[] | 'exhausted' {
  const steps: Step[] = [];
  const scratch = new CoverScratch(mod.candidates, coresBudgeted);
  let budget = mod.fixedBudgetMs ?? mod.maxBudgetMs;
  for (let k = 0; k < MAX_STEPS; k++) {
    const cover = cheapestCover(scratch.at(budget), mod.offeredRps, undefined, costLimit);
    if (cover.status === 'exhausted') return 'exhausted';
    if (cover.status === 'infeasible') break;
    let needMs = 0;
    mod.candidates.forEach((c, i) => {
      const n = cover.counts[i] ?? 0;
      if (n > 0) needMs = Math.max(needMs, needOf(c, n));
    });
    const last = steps[steps.length - 1];
    if (last !== undefined && cover.cost <= last.cost * (1 + 1e-12)) steps.pop();
    steps.push({ needMs: mod.fixedBudgetMs ?? needMs, cost: cover.cost, counts: cover.counts });
    if (mod.fixedBudgetMs !== undefined) break;
    const next = budgetBelow(mod.candidates, needMs);
    if (next === undefined || next < mod.minBudgetMs * (1 - 1e-12)) break;
    budget = next;
  }
  return steps;
}

function needOf(c: SluiceCandidate, n: number): number {
  return c.config.latencyMs + c.fillMs / n;
}

/** The largest budget strictly below `ms` at which some candidate's instance floor is met exactly. */
function budgetBelow(candidates: readonly SluiceCandidate[], ms: number): number | undefined {
  const below = ms * (1 - 1e-12) - 1e-12;
  let best: number | undefined;
  for (const c of candidates) {
    const l = c.config.latencyMs;
    if (below <= l) continue;
    const j = c.fillMs === 0 ? 1 : Math.max(c.minInstances, Math.floor(c.fillMs / (below - l)) + 1);
    if (j > c.maxInstances) continue;
    const need = needOf(c, j);
    if (need <= below && (best === undefined || need > best)) best = need;
  }
  return best;
}
