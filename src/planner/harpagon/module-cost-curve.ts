/**
 * One module's minimum cost at a given rate as a function of its latency budget L (Harpagon, docs/
 * papers.md §3): at each L, the cheapest multi-tuple configuration (min-cost-cover.ts) over the
 * dominant configurations (dominant-configs.ts), where a tuple of n instances of configuration k is
 * usable when its batches fill in time with dummies, l_k + fill_k / n ≤ L (n ≥ minInstancesForBudget).
 *
 * The cost only drops at budgets λ(k, n) = l_k + fill_k / n, so `steps` sweeps those in ascending order
 * and solves only where a lower bound says the cost can drop: a solution first usable at λ(k, n) holds
 * exactly n instances of k, so it costs at least n·price_k plus the rest of the rate at the best
 * efficiency usable at λ. Everything L-independent (configurations, their order, the limits) is
 * prepared once, so the split searches can ask for many budgets.
 */
import { utilisationCapOf, type PlanningModule, type PlanningProblem } from '../planning-problem.js';
import { minInstancesForBudget, tupleConfigs, type TupleConfig } from '../tuple-configs.js';
import type { CostSteps, ModuleSolution } from './cost-steps.js';
import { dominantConfigs, fillMsOf } from './dominant-configs.js';
import { CoverTable } from './min-cost-cover.js';

/** A drop in cost smaller than this share is rounding, not a breakpoint. */
const DROP_TOLERANCE = 1e-9;
/**
 * Without a cost cap or an instance limit, the most instances a configuration is tried with for its
 * latency alone: 4× what its rate needs, at least 64 (only reached when no feasible split is known).
 */
const UNCAPPED_INSTANCE_FACTOR = 4;
const UNCAPPED_INSTANCE_FLOOR = 64;

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

  private constructor(
    /** The module's whole rate (requests per second), fan-out included. */
    readonly rateRps: number,
    /** Dominant configurations in ascending $/(req/s). */
    private readonly prepared: readonly Prepared[],
    private readonly limitsInstances: readonly number[],
    /** Indices into `prepared` by ascending l(b,c), with the best efficiency up to each. */
    private readonly byLatency: readonly number[],
    private readonly bestEfficiencyUpTo: Float64Array,
  ) {
    this.table = new CoverTable(prepared.length);
    const first = prepared[byLatency[0] ?? -1];
    this.minBudgetMs = rateRps > 0 ? (first?.config.latencyMs ?? Number.POSITIVE_INFINITY) : 0;
  }

  /** The curve of `module` carrying `rateRps` (the module's rate, fan-out included). */
  static of(problem: PlanningProblem, module: PlanningModule, rateRps: number): ModuleCostCurve {
    const dominant = dominantConfigs(tupleConfigs(problem, module, utilisationCapOf(problem)));
    const keyed = dominant.map((config) => ({
      config,
      efficiency: config.instanceCostPerHour / config.instanceRps,
    }));
    keyed.sort((a, b) => a.efficiency - b.efficiency || b.config.instanceRps - a.config.instanceRps);
    const configs = keyed.map((k) => k.config);
    const slots = new Map<string, number>();
    const limits: number[] = [];
    const prepared = configs.map((config) => {
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
    const byLatency = prepared.map((_, i) => i);
    byLatency.sort(
      (a, b) => (prepared[a]?.config.latencyMs ?? 0) - (prepared[b]?.config.latencyMs ?? 0) || a - b,
    );
    const bestEfficiency = new Float64Array(byLatency.length);
    let best = Number.POSITIVE_INFINITY;
    byLatency.forEach((i, at) => {
      const config = prepared[i]?.config;
      if (config !== undefined) best = Math.min(best, config.instanceCostPerHour / config.instanceRps);
      bestEfficiency[at] = best;
    });
    return new ModuleCostCurve(rateRps, prepared, limits, byLatency, bestEfficiency);
  }

  /** The cheapest configuration within `budgetMs` that costs less than `upperBoundPerHour`, if any. */
  solveAt(budgetMs: number, upperBoundPerHour = Number.POSITIVE_INFINITY): ModuleSolution | undefined {
    if (!(this.rateRps > 0)) return { costPerHour: 0, tuples: [] };
    return this.cover(budgetMs, this.rateRps, upperBoundPerHour, -1, this.limitsInstances);
  }

  /** The cheapest cover of `rateRps` within `budgetMs` below the bound, without configuration `exclude`. */
  private cover(
    budgetMs: number,
    rateRps: number,
    upperBoundPerHour: number,
    exclude: number,
    limitsInstances: readonly number[],
  ): ModuleSolution | undefined {
    const table = this.table;
    table.clear();
    this.prepared.forEach((p, i) => {
      if (i === exclude) return;
      const least = minInstancesForBudget(p.config, budgetMs);
      if (!Number.isFinite(least) || least > p.limitInstances) return;
      if (!(least * p.config.instanceCostPerHour < upperBoundPerHour)) return;
      table.push(p.config.instanceCostPerHour, p.config.instanceRps, least, p.limitSlot, i);
    });
    const cover = table.solve(rateRps, limitsInstances, upperBoundPerHour);
    if (cover === undefined) return undefined;
    const tuples: { config: TupleConfig; instances: number }[] = [];
    cover.ids.forEach((id, k) => {
      const config = this.prepared[id]?.config;
      if (config !== undefined) tuples.push({ config, instances: cover.instances[k] ?? 0 });
    });
    return { costPerHour: cover.costPerHour, tuples };
  }

  /**
   * The cheapest solution first usable at `budgetMs` through `candidate`: exactly its instances of its
   * configuration plus the cheapest cover of the rest by the others (a batch-1 configuration has no
   * instance count tied to the budget, so then every solution at the budget is searched).
   */
  private solveThrough(
    budgetMs: number,
    candidate: { readonly index: number; readonly instances: number },
    upperBoundPerHour: number,
  ): ModuleSolution | undefined {
    const p = this.prepared[candidate.index];
    if (p === undefined) return undefined;
    if (p.fillMs === 0) return this.solveAt(budgetMs, upperBoundPerHour);
    const own = { config: p.config, instances: candidate.instances };
    const ownCost = candidate.instances * p.config.instanceCostPerHour;
    if (!(ownCost < upperBoundPerHour)) return undefined;
    const restRps = this.rateRps - candidate.instances * p.config.instanceRps;
    if (restRps <= this.rateRps * 1e-9) return { costPerHour: ownCost, tuples: [own] };
    const limits =
      p.limitSlot < 0
        ? this.limitsInstances
        : this.limitsInstances.map((l, s) => (s === p.limitSlot ? l - candidate.instances : l));
    const rest = this.cover(budgetMs, restRps, upperBoundPerHour - ownCost, candidate.index, limits);
    if (rest === undefined) return undefined;
    const tuples = [own, ...rest.tuples].sort(
      (a, b) =>
        a.config.instanceCostPerHour / a.config.instanceRps -
        b.config.instanceCostPerHour / b.config.instanceRps,
    );
    return { costPerHour: ownCost + rest.costPerHour, tuples };
  }

  /** The minimum cost within `budgetMs` in $/h; +∞ when nothing carries the rate in time. */
  costAt(budgetMs: number): number {
    return this.solveAt(budgetMs)?.costPerHour ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Every breakpoint of the cost in [`loMs`, `hiMs`] whose cost is at most `capPerHour`: the first is
   * the smallest budget at which the module costs no more than the cap. The cap also bounds the
   * instances tried per configuration; give a finite one (a known plan's cost) where possible.
   */
  steps(loMs: number, hiMs: number, capPerHour: number): CostSteps {
    if (!(this.rateRps > 0)) {
      return {
        budgetsMs: [Math.max(0, loMs)],
        costsPerHour: [0],
        solutions: [{ costPerHour: 0, tuples: [] }],
      };
    }
    const candidates = this.candidates(loMs, hiMs, capPerHour);
    const budgetsMs: number[] = [];
    const costsPerHour: number[] = [];
    const solutions: ModuleSolution[] = [];
    const capLimit = capPerHour * (1 + DROP_TOLERANCE);
    let current = Number.POSITIVE_INFINITY;
    let latencyAt = 0;
    let bestEfficiency = Number.POSITIVE_INFINITY;
    for (let g = 0; g < candidates.length;) {
      // A group of (numerically) equal budgets: solve once at the largest.
      const first = candidates[g];
      if (first === undefined) break;
      let end = g + 1;
      while (end < candidates.length && (candidates[end]?.budgetMs ?? 0) <= first.budgetMs * (1 + 1e-12))
        end++;
      const budgetMs = candidates[end - 1]?.budgetMs ?? first.budgetMs;
      while (latencyAt < this.byLatency.length) {
        const config = this.prepared[this.byLatency[latencyAt] ?? 0]?.config;
        if (config === undefined || config.latencyMs > budgetMs) break;
        bestEfficiency = this.bestEfficiencyUpTo[latencyAt] ?? bestEfficiency;
        latencyAt++;
      }
      let limit = Math.min(current * (1 - DROP_TOLERANCE), capLimit);
      let found: ModuleSolution | undefined;
      for (let c = g; c < end; c++) {
        const candidate = candidates[c];
        const p = this.prepared[candidate?.index ?? -1];
        if (candidate === undefined || p === undefined) continue;
        const rest = Math.max(0, this.rateRps - candidate.instances * p.config.instanceRps);
        const bound = candidate.instances * p.config.instanceCostPerHour + rest * bestEfficiency;
        if (!(bound < limit)) continue;
        const solution = this.solveThrough(budgetMs, candidate, limit);
        if (solution === undefined) continue;
        found = solution;
        limit = solution.costPerHour;
      }
      g = end;
      if (found === undefined) continue;
      budgetsMs.push(budgetMs);
      costsPerHour.push(found.costPerHour);
      solutions.push(found);
      current = found.costPerHour;
    }
    return { budgetsMs, costsPerHour, solutions };
  }

  /** Every (configuration, instances) whose fill-in-time budget λ lies in [lo, hi], by ascending λ. */
  private candidates(
    loMs: number,
    hiMs: number,
    capPerHour: number,
  ): { budgetMs: number; index: number; instances: number }[] {
    const out: { budgetMs: number; index: number; instances: number }[] = [];
    this.prepared.forEach((p, index) => {
      const { latencyMs, instanceCostPerHour, instanceRps } = p.config;
      if (latencyMs > hiMs) return;
      const byCost =
        instanceCostPerHour > 0 && Number.isFinite(capPerHour)
          ? Math.floor((capPerHour * (1 + DROP_TOLERANCE)) / instanceCostPerHour)
          : Number.POSITIVE_INFINITY;
      let most = Math.min(p.limitInstances, byCost);
      if (!Number.isFinite(most)) {
        const needed = Math.ceil(this.rateRps / instanceRps);
        most = Math.max(UNCAPPED_INSTANCE_FLOOR, UNCAPPED_INSTANCE_FACTOR * needed);
      }
      if (p.fillMs === 0) {
        if (most >= 1 && latencyMs >= loMs) out.push({ budgetMs: latencyMs, index, instances: 1 });
        return;
      }
      const slackMs = hiMs - latencyMs;
      if (!(slackMs > 0)) return;
      const fewest = Math.max(1, Math.ceil(p.fillMs / slackMs - 1e-9));
      for (let n = fewest; n <= most; n++) {
        const budgetMs = latencyMs + p.fillMs / n;
        if (budgetMs < loMs) break;
        out.push({ budgetMs, index, instances: n });
      }
    });
    out.sort((a, b) => a.budgetMs - b.budgetMs);
    return out;
  }
}
