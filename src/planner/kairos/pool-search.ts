/**
 * KAIROS's pool selection without online exploration: enumerate every mix of instance counts within
 * budget (pool-mixes.ts), rank each by an optimistic bound on its throughput and keep the best. The
 * bound that ranks is exact where it matters: every mix starts with an upper bound (+∞), the most
 * promising mix is solved exactly (fluid-bound.ts), and its LP duals tighten every other mix's upper
 * bound (weak duality: Σ_h C_h · price_h); this repeats until no unsolved mix can beat the best solved
 * one, so the choice is the one an exact solve of every mix would make, after a few dozen solves.
 *
 * Ranking: most requests served (the offered rate, capped by the bound), then the most accurate
 * variant, then the cheapest pool, then the highest bound, then the fewest instances, then the first
 * in enumeration order; so the choice is deterministic. A module with several variants is served by
 * one of them: each variant's pools are searched, and the best overall kept.
 */
import type { PlanningVariant } from '../planning-problem.js';
import { tupleLatencyMs } from '../planning-model.js';
import { boundFromPrices, FluidBoundSolver, type FluidBound } from './fluid-bound.js';
import type { KairosSetting } from './kairos-setting.js';
import { poolMixes } from './pool-mixes.js';

export interface PoolSearchOptions {
  /** Only pools of one instance type (the "best homogeneous configuration" baseline). Default false. */
  readonly singleType?: boolean;
  /** Give up past this many mixes per variant. Default 1,000,000. */
  readonly maxMixes?: number;
  /** Solve every mix exactly instead of pruning by the dual bounds (for checking). Default false. */
  readonly exhaustive?: boolean;
}

/** The chosen pool. Type indices are into `setting.types`. */
export interface PoolChoice {
  readonly variant: PlanningVariant;
  /** Instances of each type (0 where the pool has none). */
  readonly instances: readonly number[];
  readonly costPerHour: number;
  /** The pool's fluid bound, requests/s. */
  readonly boundRps: number;
  /** min(offered rate, bound), requests/s. */
  readonly servedRps: number;
  /** ratesRps[s][h]: requests/s of size class s on type h carrying `servedRps`. */
  readonly ratesRps: readonly (readonly number[])[];
}

export interface PoolSearch {
  /** Mixes within budget and limits, over all variants: each was ranked. */
  readonly mixesEnumerated: number;
  /** Mixes whose fluid LP was solved exactly (the rest were ruled out by their upper bounds). */
  readonly mixesSolved: number;
  /** Undefined when no mix serves anything; `reason` then says why. */
  readonly best: PoolChoice | undefined;
  readonly reason?: string;
}

/** A mix's ranking key; for an unsolved mix, `served` and `bound` are upper bounds. */
interface Ranked {
  readonly served: number;
  readonly accuracy: number;
  readonly cost: number;
  readonly bound: number;
  readonly count: number;
  readonly variantIndex: number;
  readonly mixIndex: number;
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Whether `a` ranks before `b`. With upper bounds in `a`, false means `a` cannot rank before `b`. */
function better(a: Ranked, b: Ranked): boolean {
  if (!close(a.served, b.served)) return a.served > b.served;
  if (!close(a.accuracy, b.accuracy)) return a.accuracy > b.accuracy;
  if (!close(a.cost, b.cost)) return a.cost < b.cost;
  if (!close(a.bound, b.bound)) return a.bound > b.bound;
  if (a.count !== b.count) return a.count < b.count;
  if (a.variantIndex !== b.variantIndex) return a.variantIndex < b.variantIndex;
  return a.mixIndex < b.mixIndex;
}

interface Candidate {
  readonly key: Ranked;
  readonly variant: PlanningVariant;
  /** Instances per type of `setting.types`. */
  readonly instances: readonly number[];
  readonly fluid: FluidBound;
  /** Fluid rates map from the variant's runnable types to `setting.types`. */
  readonly typeIndex: readonly number[];
}

/** The best pool for `setting` under the ranking above. */
export function searchPools(setting: KairosSetting, options: PoolSearchOptions = {}): PoolSearch {
  let mixesEnumerated = 0;
  let mixesSolved = 0;
  let best: Candidate | undefined;
  const reasons: string[] = [];
  setting.module.variants.forEach((variant, variantIndex) => {
    const outcome = searchVariant(setting, variant, variantIndex, options, best);
    if (typeof outcome === 'string') {
      reasons.push(`variant '${variant.name}': ${outcome}`);
      return;
    }
    mixesEnumerated += outcome.mixes;
    mixesSolved += outcome.solved;
    best = outcome.best;
  });
  const top = best;
  if (top === undefined || !(top.key.served > 0)) {
    const reason = mixesEnumerated === 0 && reasons.length > 0 ? reasons.join('; ') : whyNothing(setting);
    return { mixesEnumerated, mixesSolved, best: undefined, reason };
  }
  // The bound's split, over all types and scaled down to the rate served.
  const scale = top.key.served / top.key.bound;
  const ratesRps = top.fluid.ratesRps.map((row) => {
    const all = setting.types.map(() => 0);
    row.forEach((r, t) => (all[top.typeIndex[t] ?? 0] = r * scale));
    return all;
  });
  return {
    mixesEnumerated,
    mixesSolved,
    best: {
      variant: top.variant,
      instances: top.instances,
      costPerHour: top.key.cost,
      boundRps: top.key.bound,
      servedRps: top.key.served,
      ratesRps,
    },
  };
}

/**
 * The pools of one variant, best-first on their upper bounds, against the best candidate so far: the
 * new best, with how many mixes there were and how many were solved; or why they cannot be enumerated.
 */
function searchVariant(
  setting: KairosSetting,
  variant: PlanningVariant,
  variantIndex: number,
  options: PoolSearchOptions,
  bestSoFar: Candidate | undefined,
): { mixes: number; solved: number; best: Candidate | undefined } | string {
  const offered = setting.app.rateRps;
  // The types this variant runs on, with their index among all types.
  const runnable = setting.types.flatMap((type, index) =>
    variant.latency[type.hardware.name] === undefined ? [] : [{ type, index }],
  );
  const typeIndex = runnable.map((r) => r.index);
  const latencyMs = setting.classes.map((c) =>
    runnable.map(({ type }) => {
      const l = tupleLatencyMs(variant, type.hardware.name, c.rows, type.instanceCores);
      return l !== undefined && l <= setting.targetMs ? l : Number.POSITIVE_INFINITY;
    }),
  );
  const mixes = poolMixes(
    runnable.map((r) => r.type),
    setting.budget,
    {
      singleType: options.singleType ?? false,
      ...(options.maxMixes === undefined ? {} : { maxMixes: options.maxMixes }),
    },
  );
  if (typeof mixes === 'string') return mixes;
  const solver = new FluidBoundSolver({ shares: setting.classes.map((c) => c.share), latencyMs });
  const capacities = mixes.map((mix) => mix.map((n) => n * setting.rho * 1000));
  const keys: Ranked[] = mixes.map((mix, mixIndex) => ({
    // A mix that leaves a class without a type serves nothing: known without solving.
    served: solver.covers(capacities[mixIndex] ?? []) ? offered : 0,
    accuracy: variant.accuracy,
    cost: mix.reduce((c, n, t) => c + n * (runnable[t]?.type.pricePerHour ?? 0), 0),
    bound: Number.POSITIVE_INFINITY,
    count: mix.reduce((a, b) => a + b, 0),
    variantIndex,
    mixIndex,
  }));
  const solved = new Array<boolean>(mixes.length).fill(false);
  const exhaustive = options.exhaustive === true;
  let best = bestSoFar;
  let solves = 0;
  for (;;) {
    // Exhaustive: every servable mix in order. Else the unsolved mix that ranks first on its upper
    // bounds, until it cannot beat the best solved one.
    let next = -1;
    if (exhaustive) next = keys.findIndex((key, i) => !solved[i] && key.served > 0);
    else
      keys.forEach((key, i) => {
        const current = keys[next];
        if (!solved[i] && key.served > 0 && (current === undefined || better(key, current))) next = i;
      });
    const key = keys[next];
    const mix = mixes[next];
    if (key === undefined || mix === undefined) break;
    if (best !== undefined && !exhaustive && !better(key, best.key)) break;
    const fluid = solver.solve(capacities[next] ?? []);
    solves++;
    solved[next] = true;
    const exact = { ...key, served: Math.min(offered, fluid.rateRps), bound: fluid.rateRps };
    keys[next] = exact;
    if (best === undefined || better(exact, best.key)) {
      const instances = setting.types.map(() => 0);
      mix.forEach((n, t) => (instances[typeIndex[t] ?? 0] = n));
      best = { key: exact, variant, instances, fluid, typeIndex };
    }
    const prices = fluid.pricesPerMs;
    if (prices === undefined || exhaustive) continue;
    keys.forEach((other, i) => {
      if (solved[i] || other.served === 0) return;
      const upper = Math.min(other.bound, boundFromPrices(prices, capacities[i] ?? []));
      keys[i] = { ...other, bound: upper, served: Math.min(offered, upper) };
    });
  }
  return { mixes: mixes.length, solved: solves, best };
}

/** Why no pool serves anything: nothing affordable, or a query size no affordable type meets in time. */
function whyNothing(setting: KairosSetting): string {
  if (!(setting.app.rateRps > 0)) return 'nothing is offered';
  const budget = setting.budget.costPerHour;
  const affordable = setting.types.filter((t) => budget === undefined || t.pricePerHour <= budget);
  if (affordable.length === 0) {
    const cheapest = [...setting.types].sort((a, b) => a.pricePerHour - b.pricePerHour)[0];
    return `the budget of ${budget} $/h buys no instance${
      cheapest === undefined
        ? ''
        : ` (the cheapest, ${cheapest.hardware.name}, costs ${cheapest.pricePerHour} $/h)`
    }`;
  }
  for (const c of setting.classes) {
    if (!(c.share > 0)) continue;
    let fastest: { ms: number; on: string } | undefined;
    for (const type of affordable) {
      for (const variant of setting.module.variants) {
        const ms = tupleLatencyMs(variant, type.hardware.name, c.rows, type.instanceCores);
        if (ms !== undefined && (fastest === undefined || ms < fastest.ms))
          fastest = { ms, on: type.hardware.name };
      }
    }
    if (fastest === undefined || fastest.ms > setting.targetMs)
      return `requests of ${c.rows} rows meet the ${setting.targetMs} ms target on no affordable instance type${
        fastest === undefined ? '' : ` (fastest: ${round(fastest.ms)} ms on ${fastest.on})`
      }`;
  }
  return `no pool within the budget has, for every query size, a type that serves it within ${setting.targetMs} ms`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
