/**
 * What InfAdapter (papers.md §2) chooses from: for every one-module application, every variant and every
 * allocation one instance of it may have (a `cpu` hardware kind and one of its core options), the most
 * requests per second that instance carries within the module's budget, cap_m(n). Unlike the original,
 * which measured batch 1 only, batching is allowed: cap_m(n) is the best over the module's batch sizes b
 * of `tupleCapacityRps(l(b, n), b, 1, ρ, L)` under the planning model, and the candidate records the batch
 * that gives it. Allocations that carry nothing within the budget are not candidates.
 */
import { indexProblem, tupleCapacityRps } from '../planning-model.js';
import {
  utilisationCapOf,
  type PlanningApp,
  type PlanningModule,
  type PlanningProblem,
} from '../planning-problem.js';
import { tupleConfigs, type TupleConfig } from '../tuple-configs.js';

/** One instance of one variant on one allocation, with the batch that carries the most. */
export interface InfadapterCandidate {
  /** Unique over the scope: the model's choice variable is `y<index>`. */
  readonly index: number;
  /** Index of its application in `InfadapterScope.apps` (and in `problem.apps`). */
  readonly app: number;
  /** Index of its variant in the module's `variants`. */
  readonly variant: number;
  /** Index of its hardware in `problem.hardware`. */
  readonly hardware: number;
  /** Variant, hardware, cores and the batch giving cap_m(n). */
  readonly config: TupleConfig;
  /** cap_m(n): real requests per second the one instance carries within the module's budget; > 0. */
  readonly capacityRps: number;
  /**
   * The share of the reload term this candidate adds when chosen: the variant's load time over the longest
   * load time of any variant in the problem, or 0 when `problem.current` already runs the variant.
   */
  readonly reloadShare: number;
}

export interface InfadapterApp {
  readonly app: PlanningApp;
  readonly module: PlanningModule;
  /** L, ms: the app's SLO or, with budget classes, the tightest class's budget. */
  readonly budgetMs: number;
  /** In variant, hardware, cores order. */
  readonly candidates: readonly InfadapterCandidate[];
  /** The quickest batch of any variant on any `cpu` allocation (for the latency reason); none without cpu models. */
  readonly fastest: TupleConfig | undefined;
}

export interface InfadapterScope {
  /** ρ, the utilisation cap the capacities assume. */
  readonly rho: number;
  /** One per application, in `problem.apps` order. */
  readonly apps: readonly InfadapterApp[];
}

/**
 * The candidates of every application of `problem`, or a sentence saying why InfAdapter cannot plan it
 * (a malformed problem, an application of several modules, or one with query sizes).
 */
export function infadapterCandidates(problem: PlanningProblem): InfadapterScope | string {
  const index = indexProblem(problem);
  if (Array.isArray(index)) return `the problem is malformed: ${index.join('; ')}`;
  const rho = utilisationCapOf(problem);
  const longestLoadMs = Math.max(0, ...problem.modules.flatMap((m) => m.variants.map((v) => v.loadMs ?? 0)));
  const running = new Set(
    (problem.current?.modules ?? []).flatMap((m) => m.tuples.map((t) => `${m.name}/${t.variant}`)),
  );
  const apps: InfadapterApp[] = [];
  let next = 0;
  for (const [appIndex, app] of problem.apps.entries()) {
    if (app.modules.length !== 1)
      return `InfAdapter plans one-module apps only: app '${app.name}' has ${app.modules.length} modules`;
    if (app.querySizes !== undefined)
      return `InfAdapter does not plan query sizes: app '${app.name}' has them`;
    const module = index.modules.get(app.modules[0] ?? '');
    if (module === undefined) return `app '${app.name}' has no module`;
    const budgetMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
    const best = new Map<string, { config: TupleConfig; capacityRps: number }>();
    let fastest: TupleConfig | undefined;
    for (const config of tupleConfigs(problem, module, rho)) {
      if (config.hardware.kind !== 'cpu' || !(config.cores > 0)) continue;
      if (fastest === undefined || config.latencyMs < fastest.latencyMs) fastest = config;
      const capacityRps = tupleCapacityRps(config.latencyMs, config.batch, 1, rho, budgetMs);
      const key = `${config.variant.name}\u0000${config.hardware.name}\u0000${config.cores}`;
      const held = best.get(key);
      // Batches come in ascending order: on a tie the smaller batch (the lower latency) stays.
      if (capacityRps > (held?.capacityRps ?? 0)) best.set(key, { config, capacityRps });
    }
    const candidates: InfadapterCandidate[] = [];
    // A core count that carries no more than a smaller one of the same variant and hardware is never worth
    // choosing (it costs more for no capacity): dropping it keeps the optimum and spares the MILP the
    // symmetric choices a non-monotone measured table would give it.
    const all = [...best.values()];
    const kept = all.filter(
      (c) =>
        !all.some(
          (smaller) =>
            smaller.config.variant === c.config.variant &&
            smaller.config.hardware === c.config.hardware &&
            smaller.config.cores < c.config.cores &&
            smaller.capacityRps >= c.capacityRps,
        ),
    );
    for (const { config, capacityRps } of kept) {
      const loadMs = config.variant.loadMs ?? 0;
      const starts = !running.has(`${module.name}/${config.variant.name}`);
      candidates.push({
        index: next++,
        app: appIndex,
        variant: module.variants.indexOf(config.variant),
        hardware: problem.hardware.indexOf(config.hardware),
        config,
        capacityRps,
        reloadShare: starts && longestLoadMs > 0 ? loadMs / longestLoadMs : 0,
      });
    }
    apps.push({ app, module, budgetMs, candidates, fastest });
  }
  return { rho, apps };
}
