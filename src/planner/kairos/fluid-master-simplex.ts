/**
 * The simplex behind the fluid bound (fluid-bound.ts): a primal revised simplex on the column-generation
 * master, whose rows are the pool's instance types (a handful) and whose columns are pure assignments of
 * the size classes to types, priced on the fly. Lexicographic ratio tests keep it from cycling; a pivot
 * limit guards against rounding trouble all the same.
 */

const REDUCED_COST_EPS = 1e-10;
const PIVOT_EPS = 1e-12;
const TIE_EPS = 1e-12;

/** A column of the master: an assignment of every class to a type, or a slack. */
export interface Column {
  /** Instance time per unit rate on each of the pool's types (ms per request). */
  readonly time: Float64Array;
  /** 1 for an assignment, 0 for a slack. */
  readonly gain: number;
  /** For an assignment: the pool-type index of each demanded class. */
  readonly assignment?: Int32Array;
}

export interface SimplexRun {
  readonly basis: Column[];
  /** The basic variables' values. */
  readonly x: Float64Array;
  /** The duals: requests/s gained per extra ms/s of instance time on each type. */
  readonly duals: Float64Array;
  readonly pivots: number;
  readonly optimal: boolean;
}

/**
 * Primal revised simplex on the master of the pool with these capacities (ms/s per type), latencies
 * (classes × types, row-major, NaN where a class cannot go) and class shares, from the slack basis.
 */
export function masterSimplex(
  capacity: Float64Array,
  latency: Float64Array,
  share: Float64Array,
): SimplexRun {
  const m = capacity.length;
  const maxPivots = 50 * (m + share.length) + 100;
  let basis = Array.from({ length: m }, (_, i): Column => {
    const time = new Float64Array(m);
    time[i] = 1;
    return { time, gain: 0 };
  });
  let inverse = invert(basis, m) ?? new Float64Array(m * m);
  let x = multiply(inverse, capacity, m);
  const duals = new Float64Array(m);
  for (let pivots = 0; ; pivots++) {
    duals.fill(0);
    for (let i = 0; i < m; i++) {
      const gain = basis[i]?.gain ?? 0;
      if (gain !== 0)
        for (let j = 0; j < m; j++) duals[j] = (duals[j] ?? 0) + gain * (inverse[i * m + j] ?? 0);
    }
    const entering = bestColumn(duals, share, latency, capacity);
    if (entering === undefined) return { basis, x, duals, pivots, optimal: true };
    if (pivots >= maxPivots) return { basis, x, duals, pivots, optimal: false };
    const direction = multiply(inverse, entering.time, m);
    const leave = leavingRow(x, direction, inverse, m);
    // Unbounded: cannot happen with positive latencies.
    if (leave === undefined) return { basis, x, duals, pivots, optimal: false };
    const replaced = basis.map((col, i) => (i === leave ? entering : col));
    const next = invert(replaced, m);
    if (next === undefined) return { basis, x, duals, pivots, optimal: false };
    basis = replaced;
    inverse = next;
    x = multiply(inverse, capacity, m);
  }
}

/**
 * The column to enter at duals w, or undefined at the optimum: the best pure assignment (each class to
 * the type minimising w_h · l_h(s); ties to the type it loads least relative to its capacity, then the
 * first) or a slack whose dual is negative, whichever improves the objective most.
 */
function bestColumn(
  duals: Float64Array,
  share: Float64Array,
  latency: Float64Array,
  capacity: Float64Array,
): Column | undefined {
  const m = duals.length;
  const k = share.length;
  const time = new Float64Array(m);
  const assignment = new Int32Array(k);
  let priced = 0;
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bestPrice = 0;
    let bestLoad = 0;
    for (let t = 0; t < m; t++) {
      const l = latency[c * m + t] ?? Number.NaN;
      if (Number.isNaN(l)) continue;
      const price = (duals[t] ?? 0) * l;
      const load = l / (capacity[t] ?? 1);
      const tie = Math.abs(price - bestPrice) <= TIE_EPS * Math.max(Math.abs(price), Math.abs(bestPrice));
      if (best < 0 || (!tie && price < bestPrice) || (tie && load < bestLoad)) {
        best = t;
        bestPrice = price;
        bestLoad = load;
      }
    }
    assignment[c] = best;
    const used = (share[c] ?? 0) * (latency[c * m + best] ?? 0);
    time[best] = (time[best] ?? 0) + used;
    priced += (duals[best] ?? 0) * used;
  }
  const columnGain = 1 - priced;
  let slack = -1;
  let slackGain = 0;
  duals.forEach((w, j) => {
    if (-w > slackGain) {
      slackGain = -w;
      slack = j;
    }
  });
  if (slack >= 0 && slackGain > columnGain && slackGain > REDUCED_COST_EPS) {
    const unit = new Float64Array(m);
    unit[slack] = 1;
    return { time: unit, gain: 0 };
  }
  return columnGain > REDUCED_COST_EPS ? { time, gain: 1, assignment } : undefined;
}

/**
 * The basis row that leaves: the lexicographically smallest [x_i, B⁻¹ row i] / d_i over d_i > 0, which
 * keeps the basis lexicographically positive and so never revisits one (no cycling).
 */
function leavingRow(
  x: Float64Array,
  direction: Float64Array,
  inverse: Float64Array,
  m: number,
): number | undefined {
  const scale = Math.max(...direction.map(Math.abs));
  let leave: number | undefined;
  for (let i = 0; i < m; i++) {
    const d = direction[i] ?? 0;
    if (!(d > PIVOT_EPS * scale)) continue;
    if (leave === undefined || lexicographicallyBefore(i, leave, x, direction, inverse, m)) leave = i;
  }
  return leave;
}

function lexicographicallyBefore(
  i: number,
  j: number,
  x: Float64Array,
  direction: Float64Array,
  inverse: Float64Array,
  m: number,
): boolean {
  const di = direction[i] ?? 1;
  const dj = direction[j] ?? 1;
  for (let c = -1; c < m; c++) {
    const a = (c < 0 ? Math.max(0, x[i] ?? 0) : (inverse[i * m + c] ?? 0)) / di;
    const b = (c < 0 ? Math.max(0, x[j] ?? 0) : (inverse[j * m + c] ?? 0)) / dj;
    if (Math.abs(a - b) > TIE_EPS * Math.max(1, Math.abs(a), Math.abs(b))) return a < b;
  }
  return false;
}

/** B⁻¹ (row-major) of the basis whose columns are the time vectors; undefined when singular. */
function invert(basis: readonly Column[], m: number): Float64Array | undefined {
  const w = 2 * m;
  const a = new Float64Array(m * w);
  basis.forEach((col, c) => {
    for (let r = 0; r < m; r++) a[r * w + c] = col.time[r] ?? 0;
  });
  for (let r = 0; r < m; r++) a[r * w + m + r] = 1;
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++)
      if (Math.abs(a[r * w + c] ?? 0) > Math.abs(a[pivot * w + c] ?? 0)) pivot = r;
    const p = a[pivot * w + c] ?? 0;
    if (!(Math.abs(p) > 1e-300)) return undefined;
    if (pivot !== c) {
      for (let k = 0; k < w; k++) {
        const t = a[c * w + k] ?? 0;
        a[c * w + k] = a[pivot * w + k] ?? 0;
        a[pivot * w + k] = t;
      }
    }
    for (let k = 0; k < w; k++) a[c * w + k] = (a[c * w + k] ?? 0) / p;
    for (let r = 0; r < m; r++) {
      const f = a[r * w + c] ?? 0;
      if (r === c || f === 0) continue;
      for (let k = 0; k < w; k++) a[r * w + k] = (a[r * w + k] ?? 0) - f * (a[c * w + k] ?? 0);
    }
  }
  const inverse = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) inverse[r * m + c] = a[r * w + m + c] ?? 0;
  return inverse;
}

function multiply(matrix: Float64Array, v: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let sum = 0;
    for (let c = 0; c < m; c++) sum += (matrix[r * m + c] ?? 0) * (v[c] ?? 0);
    out[r] = sum;
  }
  return out;
}
