/**
 * One module's minimum cost at a given rate as a function of its latency budget L (Harpagon, docs/
 * papers.md §3): at each L, the cheapest multi-tuple configuration (min-cost-cover.ts) over the
 * dominant configurations (dominant-configs.ts), where a tuple of n instances of configuration k is
 * usable when its batches fill in time with dummies, l_k + fill_k / n ≤ L (n ≥ minInstancesForBudget).
 *
 * The cost only drops at budgets λ(k, n) = l_k + fill_k / n; `steps` finds them with one solve each
 * (a sweep down from the loosest budget). At a fixed budget latency no longer matters, only each
 * configuration's fewest instances there, so a solve first drops every configuration that another
 * one no dearer per instance, carrying as much and needing no more instances stands in for (the
 * exchange of dominant-configs.ts at that budget), which leaves the cover a few configurations.
 * Everything L-independent (configurations, their orders, the limits) is prepared once, so the split
 * searches can ask for many budgets.
 */
import { utilisationCapOf, type PlanningModule, type PlanningProblem } from '../planning-problem.js';
import { minInstancesForBudget, tupleConfigs, type TupleConfig } from '../tuple-configs.js';
import type { CostSteps, ModuleSolution } from './cost-steps.js';
import { dominantConfigs, fillMsOf } from './dominant-configs.js';
import { CoverTable } from './min-cost-cover.js';

/** A drop in cost smaller than this share is rounding, not a breakpoint. */
const DROP_TOLERANCE = 1e-9;

interface Prepared {
  readonly config: TupleConfig;
  readonly fillMs: number;
  readonly limitSlot: number;
  readonly limitInstances: number;
}

export class ModuleCostCurve {
  /** The smallest batch latency of any configuration, ms: no budget below it is feasible (+∞: none). */
  readonly minBudgetMs: number;
  /** Scratch for the solves. */
  private readonly table: CoverTable;
  /** Indices into `prepared` by ascending price, then descending capacity. */
  private readonly byPrice: Int32Array;
  /** Per configuration of `prepared`: its fewest instances at the budget solved, 0 when left out. */
  private readonly least: Float64Array;
  /** The configurations kept so far in a solve, as indices into `prepared`. */
  private readonly kept: Int32Array;

  private constructor(
    /** The module's whole rate (requests per second), fan-out included. */
    readonly rateRps: number,
    /** Dominant configurations in ascending $/(req/s). */
    private readonly prepared: readonly Prepared[],
    private readonly limitsInstances: readonly number[],
  ) {
    this.table = new CoverTable(prepared.length);
    const order = prepared.map((_, i) => i);
    order.sort(
      (a, b) =>
        (prepared[a]?.config.instanceCostPerHour ?? 0) - (prepared[b]?.config.instanceCostPerHour ?? 0) ||
        (prepared[b]?.config.instanceRps ?? 0) - (prepared[a]?.config.instanceRps ?? 0) ||
        a - b,
    );
    this.byPrice = Int32Array.from(order);
    this.least = new Float64Array(prepared.length);
    this.kept = new Int32Array(prepared.length);
    const fastest = Math.min(...prepared.map((p) => p.config.latencyMs));
    this.minBudgetMs = rateRps > 0 ? fastest : 0;
  }

  /** The curve of `module` carrying `rateRps` (the module's rate, fan-out included). */
  static of(problem: PlanningProblem, module: PlanningModule, rateRps: number): ModuleCostCurve {
    const dominant = dominantConfigs(tupleConfigs(problem, module, utilisationCapOf(problem)));
    const keyed = dominant.map((config) => ({
      config,
      efficiency: config.instanceCostPerHour / config.instanceRps,
    }));
    keyed.sort((a, b) => a.efficiency - b.efficiency || b.config.instanceRps - a.config.instanceRps);
    const slots = new Map<string, number>();
    const limits: number[] = [];
    const prepared = keyed.map(({ config }) => {
      const limit = config.hardware.maxInstances;
      let slot = -1;
      if (limit !== undefined) {
        slot = slots.get(config.hardware.name) ?? limits.length;
        if (slot === limits.length) {
          slots.set(config.hardware.name, slot);
          limits.push(limit);
        }
      }
      return {
        config,
        fillMs: fillMsOf(config),
        limitSlot: slot,
        limitInstances: limit ?? Number.POSITIVE_INFINITY,
      };
    });
    return new ModuleCostCurve(rateRps, prepared, limits);
  }

  /** The cheapest configuration within `budgetMs` that costs less than `upperBoundPerHour`, if any. */
  solveAt(budgetMs: number, upperBoundPerHour = Number.POSITIVE_INFINITY): ModuleSolution | undefined {
    if (!(this.rateRps > 0)) return { costPerHour: 0, tuples: [] };
    const { prepared, least, kept, table } = this;
    // Usable configurations by price; keep those no kept one stands in for (no dearer: price order).
    let keptCount = 0;
    least.fill(0);
    for (const i of this.byPrice) {
      const p = prepared[i];
      if (p === undefined) continue;
      const n = minInstancesForBudget(p.config, budgetMs);
      if (!Number.isFinite(n) || n > p.limitInstances) continue;
      if (!(n * p.config.instanceCostPerHour < upperBoundPerHour)) continue;
      if (this.standsIn(keptCount, p, n)) continue;
      least[i] = n;
      kept[keptCount++] = i;
    }
    table.clear();
    prepared.forEach((p, i) => {
      const n = least[i] ?? 0;
      if (n > 0) table.push(p.config.instanceCostPerHour, p.config.instanceRps, n, p.limitSlot, i);
    });
    const cover = table.solve(this.rateRps, this.limitsInstances, upperBoundPerHour);
    if (cover === undefined) return undefined;
    const tuples: { config: TupleConfig; instances: number }[] = [];
    cover.ids.forEach((id, k) => {
      const config = prepared[id]?.config;
      if (config !== undefined) tuples.push({ config, instances: cover.instances[k] ?? 0 });
    });
    return { costPerHour: cover.costPerHour, tuples };
  }

  /**
   * Whether one of the first `keptCount` kept configurations can take the place of `p` needing `n`
   * instances at this budget: as many requests per instance, no more instances, and its instances
   * count against the same limit or none.
   */
  private standsIn(keptCount: number, p: Prepared, n: number): boolean {
    for (let k = 0; k < keptCount; k++) {
      const q = this.prepared[this.kept[k] ?? -1];
      if (q === undefined) continue;
      if (
        q.config.instanceRps >= p.config.instanceRps &&
        (this.least[this.kept[k] ?? -1] ?? 0) <= n &&
        (q.limitSlot === p.limitSlot || q.limitSlot < 0)
      )
        return true;
    }
    return false;
  }

  /** The minimum cost within `budgetMs` in $/h; +∞ when nothing carries the rate in time. */
  costAt(budgetMs: number): number {
    return this.solveAt(budgetMs)?.costPerHour ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Every breakpoint of the cost in [`loMs`, `hiMs`] whose cost is at most `capPerHour`: the first is
   * the smallest budget at which the module costs no more than the cap.
   *
   * Swept from `hiMs` down, one solve per breakpoint: the cheapest cover at budget L needs only
   * λ* = max over its tuples of l + fill/n ≤ L, so the cost is the same on [λ*, L] and the next
   * breakpoint down starts at the largest λ(k, n) below λ*. The sweep stops where the cost passes the
   * cap (tighter budgets only cost more) or no budget at or above `loMs` is left.
   */
  steps(loMs: number, hiMs: number, capPerHour: number): CostSteps {
    if (!(this.rateRps > 0)) {
      return {
        budgetsMs: [Math.max(0, loMs)],
        costsPerHour: [0],
        solutions: [{ costPerHour: 0, tuples: [] }],
      };
    }
    const bound = capPerHour * (1 + DROP_TOLERANCE);
    const budgetsMs: number[] = [];
    const costsPerHour: number[] = [];
    const solutions: ModuleSolution[] = [];
    let budgetMs: number | undefined = hiMs;
    while (budgetMs !== undefined && budgetMs >= loMs * (1 - 1e-12)) {
      const found = this.solveAt(budgetMs, bound);
      if (found === undefined) break;
      let needMs = 0;
      for (const { config, instances } of found.tuples)
        needMs = Math.max(needMs, config.latencyMs + fillMsOf(config) / instances);
      needMs = Math.min(needMs, budgetMs);
      const last = costsPerHour.length - 1;
      if (last >= 0 && found.costPerHour <= (costsPerHour[last] ?? 0) * (1 + DROP_TOLERANCE)) {
        // The same cost at a tighter budget: the step starts lower than the last solve showed.
        budgetsMs[last] = needMs;
        solutions[last] = found;
      } else {
        budgetsMs.push(needMs);
        costsPerHour.push(found.costPerHour);
        solutions.push(found);
      }
      budgetMs = this.budgetBelow(needMs, found.costPerHour < bound ? bound : found.costPerHour);
    }
    budgetsMs.reverse();
    costsPerHour.reverse();
    solutions.reverse();
    return { budgetsMs, costsPerHour, solutions };
  }

  /**
   * The largest budget strictly below `ms` at which some configuration's fewest instances for the
   * budget, l + fill / n, is met exactly with n instances it may hold and that cost under `bound`.
   */
  private budgetBelow(ms: number, bound: number): number | undefined {
    const below = ms * (1 - 1e-12) - 1e-12;
    let best: number | undefined;
    for (const p of this.prepared) {
      const { latencyMs, instanceCostPerHour } = p.config;
      if (!(below > latencyMs)) continue;
      const n = p.fillMs === 0 ? 1 : Math.floor(p.fillMs / (below - latencyMs)) + 1;
      if (n > p.limitInstances || !(n * instanceCostPerHour < bound)) continue;
      const needMs = latencyMs + p.fillMs / n;
      if (needMs <= below && (best === undefined || needMs > best)) best = needMs;
    }
    return best;
  }
}
