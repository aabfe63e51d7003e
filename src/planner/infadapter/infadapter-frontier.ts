/**
 * InfAdapter's program (infadapter-model.ts) solved without the MILP, by the exact frontier programme
 * of sluice/frontier-dp.ts: per app, one layer per variant from the most to the least accurate (filling
 * the most accurate variants first is the best split of an app's rate over the chosen allocations),
 * each layer exclusive (one allocation per variant), every candidate one instance. A state tracks what
 * the budgets and the objective see: $/h when the objective, the cost term or a $/h budget needs it,
 * cores under a core budget, instances of each kind with a limit. The result is the program's optimum;
 * undefined when the programme passes its state limit (the caller then solves the MILP).
 */
import type { PlanningProblem } from '../planning-problem.js';
import {
  countsOf,
  FLOOR_SLACK,
  runFrontier,
  type FrontierLayer,
  type FrontierState,
} from '../sluice/frontier-dp.js';
import type { InfadapterApp, InfadapterCandidate, InfadapterScope } from './infadapter-candidates.js';
import { choiceName, rateName } from './infadapter-rows.js';

export type InfadapterFrontierOutcome =
  { readonly status: 'optimal'; readonly values: Record<string, number> } | { readonly status: 'infeasible' };

const MAX_STATES = 20_000;

interface Dimensions {
  readonly limits: number[];
  useOf(c: InfadapterCandidate): number[];
  /** The $/h of a state's use (0 when not tracked). */
  price(use: readonly number[]): number;
  /** The accuracy-cost term's resource of a state's use: cores under a core budget, else $/h. */
  term(use: readonly number[]): number;
}

/** The optimum of InfAdapter's program over `scope`, or undefined when the programme gives up. */
export function solveInfadapterFrontier(
  problem: PlanningProblem,
  scope: InfadapterScope,
  maxStates = MAX_STATES,
): InfadapterFrontierOutcome | undefined {
  const objective = problem.objective;
  if (objective.kind === 'max-throughput') return undefined;
  const accuracy = objective.kind === 'accuracy-cost';
  const budget = problem.budget;
  const dims = dimensionsOf(
    problem,
    !accuracy || budget?.cores === undefined || budget.costPerHour !== undefined,
  );
  const totalRps = scope.apps.reduce((s, a) => s + a.app.rateRps, 0);
  const alpha = accuracy ? objective.costWeight : 0;
  const beta = accuracy ? (objective.reloadWeight ?? 0) : 0;
  const scale = problem.budget?.cores ?? problem.budget?.costPerHour ?? 1;
  const charge = (use: readonly number[]): number => (scale > 0 ? (alpha * dims.term(use)) / scale : 0);

  const layers: FrontierLayer[] = [];
  // Per app: the least $/h per req/s of any candidate; the most its rate can be worth (accuracy) or the
  // least it can cost (min-cost).
  const perRps = scope.apps.map((entry) =>
    Math.min(...entry.candidates.map((c) => c.config.instanceCostPerHour / c.capacityRps)),
  );
  const appBest: number[] = [];
  for (const [a, entry] of scope.apps.entries()) {
    const rate = entry.app.rateRps;
    const variants = [...new Set(entry.candidates.map((c) => c.variant))].sort(
      (x, y) =>
        (entry.module.variants[y]?.accuracy ?? 0) - (entry.module.variants[x]?.accuracy ?? 0) || x - y,
    );
    appBest.push(
      accuracy
        ? rate * ((entry.module.variants[variants[0] ?? -1]?.accuracy ?? 0) / (totalRps || 1))
        : rate * (perRps[a] ?? 0),
    );
    layers.push(
      ...variantLayers(a, entry, variants, dims, (v, own, closes) => ({
        worth: accuracy && totalRps > 0 ? (entry.module.variants[v]?.accuracy ?? 0) / totalRps : 0,
        openCost: beta * (own[0]?.reloadShare ?? 0),
        floor: closes ? rate : 0,
        rate,
      })),
    );
  }
  if (layers.length === 0) return undefined;
  // What the apps after each layer's own can add at best.
  const laterBest = layers.map((layer) => appBest.slice(layer.app + 1).reduce((s, x) => s + x, 0));

  const score = (s: FrontierState): number => (accuracy ? s.value - charge(s.use) : dims.price(s.use));
  const better = (a: number, b: number): boolean => (accuracy ? a > b : a < b);
  let best: { state: FrontierState; score: number } | undefined;
  const offer = (state: FrontierState): void => {
    const s = score(state);
    if (best === undefined || better(s, best.score)) best = { state, score: s };
  };
  const hopeless = (s: FrontierState, l: number): boolean => {
    if (best === undefined) return false;
    const layer = layers[l];
    if (layer === undefined) return false;
    const left = Math.max(0, layer.rate * (1 - FLOOR_SLACK) - s.capacity);
    const tie = 1e-12 * Math.max(1, Math.abs(best.score));
    if (accuracy)
      return s.value + left * layer.worth + (laterBest[l] ?? 0) - charge(s.use) <= best.score + tie;
    return dims.price(s.use) + left * (perRps[layer.app] ?? 0) + (laterBest[l] ?? 0) >= best.score - tie;
  };
  const finals = runFrontier(layers, {
    limits: dims.limits,
    maxStates,
    complete: offer,
    hopeless,
  });
  if (finals === 'exhausted') return undefined;
  for (const s of finals) offer(s);
  if (best === undefined) return { status: 'infeasible' };
  return { status: 'optimal', values: valuesOf(scope, best.state) };
}

/**
 * The most the allocations of the apps `apps` carry within the budgets, req/s (each app's share capped
 * at its rate with `atMost`): InfAdapter's capacity program (capacity-model.ts) by the frontier
 * programme; undefined when that passes `maxStates`.
 */
export function mostCarriedByFrontier(
  problem: PlanningProblem,
  scope: InfadapterScope,
  apps: readonly number[],
  atMost: boolean,
  maxStates = MAX_STATES,
): number | undefined {
  const dims = dimensionsOf(problem, problem.budget?.costPerHour !== undefined);
  const layers: FrontierLayer[] = [];
  for (const a of apps) {
    const entry = scope.apps[a];
    if (entry === undefined) continue;
    const variants = [...new Set(entry.candidates.map((c) => c.variant))];
    layers.push(
      ...variantLayers(a, entry, variants, dims, () => ({
        worth: 1,
        openCost: 0,
        floor: 0,
        rate: atMost ? entry.app.rateRps : Number.POSITIVE_INFINITY,
      })),
    );
  }
  const finals = runFrontier(layers, { limits: dims.limits, maxStates });
  if (finals === 'exhausted') return undefined;
  return Math.max(0, ...finals.map((s) => s.value));
}

/**
 * App `a`'s layers: one per variant in the order of `variants`, each exclusive (one allocation per
 * variant), every candidate one instance; `valued` gives a layer's worth, reload, floor and rate.
 */
function variantLayers(
  a: number,
  entry: InfadapterApp,
  variants: readonly number[],
  dims: Dimensions,
  valued: (
    variant: number,
    own: readonly InfadapterCandidate[],
    closes: boolean,
  ) => Pick<FrontierLayer, 'worth' | 'openCost' | 'floor' | 'rate'>,
): FrontierLayer[] {
  return variants.map((v, g) => {
    const own = entry.candidates.filter((c) => c.variant === v);
    const closes = g === variants.length - 1;
    return {
      app: a,
      items: own.map((c) => ({
        app: a,
        index: c.index,
        capacity: c.capacityRps,
        use: dims.useOf(c),
        fewest: 1,
        most: 1,
      })),
      ...valued(v, own, closes),
      closes,
      exclusive: true,
    };
  });
}

/** The dimensions a state needs: $/h (when `priceDim`), cores under a core budget, instances of each limited kind. */
function dimensionsOf(problem: PlanningProblem, priceDim: boolean): Dimensions {
  const budget = problem.budget;
  const coresDim = budget?.cores !== undefined;
  const limits: number[] = [];
  if (priceDim) limits.push(budget?.costPerHour ?? Number.POSITIVE_INFINITY);
  if (coresDim) limits.push(budget?.cores ?? Number.POSITIVE_INFINITY);
  const limited = problem.hardware.flatMap((h, i) => (h.maxInstances === undefined ? [] : [i]));
  for (const h of limited) limits.push(problem.hardware[h]?.maxInstances ?? Number.POSITIVE_INFINITY);
  const coresAt = priceDim ? 1 : 0;
  return {
    limits,
    useOf: (c) => [
      ...(priceDim ? [c.config.instanceCostPerHour] : []),
      ...(coresDim ? [c.config.cores] : []),
      ...limited.map((h) => (c.hardware === h ? 1 : 0)),
    ],
    price: (use) => (priceDim ? (use[0] ?? 0) : 0),
    term: (use) => (coresDim ? (use[coresAt] ?? 0) : (use[0] ?? 0)),
  };
}

/** The program's values for a final state: chosen allocations, and each app's rate filled most accurate first. */
function valuesOf(scope: InfadapterScope, state: FrontierState): Record<string, number> {
  const counts = countsOf(state);
  const values: Record<string, number> = {};
  for (const [a, entry] of scope.apps.entries()) {
    const chosen = entry.candidates
      .filter((c) => (counts.get(`${a}/${c.index}`) ?? 0) > 0)
      .sort(
        (x, y) =>
          (entry.module.variants[y.variant]?.accuracy ?? 0) -
          (entry.module.variants[x.variant]?.accuracy ?? 0),
      );
    let left = entry.app.rateRps;
    for (const c of chosen) {
      const rate = Math.min(left, c.capacityRps);
      values[choiceName(c)] = 1;
      values[rateName(a, c.variant)] = rate;
      left -= rate;
    }
  }
  return values;
}
