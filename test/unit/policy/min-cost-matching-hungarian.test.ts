// The Hungarian algorithm behind KAIROS's min-cost matching: hand-solved matrices, and brute force over
// every assignment on 1500 random matrices (square and rectangular, one or several lexicographic levels).
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { hungarianAssignment, type CostMatrix } from '../../../src/policy/hungarian-assignment.js';

/** The lowest total per level (lexicographically) over every assignment of min(rows, columns) pairs. */
function bruteForce(levels: readonly CostMatrix[]): number[] {
  const rows = levels[0]!.length;
  const columns = levels[0]![0]!.length;
  const small = Math.min(rows, columns);
  let best: number[] | undefined;
  const pick = (r: number, usedRows: Set<number>, usedColumns: Set<number>, totals: number[]): void => {
    if (usedRows.size === small) {
      if (best === undefined || lexLess(totals, best)) best = [...totals];
      return;
    }
    if (r === rows) return;
    // Row r unmatched (possible only when there are more rows than columns), or matched to a free column.
    if (rows - r - 1 >= small - usedRows.size) pick(r + 1, usedRows, usedColumns, totals);
    for (let c = 0; c < columns; c++) {
      if (usedColumns.has(c)) continue;
      usedRows.add(r);
      usedColumns.add(c);
      pick(
        r + 1,
        usedRows,
        usedColumns,
        totals.map((t, l) => t + levels[l]![r]![c]!),
      );
      usedRows.delete(r);
      usedColumns.delete(c);
    }
  };
  pick(
    0,
    new Set(),
    new Set(),
    levels.map(() => 0),
  );
  return best!;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let l = 0; l < a.length; l++) if (a[l] !== b[l]) return a[l]! < b[l]!;
  return false;
}

function expectValid(levels: readonly CostMatrix[], result: ReturnType<typeof hungarianAssignment>): void {
  const rows = levels[0]!.length;
  const columns = levels[0]![0]!.length;
  const matched = result.columnOfRow.filter((c) => c >= 0);
  expect(matched).toHaveLength(Math.min(rows, columns));
  expect(new Set(matched).size).toBe(matched.length);
  result.columnOfRow.forEach((c, r) => {
    if (c >= 0) expect(result.rowOfColumn[c]).toBe(r);
  });
  const totals = levels.map((level) =>
    result.columnOfRow.reduce((t, c, r) => (c >= 0 ? t + level[r]![c]! : t), 0),
  );
  expect(result.totals).toEqual(totals);
}

describe('hungarianAssignment', () => {
  it.each([
    {
      name: 'a square matrix',
      levels: [
        [
          [4, 1, 3],
          [2, 0, 5],
          [3, 2, 2],
        ],
      ],
      columnOfRow: [1, 0, 2],
      totals: [5],
    },
    {
      name: 'more columns than rows: the cheapest columns for the rows',
      levels: [[[9, 2, 7, 1]]],
      columnOfRow: [3],
      totals: [1],
    },
    {
      name: 'more rows than columns: one row waits',
      levels: [[[5], [3], [4]]],
      columnOfRow: [-1, 0, -1],
      totals: [3],
    },
    {
      name: 'a saving on level 0 outweighs any on level 1',
      levels: [
        [
          [0, 1],
          [1, 1],
        ],
        [
          [1000, 0],
          [0, 0],
        ],
      ],
      columnOfRow: [0, 1],
      totals: [1, 1000],
    },
    { name: 'nothing to match', levels: [[]], columnOfRow: [], totals: [0] },
  ])('$name', ({ levels, columnOfRow, totals }) => {
    const result = hungarianAssignment(levels);
    expect(result.columnOfRow).toEqual(columnOfRow);
    expect(result.totals).toEqual(totals);
  });

  it('rejects costs that are not finite', () => {
    expect(() => hungarianAssignment([[[1, Number.POSITIVE_INFINITY]]])).toThrow(
      /cost \[0\]\[1\] at level 0/,
    );
  });

  it('matches brute force on 1500 random matrices up to 6x6, with one to three levels', () => {
    const rng = new SeededRng(1957);
    const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
    let rectangular = 0;
    for (let trial = 0; trial < 1500; trial++) {
      const rows = int(1, 6);
      const columns = int(1, 6);
      if (rows !== columns) rectangular++;
      const depth = int(1, 3);
      // Small integers make ties common, so the lexicographic levels matter; some trials use reals.
      const real = rng.next() < 0.3;
      const levels = Array.from({ length: depth }, () =>
        Array.from({ length: rows }, () =>
          Array.from({ length: columns }, () => (real ? rng.next() * 100 - 20 : int(0, 4))),
        ),
      );
      const result = hungarianAssignment(levels);
      expectValid(levels, result);
      const best = bruteForce(levels);
      if (real) result.totals.forEach((t, l) => expect(t).toBeCloseTo(best[l]!, 9));
      else expect(result.totals).toEqual(best);
    }
    expect(rectangular).toBeGreaterThan(1000);
  });

  it('is quick enough for a tick: 80 queries by 40 instances', () => {
    const rng = new SeededRng(3);
    const levels = [
      Array.from({ length: 80 }, () => Array.from({ length: 40 }, () => Math.floor(rng.next() * 1e6))),
    ];
    const result = hungarianAssignment(levels);
    expectValid(levels, result);
  });
});
