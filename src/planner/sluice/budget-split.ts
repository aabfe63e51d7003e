/**
 * The split of an app's SLO into module budgets for the decomposition (decomposed-solve.ts): each
 * module offers steps (a budget it needs and the least cost of covering its rate within it, cost
 * rising as the budget tightens), and one step per module must keep every path within the SLO at the
 * least total cost. A chain is a Pareto merge; other graphs a depth-first search whose bound gives
 * each module still open its cheapest step within the room its paths leave it. Both exact.
 */
import type { SluiceApp } from './candidate-types.js';

export interface Step {
  /** Least budget the cover needs, ms. */
  readonly needMs: number;
  readonly cost: number;
  readonly counts: readonly number[];
}

const SLACK = 1e-9;

/**
 * A chain (one path): merge the modules' steps one by one into the Pareto front of (budget used, cost)
 * — every budget total within the SLO, keeping only pairs no other pair beats on both — then take the
 * cheapest. Exact: any split of a chain is a sum along the one path.
 */
export function chainSplit(app: SluiceApp, steps: readonly Step[][]): Step[] | undefined {
  const names = app.modules.map((m) => m.module.name);
  const order = (app.paths[0] ?? []).map((name) => names.indexOf(name));
  const lists = order.map((m) => steps[m] ?? []);
  const least = lists.map((list) => Math.min(...list.map((s) => s.needMs)));
  const cheapest = lists.map((list) => Math.min(...list.map((s) => s.cost)));
  const rest = lists.map((_, k) => cheapest.slice(k + 1).reduce((s, c) => s + c, 0));
  const room = lists.map((_, k) => app.sloMs * (1 + 1e-9) - least.slice(k + 1).reduce((s, x) => s + x, 0));
  // An upper bound on the optimum prunes partial sums: each module its cheapest step within a share
  // of the SLO proportional to its least budget (the shares sum to the SLO, so this is a plan).
  const total = least.reduce((s, x) => s + x, 0);
  let bound = Number.POSITIVE_INFINITY;
  if (total > 0 && total <= app.sloMs) {
    bound = 0;
    for (const [k, list] of lists.entries()) {
      const share = (app.sloMs * (least[k] ?? 0)) / total;
      const fit = list.filter((s) => s.needMs <= share * (1 + 1e-12));
      bound += fit.length > 0 ? Math.min(...fit.map((s) => s.cost)) : Number.POSITIVE_INFINITY;
    }
  }
  interface Node {
    readonly needMs: number;
    readonly cost: number;
    readonly step: Step | undefined;
    readonly parent: Node | undefined;
  }
  let front: Node[] = [{ needMs: 0, cost: 0, step: undefined, parent: undefined }];
  for (const [k, list] of lists.entries()) {
    const merged: Node[] = [];
    const limitMs = room[k] ?? 0;
    const limitCost = bound * (1 + 1e-9) - (rest[k] ?? 0);
    for (const p of front)
      for (const step of list) {
        const needMs = p.needMs + step.needMs;
        const cost = p.cost + step.cost;
        if (needMs <= limitMs && cost <= limitCost) merged.push({ needMs, cost, step, parent: p });
      }
    merged.sort((x, y) => x.needMs - y.needMs || x.cost - y.cost);
    front = [];
    for (const p of merged) {
      const last = front[front.length - 1];
      if (last === undefined || p.cost < last.cost * (1 - 1e-12)) front.push(p);
    }
    if (front.length === 0) return undefined;
  }
  // Back to the app's module order.
  const out: Step[] = [];
  let node: Node | undefined = front[front.length - 1];
  for (let k = order.length - 1; k >= 0 && node !== undefined; k--) {
    if (node.step !== undefined) out[order[k] ?? 0] = node.step;
    node = node.parent;
  }
  return out;
}

/**
 * One step per module, every path within the SLO, least total cost: depth-first over the modules in
 * the app's order, steps cheapest first. The bound of a node is its cost plus, for each module still
 * open, the cheapest of its steps that fits the room its paths leave (the SLO less the chosen budgets
 * and the least budgets of the other open modules on the path): any completion gives each open module
 * some step within that room, and none is cheaper than the cheapest that fits, so the bound is valid.
 * The first incumbent gives each module a share of the SLO proportional to its least budget.
 */
export function cheapestSplit(app: SluiceApp, steps: readonly Step[][]): Step[] | undefined {
  const names = app.modules.map((m) => m.module.name);
  const paths = app.paths.map((p) => p.map((name) => names.indexOf(name)));
  const through = names.map((_, m) => paths.flatMap((p, k) => (p.includes(m) ? [k] : [])));
  const lists = steps.map(staircase);
  const least = lists.map((list) => list[list.length - 1]?.needMs ?? Infinity);
  const limit = app.sloMs * (1 + SLACK);
  const used = paths.map(() => 0);
  const openLeast = paths.map((p) => p.reduce((s, m) => s + (least[m] ?? 0), 0));
  const chosen: (Step | undefined)[] = lists.map(() => undefined);
  /** The room module m has: on each of its paths, the limit less what the others take at least. */
  const room = (m: number): number => {
    let r = Infinity;
    for (const k of through[m] ?? [])
      r = Math.min(r, limit - (used[k] ?? 0) - ((openLeast[k] ?? 0) - (least[m] ?? 0)));
    return r;
  };
  let best = proportional(app, lists, least, paths);
  let bestCost = best === undefined ? Infinity : best.reduce((s, x) => s + x.cost, 0);
  const visit = (m: number, cost: number): void => {
    if (m === lists.length) {
      if (cost < bestCost) {
        bestCost = cost;
        best = chosen.map((x) => x as Step);
      }
      return;
    }
    let rest = 0;
    for (let k = m + 1; k < lists.length; k++)
      rest += cheapestWithin(lists[k] ?? [], room(k))?.cost ?? Infinity;
    const list = lists[m] ?? [];
    const r = room(m);
    for (let i = firstWithin(list, r); i < list.length; i++) {
      const step = list[i] as Step;
      if (cost + step.cost + rest >= bestCost * (1 - 1e-12)) break;
      chosen[m] = step;
      for (const k of through[m] ?? []) {
        used[k] = (used[k] ?? 0) + step.needMs;
        openLeast[k] = (openLeast[k] ?? 0) - (least[m] ?? 0);
      }
      visit(m + 1, cost + step.cost);
      for (const k of through[m] ?? []) {
        used[k] = (used[k] ?? 0) - step.needMs;
        openLeast[k] = (openLeast[k] ?? 0) + (least[m] ?? 0);
      }
    }
    chosen[m] = undefined;
  };
  visit(0, 0);
  return best;
}

/** The steps no other beats on both budget and cost, loosest (cheapest) first. */
function staircase(list: readonly Step[]): Step[] {
  const sorted = [...list].sort((x, y) => x.needMs - y.needMs || x.cost - y.cost);
  const out: Step[] = [];
  let cheapest = Infinity;
  for (const step of sorted) {
    if (step.cost < cheapest) {
      out.push(step);
      cheapest = step.cost;
    }
  }
  return out.reverse();
}

/** Position of the first (cheapest) step that needs at most `roomMs`; the length when none does. */
function firstWithin(list: readonly Step[], roomMs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Step).needMs <= roomMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cheapestWithin(list: readonly Step[], roomMs: number): Step | undefined {
  return list[firstWithin(list, roomMs)];
}

/** Each module its cheapest step within a share of the SLO proportional to its least budget. */
function proportional(
  app: SluiceApp,
  lists: readonly Step[][],
  least: readonly number[],
  paths: readonly number[][],
): Step[] | undefined {
  const longest = Math.max(...paths.map((p) => p.reduce((s, m) => s + (least[m] ?? 0), 0)));
  if (!(longest > 0) || longest > app.sloMs * (1 + SLACK)) return undefined;
  const out: Step[] = [];
  for (const [m, list] of lists.entries()) {
    const step = cheapestWithin(list, ((least[m] ?? 0) * app.sloMs) / longest);
    if (step === undefined) return undefined;
    out.push(step);
  }
  return out;
}
