/**
 * The exact latency split over given cost step functions: one breakpoint per module, budgets summing to
 * at most the SLO along every path, least total cost. Exact because a module's cost at any budget is
 * its cost at the last breakpoint at or below it, so some optimal split sits on breakpoints.
 *
 * A chain (one path) is solved by a dynamic program along it that keeps, after each module, the
 * Pareto-best (budget used, cost) pairs. Other graphs by branch and bound, module by module (fewest
 * breakpoints first, so the last module, whose best choice is simply the largest budget that fits, has
 * the most), trying budgets from the largest (cheapest) down; a node is cut when its cost plus, for
 * every module still open, its cost at the largest budget the paths leave it reaches the best found.
 */
import { SPLIT_TOLERANCE, stepAt, pathsThrough, type CostSteps } from './cost-steps.js';

export interface SplitChoice {
  /** Breakpoint index per module. */
  readonly indices: readonly number[];
  readonly costPerHour: number;
}

/**
 * The cheapest split costing less than `upperBoundPerHour`, or undefined when there is none (no split
 * fits the paths, or none beats the bound).
 */
export function exactSplit(
  steps: readonly CostSteps[],
  paths: readonly (readonly number[])[],
  sloMs: number,
  upperBoundPerHour = Number.POSITIVE_INFINITY,
): SplitChoice | undefined {
  const count = steps.length;
  if (steps.some((s) => s.budgetsMs.length === 0)) return undefined;
  const limitMs = sloMs * (1 + SPLIT_TOLERANCE);
  const minBudget = steps.map((s) => s.budgetsMs[0] ?? 0);
  const pathsOf = pathsThrough(steps.length, paths);
  const assignedMs = paths.map(() => 0);
  const reservedMs = paths.map((path) => path.reduce((s, m) => s + (minBudget[m] ?? 0), 0));
  if (reservedMs.some((r) => r > limitMs)) return undefined;
  const only = paths[0];
  if (paths.length === 1 && only !== undefined && only.length === count)
    return chainSplit(steps, only, limitMs, upperBoundPerHour);
  const order = steps.map((_, m) => m).sort((a, b) => length(steps[a]) - length(steps[b]) || a - b);
  const open = steps.map(() => true);
  const chosen = steps.map(() => -1);
  let best = upperBoundPerHour;
  let bestIndices: number[] | undefined;

  /** The largest breakpoint of module m that the paths leave room for, or -1. */
  const room = (m: number): number => {
    let availableMs = Number.POSITIVE_INFINITY;
    for (const p of pathsOf[m] ?? []) {
      const left = limitMs - (assignedMs[p] ?? 0) - (reservedMs[p] ?? 0) + (minBudget[m] ?? 0);
      availableMs = Math.min(availableMs, left);
    }
    const s = steps[m];
    return s === undefined ? -1 : stepAt(s, availableMs);
  };
  const openBound = (): number => {
    let sum = 0;
    for (let m = 0; m < count; m++) {
      if (!open[m]) continue;
      const i = room(m);
      if (i < 0) return Number.POSITIVE_INFINITY;
      sum += steps[m]?.costsPerHour[i] ?? 0;
    }
    return sum;
  };
  const place = (m: number, i: number, sign: 1 | -1): void => {
    const budget = steps[m]?.budgetsMs[i] ?? 0;
    for (const p of pathsOf[m] ?? []) {
      assignedMs[p] = (assignedMs[p] ?? 0) + sign * budget;
      reservedMs[p] = (reservedMs[p] ?? 0) - sign * (minBudget[m] ?? 0);
    }
    open[m] = sign < 0;
    chosen[m] = sign > 0 ? i : -1;
  };

  const search = (depth: number, costPerHour: number): void => {
    const m = order[depth] ?? 0;
    const s = steps[m];
    const top = room(m);
    if (s === undefined || top < 0) return;
    if (depth === count - 1) {
      const total = costPerHour + (s.costsPerHour[top] ?? 0);
      if (total < best) {
        best = total;
        bestIndices = chosen.map((c, k) => (k === m ? top : c));
      }
      return;
    }
    for (let i = top; i >= 0; i--) {
      const total = costPerHour + (s.costsPerHour[i] ?? 0);
      if (!(total < best)) break;
      place(m, i, 1);
      if (total + openBound() < best) search(depth + 1, total);
      place(m, i, -1);
    }
  };
  if (count > 0) search(0, 0);
  else if (0 < best) return { indices: [], costPerHour: 0 };
  return bestIndices === undefined ? undefined : { indices: bestIndices, costPerHour: best };
}

/** The exact split of a chain: Pareto-best (ms used, cost) pairs module by module along `path`. */
function chainSplit(
  steps: readonly CostSteps[],
  path: readonly number[],
  limitMs: number,
  upperBoundPerHour: number,
): SplitChoice | undefined {
  // What the modules after position k need at least, in ms and in $/h.
  const restMs = new Float64Array(path.length + 1);
  const restCost = new Float64Array(path.length + 1);
  for (let k = path.length - 1; k >= 0; k--) {
    const s = steps[path[k] ?? 0];
    restMs[k] = (restMs[k + 1] ?? 0) + (s?.budgetsMs[0] ?? 0);
    restCost[k] = (restCost[k + 1] ?? 0) + (s?.costsPerHour[(s?.costsPerHour.length ?? 1) - 1] ?? 0);
  }
  interface State {
    readonly ms: number;
    readonly cost: number;
    readonly from: State | undefined;
    readonly step: number;
  }
  let states: State[] = [{ ms: 0, cost: 0, from: undefined, step: -1 }];
  for (let k = 0; k < path.length; k++) {
    const s = steps[path[k] ?? 0];
    if (s === undefined) return undefined;
    const roomMs = limitMs - (restMs[k + 1] ?? 0);
    const costBound = upperBoundPerHour - (restCost[k + 1] ?? 0);
    const next: State[] = [];
    for (const state of states) {
      for (let i = 0; i < s.budgetsMs.length; i++) {
        const ms = state.ms + (s.budgetsMs[i] ?? 0);
        if (ms > roomMs) break;
        const cost = state.cost + (s.costsPerHour[i] ?? 0);
        if (cost < costBound) next.push({ ms, cost, from: state, step: i });
      }
    }
    next.sort((a, b) => a.ms - b.ms || a.cost - b.cost);
    states = [];
    for (const state of next) {
      const last = states[states.length - 1];
      if (last === undefined || state.cost < last.cost) states.push(state);
    }
    if (states.length === 0) return undefined;
  }
  const best = states[states.length - 1];
  if (best === undefined) return undefined;
  const indices = steps.map(() => 0);
  let at: State | undefined = best;
  for (let k = path.length - 1; k >= 0 && at !== undefined; k--) {
    indices[path[k] ?? 0] = at.step;
    at = at.from;
  }
  return { indices, costPerHour: best.cost };
}

function length(steps: CostSteps | undefined): number {
  return steps?.budgetsMs.length ?? 0;
}
