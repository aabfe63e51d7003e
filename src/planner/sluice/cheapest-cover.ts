/**
 * The cheapest way to carry a rate with a set of tuple options at one fixed budget: min Σ cost·n
 * subject to Σ capacity·n ≥ rate, n ∈ {0} ∪ [fewest, most] for each option. This is Sluice's MILP
 * restricted to one module with its budget fixed and no budget but $/h, solved by depth-first
 * branch and bound: options in order of cost per capacity, the bound is the fractional cover by the
 * remaining options up to their most instances (a valid lower bound: it drops integrality and the
 * fewest-instance floors),
 * larger counts tried first so good covers are found early. Exact; gives up (undefined `cost` with
 * `exhausted`) past a node limit so the caller can fall back to the MILP.
 */

export interface CoverOption {
  /** Requests per second one instance carries at the utilisation cap. */
  readonly capacityRps: number;
  readonly costPerHour: number;
  readonly fewest: number;
  readonly most: number;
}

export type CoverResult =
  | { readonly status: 'optimal'; readonly cost: number; readonly counts: readonly number[] }
  | { readonly status: 'infeasible' }
  | { readonly status: 'exhausted' };

const RELATIVE = 1e-12;

/** The cheapest instance counts (aligned with `options`) covering `rateRps`. */
export function cheapestCover(
  options: readonly CoverOption[],
  rateRps: number,
  nodeLimit = 200_000,
  /** Covers costing more than this do not count ($/h); default none. */
  costLimit = Number.POSITIVE_INFINITY,
): CoverResult {
  const counts = options.map(() => 0);
  if (rateRps <= 0) return { status: 'optimal', cost: 0, counts };
  const order = options
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.most >= Math.max(1, o.fewest))
    .sort(
      (x, y) =>
        x.o.costPerHour / x.o.capacityRps - y.o.costPerHour / y.o.capacityRps ||
        x.o.costPerHour - y.o.costPerHour,
    );
  // Capacity still available from position k on: prunes branches that cannot cover the rate.
  const reach = order.map(() => 0);
  for (let k = order.length - 1; k >= 0; k--) {
    const { o } = order[k]!;
    reach[k] = (reach[k + 1] ?? 0) + o.most * o.capacityRps;
  }
  const slack = RELATIVE * rateRps;
  let best = costLimit * (1 + 1e-9);
  let bestCounts: number[] | undefined;
  let nodes = 0;
  const chosen = order.map(() => 0);
  // Least cost of covering `left` from position k on when counts may be fractional (each option up
  // to its most): the options in order of cost per capacity, the last one partly. A lower bound.
  const fractional = (k: number, left: number): number => {
    let cost = 0;
    for (let j = k; j < order.length && left > slack; j++) {
      const { o } = order[j]!;
      const take = Math.min(left, o.most * o.capacityRps);
      cost += (take * o.costPerHour) / o.capacityRps;
      left -= take;
    }
    return left > slack ? Number.POSITIVE_INFINITY : cost;
  };
  const visit = (k: number, left: number, cost: number): boolean => {
    if (++nodes > nodeLimit) return false;
    if (left <= slack) {
      if (cost < best) {
        best = cost;
        bestCounts = [...chosen];
      }
      return true;
    }
    const entry = order[k];
    if (entry === undefined || (reach[k] ?? 0) < left - slack) return true;
    if (cost + fractional(k, left) >= best * (1 - RELATIVE)) return true;
    const { o } = entry;
    const top = Math.min(o.most, Math.max(o.fewest, Math.ceil(left / o.capacityRps - RELATIVE)));
    for (let n = top; n >= Math.max(1, o.fewest); n--) {
      chosen[k] = n;
      if (!visit(k + 1, left - n * o.capacityRps, cost + n * o.costPerHour)) return false;
    }
    chosen[k] = 0;
    return visit(k + 1, left, cost);
  };
  if (!visit(0, rateRps, 0)) return { status: 'exhausted' };
  if (bestCounts === undefined) return { status: 'infeasible' };
  bestCounts.forEach((n, k) => {
    const position = order[k]?.i;
    if (position !== undefined) counts[position] = n;
  });
  return { status: 'optimal', cost: best, counts };
}
