// Harpagon's latency splitting over cost step functions: the greedy by latency-cost efficiency (down,
// computing only the breakpoints it visits, then up), the exact branch and bound (against a brute
// force over every combination of breakpoints on 1000 seeded random chains and DAGs), and the
// latency reassigner.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import type { CostSteps } from '../../../src/planner/harpagon/cost-steps.js';
import { exactSplit } from '../../../src/planner/harpagon/exact-split.js';
import { descendingSplit, greedySplit } from '../../../src/planner/harpagon/greedy-split.js';
import type { DescendingSteps } from '../../../src/planner/harpagon/module-cost-curve.js';
import { reassignLatency } from '../../../src/planner/harpagon/reassign-latency.js';
import { integer, uniform } from './harpagon-random-problems.js';

const steps = (points: readonly (readonly [number, number])[]): CostSteps => ({
  budgetsMs: points.map((p) => p[0]),
  costsPerHour: points.map((p) => p[1]),
  solutions: points.map((p) => ({ costPerHour: p[1], tuples: [] })),
});

const chain2 = [[[0, 1]]] as const;

/** Steps given loosest first, as a sweep that counts how far it was asked. */
function sweep(points: readonly (readonly [number, number])[]): DescendingSteps & { asked: number } {
  const s = {
    asked: 0,
    has(k: number) {
      s.asked = Math.max(s.asked, k + 1);
      return k < points.length;
    },
    budgetMs: (k: number) => points[k]?.[0] ?? Number.NaN,
    costPerHour: (k: number) => points[k]?.[1] ?? Number.NaN,
  };
  return s as unknown as DescendingSteps & { asked: number };
}

describe('descendingSplit', () => {
  it('tightens by the least $/h per ms of overrun removed, and asks for no more breakpoints than it visits', () => {
    // SLO 95 over a chain; loosest budgets 33.5 + 15.6 + 22.1 + 26.2 = 97.4 overrun by 2.4 ms.
    // a frees 27.9 ms for $0.7 (0.025 $/ms), c frees 4 ms for $0.1 (0.025 $/ms): counted against
    // the 2.4 ms overrun, a costs 0.29 $/ms and c 0.042, so c moves.
    const a = sweep([
      [33.5, 0.1],
      [5.6, 0.8],
    ]);
    const b = sweep([
      [15.6, 0.1],
      [4.9, 0.8],
    ]);
    const c = sweep([
      [22.1, 0.1],
      [18.1, 0.2],
      [16.8, 0.3],
      [10.1, 0.8],
    ]);
    const d = sweep([
      [26.2, 0.1],
      [8, 0.8],
    ]);
    expect(descendingSplit([a, b, c, d], [[0, 1, 2, 3]], 95)).toEqual([0, 0, 1, 0]);
    expect(c.asked).toBeLessThanOrEqual(2);
    expect(descendingSplit([a, b, c, d], [[0, 1, 2, 3]], 200)).toEqual([0, 0, 0, 0]);
    // Nothing tighter left on the overrunning path.
    expect(descendingSplit([a, b, c, d], [[0, 1, 2, 3]], 20)).toBeUndefined();
  });

  it('leaves a module off every overrunning path where it is', () => {
    // a -> b and a -> c; only the path through c overruns, so b stays at its loosest.
    const a = sweep([
      [10, 1],
      [5, 3],
    ]);
    const b = sweep([
      [10, 1],
      [1, 1.5],
    ]);
    const c = sweep([
      [30, 1],
      [20, 1.2],
    ]);
    expect(
      descendingSplit(
        [a, b, c],
        [
          [0, 1],
          [0, 2],
        ],
        30,
      ),
    ).toEqual([0, 0, 1]);
  });
});

describe('greedySplit', () => {
  it('moves the module saving the most per extra ms, within every path', () => {
    // a: 10 ms → $10, 20 ms → $4 (0.6 $/ms); b: 10 ms → $10, 15 ms → $8 (0.4 $/ms), 40 → $1.
    const a = steps([
      [10, 10],
      [20, 4],
    ]);
    const b = steps([
      [10, 10],
      [15, 8],
      [40, 1],
    ]);
    expect(greedySplit([a, b], chain2[0], 40)).toEqual([1, 1]); // 20 + 15; b's 40 no longer fits
    expect(greedySplit([a, b], chain2[0], 50)).toEqual([1, 1]);
    expect(greedySplit([a, b], chain2[0], 60)).toEqual([1, 2]);
    expect(greedySplit([a, b], chain2[0], 19)).toBeUndefined(); // 10 + 10 do not fit
  });

  it('is greedy: a small first step can block a better later one', () => {
    // a saves $1 for 1 ms (1 $/ms) then nothing; b saves $9 for 10 ms (0.9 $/ms). SLO 30: a moves,
    // and b's 10 ms no longer fit; the optimum moves b alone.
    const a = steps([
      [10, 10],
      [11, 9],
    ]);
    const b = steps([
      [10, 10],
      [20, 1],
    ]);
    expect(greedySplit([a, b], [[0, 1]], 30)).toEqual([1, 0]);
    expect(exactSplit([a, b], [[0, 1]], 30)).toEqual({ indices: [0, 1], costPerHour: 11 });
  });

  it('respects every path of a DAG', () => {
    // a -> b, a -> c: b and c may each take what a leaves.
    const a = steps([
      [5, 6],
      [25, 5],
    ]);
    const b = steps([
      [5, 9],
      [20, 2],
    ]);
    const c = steps([
      [5, 9],
      [20, 3],
    ]);
    const paths = [
      [0, 1],
      [0, 2],
    ];
    expect(greedySplit([a, b, c], paths, 30)).toEqual([0, 1, 1]);
    expect(exactSplit([a, b, c], paths, 30)?.costPerHour).toBe(11);
  });
});

describe('exactSplit', () => {
  it('finds nothing when the first breakpoints overrun a path or nothing beats the bound', () => {
    const a = steps([[10, 10]]);
    expect(exactSplit([a, a], [[0, 1]], 19)).toBeUndefined();
    expect(exactSplit([a, a], [[0, 1]], 20)).toEqual({ indices: [0, 0], costPerHour: 20 });
    expect(exactSplit([a, a], [[0, 1]], 20, 20)).toBeUndefined();
  });

  it('equals a brute force over every combination of breakpoints on 1000 random graphs', () => {
    const shapes = [
      [[0, 1]],
      [[0, 1, 2]],
      [[0, 1, 2, 3]],
      [
        [0, 1],
        [0, 2],
      ],
      [
        [0, 1, 3],
        [0, 2, 3],
      ],
      [[0, 1, 2, 3, 4, 5]],
    ];
    let found = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const rng = SeededRng.stream(seed, 'exact-split');
      const paths = shapes[integer(rng, 0, shapes.length - 1)]!;
      const count = Math.max(...paths.flat()) + 1;
      const modules = Array.from({ length: count }, () => {
        let budget = uniform(rng, 1, 20);
        let cost = uniform(rng, 10, 100);
        const points: [number, number][] = [];
        for (let i = integer(rng, 1, count > 4 ? 5 : 8); i > 0; i--) {
          points.push([budget, cost]);
          budget += uniform(rng, 0.5, 15);
          cost *= uniform(rng, 0.3, 0.95);
        }
        return steps(points);
      });
      const sloMs = uniform(rng, 10, 30 * Math.max(...paths.map((p) => p.length)));
      const exact = exactSplit(modules, paths, sloMs);
      const brute = bruteForce(modules, paths, sloMs);
      if (brute === undefined) {
        expect(exact, `seed ${seed}`).toBeUndefined();
        continue;
      }
      found++;
      expect(exact?.costPerHour, `seed ${seed}`).toBeCloseTo(brute, 9);
      const greedy = greedySplit(modules, paths, sloMs);
      expect(greedy, `seed ${seed}`).toBeDefined();
      const greedyCost = greedy!.reduce((s, i, m) => s + modules[m]!.costsPerHour[i]!, 0);
      expect(greedyCost).toBeGreaterThanOrEqual(brute * (1 - 1e-12));
      for (const path of paths)
        expect(path.reduce((s, m) => s + modules[m]!.budgetsMs[exact!.indices[m]!]!, 0)).toBeLessThanOrEqual(
          sloMs * (1 + 1e-9),
        );
    }
    expect(found).toBeGreaterThan(500);
  });
});

function bruteForce(
  modules: readonly CostSteps[],
  paths: readonly (readonly number[])[],
  sloMs: number,
): number | undefined {
  let best = Number.POSITIVE_INFINITY;
  const chosen: number[] = [];
  const walk = (m: number): void => {
    if (m === modules.length) {
      const fits = paths.every((p) => p.reduce((s, j) => s + modules[j]!.budgetsMs[chosen[j]!]!, 0) <= sloMs);
      if (fits)
        best = Math.min(
          best,
          chosen.reduce((s, i, j) => s + modules[j]!.costsPerHour[i]!, 0),
        );
      return;
    }
    for (let i = 0; i < modules[m]!.budgetsMs.length; i++) {
      chosen[m] = i;
      walk(m + 1);
    }
  };
  walk(0);
  return Number.isFinite(best) ? best : undefined;
}

describe('reassignLatency', () => {
  it('shares the slack of each path in proportion to the budgets, then hands what is left by priority', () => {
    // One path: every budget grows by 50/30, whatever the priority.
    expect(reassignLatency([10, 20], [[0, 1]], 50, [0, 5]).map((b) => +b.toFixed(9))).toEqual([
      16.666666667, 33.333333333,
    ]);
    expect(reassignLatency([10, 20], [[0, 1]], 50, [5, 0]).map((b) => +b.toFixed(9))).toEqual([
      16.666666667, 33.333333333,
    ]);
    // a -> b, a -> c: a grows by the tighter path's factor (40/25), b and c by their own paths' (40/15, 40/25);
    // the looser path's remaining slack then goes to b.
    const grown = reassignLatency(
      [5, 10, 20],
      [
        [0, 1],
        [0, 2],
      ],
      40,
      [3, 2, 1],
    );
    expect(grown.map((b) => +b.toFixed(9))).toEqual([8, 32, 32]);
    for (const path of [
      [0, 1],
      [0, 2],
    ])
      expect(path.reduce((s, m) => s + (grown[m] ?? 0), 0)).toBeLessThanOrEqual(40 + 1e-9);
    expect(reassignLatency([10, 30], [[0, 1]], 40, [1, 1])).toEqual([10, 30]);
  });
});
