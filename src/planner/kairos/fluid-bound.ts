/**
 * KAIROS's optimistic throughput bound of one pool (instance counts per type), computed exactly.
 *
 * The fluid relaxation: find the largest total rate R (requests/s) such that each size class s, a share
 * p_s of the requests, can be split over the types h where it meets the latency target, with
 *   Σ_h y_{s,h} = R · p_s                  (every class carried in full)
 *   Σ_s y_{s,h} · l_h(s) ≤ C_h              (instance time: C_h = n_h · ρ · 1000 ms per second).
 * This is exactly the planning model's capacity for sized requests (planning-model.ts), so the rates it
 * returns are a plan. It is a generalised flow (a request costs a different time on each type), so
 * neither a max-flow nor a greedy by relative speed is exact beyond two types; but it has only one
 * capacity row per type, and the pool search solves many of them. So it is solved by column generation (Dantzig-Wolfe) on those rows
 * only: a column is a pure assignment a (each class to one type) with time vector
 * t_h = Σ_{s: a(s)=h} p_s · l_h(s); any split is a convex combination of pure assignments, so the master
 *   max Σ_k λ_k   s.t.  Σ_k λ_k · t^k ≤ C,  λ ≥ 0
 * is the same LP. Its basis is H×H (H types, at most a handful); pricing a column at the duals w (the
 * value of a ms on each type) is one pass over the classes: each class to the type minimising
 * w_h · l_h(s), the type where it is relatively fastest (fluid-master-simplex.ts). The duals bound
 * every other pool's throughput from above, which lets the pool search solve only the few pools that
 * can win (pool-search.ts).
 * `fluidBoundModel` (fluid-bound-model.ts) states the same LP as data for the Solver port; the tests
 * check the two agree.
 */

import { masterSimplex } from './fluid-master-simplex.js';

/** One pool's fluid problem. Indices: s over size classes, h over instance types. */
export interface FluidPool {
  /** Share of requests in each size class; classes with share 0 are ignored. */
  readonly shares: readonly number[];
  /**
   * latencyMs[s][h]: ms one request of class s takes alone on an instance of type h; a non-finite value
   * where it cannot run or misses the latency target there.
   */
  readonly latencyMs: readonly (readonly number[])[];
  /** Per type: instance time the pool offers, ms per second (n_h · ρ · 1000); 0 for a type it lacks. */
  readonly capacityMsPerS: readonly number[];
}

export interface FluidBound {
  /** R*: the largest total rate the pool carries, requests/s (0 when some class fits no type it has). */
  readonly rateRps: number;
  /** ratesRps[s][h]: requests/s of class s on type h at R* (Σ_h = R* · share_s; within each C_h). */
  readonly ratesRps: readonly (readonly number[])[];
  /**
   * The LP's duals, normalised: requests/s of bound per ms/s of instance time on each type, extended to
   * the types the pool lacks so that, by weak duality, Σ_h C'_h · pricesPerMs[h] bounds the fluid bound of
   * ANY pool C' over the same classes from above (KAIROS's optimistic ranking, made exact). Undefined
   * when the bound is 0 because a class fits no type of the pool, or the solve stopped early.
   */
  readonly pricesPerMs?: readonly number[];
  /** Simplex pivots taken. */
  readonly pivots: number;
  /** False only when the pivot limit stopped it (then the rates are feasible but may not be maximal). */
  readonly optimal: boolean;
}

/** A zero latency would make a pool's capacity unbounded; a microsecond's millionth keeps it finite. */
const MIN_LATENCY_MS = 1e-9;

/** The exact fluid bound of `pool` (see the file comment), with the rates that attain it. */
export function fluidBound(pool: FluidPool): FluidBound {
  return new FluidBoundSolver(pool).solve(pool.capacityMsPerS);
}

/** The fluid upper bound Σ_h C_h · prices_h of a pool with capacities C (ms/s per type), requests/s. */
export function boundFromPrices(pricesPerMs: readonly number[], capacityMsPerS: readonly number[]): number {
  return capacityMsPerS.reduce(
    (sum, c, h) => (c > 0 ? sum + c * (pricesPerMs[h] ?? Number.POSITIVE_INFINITY) : sum),
    0,
  );
}

/** Fluid bounds of many pools with the same size classes and latencies (the pool search's mixes). */
export class FluidBoundSolver {
  /** Indices of the classes with a positive share. */
  private readonly classes: readonly number[];
  private readonly share: Float64Array;
  /** classes × types, row-major, NaN where the class cannot go. */
  private readonly latency: Float64Array;
  private readonly typeCount: number;
  private readonly classCount: number;

  constructor(demand: Pick<FluidPool, 'shares' | 'latencyMs'>) {
    this.classCount = demand.shares.length;
    this.typeCount = Math.max(0, ...demand.latencyMs.map((row) => row.length));
    this.classes = [...demand.shares.keys()].filter((s) => (demand.shares[s] ?? 0) > 0);
    this.share = Float64Array.from(this.classes, (s) => demand.shares[s] ?? 0);
    this.latency = new Float64Array(this.classes.length * this.typeCount);
    this.classes.forEach((s, k) => {
      for (let h = 0; h < this.typeCount; h++) {
        const l = demand.latencyMs[s]?.[h] ?? Number.NaN;
        this.latency[k * this.typeCount + h] = Number.isFinite(l) ? Math.max(l, MIN_LATENCY_MS) : Number.NaN;
      }
    });
  }

  /** Whether every class fits some type with capacity (else the bound is 0). */
  covers(capacityMsPerS: readonly number[]): boolean {
    return this.classes.every((_, c) =>
      capacityMsPerS.some((cap, h) => cap > 0 && !Number.isNaN(this.latencyAt(c, h))),
    );
  }

  /** The fluid bound at these capacities (ms per second per type, indexed like the latencies). */
  solve(capacityMsPerS: readonly number[]): FluidBound {
    const ratesRps = Array.from({ length: this.classCount }, () =>
      new Array<number>(capacityMsPerS.length).fill(0),
    );
    const none = { rateRps: 0, ratesRps, pivots: 0, optimal: true };
    const types = [...capacityMsPerS.keys()].filter((h) => (capacityMsPerS[h] ?? 0) > 0);
    const m = types.length;
    const k = this.classes.length;
    if (k === 0 || m === 0 || !this.covers(capacityMsPerS)) return none;
    const capacity = Float64Array.from(types, (h) => capacityMsPerS[h] ?? 0);
    const latency = new Float64Array(k * m);
    for (let c = 0; c < k; c++)
      for (let t = 0; t < m; t++) latency[c * m + t] = this.latencyAt(c, types[t] ?? -1);
    const run = masterSimplex(capacity, latency, this.share);

    let rate = 0;
    run.basis.forEach((col, i) => {
      const amount = Math.max(0, run.x[i] ?? 0);
      if (col.assignment === undefined || amount === 0) return;
      rate += amount;
      col.assignment.forEach((t, c) => {
        const row = ratesRps[this.classes[c] ?? 0];
        const h = types[t] ?? 0;
        if (row !== undefined) row[h] = (row[h] ?? 0) + amount * (this.share[c] ?? 0);
      });
    });
    // Rounding can leave a type a hair over its time; shrink everything by that factor (≈ 1).
    let factor = 1;
    types.forEach((h, t) => {
      let used = 0;
      this.classes.forEach((s, c) => {
        const r = ratesRps[s]?.[h] ?? 0;
        if (r > 0) used += r * (latency[c * m + t] ?? 0);
      });
      if (used > (capacity[t] ?? 0)) factor = Math.min(factor, (capacity[t] ?? 0) / used);
    });
    if (factor < 1) for (const row of ratesRps) row.forEach((r, h) => (row[h] = r * factor));
    const bound = { rateRps: rate * factor, ratesRps, pivots: run.pivots, optimal: run.optimal };
    if (!run.optimal) return bound;
    const pricesPerMs = this.extendPrices(run.duals, types, capacityMsPerS.length);
    return pricesPerMs === undefined ? bound : { ...bound, pricesPerMs };
  }

  /**
   * Duals w over the pool's types → prices over all types, valid for every pool: w clamped at 0 and
   * scaled so that Σ_s p_s · min_h l_h(s)·w_h = 1 (dual feasibility); a type the pool lacks priced just
   * high enough that no class is cheaper there than where it is now.
   */
  private extendPrices(
    duals: Float64Array,
    types: readonly number[],
    typeCount: number,
  ): number[] | undefined {
    const prices = new Array<number>(typeCount).fill(Number.NaN);
    types.forEach((h, t) => (prices[h] = Math.max(0, duals[t] ?? 0)));
    const classPrice = this.classes.map((_, c) =>
      Math.min(...types.map((h) => this.latencyAt(c, h) * (prices[h] ?? 0)).filter((x) => !Number.isNaN(x))),
    );
    const f = classPrice.reduce((sum, u, c) => sum + (this.share[c] ?? 0) * u, 0);
    if (!(f > 0) || !Number.isFinite(f)) return undefined;
    for (let h = 0; h < typeCount; h++) {
      if (!Number.isNaN(prices[h] ?? Number.NaN)) {
        prices[h] = (prices[h] ?? 0) / f;
        continue;
      }
      let price = 0;
      classPrice.forEach((u, c) => {
        const l = this.latencyAt(c, h);
        if (!Number.isNaN(l)) price = Math.max(price, u / f / l);
      });
      prices[h] = price;
    }
    return prices;
  }

  private latencyAt(c: number, h: number): number {
    return h >= 0 && h < this.typeCount ? (this.latency[c * this.typeCount + h] ?? Number.NaN) : Number.NaN;
  }
}
