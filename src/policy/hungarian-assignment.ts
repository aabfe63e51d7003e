/**
 * Minimum-cost assignment (the Hungarian algorithm, in its shortest-augmenting-path form with row and
 * column potentials) on a rectangular cost matrix: it matches min(rows, columns) pairs, each row and
 * each column at most once, at the lowest total cost, in O(n²·m) for n = min(rows, columns) and
 * m = max(rows, columns).
 *
 * Costs may have several levels compared lexicographically (level 0 first): the algorithm only adds,
 * subtracts and compares costs, so it is exact over vectors ordered that way, and a matching that
 * saves anything on level 0 beats any saving on level 1. KAIROS's matching uses this for its heavy
 * penalties (misses before near-misses before finish times) and for deterministic tie-breaking.
 * With integer costs (below 2^53 in total) every comparison is exact.
 */

export interface HungarianResult {
  /** The column matched to each row, or -1 (only when there are more rows than columns). */
  readonly columnOfRow: readonly number[];
  /** The row matched to each column, or -1 (only when there are more columns than rows). */
  readonly rowOfColumn: readonly number[];
  /** Σ over matched pairs of each level's cost. */
  readonly totals: readonly number[];
}

/** A cost matrix: cost[row][column]; every row as long as the first. */
export type CostMatrix = readonly (readonly number[])[];

/**
 * The minimum-cost assignment for `levels` (one matrix per level, all the same shape; level 0 most
 * significant). Costs must be finite. Ties between optimal assignments fall deterministically (by the
 * input order), but not by any documented rule: add a last level to choose among them.
 */
export function hungarianAssignment(levels: readonly CostMatrix[]): HungarianResult {
  const first = levels[0] ?? [];
  const rows = first.length;
  const columns = first[0]?.length ?? 0;
  const depth = Math.max(1, levels.length);
  if (rows === 0 || columns === 0)
    return {
      columnOfRow: new Array<number>(rows).fill(-1),
      rowOfColumn: new Array<number>(columns).fill(-1),
      totals: new Array<number>(depth).fill(0),
    };
  const transposed = rows > columns;
  const n = transposed ? columns : rows;
  const m = transposed ? rows : columns;
  // cost[(i·m + j)·depth + level] for the n ≤ m orientation.
  const cost = new Float64Array(n * m * depth);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      for (let l = 0; l < depth; l++) {
        const value = transposed ? levels[l]?.[j]?.[i] : levels[l]?.[i]?.[j];
        if (value === undefined || !Number.isFinite(value))
          throw new RangeError(
            `cost [${transposed ? j : i}][${transposed ? i : j}] at level ${l} is not a finite number`,
          );
        cost[(i * m + j) * depth + l] = value;
      }
  const matchOfColumn = solve(cost, n, m, depth);
  const columnOfRow = new Array<number>(rows).fill(-1);
  const rowOfColumn = new Array<number>(columns).fill(-1);
  const totals = new Array<number>(depth).fill(0);
  for (let j = 0; j < m; j++) {
    const i = matchOfColumn[j] ?? -1;
    if (i < 0) continue;
    const [row, column] = transposed ? [j, i] : [i, j];
    columnOfRow[row] = column;
    rowOfColumn[column] = row;
    for (let l = 0; l < depth; l++) totals[l] = (totals[l] ?? 0) + (cost[(i * m + j) * depth + l] ?? 0);
  }
  return { columnOfRow, rowOfColumn, totals };
}

/**
 * The row matched to each column (-1 for none) of the n×m (n ≤ m) problem. Rows are added one at a
 * time; each addition is a Dijkstra-like search over reduced costs cost − u − v for the cheapest
 * augmenting path, after which the potentials keep every reduced cost non-negative. Index 0 of the
 * column arrays is a virtual column holding the row being added.
 */
function solve(cost: Float64Array, n: number, m: number, depth: number): Int32Array {
  const u = new Float64Array((n + 1) * depth);
  const v = new Float64Array((m + 1) * depth);
  const rowOfColumn = new Int32Array(m + 1); // 1-based rows; 0 = none
  const way = new Int32Array(m + 1);
  const minv = new Float64Array((m + 1) * depth);
  const used = new Uint8Array(m + 1);
  const delta = new Float64Array(depth);
  const reduced = new Float64Array(depth);
  for (let i = 1; i <= n; i++) {
    rowOfColumn[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOfColumn[j0] ?? 0;
      delta.fill(Number.POSITIVE_INFINITY);
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j] === 1) continue;
        for (let l = 0; l < depth; l++)
          reduced[l] =
            (cost[((i0 - 1) * m + (j - 1)) * depth + l] ?? 0) -
            (u[i0 * depth + l] ?? 0) -
            (v[j * depth + l] ?? 0);
        if (less(reduced, 0, minv, j * depth, depth)) {
          minv.set(reduced, j * depth);
          way[j] = j0;
        }
        if (less(minv, j * depth, delta, 0, depth)) {
          delta.set(minv.subarray(j * depth, (j + 1) * depth));
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        for (let l = 0; l < depth; l++) {
          const d = delta[l] ?? 0;
          if (used[j] === 1) {
            const row = rowOfColumn[j] ?? 0;
            u[row * depth + l] = (u[row * depth + l] ?? 0) + d;
            v[j * depth + l] = (v[j * depth + l] ?? 0) - d;
          } else minv[j * depth + l] = (minv[j * depth + l] ?? 0) - d;
        }
      }
      j0 = j1;
    } while ((rowOfColumn[j0] ?? 0) !== 0);
    do {
      const j1 = way[j0] ?? 0;
      rowOfColumn[j0] = rowOfColumn[j1] ?? 0;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(m);
  for (let j = 1; j <= m; j++) out[j - 1] = (rowOfColumn[j] ?? 0) - 1;
  return out;
}

/** Whether a[ai..] < b[bi..] lexicographically over `depth` levels. */
function less(a: Float64Array, ai: number, b: Float64Array, bi: number, depth: number): boolean {
  for (let l = 0; l < depth; l++) {
    const x = a[ai + l] ?? 0;
    const y = b[bi + l] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
