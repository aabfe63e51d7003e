// ascendingOrder (src/core/ascending-order.ts) against a comparator sort: exact and stable on keys with
// many ties, negative zero and infinities, unordered or as a few ascending runs; NaN refused.
import { describe, expect, it } from 'vitest';
import { ascendingOrder } from '../../src/core/ascending-order.js';
import { SeededRng } from '../../src/core/seeded-rng.js';

const stableOrder = (keys: readonly number[]): number[] =>
  keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));

describe('ascendingOrder', () => {
  it('equals a stable comparator sort on 500 random key sets', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rng = SeededRng.stream(seed, 'ascending-order');
      const count = Math.floor(rng.next() * 300);
      const pool = [-0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -1e300];
      const keys = Array.from({ length: count }, () => {
        const u = rng.next();
        if (u < 0.1) return pool[Math.floor(rng.next() * pool.length)]!;
        if (u < 0.6) return Math.floor(rng.next() * 8) * 0.1; // ties, and 0.1 multiples' float noise
        return (rng.next() - 0.5) * 1e6;
      });
      // Half the sets as a few ascending runs (the merge path), with ties inside and across runs.
      if (seed % 2 === 0) {
        const runs = 1 + (seed % 5);
        const size = Math.ceil(count / runs);
        for (let r = 0; r < runs; r++) {
          const run = keys.slice(r * size, (r + 1) * size).sort((a, b) => a - b);
          keys.splice(r * size, run.length, ...run);
        }
      }
      expect(Array.from(ascendingOrder(Float64Array.from(keys))), `seed ${seed}`).toEqual(stableOrder(keys));
    }
  });

  it('orders nothing and one key, and refuses NaN', () => {
    expect(Array.from(ascendingOrder(new Float64Array(0)))).toEqual([]);
    expect(Array.from(ascendingOrder(Float64Array.of(3)))).toEqual([0]);
    expect(Array.from(ascendingOrder(new Float64Array([2, 1, 2, 1])))).toEqual([1, 3, 0, 2]);
    expect(() => ascendingOrder(Float64Array.of(1, Number.NaN))).toThrow(/NaN/);
    expect(() => ascendingOrder(Float64Array.of(3, 2, 1, 0, -1, Number.NaN))).toThrow(/NaN/);
    // Two runs with ties across them: the earlier run's first.
    expect(Array.from(ascendingOrder(Float64Array.of(1, 2, 2, 0, 2, 3)))).toEqual([3, 0, 1, 2, 4, 5]);
  });
});
