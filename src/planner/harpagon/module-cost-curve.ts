/**
 * One module's minimum cost at a given rate as a function of its latency budget L (Harpagon, docs/
 * papers.md §3): at each L, the cheapest multi-tuple configuration (min-cost-cover.ts) over the
 * dominant configurations (dominant-configs.ts), where a tuple of n instances of configuration k is
 * usable when its batches fill in time with dummies, l_k + fill_k / n ≤ L (n ≥ minInstancesAt).
 *
 * The cost only drops at budgets λ(k, n) = l_k + fill_k / n; `steps` finds them with one solve each
 * (a sweep down from the loosest budget). At a fixed budget latency no longer matters, only each
 * configuration's fewest instances there, so a solve first drops every configuration that k
 * instances of a kept one stand in for (k times its price no more, k times its capacity no less, no
 * more instances needed: the exchange of dominant-configs.ts at that budget), which leaves the cover
 * a few configurations.
 * Everything L-independent (configurations, their orders, the limits) is prepared once, so the split
 * searches can ask for many budgets.
 */
import { ascendingOrder } from '../../core/ascending-order.js';
import { float64Columns } from '../../core/columns.js';
import { utilisationCapOf, type PlanningModule, type PlanningProblem } from '../planning-problem.js';
import {
  configOfColumns,
  fastestConfigColumns,
  minInstancesAt,
  type ConfigColumns,
  type TupleConfig,
} from '../tuple-configs.js';
import type { CostSteps, ModuleSolution } from './cost-steps.js';
import { fillMsAt, fillMsOf, undominatedRows } from './dominant-configs.js';
import { CoverTable, LimitSlots } from './min-cost-cover.js';

/** A drop in cost smaller than this share is rounding, not a breakpoint. */
const DROP_TOLERANCE = 1e-9;
/** Prices within this share count as multiples of one another (a 2-core price is 2 1-core prices). */
const STAND_IN_TOLERANCE = 1e-9;
/**
 * Per configuration of a curve (one buffer: columns.ts), in ascending $/(req/s): price $/h, capacity
 * req/s, batch latency and fill time ms, batch size, limit slot (-1: none); `byPrice` its indices by
 * ascending price. Scratch of a solve: `kept` the configurations kept in price order, `keptIds` the
 * same in index order, `fewest` each kept one's fewest instances at the budget.
 */
const COLUMNS = [
  'price',
  'rps',
  'latency',
  'fill',
  'batch',
  'slot',
  'byPrice',
  'kept',
  'keptIds',
  'fewest',
] as const;

export class ModuleCostCurve {
  /** The smallest batch latency of any configuration, ms: no budget below it is feasible (+∞: none). */
  readonly minBudgetMs: number;
  /** Each configuration's `TupleConfig`, made when a solution first uses it. */
  private readonly configs: (TupleConfig | undefined)[];
  /** Scratch for the solves. */
  private readonly table: CoverTable;
  private readonly column: Record<(typeof COLUMNS)[number], Float64Array>;
  /** Instance limit per limit slot. */
  private readonly limitsInstances: readonly number[];
  /** The rows of `source` the configurations are, in ascending $/(req/s). */
  private readonly rows: Int32Array;

  private constructor(
    /** The module's whole rate (requests per second), fan-out included. */
    readonly rateRps: number,
    /** Every configuration considered. */
    private readonly source: ConfigColumns,
    /** The rows of `source` the curve keeps (the dominant ones), in ascending price. */
    dominant: Int32Array,
  ) {
    const count = dominant.length;
    const efficiency = new Float64Array(count);
    dominant.forEach(
      (row, j) => (efficiency[j] = source.instanceCostPerHour[row]! / source.instanceRps[row]!),
    );
    const order = ascendingOrder(efficiency);
    this.rows = order.map((j) => dominant[j]!);
    this.table = new CoverTable(count);
    this.configs = new Array<TupleConfig | undefined>(count);
    this.column = float64Columns(count, COLUMNS);
    const { price, rps, latency, fill, batch, slot, byPrice } = this.column;
    order.forEach((j, i) => (byPrice[j] = i));
    const slots = new LimitSlots();
    let fastest = Number.POSITIVE_INFINITY;
    this.rows.forEach((row, i) => {
      price[i] = source.instanceCostPerHour[row]!;
      rps[i] = source.instanceRps[row]!;
      latency[i] = source.latencyMs[row]!;
      batch[i] = source.batch[row]!;
      fill[i] = fillMsAt(batch[i], rps[i]);
      slot[i] = slots.slotOf(source.hardware[row]!);
      fastest = Math.min(fastest, latency[i]);
    });
    this.limitsInstances = slots.limits;
    this.minBudgetMs = rateRps > 0 ? fastest : 0;
  }

  /** The curve of `module` carrying `rateRps` (the module's rate, fan-out included). */
  static of(problem: PlanningProblem, module: PlanningModule, rateRps: number): ModuleCostCurve {
    const source = fastestConfigColumns(problem, module, utilisationCapOf(problem));
    return new ModuleCostCurve(rateRps, source, undominatedRows(source));
  }

  /** Configuration `i` of the curve (made when first asked). */
  private configAt(i: number): TupleConfig {
    let config = this.configs[i];
    if (config === undefined) {
      config = configOfColumns(this.source, this.rows[i]!);
      this.configs[i] = config;
    }
    return config;
  }

  /** The cheapest configuration within `budgetMs` that costs less than `upperBoundPerHour`, if any. */
  solveAt(budgetMs: number, upperBoundPerHour = Number.POSITIVE_INFINITY): ModuleSolution | undefined {
    if (!(this.rateRps > 0)) return { costPerHour: 0, tuples: [] };
    const { price, rps, latency, fill, batch, slot, byPrice, kept, keptIds, fewest } = this.column;
    const limits = this.limitsInstances;
    // Usable configurations by price; keep those no kept one (no dearer: price order) stands in for:
    // k of its instances for one, k the most its price allows, carrying as much, needing no more
    // instances than k times this one's fewest, and (k = 1) on the same limit or (any k) on none.
    // The cover takes the kept ones in index ($/(req/s)) order.
    let count = 0;
    for (let j = 0; j < byPrice.length; j++) {
      const i = byPrice[j]!;
      const mu = rps[i]!;
      const n = minInstancesAt(latency[i]!, batch[i]!, mu, budgetMs);
      const s = slot[i]!;
      if (!Number.isFinite(n) || (s >= 0 && n > limits[s]!)) continue;
      const p = price[i]!;
      if (!(n * p < upperBoundPerHour)) continue;
      let standsIn = false;
      for (let k = 0; k < count && !standsIn; k++) {
        const q = kept[k]!;
        const times = price[q]! > 0 ? Math.floor((p / price[q]!) * (1 + STAND_IN_TOLERANCE)) : 1;
        standsIn =
          times * rps[q]! >= mu &&
          fewest[q]! <= times * n &&
          (slot[q]! < 0 || (times === 1 && slot[q] === s));
      }
      if (standsIn) continue;
      // Insert i into the kept indices in ascending order (few: a handful survive).
      let at = count;
      for (; at > 0 && keptIds[at - 1]! > i; at--) keptIds[at] = keptIds[at - 1]!;
      keptIds[at] = i;
      kept[count++] = i;
      fewest[i] = n;
    }
    const { table } = this;
    table.clear();
    for (let k = 0; k < count; k++) {
      const i = keptIds[k]!;
      table.push(price[i]!, rps[i]!, fewest[i]!, slot[i]!, i, latency[i], fill[i]);
    }
    const cover = table.solve(this.rateRps, this.limitsInstances, upperBoundPerHour);
    if (cover === undefined) return undefined;
    const tuples: { config: TupleConfig; instances: number }[] = [];
    cover.ids.forEach((id, k) =>
      tuples.push({ config: this.configAt(id), instances: cover.instances[k] ?? 0 }),
    );
    return { costPerHour: cover.costPerHour, tuples };
  }

  /** The minimum cost within `budgetMs` in $/h; +∞ when nothing carries the rate in time. */
  costAt(budgetMs: number): number {
    return this.solveAt(budgetMs)?.costPerHour ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Every breakpoint of the cost in [`loMs`, `hiMs`] whose cost is at most `capPerHour`: the first is
   * the smallest budget at which the module costs no more than the cap.
   */
  steps(loMs: number, hiMs: number, capPerHour: number): CostSteps {
    return this.sweepDown(loMs, hiMs, capPerHour).all();
  }

  /**
   * The breakpoints of [`loMs`, `hiMs`] costing at most `capPerHour`, loosest first, found as asked
   * for (DescendingSteps); `atHi`, when known, is the cheapest configuration at `hiMs` (saves a solve).
   */
  sweepDown(loMs: number, hiMs: number, capPerHour: number, atHi?: ModuleSolution): DescendingSteps {
    return new DescendingSteps(this, loMs, hiMs, capPerHour, atHi);
  }

  /**
   * The largest budget strictly below `ms` at which some configuration's fewest instances for the
   * budget, l + fill / n, is met exactly with n instances it may hold and that cost under `bound`.
   */
  budgetBelow(ms: number, bound: number): number | undefined {
    const below = ms * (1 - 1e-12) - 1e-12;
    const { price, latency, fill, slot } = this.column;
    const limits = this.limitsInstances;
    let best: number | undefined;
    for (let i = 0; i < price.length; i++) {
      const latencyMs = latency[i]!;
      if (!(below > latencyMs)) continue;
      const fillMs = fill[i]!;
      const n = fillMs === 0 ? 1 : Math.floor(fillMs / (below - latencyMs)) + 1;
      const s = slot[i]!;
      if ((s >= 0 && n > limits[s]!) || !(n * price[i]! < bound)) continue;
      const needMs = latencyMs + fillMs / n;
      if (needMs <= below && (best === undefined || needMs > best)) best = needMs;
    }
    return best;
  }
}

/**
 * A module's breakpoints swept down from the loosest budget, one solve each, computed only as far as
 * asked: the cheapest cover at budget L needs only λ* = max over its tuples of l + fill/n ≤ L, so the
 * cost is the same on [λ*, L] and the next breakpoint down starts at the largest λ(k, n) below λ*.
 * The cover returns, of the cheapest, one of least need, so λ* is mostly where the step starts.
 * The sweep ends where the cost passes the cap (tighter budgets only cost more) or no budget at or
 * above the lowest is left. Breakpoint k (0: the loosest) is final once k + 1 is known or the sweep
 * has ended: a solve at a tighter budget can still find the same cost (a configuration the stand-in
 * test left out needed less), which moves k's budget down.
 */
export class DescendingSteps {
  private readonly budgetsMs: number[] = [];
  private readonly costsPerHour: number[] = [];
  private readonly solutions: ModuleSolution[] = [];
  private nextMs: number | undefined;
  private readonly bound: number;

  constructor(
    private readonly curve: ModuleCostCurve,
    private readonly loMs: number,
    hiMs: number,
    capPerHour: number,
    /** The cheapest configuration at `hiMs`, if the caller has solved it already. */
    private atHi?: ModuleSolution,
  ) {
    this.bound = capPerHour * (1 + DROP_TOLERANCE);
    if (curve.rateRps > 0) this.nextMs = hiMs;
    else {
      this.budgetsMs.push(Math.max(0, loMs));
      this.costsPerHour.push(0);
      this.solutions.push({ costPerHour: 0, tuples: [] });
    }
  }

  /** Breakpoints final so far. */
  get known(): number {
    return this.nextMs === undefined ? this.budgetsMs.length : Math.max(0, this.budgetsMs.length - 1);
  }

  /** Whether breakpoint `k` exists (sweeping down as far as needed to tell). */
  has(k: number): boolean {
    while (this.nextMs !== undefined && this.budgetsMs.length <= k + 1) this.advance();
    return k < this.budgetsMs.length;
  }

  /** Budget of breakpoint `k`, ms (call `has(k)` first). */
  budgetMs(k: number): number {
    return this.budgetsMs[k] ?? Number.NaN;
  }

  /** Cost of breakpoint `k`, $/h (call `has(k)` first). */
  costPerHour(k: number): number {
    return this.costsPerHour[k] ?? Number.NaN;
  }

  /** Every breakpoint, swept to the end, as `CostSteps` (ascending budgets). */
  all(): CostSteps {
    while (this.nextMs !== undefined) this.advance();
    return this.ascending();
  }

  /** The final breakpoints as `CostSteps` (ascending budgets); index i there is `known − 1 − i` here. */
  ascending(): CostSteps {
    const n = this.known;
    return {
      budgetsMs: this.budgetsMs.slice(0, n).reverse(),
      costsPerHour: this.costsPerHour.slice(0, n).reverse(),
      solutions: this.solutions.slice(0, n).reverse(),
    };
  }

  private advance(): void {
    const budgetMs = this.nextMs;
    this.nextMs = undefined;
    if (budgetMs === undefined || budgetMs < this.loMs * (1 - 1e-12)) return;
    const known = this.atHi;
    this.atHi = undefined;
    const found =
      known === undefined
        ? this.curve.solveAt(budgetMs, this.bound)
        : known.costPerHour < this.bound
          ? known
          : undefined;
    if (found === undefined) return;
    let needMs = 0;
    for (const { config, instances } of found.tuples)
      needMs = Math.max(needMs, config.latencyMs + fillMsOf(config) / instances);
    needMs = Math.min(needMs, budgetMs);
    const last = this.costsPerHour.length - 1;
    if (last >= 0 && found.costPerHour <= (this.costsPerHour[last] ?? 0) * (1 + DROP_TOLERANCE)) {
      // The same cost at a tighter budget: the step starts lower than the last solve showed.
      this.budgetsMs[last] = needMs;
      this.solutions[last] = found;
    } else {
      this.budgetsMs.push(needMs);
      this.costsPerHour.push(found.costPerHour);
      this.solutions.push(found);
    }
    this.nextMs = this.curve.budgetBelow(needMs, this.bound);
  }
}
