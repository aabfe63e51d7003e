/**
 * Nexus's per-module rule (SOSP 2019, the baseline of docs/papers.md §3; our reading): a module with
 * budget L runs batch b on a configuration only if 2·l(b) ≤ L (a request may wait for the batch in
 * progress, then runs in the next), with requests dealt round-robin and no dummy requests. For each
 * (variant, hardware, cores) the largest batch meeting the rule is taken, and of those the one with the
 * lowest cost per request; then ⌈rate / (μ·ρ per instance)⌉ instances of it, one tuple. Nexus has no
 * variant choice; like Harpagon, any variant may be chosen (cost only).
 *
 * Nexus's rule is its own latency model, not Sluice's: at a low rate a batch cannot fill in time
 * without dummies ((b − 1)/r + l(b) > L), so some of its choices break the planning model, and the
 * plan says so.
 */
import { utilisationCapOf, type PlanningModule, type PlanningProblem } from '../planning-problem.js';
import { tupleConfigs, type TupleConfig } from '../tuple-configs.js';
import type { CostSteps, ModuleSolution } from '../harpagon/cost-steps.js';

/** Slack on Nexus's 2·l(b) ≤ L test, relative. */
const RULE_TOLERANCE = 1e-9;

export class NexusModule {
  /** The smallest budget at which Nexus's rule admits any configuration, ms (+∞: none). */
  readonly minBudgetMs: number;

  private constructor(
    /** The module's rate (fan-out included), requests per second. */
    readonly rateRps: number,
    /** Configurations per (variant, hardware, cores), by ascending batch. */
    private readonly groups: readonly (readonly TupleConfig[])[],
  ) {
    const smallest = groups.map((g) => 2 * (g[0]?.latencyMs ?? Number.POSITIVE_INFINITY));
    this.minBudgetMs = rateRps > 0 ? Math.min(Number.POSITIVE_INFINITY, ...smallest) : 0;
  }

  static of(problem: PlanningProblem, module: PlanningModule, rateRps: number): NexusModule {
    const groups = new Map<string, TupleConfig[]>();
    for (const config of tupleConfigs(problem, module, utilisationCapOf(problem))) {
      const key = `${config.variant.name}\u0000${config.hardware.name}\u0000${config.cores}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [config]);
      else group.push(config);
    }
    const sorted = [...groups.values()].map((g) => g.sort((a, b) => a.batch - b.batch));
    return new NexusModule(rateRps, sorted);
  }

  /** Nexus's choice within `budgetMs`, or undefined when no batch meets 2·l(b) ≤ budget. */
  choiceAt(budgetMs: number): ModuleSolution | undefined {
    if (!(this.rateRps > 0)) return { costPerHour: 0, tuples: [] };
    let best: TupleConfig | undefined;
    let bestPerRequest = Number.POSITIVE_INFINITY;
    for (const group of this.groups) {
      let largest: TupleConfig | undefined;
      for (const config of group) {
        if (2 * config.latencyMs <= budgetMs * (1 + RULE_TOLERANCE)) largest = config;
      }
      if (largest === undefined) continue;
      const perRequest = largest.instanceCostPerHour / largest.instanceRps;
      if (perRequest < bestPerRequest) {
        best = largest;
        bestPerRequest = perRequest;
      }
    }
    if (best === undefined) return undefined;
    const instances = Math.max(1, Math.ceil(this.rateRps / best.instanceRps - RULE_TOLERANCE));
    return { costPerHour: instances * best.instanceCostPerHour, tuples: [{ config: best, instances }] };
  }

  /**
   * Nexus's cost on a grid of `gridMs` within [`loMs`, `hiMs`], as the budgets where the cheapest cost
   * at or below them drops (a module may always use less than it is given). The choice only changes
   * at the first grid point at or above some 2·l(b).
   */
  steps(loMs: number, hiMs: number, gridMs: number): CostSteps {
    const points = new Set<number>();
    for (const group of this.groups) {
      for (const config of group) {
        const atMs = Math.max(loMs, Math.ceil((2 * config.latencyMs) / gridMs - RULE_TOLERANCE) * gridMs);
        if (atMs <= hiMs * (1 + RULE_TOLERANCE)) points.add(atMs);
      }
    }
    if (!(this.rateRps > 0)) points.add(Math.max(0, loMs));
    const budgetsMs: number[] = [];
    const costsPerHour: number[] = [];
    const solutions: ModuleSolution[] = [];
    for (const atMs of [...points].sort((a, b) => a - b)) {
      const choice = this.choiceAt(atMs);
      if (choice === undefined) continue;
      const last = costsPerHour[costsPerHour.length - 1];
      if (last !== undefined && !(choice.costPerHour < last)) continue;
      budgetsMs.push(atMs);
      costsPerHour.push(choice.costPerHour);
      solutions.push(choice);
    }
    return { budgetsMs, costsPerHour, solutions };
  }
}
