// The brute-force oracle for Harpagon's min-cost problem (one app, no instance limits): per module,
// every instance vector over every configuration that covers the module's rate and costs no more than
// a cap, each giving (worst-case latency with dummies, cost); then every combination of those, one per
// module, whose latencies sum to at most the SLO along every path. It shares nothing with the planner
// but the planning model's formulas (tupleConfigs, worstLatencyMs, appGraph).
//
// The cap makes the enumeration finite and stays exact: given any feasible plan costing UB, no optimal
// plan spends more than UB − Σ_{j≠m} LB_j on module m, where LB_j = rate_j · (best $/(req/s) of j).
// Only two reductions, both plain: an instance vector that already covers the rate is not extended by
// further configurations (that adds cost and cannot lower the worst latency), and costs never exceed
// the cap.
import { appGraph } from '../../../src/planner/app-graph.js';
import { worstLatencyMs } from '../../../src/planner/planning-model.js';
import { utilisationCapOf, type PlanningProblem } from '../../../src/planner/planning-problem.js';
import { tupleConfigs, type TupleConfig } from '../../../src/planner/tuple-configs.js';

export interface OracleResult {
  readonly feasible: boolean;
  readonly costPerHour: number;
  /** Instance vectors enumerated (work done). */
  readonly vectors: number;
}

const TOLERANCE = 1e-9;

interface Point {
  readonly latencyMs: number;
  readonly costPerHour: number;
}

/**
 * The optimum of `problem` (one app), given the cost of some feasible plan (`knownCostPerHour`,
 * +∞ if none is known) and the problem's $/h budget if any.
 */
export function bruteForceMinCost(problem: PlanningProblem, knownCostPerHour: number): OracleResult {
  const app = problem.apps[0]!;
  const graph = appGraph(app);
  if (typeof graph === 'string') throw new Error(graph);
  const rho = utilisationCapOf(problem);
  const sloMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
  const names = app.modules;
  const configs = names.map((n) =>
    tupleConfigs(
      problem,
      problem.modules.find((m) => m.name === n)!,
      rho,
    ),
  );
  const rates = names.map((n) => app.rateRps * (graph.multiplier[n] ?? 1));
  const lo = configs.map((cs) => Math.min(...cs.map((c) => c.latencyMs)));
  const paths = graph.paths.map((p) => p.map((n) => names.indexOf(n)));
  if (paths.some((p) => p.reduce((s, m) => s + lo[m]!, 0) > sloMs * (1 + TOLERANCE)))
    return { feasible: false, costPerHour: Number.POSITIVE_INFINITY, vectors: 0 };
  const hi = names.map((_, m) =>
    Math.min(
      ...paths
        .filter((p) => p.includes(m))
        .map((p) => sloMs - p.reduce((s, j) => s + (j === m ? 0 : lo[j]!), 0)),
    ),
  );
  const lower = configs.map(
    (cs, m) => rates[m]! * Math.min(...cs.map((c) => c.instanceCostPerHour / c.instanceRps)),
  );
  const upper = Math.min(
    knownCostPerHour,
    ownFeasibleCost(configs, rates, lo, paths, sloMs),
    problem.budget?.costPerHour ?? Infinity,
  );
  if (!Number.isFinite(upper)) throw new Error('oracle: no bound on the cost (no known plan, no budget)');
  const lowerTotal = lower.reduce((s, x) => s + x, 0);
  let vectors = 0;
  const fronts = configs.map((cs, m) => {
    const cap = (upper - (lowerTotal - lower[m]!)) * (1 + 1e-7);
    const usable = cs.filter((c) => c.latencyMs <= hi[m]! * (1 + TOLERANCE));
    const found = enumerateModule(usable, rates[m]!, cap);
    vectors += found.vectors;
    return paretoFront(found.points);
  });
  let best = Number.POSITIVE_INFINITY;
  const sums = paths.map(() => 0);
  const walk = (m: number, cost: number): void => {
    if (cost >= best) return;
    if (m === names.length) {
      best = cost;
      return;
    }
    for (const point of fronts[m]!) {
      let fits = true;
      for (const [p, path] of paths.entries()) {
        if (path.includes(m) && sums[p]! + point.latencyMs > sloMs * (1 + TOLERANCE)) fits = false;
      }
      if (!fits) continue;
      for (const [p, path] of paths.entries()) if (path.includes(m)) sums[p]! += point.latencyMs;
      walk(m + 1, cost + point.costPerHour);
      for (const [p, path] of paths.entries()) if (path.includes(m)) sums[p]! -= point.latencyMs;
    }
  };
  walk(0, 0);
  const withinBudget = best <= (problem.budget?.costPerHour ?? Infinity) * (1 + 1e-6);
  return { feasible: Number.isFinite(best) && withinBudget, costPerHour: best, vectors };
}

/** Every covering instance vector of cost at most `capPerHour`: its worst latency and cost. */
function enumerateModule(
  configs: readonly TupleConfig[],
  rateRps: number,
  capPerHour: number,
): { points: Point[]; vectors: number } {
  if (!(rateRps > 0)) return { points: [{ latencyMs: 0, costPerHour: 0 }], vectors: 1 };
  const points: Point[] = [];
  let vectors = 0;
  const visit = (k: number, rps: number, cost: number, worstMs: number): void => {
    vectors++;
    if (rps >= rateRps * (1 - TOLERANCE)) {
      points.push({ latencyMs: worstMs, costPerHour: cost });
      return;
    }
    if (k === configs.length) return;
    const c = configs[k]!;
    visit(k + 1, rps, cost, worstMs);
    for (let n = 1; cost + n * c.instanceCostPerHour <= capPerHour; n++) {
      const capacity = n * c.instanceRps;
      const worst = worstLatencyMs(c.latencyMs, c.batch, capacity);
      visit(k + 1, rps + capacity, cost + n * c.instanceCostPerHour, Math.max(worstMs, worst));
    }
  };
  visit(0, 0, 0, 0);
  return { points, vectors };
}

function paretoFront(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.latencyMs - b.latencyMs || a.costPerHour - b.costPerHour);
  const front: Point[] = [];
  for (const p of sorted) {
    const last = front[front.length - 1];
    if (last === undefined || p.costPerHour < last.costPerHour) front.push(p);
  }
  return front;
}

/** A plain feasible plan's cost: even path slack per module, the cheapest single configuration. */
function ownFeasibleCost(
  configs: readonly (readonly TupleConfig[])[],
  rates: readonly number[],
  lo: readonly number[],
  paths: readonly (readonly number[])[],
  sloMs: number,
): number {
  let total = 0;
  for (const [m, cs] of configs.entries()) {
    const shares = paths
      .filter((p) => p.includes(m))
      .map((p) => (sloMs - p.reduce((s, j) => s + lo[j]!, 0)) / p.length);
    const budgetMs = lo[m]! + Math.max(0, Math.min(...shares));
    let cheapest = Number.POSITIVE_INFINITY;
    for (const c of cs) {
      for (let n = Math.max(1, Math.ceil(rates[m]! / c.instanceRps)); n <= 2000; n++) {
        if (worstLatencyMs(c.latencyMs, c.batch, n * c.instanceRps) <= budgetMs) {
          cheapest = Math.min(cheapest, n * c.instanceCostPerHour);
          break;
        }
      }
    }
    total += rates[m]! > 0 ? cheapest : 0;
  }
  return total;
}
