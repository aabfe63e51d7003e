/**
 * An exact dynamic programme over instance counts, for groups of one-module apps (frontier-solve.ts
 * says which and builds its input). The items (candidates) are processed one by one in layers; a
 * state is a partial plan reduced to what its future depends on:
 *   - `use`: its resources so far ($/h, cores, instances of a limited kind: whatever a budget or the
 *     objective sees), each summed over instances, so later choices only add to it;
 *   - `capacity`: the current app's capacity so far, capped at the app's rate (more serves nothing);
 *   - `value`: the objective collected so far (accuracy-weighted capacity less reload, or served rate);
 *   - `opened`: whether the current layer already runs an instance (its reload is then paid).
 * A layer is a set of interchangeable capacity: one budget level (a tuple held to level L carries
 * requests of every class with budget ≥ L, so the capacity of levels up to L is what the class
 * constraint at L counts) or one variant (accuracy-cost: greedy filling of the most accurate tuples
 * first is optimal, so layers run from the most to the least accurate). An exclusive layer takes at
 * most one of its items per state (InfAdapter's one allocation per variant). After a layer its constraint
 * drops states whose capacity is below the layer's floor; after an app's last layer the capacity
 * resets for the next app.
 *
 * Exactness: a state a is dropped only when another state b is at least as good for every completion.
 * b ≤ a in every resource, b's capacity ≥ a's, and b's value less what a could still gain over b
 * through its smaller capacity (at most `slope` per req/s: every later item is worth no more per
 * req/s than the current layer's) is ≥ a's, counting the current layer's reload when a has paid it
 * and b has not. Applying a's completion to b is then feasible (constraints are floors on capacity,
 * budgets are caps on use) and no worse. States over a budget and states whose bound (frontier-bound
 * in frontier-solve.ts) cannot beat a complete plan already found are dropped too. The result is
 * the optimum over the candidates; `exhausted` when the state count passes `maxStates`.
 */

export interface FrontierItem {
  /** Position of the item's app in the group, and of the candidate in its module. */
  readonly app: number;
  readonly index: number;
  /** Req/s one instance carries. */
  readonly capacity: number;
  /** Resources one instance uses, per dimension of the spec. */
  readonly use: readonly number[];
  readonly fewest: number;
  readonly most: number;
}

export interface FrontierLayer {
  readonly app: number;
  readonly items: readonly FrontierItem[];
  /** Objective value per req/s of capacity (accuracy-cost: accuracy / total rate); 0 otherwise. */
  readonly worth: number;
  /** Objective lost when the layer runs any instance (reload of its variant). */
  readonly openCost: number;
  /** After the layer, the app's capacity so far must be at least this, req/s. */
  readonly floor: number;
  /** The app's rate: capacity is capped here. */
  readonly rate: number;
  /** Last layer of its app. */
  readonly closes: boolean;
  /** At most one item of the layer per state (InfAdapter: one allocation per variant); default no. */
  readonly exclusive?: boolean;
}

export interface FrontierState {
  readonly use: readonly number[];
  readonly capacity: number;
  readonly value: number;
  readonly opened: boolean;
  readonly trace: Trace | undefined;
}

/** The instance counts of a state, newest first. */
export interface Trace {
  readonly app: number;
  readonly index: number;
  readonly n: number;
  readonly prev: Trace | undefined;
}

export interface FrontierHooks {
  /** Resource limits per dimension (budgets); +∞ when none. */
  readonly limits: readonly number[];
  /** At a layer's close: the state's value for a served app (max-throughput adds its capacity). */
  readonly onClose?: (state: FrontierState, layer: FrontierLayer) => number;
  /** Whether `state` cannot beat the best complete plan known; called after each item. */
  readonly hopeless?: (state: FrontierState, layer: number, item: number) => boolean;
  /** Sees every state that completes the last app within its layer (an incumbent). */
  readonly complete?: (state: FrontierState) => void;
  readonly maxStates: number;
}

/** Relative slack of dominance and floors: far below the planning model's tolerance. */
const EPS = 1e-12;
/** Capacity counts as meeting a floor within this relative shortfall (the oracle's slack). */
export const FLOOR_SLACK = 1e-9;

/** The final states (every layer processed), or 'exhausted'. */
export function runFrontier(
  layers: readonly FrontierLayer[],
  hooks: FrontierHooks,
): FrontierState[] | 'exhausted' {
  const dims = hooks.limits.length;
  let states: FrontierState[] = [
    { use: new Array<number>(dims).fill(0), capacity: 0, value: 0, opened: false, trace: undefined },
  ];
  const finalApp = layers[layers.length - 1]?.app;
  for (const [l, layer] of layers.entries()) {
    for (const [k, item] of layer.items.entries()) {
      const grown = addItem(states, item, layer, hooks.limits);
      if (grown.length > hooks.maxStates) return 'exhausted';
      if (layer.app === finalApp) {
        for (const s of grown) if (s.capacity >= layer.rate * (1 - FLOOR_SLACK)) hooks.complete?.(s);
      }
      const hopeless = hooks.hopeless;
      states = prune(hopeless === undefined ? grown : grown.filter((s) => !hopeless(s, l, k)), layer);
    }
    const floor = layer.floor * (1 - FLOOR_SLACK);
    const closed: FrontierState[] = [];
    for (const s of states) {
      if (s.capacity < floor) continue;
      const value = layer.closes ? (hooks.onClose?.(s, layer) ?? s.value) : s.value;
      closed.push({ ...s, value, opened: false, capacity: layer.closes ? 0 : s.capacity });
    }
    const next = layers[l + 1];
    states = next === undefined ? closed : prune(closed, next);
    if (states.length === 0) return [];
  }
  return states;
}

/** `states` and every state with `fewest..most` instances of `item` added, within the limits. */
function addItem(
  states: readonly FrontierState[],
  item: FrontierItem,
  layer: FrontierLayer,
  limits: readonly number[],
): FrontierState[] {
  const out = [...states];
  const dims = limits.length;
  for (const s of states) {
    if (s.capacity >= layer.rate || (layer.exclusive === true && s.opened)) continue;
    for (let n = Math.max(1, item.fewest); n <= item.most; n++) {
      const use = new Array<number>(dims);
      let over = false;
      for (let d = 0; d < dims; d++) {
        const u = (s.use[d] ?? 0) + n * (item.use[d] ?? 0);
        use[d] = u;
        if (u > (limits[d] ?? Infinity) * (1 + 1e-9) + 1e-12) over = true;
      }
      if (over) break;
      const capacity = Math.min(layer.rate, s.capacity + n * item.capacity);
      const value = s.value + layer.worth * (capacity - s.capacity) - (s.opened ? 0 : layer.openCost);
      out.push({
        use,
        capacity,
        value,
        opened: true,
        trace: { app: item.app, index: item.index, n, prev: s.trace },
      });
      if (capacity >= layer.rate) break;
    }
  }
  return out;
}

/** The states no other state dominates (see the file header), for processing within `layer`. */
function prune(states: FrontierState[], layer: FrontierLayer): FrontierState[] {
  const slope = layer.worth;
  const pen = layer.openCost;
  const potential = (s: FrontierState): number => s.value - slope * s.capacity;
  states.sort(
    (x, y) => (x.use[0] ?? 0) - (y.use[0] ?? 0) || y.capacity - x.capacity || potential(y) - potential(x),
  );
  const kept: FrontierState[] = [];
  if ((states[0]?.use.length ?? 0) > 1) {
    for (const s of states) {
      let dominated = false;
      for (let k = kept.length - 1; k >= 0 && !dominated; k--)
        dominated = dominates(kept[k] as FrontierState, s, slope, pen, layer.exclusive === true);
      if (!dominated) kept.push(s);
    }
    return kept;
  }
  // One resource: in order of use, every earlier state uses no more, so a state is dominated when an
  // earlier one has at least its capacity and enough potential; the earlier states' best potential
  // at each capacity is a staircase (one for layers already opened, one for not yet). In an exclusive
  // layer an opened state can no longer add what an unopened one may, so it stands for opened ones only.
  const stairs = [new Staircase(), new Staircase()];
  const openedCover = layer.exclusive !== true;
  for (const s of states) {
    const p = potential(s);
    const tol = EPS * Math.max(1, Math.abs(s.value));
    const byOpened = (openedCover || s.opened) && (stairs[1] as Staircase).best(s.capacity) >= p - tol;
    if (byOpened || (stairs[0] as Staircase).best(s.capacity) >= p + (s.opened ? pen : 0) - tol) continue;
    kept.push(s);
    (stairs[s.opened ? 1 : 0] as Staircase).add(s.capacity, p);
  }
  return kept;
}

/** Points (capacity, potential) no other beats on both; answers "best potential at capacity ≥ c". */
class Staircase {
  /** Capacities descending; potentials ascending along them. */
  private readonly caps: number[] = [];
  private readonly pots: number[] = [];

  best(capacity: number): number {
    // The last point with cap ≥ capacity has the highest potential of those.
    let lo = 0;
    let hi = this.caps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.caps[mid] as number) >= capacity) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -Infinity : (this.pots[lo - 1] as number);
  }

  add(capacity: number, potential: number): void {
    if (this.best(capacity) >= potential) return;
    // Points from the first with cap ≤ capacity on, while their potential is ≤ the new one, are beaten.
    let at = 0;
    while (at < this.caps.length && (this.caps[at] as number) > capacity) at++;
    let end = at;
    while (end < this.caps.length && (this.pots[end] as number) <= potential) end++;
    this.caps.splice(at, end - at, capacity);
    this.pots.splice(at, end - at, potential);
  }
}

/**
 * Whether every completion of `a` is matched or beaten by the same completion of `b` (in an
 * `exclusive` layer an opened `b` cannot follow an unopened `a` into the layer's next items).
 */
export function dominates(
  b: FrontierState,
  a: FrontierState,
  slope: number,
  pen: number,
  exclusive = false,
): boolean {
  if (b.capacity < a.capacity || (exclusive && b.opened && !a.opened)) return false;
  for (let d = 0; d < a.use.length; d++) {
    const ub = b.use[d] ?? 0;
    const ua = a.use[d] ?? 0;
    if (ub > ua + EPS * Math.max(1, Math.abs(ua))) return false;
  }
  const reload = a.opened && !b.opened ? pen : 0;
  const gain = b.value - a.value - slope * (b.capacity - a.capacity) - reload;
  return gain >= -EPS * Math.max(1, Math.abs(a.value));
}

/** The instance count of every (app, candidate) in `state`, keyed `app/index`. */
export function countsOf(state: FrontierState): Map<string, number> {
  const out = new Map<string, number>();
  for (let t = state.trace; t !== undefined; t = t.prev) out.set(`${t.app}/${t.index}`, t.n);
  return out;
}
