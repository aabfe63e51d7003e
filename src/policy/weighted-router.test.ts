import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeightedRouter } from './weighted-router.js';

describe('WeightedRouter', () => {
  it('follows integer weights exactly over each full cycle', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), (weights) => {
        const router = new WeightedRouter(Object.fromEntries(weights.map((w, i) => [`v${i}`, w])));
        const total = weights.reduce((a, b) => a + b, 0);
        const counts = new Map<string, number>();
        for (let i = 0; i < total * 3; i++) {
          const pick = router.pick()!;
          counts.set(pick, (counts.get(pick) ?? 0) + 1);
        }
        weights.forEach((w, i) => expect(counts.get(`v${i}`) ?? 0).toBe(3 * w));
      }),
    );
  });

  it('skips unavailable targets and ignores zero weights', () => {
    const router = new WeightedRouter({ a: 3, b: 1, c: 0 });
    const picks = Array.from({ length: 8 }, () => router.pick((k) => k !== 'a'));
    expect(new Set(picks)).toEqual(new Set(['b']));
    expect(router.pick((k) => k === 'c')).toBeUndefined();
  });
});
