/**
 * Sluice's model solved without a MILP for groups of one-module apps (no query sizes): min-cost or a
 * least resource (with budget classes, $/h and core budgets, instance limits), max-throughput (no
 * classes) and accuracy-cost (no classes). The instance counts come from the exact programme of
 * frontier-dp.ts over the same candidates the MILP would get; rates follow from the counts by an exact
 * argument: budget classes are nested, so filling the tightest held tuples first meets every class
 * floor whenever the capacities do; accuracy is largest when the most accurate tuples fill first.
 * Undefined when the group is of another shape or the programme grows past its state limit (then the
 * MILP decides).
 */
import type { PlanningProblem } from '../planning-problem.js';
import type { SluiceApp, SluiceCandidate, SluiceCandidates } from './candidate-types.js';
import {
  countsOf,
  FLOOR_SLACK,
  runFrontier,
  type FrontierLayer,
  type FrontierState,
  type FrontierItem,
} from './frontier-dp.js';
import { resourcesOf, type FrontierGoal, type Resources } from './frontier-resources.js';
import { reloadWeights } from './model-rows.js';
import { sluiceNames } from './sluice-model.js';

export type { FrontierGoal };

export type FrontierOutcome =
  | { readonly status: 'optimal'; readonly values: Record<string, number>; readonly objective: number }
  | { readonly status: 'infeasible' };

export interface FrontierOptions {
  /** Budgets left out (diagnosis). */
  readonly relax?: { readonly cost?: boolean; readonly cores?: boolean; readonly instances?: boolean };
  /** Give up past this many states; default 20 000. */
  readonly maxStates?: number;
}

/** Whether the programme applies to `candidates` for `goal`. */
export function frontierApplies(candidates: SluiceCandidates, goal: FrontierGoal): boolean {
  if (goal.kind === 'accuracy-cost' && goal.moduleWeights !== undefined) {
    for (const w of goal.moduleWeights.values()) if (w !== 1) return false;
  }
  return candidates.apps.every(
    (a) =>
      a.modules.length === 1 &&
      a.sizes === undefined &&
      a.blocked === undefined &&
      a.app.rateRps > 0 &&
      (a.modules[0]?.candidates.length ?? 0) > 0 &&
      (a.classLevels.length === 0 || goal.kind === 'min-cost' || goal.kind === 'min-resource'),
  );
}

/** The optimum of `goal` over `candidates`, or undefined when the programme does not apply or gives up. */
export function solveByFrontier(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
  goal: FrontierGoal,
  options: FrontierOptions = {},
): FrontierOutcome | undefined {
  if (!frontierApplies(candidates, goal)) return undefined;
  const all = candidates.apps.flatMap((a) => a.modules[0]?.candidates ?? []);
  const resources = resourcesOf(problem, all, goal, options.relax ?? {});
  const layers = buildLayers(problem, candidates, goal, resources);
  const alpha = problem.objective.kind === 'accuracy-cost' ? problem.objective.costWeight : 0;
  // The cost term of accuracy-cost is relative to the budget (objectiveValueOf).
  const scale = problem.budget?.cores ?? problem.budget?.costPerHour ?? 1;
  const charge = (use: readonly number[]): number => (alpha * resources.amount(use, 'term')) / scale;
  const score = scorer(goal, resources, charge);
  let best: { state: FrontierState; score: number } | undefined;
  const offer = (state: FrontierState): void => {
    const s = score(state);
    if (best === undefined || better(s, best.score, state, best.state, goal, resources))
      best = { state, score: s };
  };
  const bound = boundOf(layers, goal, resources, charge);
  const finals = runFrontier(layers, {
    limits: resources.limits,
    maxStates: options.maxStates ?? 20_000,
    ...(goal.kind === 'max-served' ? { onClose: (s: FrontierState) => s.value + s.capacity } : {}),
    ...(goal.kind === 'max-served' ? {} : { complete: offer }),
    ...(bound === undefined
      ? {}
      : {
          hopeless: (s: FrontierState, l: number, k: number) =>
            best !== undefined && bound(s, l, k, best.score),
        }),
  });
  if (finals === 'exhausted') return undefined;
  for (const s of finals) offer(s);
  if (best === undefined) return { status: 'infeasible' };
  if (goal.kind === 'max-served' && best.state.value <= 1e-9) return { status: 'infeasible' };
  return { status: 'optimal', values: valuesOf(candidates, goal, best.state), objective: best.score };
}

/** Layers in processing order: per app, its budget levels (tightest first) or its variants (most accurate first). */
function buildLayers(
  problem: PlanningProblem,
  candidates: SluiceCandidates,
  goal: FrontierGoal,
  resources: Resources,
): FrontierLayer[] {
  const out: FrontierLayer[] = [];
  const totalRps = candidates.apps.reduce((s, a) => s + a.app.rateRps, 0);
  const reload = reloadWeights(problem);
  for (const [a, app] of candidates.apps.entries()) {
    const mod = app.modules[0];
    if (mod === undefined) continue;
    const rate = app.app.rateRps;
    const item = (c: SluiceCandidate, index: number): FrontierItem => ({
      app: a,
      index,
      capacity: c.config.instanceRps,
      use: resources.useOf(c),
      fewest: c.minInstances,
      most: c.maxInstances,
    });
    const groups = groupsOf(app, goal);
    const served = goal.kind === 'max-served' ? 0 : rate;
    for (const [g, group] of groups.entries()) {
      const closes = g === groups.length - 1;
      const level = app.classLevels[g];
      const first = group[0]?.c;
      const variant = first?.config.variant;
      out.push({
        app: a,
        items: group.map(({ c, i }) => item(c, i)),
        worth: goal.kind === 'accuracy-cost' && variant !== undefined ? variant.accuracy / totalRps : 0,
        openCost:
          goal.kind === 'accuracy-cost' && variant !== undefined
            ? (reload.get(`${mod.module.name}/${variant.name}`) ?? 0)
            : 0,
        floor: closes ? served : (level?.cumulativeShare ?? 0) * rate,
        rate,
        closes,
      });
    }
  }
  return out;
}

/**
 * The app's candidates in layers: one per class level, tightest first, even when empty (its floor
 * still binds); one per variant, most accurate first (accuracy-cost); else all in one.
 */
function groupsOf(app: SluiceApp, goal: FrontierGoal): { c: SluiceCandidate; i: number }[][] {
  const entries = (app.modules[0]?.candidates ?? []).map((c, i) => ({ c, i }));
  if (app.classLevels.length > 0)
    return app.classLevels.map((level) =>
      entries.filter(({ c }) => Math.abs(level.budgetMs - (c.holdMs ?? 0)) <= 1e-12 * level.budgetMs),
    );
  if (goal.kind !== 'accuracy-cost') return [entries];
  const variants = [...new Set(entries.map(({ c }) => c.config.variant))].sort(
    (x, y) => y.accuracy - x.accuracy,
  );
  return variants.map((v) => entries.filter(({ c }) => c.config.variant === v));
}

/** The objective of a final state (min-cost: its cost; max-served: served; accuracy-cost: the value). */
function scorer(
  goal: FrontierGoal,
  resources: Resources,
  charge: (use: readonly number[]) => number,
): (s: FrontierState) => number {
  if (goal.kind === 'max-served') return (s) => s.value;
  if (goal.kind === 'accuracy-cost') return (s) => s.value - charge(s.use);
  return (s) => resources.amount(s.use, 'objective');
}

/** Whether score `a` (of state `sa`) beats `b`: max-served ties go to the cheaper. */
function better(
  a: number,
  b: number,
  sa: FrontierState,
  sb: FrontierState,
  goal: FrontierGoal,
  resources: Resources,
): boolean {
  if (goal.kind === 'min-cost' || goal.kind === 'min-resource') return a < b;
  if (goal.kind === 'accuracy-cost') return a > b;
  const tie = 1e-9 * Math.max(1, Math.abs(b));
  if (a > b + tie) return true;
  return a >= b - tie && resources.amount(sa.use, 'objective') < resources.amount(sb.use, 'objective');
}

/**
 * A test that a state cannot beat the best complete plan: every app must still get the rest of its
 * rate, and each req/s still to come uses at least the lowest use per req/s of the items still to
 * come in its app. Least resource: the state's use plus that least growth. Accuracy-cost: its value
 * plus the most the rest can add (per req/s at most the current layer's worth in its app, the first
 * layer's in later apps) less the charge for its resources and that least growth.
 */
function boundOf(
  layers: readonly FrontierLayer[],
  goal: FrontierGoal,
  resources: Resources,
  charge: (use: readonly number[]) => number,
): ((s: FrontierState, l: number, k: number, best: number) => boolean) | undefined {
  if (goal.kind === 'max-served') return undefined;
  const accuracy = goal.kind === 'accuracy-cost';
  // What one req/s of an item costs in the bound's measure: use, or the accuracy-cost charge.
  const perRps = (item: FrontierItem): number =>
    (accuracy ? charge(item.use) : resources.amount(item.use, 'objective')) / item.capacity;
  // Per (layer, item) position: the lowest per-req/s cost of the items after it in its app; per
  // layer, the best the later apps can do with their whole rates.
  const ratioAfter: number[][] = layers.map((layer) => layer.items.map(() => Infinity));
  const laterApps: number[] = layers.map(() => 0);
  let running = Infinity;
  let appsAfter = 0;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l] as FrontierLayer;
    const next = layers[l + 1];
    if (next !== undefined && next.app !== layer.app) {
      // `next` is the first (most accurate) layer of the next app.
      appsAfter += next.rate * (accuracy ? next.worth - running : running);
      running = Infinity;
    }
    laterApps[l] = appsAfter;
    for (let k = layer.items.length - 1; k >= 0; k--) {
      (ratioAfter[l] as number[])[k] = running;
      running = Math.min(running, perRps(layer.items[k] as FrontierItem));
    }
  }
  if (accuracy)
    return (s, l, k, best) => {
      const layer = layers[l] as FrontierLayer;
      const left = Math.max(0, layer.rate - s.capacity);
      const rest = left > 0 ? left * (layer.worth - (ratioAfter[l]?.[k] ?? Infinity)) : 0;
      const ub = s.value + rest + (laterApps[l] ?? 0) - charge(s.use);
      return ub <= best + 1e-12 * Math.max(1, Math.abs(best));
    };
  return (s, l, k, best) => {
    const layer = layers[l] as FrontierLayer;
    const left = Math.max(0, layer.rate * (1 - FLOOR_SLACK) - s.capacity);
    const rest = left > 0 ? left * (ratioAfter[l]?.[k] ?? Infinity) : 0;
    return resources.amount(s.use, 'objective') + rest + (laterApps[l] ?? 0) >= best * (1 - 1e-12);
  };
}

/** The MILP variable values of a final state: instance counts, rates filled in order, served rates. */
function valuesOf(
  candidates: SluiceCandidates,
  goal: FrontierGoal,
  state: FrontierState,
): Record<string, number> {
  const counts = countsOf(state);
  const values: Record<string, number> = {};
  for (const [a, app] of candidates.apps.entries()) {
    const mod = app.modules[0];
    if (mod === undefined) continue;
    const chosen = mod.candidates
      .map((c, i) => ({ c, i, n: counts.get(`${a}/${i}`) ?? 0 }))
      .filter((x) => x.n > 0)
      .sort((x, y) =>
        goal.kind === 'accuracy-cost'
          ? y.c.config.variant.accuracy - x.c.config.variant.accuracy
          : (x.c.holdMs ?? 0) - (y.c.holdMs ?? 0),
      );
    const capacity = chosen.reduce((s, x) => s + x.n * x.c.config.instanceRps, 0);
    const served = goal.kind === 'max-served' ? Math.min(app.app.rateRps, capacity) : app.app.rateRps;
    values[sluiceNames.served(a)] = served;
    let left = served;
    for (const x of chosen) {
      const rate = Math.min(left, x.n * x.c.config.instanceRps);
      values[sluiceNames.instances(a, 0, x.i)] = x.n;
      values[sluiceNames.used(a, 0, x.i)] = 1;
      values[sluiceNames.rate(a, 0, x.i)] = rate;
      left -= rate;
    }
  }
  return values;
}
