/**
 * KAIROS's run-time query distribution (HPDC 2023, docs/papers.md §4): every tick, a minimum-cost
 * assignment (hungarian-assignment.ts) between the oldest 2N waiting queries and all N instances, busy
 * ones included; only the pairs whose instance is idle now are dispatched, so a large query may wait
 * for a fast instance that frees soon rather than miss its deadline on a slow idle one.
 *
 * Our reading of the cost, precisely. For query q and instance k, the predicted finish is
 *   finish(q,k) = max(freeAt_k, now) + l_k(rows_q),
 * and the pair's cost is the lexicographic vector
 *   [cannot run, miss, near miss, speed_k · (finish(q,k) − now), tie-break]
 * where "cannot run" is a non-finite l_k(rows_q), a miss is finish > deadline, a near miss is finish
 * within `nearMissShare` of the query's budget before its deadline, and
 *   speed_k = max_j T_j / T_k,   T_k = Σ over the window's queries of l_k(rows_q),
 * is how many times faster than the slowest instance k serves the work waiting now. The "heavy
 * penalties" are lexicographic, so no saving in time outweighs one miss (or near miss) avoided. The
 * speed scaling prices each instance's time by what it is worth to the waiting work, so a query goes
 * where it is relatively fastest: q prefers k to j when l_j(q)/l_k(q) > speed_k/speed_j, i.e. when its
 * speed-up on k beats k's usual speed-up (like the fluid bound's dual prices in the planner). Small
 * queries a CPU finishes in time thus leave the GPU to the large ones. Times are compared to the
 * microsecond, so the assignment is exact; the tie-break sends older queries to earlier instances.
 */
import { hungarianAssignment, type CostMatrix } from './hungarian-assignment.js';
import {
  isIdle,
  type AssignmentContext,
  type AssignmentDecision,
  type QueryAssignment,
  type QueuedQuery,
} from './query-assignment.js';

export interface MinCostMatchingOptions {
  /** Queries considered per tick: the oldest `windowFactor` × (number of instances). Default 2. */
  readonly windowFactor?: number;
  /**
   * A finish later than deadline − nearMissShare × (deadline − arrival) is a near miss; 0 turns near
   * misses off. Default 0.05.
   */
  readonly nearMissShare?: number;
}

/** The cost levels of every (window query, instance) pair, most significant first. */
export interface MatchingCosts {
  /** The queries considered: the oldest of the queue. */
  readonly window: readonly QueuedQuery[];
  /** speed_k per instance (≥ 1; 1 for the slowest on the waiting work). */
  readonly speeds: readonly number[];
  /** levels[l][q][k] for level l = cannot run, miss, near miss, scaled finish (µs), tie-break. */
  readonly levels: readonly CostMatrix[];
}

/** KAIROS's min-cost matching policy (see the file comment). Pure. */
export function minCostMatching(
  context: AssignmentContext,
  options: MinCostMatchingOptions = {},
): AssignmentDecision {
  const costs = matchingCosts(context, options);
  if (costs.window.length === 0 || context.instances.length === 0) return { assignments: [] };
  const [cannot] = costs.levels;
  const { columnOfRow } = hungarianAssignment(costs.levels);
  const assignments: QueryAssignment[] = [];
  costs.window.forEach((query, q) => {
    const k = columnOfRow[q] ?? -1;
    const instance = context.instances[k];
    if (instance === undefined || !isIdle(instance, context.nowMs) || cannot?.[q]?.[k] === 1) return;
    assignments.push({ queryId: query.id, instanceId: instance.id });
  });
  return { assignments };
}

/** The window, speeds and cost levels `minCostMatching` assigns by. */
export function matchingCosts(
  context: AssignmentContext,
  options: MinCostMatchingOptions = {},
): MatchingCosts {
  const { nowMs, instances } = context;
  const windowSize = Math.max(0, Math.floor((options.windowFactor ?? 2) * instances.length));
  const window = context.queued.slice(0, windowSize);
  const nearMissShare = options.nearMissShare ?? 0.05;
  const latency = window.map((q) => instances.map((k) => k.latencyMs(q.rows)));
  const speeds = speedsOf(latency, instances.length);
  const q = window.length;
  const n = instances.length;
  const cannot: number[][] = [];
  const misses: number[][] = [];
  const nearMisses: number[][] = [];
  const scaledUs: number[][] = [];
  const ties: number[][] = [];
  window.forEach((query, i) => {
    const row = (): number[] => new Array<number>(n).fill(0);
    const [c, m, near, time] = [row(), row(), row(), row()];
    // Older queries to earlier instances, and any query to an earlier instance, among equals.
    ties.push(instances.map((_, k) => (n + 1) * i + (q + 1) * k - i * k));
    const marginMs = nearMissShare * Math.max(0, query.deadlineMs - query.arrivalMs);
    instances.forEach((instance, k) => {
      const l = latency[i]?.[k] ?? Number.NaN;
      if (!Number.isFinite(l) || l < 0) {
        c[k] = 1;
        return;
      }
      const finishMs = Math.max(instance.freeAtMs, nowMs) + l;
      const miss = finishMs > query.deadlineMs;
      m[k] = miss ? 1 : 0;
      near[k] = !miss && finishMs > query.deadlineMs - marginMs ? 1 : 0;
      time[k] = Math.round((speeds[k] ?? 1) * (finishMs - nowMs) * 1000);
    });
    cannot.push(c);
    misses.push(m);
    nearMisses.push(near);
    scaledUs.push(time);
  });
  return { window, speeds, levels: [cannot, misses, nearMisses, scaledUs, ties] };
}

/**
 * speed_k = max_j T_j / T_k with T_k the time instance k needs for all the queries every instance can
 * run; 1 for every instance when there are none.
 */
function speedsOf(latency: readonly (readonly number[])[], instances: number): number[] {
  const runnable = latency.filter((row) => row.every((l) => Number.isFinite(l) && l >= 0));
  const work = Array.from({ length: instances }, (_, k) => runnable.reduce((t, row) => t + (row[k] ?? 0), 0));
  const slowest = Math.max(0, ...work);
  return work.map((t) => (t > 0 && slowest > 0 ? slowest / t : 1));
}
