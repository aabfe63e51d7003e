/**
 * InfAdapter's mixed-integer program as data (papers.md §2): on the shared rows (infadapter-rows.ts),
 * for `accuracy-cost` maximise exactly the value `objectiveValueOf` gives the plan,
 *   Σ_{a,m} acc_m · λ_{a,m} / Λ  −  α · Σ_i costShare_i · y_i  −  β · Σ_i reloadShare_i · y_i,
 * with Λ the total offered rate (plan accuracy is served-rate-weighted over apps, traffic-weighted over
 * variants), costShare_i = n_i / budget.cores when a core budget is set, else price_i / budget.costPerHour
 * when a cost budget is set, else price_i ($/h), and reloadShare_i the variant's load time over the
 * longest (0 when `current` runs it). For `min-cost` (not InfAdapter's own objective) the same rows
 * minimise Σ_i price_i · y_i with accuracy weight 0. The objective is multiplied by `objectiveScale`
 * so that the solver's absolute optimality gap (HiGHS: 1e-6) is negligible against the value; the
 * optimum is the same.
 */
import type { MilpModel } from '../../ports/solver.js';
import type { PlanModule, PlanTuple } from '../plan.js';
import type { PlanDraft } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import { makeTuple } from '../tuple-configs.js';
import {
  infadapterCandidates,
  type InfadapterCandidate,
  type InfadapterScope,
} from './infadapter-candidates.js';
import { choiceName, infadapterRows, rateName } from './infadapter-rows.js';

/** The scaled objective's bound is at most this (see `objectiveScale`). */
const OBJECTIVE_MAGNITUDE = 1e6;
/** Rates below this share of an app's rate are solver noise: they are moved to other variants. */
const RATE_NOISE = 1e-9;

export interface InfadapterModel {
  readonly model: MilpModel;
  readonly scope: InfadapterScope;
  /** The model's objective is the plan's objective value times this (> 0). */
  readonly objectiveScale: number;
  /**
   * The plan draft a solution's values stand for: one tuple (one instance) per chosen variant that
   * carries traffic, at the candidate's batch, with the dummies its batches need. Solver noise is
   * cleaned up: rates are clamped to each variant's capacity and any residue moved so that every app's
   * rate is carried exactly.
   */
  decode(values: Readonly<Record<string, number>>): PlanDraft;
}

/**
 * InfAdapter's program for `problem`, or why it does not apply (the objective is `max-throughput`, or
 * `infadapterCandidates` refuses the problem).
 */
export function buildInfadapterModel(problem: PlanningProblem): InfadapterModel | string {
  const objective = problem.objective;
  if (objective.kind === 'max-throughput')
    return "objective: max-throughput is not InfAdapter's problem (it serves the whole offered rate, trading accuracy against cost); use accuracy-cost or min-cost";
  const scope = infadapterCandidates(problem);
  if (typeof scope === 'string') return scope;
  const rows = infadapterRows(problem, scope, { rates: 'equal' });
  const candidates = scope.apps.flatMap((a) => a.candidates);
  const coefficients = new Map<string, number>();
  if (objective.kind === 'accuracy-cost') {
    const totalRps = scope.apps.reduce((s, a) => s + a.app.rateRps, 0);
    for (const [a, entry] of scope.apps.entries())
      for (const v of new Set(entry.candidates.map((c) => c.variant)))
        coefficients.set(
          rateName(a, v),
          totalRps > 0 ? (entry.module.variants[v]?.accuracy ?? 0) / totalRps : 0,
        );
    const reloadWeight = objective.reloadWeight ?? 0;
    for (const c of candidates)
      coefficients.set(
        choiceName(c),
        -(objective.costWeight * costShare(problem, c) + reloadWeight * c.reloadShare),
      );
  } else {
    for (const c of candidates) coefficients.set(choiceName(c), c.config.instanceCostPerHour);
  }
  // |objective| ≤ 1 (accuracy) + Σ |y coefficients|: scale that bound to OBJECTIVE_MAGNITUDE.
  const bound =
    (objective.kind === 'accuracy-cost' ? 1 : 0) +
    candidates.reduce((s, c) => s + Math.abs(coefficients.get(choiceName(c)) ?? 0), 0);
  const objectiveScale = bound > 0 ? OBJECTIVE_MAGNITUDE / bound : 1;
  const model: MilpModel = {
    sense: objective.kind === 'accuracy-cost' ? 'maximize' : 'minimize',
    variables: rows.variables.map((v) => ({
      ...v,
      objective: objectiveScale * (coefficients.get(v.name) ?? 0),
    })),
    constraints: rows.constraints,
  };
  return { model, scope, objectiveScale, decode: (values) => decodeDraft(scope, values) };
}

/** What choosing candidate `c` adds to the cost term of `objectiveValueOf`. */
export function costShare(problem: PlanningProblem, c: InfadapterCandidate): number {
  const budget = problem.budget;
  if (budget?.cores !== undefined) return budget.cores > 0 ? c.config.cores / budget.cores : 0;
  if (budget?.costPerHour !== undefined)
    return budget.costPerHour > 0 ? c.config.instanceCostPerHour / budget.costPerHour : 0;
  return c.config.instanceCostPerHour;
}

function decodeDraft(scope: InfadapterScope, values: Readonly<Record<string, number>>): PlanDraft {
  const modules: PlanModule[] = [];
  const lines: string[] = [];
  for (const [a, entry] of scope.apps.entries()) {
    // The chosen allocation of each variant (the constraint allows one; take the surest if noise gives more).
    const chosen = new Map<number, InfadapterCandidate>();
    for (const c of entry.candidates) {
      const value = values[choiceName(c)] ?? 0;
      const held = chosen.get(c.variant);
      if (value > 0.5 && (held === undefined || value > (values[choiceName(held)] ?? 0)))
        chosen.set(c.variant, c);
    }
    const rateRps = entry.app.rateRps;
    const noiseRps = RATE_NOISE * Math.max(1, rateRps);
    const share = new Map<number, number>();
    for (const [v, c] of chosen) {
      const raw = Math.min(c.capacityRps, Math.max(0, values[rateName(a, v)] ?? 0));
      share.set(v, raw > noiseRps ? raw : 0);
    }
    // Most accurate first: residue goes where it is worth most, and is taken from where it is worth least.
    const order = [...chosen.keys()].sort(
      (x, y) => (entry.module.variants[y]?.accuracy ?? 0) - (entry.module.variants[x]?.accuracy ?? 0),
    );
    let residue = rateRps - [...share.values()].reduce((s, r) => s + r, 0);
    for (const v of residue > 0 ? order : [...order].reverse()) {
      const now = share.get(v) ?? 0;
      const room = residue > 0 ? (chosen.get(v)?.capacityRps ?? 0) - now : -now;
      const move = residue > 0 ? Math.min(residue, room) : Math.max(residue, room);
      share.set(v, now + move);
      residue -= move;
    }
    const tuples: PlanTuple[] = [];
    const parts: string[] = [];
    for (const v of order) {
      const c = chosen.get(v);
      const r = share.get(v) ?? 0;
      if (c === undefined || !(r > 0)) continue;
      tuples.push(makeTuple(c.config, 1, r, entry.budgetMs));
      parts.push(
        `${c.config.variant.name} on ${c.config.cores} cores of ${c.config.hardware.name} (batch ${c.config.batch}) carries ${round(r)} of ${round(c.capacityRps)} req/s`,
      );
    }
    modules.push({ name: entry.module.name, budgetMs: entry.budgetMs, tuples });
    lines.push(`module '${entry.module.name}': ${parts.length > 0 ? parts.join(', ') : 'nothing to serve'}`);
  }
  const reason = `InfAdapter: ${lines.join('; ')}`;
  return { modules, reason };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
