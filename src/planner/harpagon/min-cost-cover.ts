/**
 * The integer covering problem behind a module's minimum-cost multi-tuple configuration (Harpagon,
 * docs/papers.md §3): choose instance counts n_k, each 0 or at least the item's minimum m_k (the fewest
 * instances whose batches fill in time), with Σ n_k · capacity_k ≥ rate and Σ n_k · price_k least.
 *
 * Solved exactly by a dynamic program over the items in cost-efficiency order that keeps only the
 * Pareto-best partial choices (least cost for the capacity reached, and for the instances used of each
 * limited hardware kind), pruned by a lower bound: what is still missing priced at the best remaining
 * efficiency, and at least one more tuple's price. Equal partial sums reached along different paths
 * merge, so many interchangeable configurations (a core-linear latency model) cost nothing extra.
 * `CoverTable` holds the items as columns and is reused across solves (the cost curves solve the same
 * module at many budgets), so a solve allocates little beyond its partial choices.
 *
 * Of the cheapest covers it returns one of least need: the largest l + fill / n over its tuples (an
 * item's batch latency l and fill time, n its instances), the smallest budget the cover still meets.
 * A cost curve swept down then learns where the step of that cost starts with the one solve (no budget
 * below the need has a cover as cheap). Costs a billionth of the cheapest conceivable cover (the rate at
 * the best $/(req/s)) apart count as equal.
 */
import { ascendingOrder } from '../../core/ascending-order.js';
import { float64Columns } from '../../core/columns.js';

/** One configuration usable at the budget in question. */
export interface CoverItem {
  /** $ per hour of one instance. */
  readonly instanceCostPerHour: number;
  /** Requests per second one instance carries (at the utilisation cap). */
  readonly instanceRps: number;
  /** The fewest instances allowed when the item is used at all; at least 1. */
  readonly minInstances: number;
  /** Index into the limits of the hardware kind this item's instances count against; -1 for none. */
  readonly limitSlot: number;
  /** Batch latency l, ms, and fill time, ms: the need of n instances is l + fill / n (default 0). */
  readonly latencyMs?: number;
  readonly fillMs?: number;
}

/**
 * The limit slots of hardware kinds with an instance limit, numbered as first met: `slotOf` gives a
 * kind's slot (-1 for an unlimited kind) and `limits` the limits by slot, as `CoverTable.solve` takes them.
 */
export class LimitSlots {
  readonly limits: number[] = [];
  private readonly slots = new Map<string, number>();

  slotOf(hardware: { readonly name: string; readonly maxInstances?: number | undefined }): number {
    const limit = hardware.maxInstances;
    if (limit === undefined) return -1;
    let slot = this.slots.get(hardware.name);
    if (slot === undefined) {
      slot = this.limits.length;
      this.slots.set(hardware.name, slot);
      this.limits.push(limit);
    }
    return slot;
  }
}

export interface Cover {
  readonly costPerHour: number;
  /** The largest l + fill / n over the items used, ms: least among the cheapest covers. */
  readonly needMs: number;
  /** Instances of each item, in the order given; 0 for the items not used. */
  readonly instances: readonly number[];
}

/** Capacity within this share of the rate counts as covering it (absorbs rounding of sums). */
const COVER_TOLERANCE = 1e-9;
/** Partial choices this close in capacity are one (float sums of equal choices differ in ulps). */
const MERGE_TOLERANCE = 1e-12;
/** Costs this share of the cheapest conceivable cover apart are equal (float sums of equal prices). */
const TIE_TOLERANCE = 1e-9;
const NO_LIMITS: readonly number[] = [];

interface Partial {
  readonly cost: number;
  readonly rps: number;
  /** The largest l + fill / n of the tuples chosen, ms (0: none). */
  readonly need: number;
  /** Node of the last choice made (`Trail`), -1 for none. */
  readonly node: number;
  /** Instances used per limited hardware kind. */
  readonly used: readonly number[];
}

/**
 * The choices made, as a forest of (parent, item, count) nodes shared by the partial choices. Kept by
 * the table and reset per solve: the arrays keep their room, so solves after the first allocate none.
 */
class Trail {
  length = 0;
  readonly parent: number[] = [];
  readonly item: number[] = [];
  readonly count: number[] = [];

  reset(): void {
    this.length = 0;
  }

  add(parent: number, item: number, count: number): number {
    const at = this.length++;
    this.parent[at] = parent;
    this.item[at] = item;
    this.count[at] = count;
    return at;
  }
}

/** Items as columns, to be pushed in ascending $/(req/s) order; `clear` and refill for the next solve. */
export class CoverTable {
  /** Items held. */
  count = 0;
  private readonly cost: Float64Array;
  private readonly rps: Float64Array;
  private readonly least: Float64Array;
  private readonly slot: Float64Array;
  private readonly latency: Float64Array;
  private readonly fill: Float64Array;
  private readonly id: Float64Array;
  private readonly restEfficiency: Float64Array;
  private readonly restTupleCost: Float64Array;
  /** The solves' trail of choices (reused). */
  private readonly trail = new Trail();

  /** Room for `capacity` items. */
  constructor(capacity: number) {
    const columns = float64Columns(capacity + 1, [
      'cost',
      'rps',
      'least',
      'slot',
      'latency',
      'fill',
      'id',
      'restEfficiency',
      'restTupleCost',
    ]);
    this.cost = columns.cost;
    this.rps = columns.rps;
    this.least = columns.least;
    this.slot = columns.slot;
    this.latency = columns.latency;
    this.fill = columns.fill;
    this.id = columns.id;
    this.restEfficiency = columns.restEfficiency;
    this.restTupleCost = columns.restTupleCost;
  }

  clear(): void {
    this.count = 0;
  }

  /**
   * Adds an item known to the caller as `id` whose n instances need l + fill / n ms (`latencyMs`,
   * `fillMs`); items must come in ascending $/(req/s).
   */
  push(
    instanceCostPerHour: number,
    instanceRps: number,
    minInstances: number,
    limitSlot: number,
    id: number,
    latencyMs = 0,
    fillMs = 0,
  ): void {
    const i = this.count++;
    this.cost[i] = instanceCostPerHour;
    this.rps[i] = instanceRps;
    this.least[i] = minInstances;
    this.slot[i] = limitSlot;
    this.latency[i] = latencyMs;
    this.fill[i] = fillMs;
    this.id[i] = id;
  }

  /**
   * The cheapest cover of `rateRps` costing less than `upperBoundPerHour`, as (id, instances) pairs;
   * undefined when there is none. A non-positive rate is covered by nothing at no cost.
   */
  solve(
    rateRps: number,
    limitsInstances: readonly number[],
    upperBoundPerHour: number,
  ): { costPerHour: number; needMs: number; ids: number[]; instances: number[] } | undefined {
    if (!(rateRps > 0)) return { costPerHour: 0, needMs: 0, ids: [], instances: [] };
    const count = this.count;
    const { cost: price, rps: capacity, least: fewest, slot: slots, restEfficiency, restTupleCost } = this;
    restEfficiency[count] = Number.POSITIVE_INFINITY;
    restTupleCost[count] = Number.POSITIVE_INFINITY;
    for (let i = count - 1; i >= 0; i--) {
      const p = price[i] ?? 0;
      restEfficiency[i] = Math.min(p / (capacity[i] ?? 1), restEfficiency[i + 1] ?? 0);
      restTupleCost[i] = Math.min((fewest[i] ?? 1) * p, restTupleCost[i + 1] ?? 0);
    }
    const needRps = rateRps * (1 - COVER_TOLERANCE);
    const limited = limitsInstances.length > 0;
    const tie = TIE_TOLERANCE * rateRps * (restEfficiency[0] ?? 0);
    // A known cover's cost bounds the search from the start (it is found again, or a cheaper one).
    const incumbent = this.greedyCost(rateRps, limitsInstances);
    if (incumbent < upperBoundPerHour) upperBoundPerHour = Math.min(upperBoundPerHour, incumbent + 2 * tie);
    const trail = this.trail;
    trail.reset();
    let partials: Partial[] = [
      { cost: 0, rps: 0, need: 0, node: -1, used: limited ? limitsInstances.map(() => 0) : NO_LIMITS },
    ];
    // The cheapest cost found (or the bound), and the cover chosen: the least need within `tie` of it.
    let best = upperBoundPerHour;
    let bestCost = Number.POSITIVE_INFINITY;
    let bestNeed = Number.POSITIVE_INFINITY;
    let bestNode = -1;
    let found = false;
    // Whether a cover costing at least `cost` and needing at least `need` can still be chosen.
    const promising = (cost: number, need: number): boolean =>
      found ? cost < best - tie || (cost <= best + tie && need < bestNeed) : cost < best;
    for (let i = 0; i < count && partials.length > 0; i++) {
      const p = price[i] ?? 0;
      const mu = capacity[i] ?? 1;
      const least = fewest[i] ?? 1;
      const slot = slots[i] ?? -1;
      const latency = this.latency[i] ?? 0;
      const fill = this.fill[i] ?? 0;
      const afterEfficiency = restEfficiency[i + 1] ?? Number.POSITIVE_INFINITY;
      const afterTupleCost = restTupleCost[i + 1] ?? Number.POSITIVE_INFINITY;
      const next: Partial[] = [];
      for (const partial of partials) {
        const missingRps = rateRps - partial.rps;
        if (promising(partial.cost + Math.max(missingRps * afterEfficiency, afterTupleCost), partial.need))
          next.push(partial);
        const room =
          slot >= 0 ? (limitsInstances[slot] ?? 0) - (partial.used[slot] ?? 0) : Number.POSITIVE_INFINITY;
        if (room < least || !promising(partial.cost + least * p, partial.need)) continue;
        const covering = Math.max(least, Math.ceil(missingRps / mu - COVER_TOLERANCE));
        for (let n = Math.min(covering, room); n >= least; n--) {
          const cost = partial.cost + n * p;
          const need = Math.max(partial.need, latency + fill / n);
          if (!promising(cost, need)) continue;
          const rps = partial.rps + n * mu;
          if (rps >= needRps) {
            best = found ? Math.min(best, cost) : cost;
            bestCost = cost;
            bestNeed = need;
            bestNode = trail.add(partial.node, i, n);
            found = true;
            continue;
          }
          // Fewer instances leave more to the (less efficient) items after and need longer: the
          // bound only rises.
          if (!promising(cost + (rateRps - rps) * afterEfficiency, need)) break;
          if (!promising(cost + afterTupleCost, need)) continue;
          const used = slot >= 0 ? partial.used.map((u, s) => (s === slot ? u + n : u)) : partial.used;
          next.push({ cost, rps, need, node: trail.add(partial.node, i, n), used });
        }
      }
      partials = paretoBest(next, rateRps, limited, tie);
    }
    if (!found) return undefined;
    const ids: number[] = [];
    const instances: number[] = [];
    for (let at = bestNode; at >= 0; at = trail.parent[at] ?? -1) {
      ids.push(this.id[trail.item[at] ?? 0] ?? 0);
      instances.push(trail.count[at] ?? 0);
    }
    return { costPerHour: bestCost, needMs: bestNeed, ids: ids.reverse(), instances: instances.reverse() };
  }

  /**
   * The cost of a cover found greedily (+∞: none found): the whole rate on the one item that carries
   * it cheapest, or the bulk (whole instances) on the most cost-efficient item and the remainder on
   * the item that carries the remainder cheapest. Items on limited hardware kinds are left out.
   */
  private greedyCost(rateRps: number, limitsInstances: readonly number[]): number {
    const { cost: price, rps: capacity, least: fewest, slot: slots } = this;
    const alone = (i: number, rps: number): number =>
      (price[i] ?? 0) * Math.max(fewest[i] ?? 1, Math.ceil(rps / (capacity[i] ?? 1) - COVER_TOLERANCE));
    let bulk = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.count; i++) {
      if ((slots[i] ?? -1) >= 0 && limitsInstances.length > 0) continue;
      if (bulk < 0) bulk = i;
      best = Math.min(best, alone(i, rateRps));
    }
    if (bulk < 0) return best;
    const n = Math.floor(rateRps / (capacity[bulk] ?? 1) + COVER_TOLERANCE);
    if (n < (fewest[bulk] ?? 1)) return best;
    const restRps = rateRps - n * (capacity[bulk] ?? 0);
    if (restRps <= rateRps * COVER_TOLERANCE) return Math.min(best, n * (price[bulk] ?? 0));
    let rest = Number.POSITIVE_INFINITY;
    for (let j = 0; j < this.count; j++) {
      if (j === bulk || ((slots[j] ?? -1) >= 0 && limitsInstances.length > 0)) continue;
      rest = Math.min(rest, alone(j, restRps));
    }
    return Math.min(best, n * (price[bulk] ?? 0) + rest);
  }
}

/**
 * The cheapest cover of `rateRps` by `items` (any order), or undefined when none costs less than
 * `upperBoundPerHour` or none exists within `limitsInstances` (instances per limited hardware kind).
 */
export function minCostCover(
  items: readonly CoverItem[],
  rateRps: number,
  limitsInstances: readonly number[] = NO_LIMITS,
  upperBoundPerHour = Number.POSITIVE_INFINITY,
): Cover | undefined {
  const order = ascendingOrder(
    Float64Array.from(items, (item) => item.instanceCostPerHour / item.instanceRps),
  );
  const table = new CoverTable(items.length);
  for (const i of order) {
    const item = items[i];
    if (item !== undefined)
      table.push(
        item.instanceCostPerHour,
        item.instanceRps,
        item.minInstances,
        item.limitSlot,
        i,
        item.latencyMs,
        item.fillMs,
      );
  }
  const found = table.solve(rateRps, limitsInstances, upperBoundPerHour);
  if (found === undefined) return undefined;
  const instances = items.map(() => 0);
  found.ids.forEach((id, k) => (instances[id] = found.instances[k] ?? 0));
  return { costPerHour: found.costPerHour, needMs: found.needMs, instances };
}

/**
 * The partial choices no other beats: one beats another when it carries as much (and, if limits, uses
 * no more of any limited kind) and either costs less by more than `tie` or costs no more (within
 * `tie`) and needs no longer.
 */
function paretoBest(partials: Partial[], rateRps: number, limited: boolean, tie: number): Partial[] {
  if (partials.length <= 1) return partials;
  // Insertion sort: a handful of choices, mostly in order already, and no comparator calls (a call per
  // comparison, and the library sort's buffers, cost more than the rest of a solve).
  if (partials.length > 64) {
    // Many: by cost with the comparator-free argsort, then insertion within equal costs.
    const costs = new Float64Array(partials.length);
    for (let i = 0; i < partials.length; i++) costs[i] = partials[i]!.cost;
    const order = ascendingOrder(costs);
    const copy = partials.slice();
    for (let i = 0; i < order.length; i++) partials[i] = copy[order[i]!]!;
  }
  for (let i = 1; i < partials.length; i++) {
    const p = partials[i]!;
    let j = i - 1;
    for (; j >= 0 && before(p, partials[j]!); j--) partials[j + 1] = partials[j]!;
    partials[j + 1] = p;
  }
  const rpsSlack = MERGE_TOLERANCE * rateRps;
  const kept: Partial[] = [];
  // Kept choices cheaper than the one at hand by more than `tie` are kept[0, settled); the most they carry.
  let settled = 0;
  let settledRps = Number.NEGATIVE_INFINITY;
  for (const p of partials) {
    if (!limited) {
      for (; settled < kept.length && kept[settled]!.cost < p.cost - tie; settled++)
        settledRps = Math.max(settledRps, kept[settled]!.rps);
      if (p.rps <= settledRps + rpsSlack) continue;
      let beaten = false;
      for (let k = settled; k < kept.length && !beaten; k++)
        beaten = kept[k]!.rps >= p.rps - rpsSlack && kept[k]!.need <= p.need;
      if (!beaten) kept.push(p);
      continue;
    }
    const beaten = kept.some(
      (q) =>
        q.rps >= p.rps - rpsSlack &&
        (q.cost < p.cost - tie || q.need <= p.need) &&
        q.used.every((u, s) => u <= (p.used[s] ?? 0)),
    );
    if (!beaten) kept.push(p);
  }
  return kept;
}

/** Whether `a` comes before `b`: cheaper, then carrying more, then needing less. */
function before(a: Partial, b: Partial): boolean {
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.rps !== b.rps) return a.rps > b.rps;
  return a.need < b.need;
}
