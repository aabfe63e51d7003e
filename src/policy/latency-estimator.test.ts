import { describe, expect, it } from 'vitest';
import { LatencyEstimator } from './latency-estimator.js';

describe('LatencyEstimator', () => {
  it('knows nothing before observing (estimate 0, so nothing is refused on a guess)', () => {
    expect(new LatencyEstimator().estimate(4, 1)).toEqual({ meanMs: 0, upperMs: 0 });
  });

  it('recovers a linear batch-time law from exact observations', () => {
    const estimator = new LatencyEstimator();
    for (let i = 0; i < 200; i++) {
      const rows = 1 + (i % 8);
      estimator.observe(rows, 1, 3 + 2 * rows);
    }
    expect(estimator.estimate(1, 1).meanMs).toBeCloseTo(5, 6);
    expect(estimator.estimate(16, 1).meanMs).toBeCloseTo(35, 6);
    expect(estimator.estimate(16, 1).upperMs).toBeGreaterThanOrEqual(35 - 1e-9);
    expect(estimator.estimate(16, 1).upperMs).toBeLessThan(35 * 1.01);
  });

  it('with one batch size seen, assumes no saving below it and proportional growth above it', () => {
    const estimator = new LatencyEstimator();
    estimator.observe(2, 1, 10);
    expect(estimator.estimate(1, 1).meanMs).toBe(10);
    expect(estimator.estimate(8, 1).meanMs).toBe(40);
  });

  it('scales a profiled model by the observed ratio', () => {
    const prior = { kind: 'sponge4', gamma: 4, delta: 0, epsilon: 0, eta: 1 } as const;
    const estimator = new LatencyEstimator({ prior, smoothing: 0.5 });
    expect(estimator.estimate(2, 2).meanMs).toBeCloseTo(5, 9);
    for (let i = 0; i < 40; i++) estimator.observe(2, 2, 10);
    expect(estimator.estimate(2, 2).meanMs).toBeCloseTo(10, 3);
    expect(estimator.estimate(4, 1).meanMs).toBeCloseTo(34, 2);
  });

  it('widens the upper estimate when observations scatter', () => {
    const estimator = new LatencyEstimator({ smoothing: 0.2 });
    for (let i = 0; i < 100; i++) estimator.observe(1, 1, i % 2 === 0 ? 5 : 15);
    const { meanMs, upperMs } = estimator.estimate(1, 1);
    expect(upperMs).toBeGreaterThan(meanMs * 1.5);
    expect(upperMs).toBeLessThanOrEqual(meanMs * 3);
  });
});
