/**
 * A plan (DESIGN.md §4; `sluice plan --json`, `GET /sluice/plan`): per module, its latency budget and the
 * tuples (variant, hardware, cores, batch, instances) carrying its rate, with the plan's predicted cost,
 * capacity, accuracy and latency. Infeasible problems give a plan with `feasible: false` and a reason
 * naming the binding constraint, never an exception.
 */

export interface PlanTuple {
  readonly variant: string;
  readonly hardware: string;
  /** Per instance. */
  readonly cores: number;
  readonly batch: number;
  readonly instances: number;
  /** Real requests per second this tuple carries (all its instances together). */
  readonly rateRps: number;
  /** Dummy requests per second added so batches fill fast enough (Harpagon); 0 when none. */
  readonly dummyRps: number;
  /**
   * The latency budget this tuple is held to, when it differs from its module's: a tuple serving only
   * requests with looser budgets (an application with a budget distribution). Default the module's.
   */
  readonly budgetMs?: number;
  /**
   * For an application with query sizes: the requests per second of each size this tuple carries (they
   * sum to `rateRps`). Each sized request runs alone (batch 1) in l(rows, cores).
   */
  readonly sizes?: readonly { readonly rows: number; readonly rateRps: number }[];
}

export interface PlanModule {
  readonly name: string;
  /** The module's latency budget, in ms; budgets sum to at most the SLO along every path. */
  readonly budgetMs: number;
  readonly tuples: readonly PlanTuple[];
}

export interface PlanApp {
  readonly name: string;
  /** Requests per second the plan serves (the offered rate, unless `max-throughput` serves less). */
  readonly servedRps: number;
  /** The most this plan could carry with every module's instances at the utilisation cap. */
  readonly capacityRps: number;
  /** Product over modules of each module's traffic-weighted accuracy. */
  readonly accuracy: number;
}

export interface Plan {
  readonly feasible: boolean;
  readonly planner: string;
  readonly costPerHour: number;
  /** Cores of `cpu` kinds in use (instances × cores). */
  readonly cores: number;
  /** Sum over applications of their capacity. */
  readonly capacityRps: number;
  /** Served-rate-weighted accuracy over applications. */
  readonly accuracy: number;
  /** Value of the problem's objective for this plan (cost, served rate, or accuracy − costs). */
  readonly objectiveValue: number;
  readonly predicted: {
    /** Worst-case latency of each module's tuples under the planning model, in ms. */
    readonly latencyMs: Readonly<Record<string, number>>;
  };
  readonly apps: readonly PlanApp[];
  readonly modules: readonly PlanModule[];
  /** Why this plan: for an infeasible one, the binding constraint. */
  readonly reason: string;
  /**
   * A feedback planner's own state (an online controller's), carried to its next call as
   * `problem.current.policyState` by the control loop; opaque to everything else. JSON data only.
   */
  readonly policyState?: unknown;
}

/** A plan that serves nothing because the problem cannot be met, naming what binds. */
export function infeasiblePlan(planner: string, reason: string): Plan {
  return {
    feasible: false,
    planner,
    costPerHour: 0,
    cores: 0,
    capacityRps: 0,
    accuracy: 0,
    objectiveValue: 0,
    predicted: { latencyMs: {} },
    apps: [],
    modules: [],
    reason,
  };
}
