/**
 * Sponge's decision for one model (papers.md §1), on one variant and one cpu hardware kind: the cores c
 * and batch b of one vertically scaled instance, and when even the most cores cannot carry the rate, the
 * fewest identical instances n: the lexicographically smallest (n, c, b) feasible under the planning
 * model within the budget L. For a configuration (c, b) the feasible counts are n ≥ max(⌈r/(μρ)⌉, the
 * fewest whose batches fill in L with dummies) up to the hardware and budget limits, so the search is an
 * enumeration of the small (c, b) grid, as the authors do.
 */
import { instancesForRate } from '../baselines/instances-for-rate.js';
import { PLAN_TOLERANCE } from '../planning-model.js';
import type { TupleConfig } from '../tuple-configs.js';

export interface SpongeLimits {
  /** Instances of the hardware the plan may still add; default unlimited. */
  readonly instances?: number;
  /** Cores the plan may still add; default unlimited. */
  readonly cores?: number;
  /** $ per hour the plan may still add; default unlimited. */
  readonly costPerHour?: number;
}

export type SpongeSearchResult =
  | { readonly kind: 'chosen'; readonly config: TupleConfig; readonly instances: number }
  /** No configuration at all (no core or batch options). */
  | { readonly kind: 'no-configuration' }
  /** Every configuration's l(b, c) (or its batch fill) exceeds the budget; `fastest` has the least l. */
  | { readonly kind: 'latency'; readonly fastest: TupleConfig }
  /** Within `limit` instances no configuration carries the rate; `best` carries the most. */
  | {
      readonly kind: 'instances';
      readonly limit: number;
      readonly best: TupleConfig | undefined;
      readonly carriedRps: number;
    }
  /** The feasible configuration with the fewest cores needs `needed` cores, over `limit`. */
  | { readonly kind: 'cores'; readonly needed: number; readonly limit: number }
  /** The cheapest feasible configuration costs `needed` $/h, over `limit`. */
  | { readonly kind: 'cost'; readonly needed: number; readonly limit: number };

const fits = (value: number, limit: number | undefined): boolean =>
  limit === undefined || value <= limit + PLAN_TOLERANCE * Math.max(1, Math.abs(limit));

/** The lexicographically smallest feasible (n, c, b) for `rateRps` within `budgetMs`, or what binds. */
export function spongeSearch(
  configs: readonly TupleConfig[],
  rateRps: number,
  budgetMs: number,
  limits: SpongeLimits = {},
): SpongeSearchResult {
  const first = configs[0];
  if (first === undefined) return { kind: 'no-configuration' };
  const sized = configs
    .map((config) => ({ config, instances: instancesForRate(config, rateRps, budgetMs) }))
    .filter((s) => Number.isFinite(s.instances));
  if (sized.length === 0) {
    const fastest = configs.reduce((a, b) => (b.latencyMs < a.latencyMs ? b : a), first);
    return { kind: 'latency', fastest };
  }
  const countable = sized.filter((s) => fits(s.instances, limits.instances));
  if (countable.length === 0) {
    const limit = limits.instances ?? 0;
    let best: TupleConfig | undefined;
    let carriedRps = 0;
    for (const s of sized) {
      // n instances carry n·μ·ρ when their batches fill in time at that rate.
      const fill = instancesForRate(s.config, 0, budgetMs);
      const rps = fill <= limit ? limit * s.config.instanceRps : 0;
      if (rps > carriedRps) [best, carriedRps] = [s.config, rps];
    }
    return { kind: 'instances', limit, best, carriedRps };
  }
  const coresOf = (s: (typeof sized)[number]): number => s.instances * s.config.cores;
  const affordable = countable.filter((s) => fits(coresOf(s), limits.cores));
  if (affordable.length === 0 && limits.cores !== undefined)
    return { kind: 'cores', needed: Math.min(...countable.map(coresOf)), limit: limits.cores };
  const costOf = (s: (typeof sized)[number]): number => s.instances * s.config.instanceCostPerHour;
  const payable = affordable.filter((s) => fits(costOf(s), limits.costPerHour));
  if (payable.length === 0 && limits.costPerHour !== undefined)
    return { kind: 'cost', needed: Math.min(...affordable.map(costOf)), limit: limits.costPerHour };
  // Vertical first: fewest instances, then fewest cores, then the smallest batch.
  const chosen = payable.reduce((a, b) => {
    if (b.instances !== a.instances) return b.instances < a.instances ? b : a;
    if (b.config.cores !== a.config.cores) return b.config.cores < a.config.cores ? b : a;
    return b.config.batch < a.config.batch ? b : a;
  });
  return { kind: 'chosen', config: chosen.config, instances: chosen.instances };
}
