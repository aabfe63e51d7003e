/**
 * What both Harpagon splits need for one application: each module's cost curve, the paths of its
 * graph, the range of budgets each module can have, and each module's cost breakpoints within it.
 *
 * Module m's budget lies in [lo_m, hi_m]: lo_m is its fastest batch latency, hi_m what the paths through
 * it leave when every other module there takes its lo. Its cost at hi_m is a lower bound LB_m in any
 * plan. A start split (each module lo_m plus an even share of the tightest path slack through it, so
 * every path fits) gives a feasible cost UB; then no optimal plan gives m more than
 * cap_m = UB − Σ_{j≠m} LB_j, so only breakpoints costing at most cap_m are kept, found by a sweep down
 * from hi_m as far as a split asks (the exact split takes them all).
 */
import { appGraph } from '../app-graph.js';
import type { PlanningApp, PlanningModule, PlanningProblem } from '../planning-problem.js';
import { SPLIT_TOLERANCE, type CostSteps } from './cost-steps.js';
import { ModuleCostCurve, type DescendingSteps } from './module-cost-curve.js';

export interface AppSplit {
  readonly app: PlanningApp;
  /** The end-to-end objective: the SLO, or the tightest budget class (a pipeline serves all alike), ms. */
  readonly sloMs: number;
  /** Module names in topological order; every per-module array and `paths` index this order. */
  readonly names: readonly string[];
  /** Each module's rate (fan-out included), requests per second. */
  readonly ratesRps: readonly number[];
  readonly curves: readonly ModuleCostCurve[];
  readonly paths: readonly (readonly number[])[];
  /** The largest budget each module can have, ms. */
  readonly hiMs: readonly number[];
  /** Each module's cost at its largest budget: what it costs at least in any plan, $/h. */
  readonly lowerCostsPerHour: readonly number[];
  /** Cost of the start split, a feasible plan, $/h. */
  readonly upperCostPerHour: number;
  /** Each module's breakpoints within its range costing at most its cap, loosest first, as asked. */
  readonly sweeps: readonly DescendingSteps[];
}

/** The split inputs of `app`, or a sentence naming why no split can work. */
export function prepareAppSplit(problem: PlanningProblem, app: PlanningApp): AppSplit | string {
  const graph = appGraph(app);
  if (typeof graph === 'string') return graph;
  const sloMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((c) => c.budgetMs));
  const names = graph.order;
  const position = new Map(names.map((name, i) => [name, i]));
  const modules: PlanningModule[] = [];
  for (const name of names) {
    const module = problem.modules.find((m) => m.name === name);
    if (module === undefined)
      return `app '${app.name}' uses module '${name}', which the problem does not define`;
    modules.push(module);
  }
  const ratesRps = names.map((name) => app.rateRps * (graph.multiplier[name] ?? 1));
  const curves = modules.map((module, i) => ModuleCostCurve.of(problem, module, ratesRps[i] ?? 0));
  const loMs = curves.map((c) => c.minBudgetMs);
  const unservable = loMs.findIndex((lo) => !Number.isFinite(lo));
  if (unservable >= 0)
    return `module '${names[unservable]}' has no variant with a latency model on any hardware kind`;
  const paths = graph.paths.map((path) => path.map((name) => position.get(name) ?? 0));
  const limitMs = sloMs * (1 + SPLIT_TOLERANCE);
  for (const path of paths) {
    const fastestMs = path.reduce((s, m) => s + (loMs[m] ?? 0), 0);
    if (fastestMs > limitMs)
      return `app '${app.name}': along ${path.map((m) => names[m]).join(' -> ')} the fastest batches alone take ${round(fastestMs)} ms, over the ${sloMs} ms objective`;
  }
  const through = names.map((_, m) => paths.filter((path) => path.includes(m)));
  const hiMs = names.map((_, m) =>
    Math.min(
      ...(through[m] ?? []).map(
        (path) => sloMs - path.reduce((s, j) => s + (j === m ? 0 : (loMs[j] ?? 0)), 0),
      ),
    ),
  );
  const lowerCostsPerHour: number[] = [];
  const atHi = curves.map((curve, m) => curve.solveAt(hiMs[m] ?? 0));
  for (const m of curves.keys()) {
    const cost = atHi[m]?.costPerHour ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(cost))
      return `module '${names[m]}': no configuration carries ${round(ratesRps[m] ?? 0)} req/s even within its largest possible budget of ${round(hiMs[m] ?? 0)} ms (instance limits)`;
    lowerCostsPerHour.push(cost);
  }
  const startMs = names.map((_, m) => {
    const shares = (through[m] ?? []).map(
      (path) => (sloMs - path.reduce((s, j) => s + (loMs[j] ?? 0), 0)) / path.length,
    );
    return (loMs[m] ?? 0) + Math.max(0, Math.min(...shares));
  });
  const upperCostPerHour = curves.reduce((s, curve, m) => s + curve.costAt(startMs[m] ?? 0), 0);
  const lowerTotal = lowerCostsPerHour.reduce((s, c) => s + c, 0);
  const sweeps = curves.map((curve, m) =>
    curve.sweepDown(
      loMs[m] ?? 0,
      hiMs[m] ?? 0,
      upperCostPerHour - (lowerTotal - (lowerCostsPerHour[m] ?? 0)),
      atHi[m],
    ),
  );
  const empty = sweeps.findIndex((s) => !s.has(0));
  if (empty >= 0)
    return `module '${names[empty]}': no budget within ${round(hiMs[empty] ?? 0)} ms carries its ${round(ratesRps[empty] ?? 0)} req/s`;
  return { app, sloMs, names, ratesRps, curves, paths, hiMs, lowerCostsPerHour, upperCostPerHour, sweeps };
}

/** Every module's breakpoints within its range and cap, ascending (the whole sweeps). */
export function allSteps(prepared: AppSplit): CostSteps[] {
  return prepared.sweeps.map((s) => s.all());
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
