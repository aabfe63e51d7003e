/**
 * Argsort by number keys without a comparator: the native numeric sort of a copy of the keys, each
 * key's rank among the distinct values by binary search, then a counting sort by rank. Exact and
 * stable, and several times faster than `Array.prototype.sort` with a comparator on the few hundred
 * keys a planner orders per module (a comparator call per comparison is what costs there). Keys
 * that come as a few ascending runs (configurations listed per hardware kind by cores: prices) are
 * merged instead, in one pass per run.
 */

/** Runs merged directly up to this many; more go through the sort. */
const MERGED_RUNS = 4;

/**
 * Indices of `keys` in ascending key order, equal keys in index order. Keys must not be NaN. Only
 * Float64Array keys: one element kind keeps the loops monomorphic.
 */
export function ascendingOrder(keys: Float64Array): Int32Array {
  const count = keys.length;
  let runs = count > 0 ? 1 : 0;
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(keys[i])) throw new RangeError('ascendingOrder: a key is NaN');
    if (i > 0 && keys[i]! < keys[i - 1]!) runs++;
  }
  return runs <= MERGED_RUNS ? mergeRuns(keys, runs) : sortByRank(keys);
}

/** The order of `keys` made of `runs` ascending runs: each step takes the least head, the earliest run on ties. */
function mergeRuns(keys: Float64Array, runs: number): Int32Array {
  const count = keys.length;
  const heads: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i === 0 || keys[i]! < keys[i - 1]!) {
      if (i > 0) ends.push(i);
      heads.push(i);
    }
  }
  ends.push(count);
  const order = new Int32Array(count);
  for (let out = 0; out < count; out++) {
    let pick = -1;
    for (let r = 0; r < runs; r++) {
      if (heads[r]! < ends[r]! && (pick < 0 || keys[heads[r]!]! < keys[heads[pick]!]!)) pick = r;
    }
    order[out] = heads[pick]!++;
  }
  return order;
}

/** The order by the native sort of the keys, their ranks and a counting sort by rank. */
function sortByRank(keys: Float64Array): Int32Array {
  const count = keys.length;
  // One buffer for the four arrays (see columns.ts): sorted keys, ranks, rank starts, the order.
  const buffer = new ArrayBuffer(8 * count + 4 * (3 * count + 1));
  const distinct = new Float64Array(buffer, 0, count);
  for (let i = 0; i < count; i++) distinct[i] = keys[i]!;
  distinct.sort();
  let d = 0;
  for (let i = 0; i < count; i++) {
    const key = distinct[i]!;
    if (d === 0 || key !== distinct[d - 1]) distinct[d++] = key;
  }
  const rank = new Int32Array(buffer, 8 * count, count);
  const start = new Int32Array(buffer, 12 * count, d + 1);
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    start[lo + 1]! += 1;
  }
  for (let r = 1; r <= d; r++) start[r]! += start[r - 1]!;
  const order = new Int32Array(buffer, 12 * count + 4 * (count + 1), count);
  for (let i = 0; i < count; i++) order[start[rank[i]!]!++] = i;
  return order;
}
