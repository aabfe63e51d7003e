/**
 * The contract of a query-to-instance assignment policy (KAIROS's run-time query distribution): every
 * tick, the engine hands the policy the waiting queries and the state of every instance, and gets back
 * which queries to start now on which idle instances. Each instance runs one query at a time (a query
 * of `rows` rows is one batch). The policy is pure and stateless: the engine owns the queue and the
 * instances and applies the decision; queries it leaves out stay queued for the next tick.
 */

/** A waiting query. */
export interface QueuedQuery {
  readonly id: string;
  /** Rows (items) in the query: its size. */
  readonly rows: number;
  /** When it arrived, ms on the engine's clock. */
  readonly arrivalMs: number;
  /** When its answer is due, ms on the engine's clock (arrival + its budget). */
  readonly deadlineMs: number;
}

/** An instance, idle or busy. */
export interface AssignableInstance {
  readonly id: string;
  /** Its hardware kind (instance type), e.g. `g4dn.xlarge`. */
  readonly hardware: string;
  /** When it finishes the query it runs, ms; `nowMs` (or earlier) when idle. */
  readonly freeAtMs: number;
  /**
   * Predicted service time of a query of `rows` rows on it, ms (KAIROS: the p99 of its profile). Must be
   * pure; a policy may call it for every (query, instance) pair each tick. Non-finite: it cannot run it.
   */
  latencyMs(rows: number): number;
}

export interface AssignmentContext {
  readonly nowMs: number;
  /** Waiting queries, oldest first. */
  readonly queued: readonly QueuedQuery[];
  /** Every instance, busy ones included, in a stable order (ties go to earlier instances). */
  readonly instances: readonly AssignableInstance[];
}

/** Start query `queryId` on instance `instanceId` now. */
export interface QueryAssignment {
  readonly queryId: string;
  readonly instanceId: string;
}

export interface AssignmentDecision {
  /** Oldest query first; each query and each instance at most once; only instances idle at `nowMs`. */
  readonly assignments: readonly QueryAssignment[];
}

/** A query-to-instance assignment policy: `minCostMatching` (KAIROS) or `fcfsAssignment` (its baseline). */
export type QueryAssignmentPolicy = (context: AssignmentContext) => AssignmentDecision;

/** Whether `instance` is idle at `nowMs`. */
export function isIdle(instance: AssignableInstance, nowMs: number): boolean {
  return instance.freeAtMs <= nowMs;
}
