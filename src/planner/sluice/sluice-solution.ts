/**
 * From the MILP's values to a plan draft: instance counts rounded, rates cleaned of solver noise and
 * re-balanced so each module carries exactly its share (tight budget classes first), pipeline budgets
 * set to what each module's tuples need and the spare objective handed back along every path (as
 * Harpagon's latency reassigner does: spare budget lets batches fill with fewer dummies).
 */
import type { PlanModule, PlanTuple } from '../plan.js';
import type { PlanDraft } from '../planning-model.js';
import { makeTuple } from '../tuple-configs.js';
import type { SluiceApp, SluiceCandidate, SluiceCandidates, SluiceModule } from './candidate-types.js';
import { sluiceNames } from './sluice-model.js';

/** Solver noise below this many req/s (relative to the module's rate) is zero. */
const NOISE = 1e-9;

interface Chosen {
  readonly candidate: SluiceCandidate;
  readonly instances: number;
  rateRps: number;
  readonly sizeRps: number[];
}

/** The plan draft that the MILP's `values` describe. */
export function draftFromSolution(
  candidates: SluiceCandidates,
  values: Readonly<Record<string, number>>,
  reason: string,
): PlanDraft {
  const modules: PlanModule[] = [];
  const servedRps: Record<string, number> = {};
  for (const [a, entry] of candidates.apps.entries()) {
    const served = clamp(values[sluiceNames.served(a)] ?? 0, 0, entry.app.rateRps);
    servedRps[entry.app.name] = served;
    const chosen = entry.modules.map((mod, m) => chosenTuples(entry, mod, a, m, values, served));
    const budgets = moduleBudgets(entry, chosen);
    for (const [m, mod] of entry.modules.entries()) {
      const budgetMs = budgets[m] ?? 0;
      const tuples = (chosen[m] ?? []).map((t) => toTuple(entry, t, budgetMs));
      modules.push({ name: mod.module.name, budgetMs, tuples });
    }
  }
  return { modules, servedRps, reason };
}

function chosenTuples(
  entry: SluiceApp,
  mod: SluiceModule,
  a: number,
  m: number,
  values: Readonly<Record<string, number>>,
  served: number,
): Chosen[] {
  const wantRps = served * mod.multiplier;
  const noise = NOISE * Math.max(1, wantRps);
  const out: Chosen[] = [];
  for (const [i, candidate] of mod.candidates.entries()) {
    const instances = Math.round(values[sluiceNames.instances(a, m, i)] ?? 0);
    if (instances < 1) continue;
    const sizeRps = (entry.sizes ?? []).map((_, k) => {
      const v = values[sluiceNames.sizeRate(a, m, i, k)] ?? 0;
      return v > noise ? v : 0;
    });
    const plain = values[sluiceNames.rate(a, m, i)] ?? 0;
    const rateRps =
      candidate.sizeMs !== undefined
        ? sizeRps.reduce((s, r) => s + r, 0)
        : Math.min(plain > noise ? plain : 0, instances * candidate.config.instanceRps);
    out.push({ candidate, instances, rateRps, sizeRps });
  }
  if (entry.sizes === undefined) rebalance(out, wantRps);
  // A tuple that carries nothing costs without serving: drop it (never worse for any objective).
  return out.filter((t) => t.rateRps > 0);
}

/**
 * Makes unsized rates sum to `wantRps` exactly: a shortfall goes to spare capacity on the tightest
 * held tuples first, a surplus comes off the loosest first, so budget-class shares still hold.
 */
function rebalance(tuples: Chosen[], wantRps: number): void {
  let gap = wantRps - tuples.reduce((s, t) => s + t.rateRps, 0);
  const byHold = [...tuples].sort((x, y) => (x.candidate.holdMs ?? 0) - (y.candidate.holdMs ?? 0));
  if (gap > 0) {
    for (const t of byHold) {
      const spare = t.instances * t.candidate.config.instanceRps - t.rateRps;
      const add = Math.min(Math.max(0, spare), gap);
      t.rateRps += add;
      gap -= add;
    }
  } else if (gap < 0) {
    for (const t of byHold.reverse()) {
      const take = Math.min(t.rateRps, -gap);
      t.rateRps -= take;
      gap += take;
    }
  }
}

/**
 * One-module apps keep their fixed budget. A pipeline module gets the least budget its tuples need,
 * λ(n) = l + fill/n, then the spare objective along its paths (modules in the app's order).
 */
function moduleBudgets(entry: SluiceApp, chosen: readonly Chosen[][]): number[] {
  const budgets = entry.modules.map((mod, m) => {
    if (mod.fixedBudgetMs !== undefined) return mod.fixedBudgetMs;
    return Math.max(
      0,
      ...(chosen[m] ?? []).map((t) => t.candidate.config.latencyMs + t.candidate.fillMs / t.instances),
    );
  });
  if (entry.modules.every((mod) => mod.fixedBudgetMs !== undefined)) return budgets;
  const position = new Map(entry.modules.map((mod, m) => [mod.module.name, m]));
  const pathSum = (path: readonly string[]): number =>
    path.reduce((s, name) => s + (budgets[position.get(name) ?? -1] ?? 0), 0);
  for (const [m, mod] of entry.modules.entries()) {
    const through = entry.paths.filter((p) => p.includes(mod.module.name));
    const spare = Math.min(...through.map((p) => entry.sloMs - pathSum(p)));
    if (Number.isFinite(spare) && spare > 0) budgets[m] = (budgets[m] ?? 0) + spare;
  }
  return budgets;
}

function toTuple(entry: SluiceApp, t: Chosen, budgetMs: number): PlanTuple {
  const { config, holdMs } = t.candidate;
  if (entry.sizes === undefined) return makeTuple(config, t.instances, t.rateRps, budgetMs, holdMs);
  return {
    variant: config.variant.name,
    hardware: config.hardware.name,
    cores: config.cores,
    batch: 1,
    instances: t.instances,
    rateRps: t.rateRps,
    dummyRps: 0,
    ...(holdMs === undefined ? {} : { budgetMs: holdMs }),
    sizes: entry.sizes.map((s, k) => ({ rows: s.rows, rateRps: t.sizeRps[k] ?? 0 })),
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
