// The NNLS fit of Sponge's model recovers known coefficients from noisy synthetic points, never goes
// negative, and copes with grids that cannot separate every coefficient.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sponge4LatencyMs, type Sponge4Model } from '../../../src/core/latency-model.js';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { fitSponge4, type FitSample } from '../../../src/profiler/fit-sponge.js';

const GRID_BATCHES = [1, 2, 4, 8, 16];
const GRID_CORES = [0.25, 0.5, 1, 2];

function samplesOf(model: Sponge4Model, noise: number, seed: number): FitSample[] {
  const rng = new SeededRng(seed);
  return GRID_BATCHES.flatMap((batch) =>
    GRID_CORES.map((cores) => ({
      batch,
      cores,
      latencyMs: sponge4LatencyMs(model, batch, cores) * (1 + noise * (2 * rng.next() - 1)),
    })),
  );
}

describe('fitSponge4', () => {
  it('recovers the exact coefficients from noiseless points', () => {
    const truth: Sponge4Model = { kind: 'sponge4', gamma: 12, delta: 0.8, epsilon: 3, eta: 1.5 };
    const fit = fitSponge4(samplesOf(truth, 0, 1));
    expect(fit.model.gamma).toBeCloseTo(12, 6);
    expect(fit.model.delta).toBeCloseTo(0.8, 6);
    expect(fit.model.epsilon).toBeCloseTo(3, 6);
    expect(fit.model.eta).toBeCloseTo(1.5, 6);
    expect(fit.maxRelativeError).toBeLessThan(1e-9);
  });

  it('recovers known coefficients within the noise from ±3% noisy points (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (gamma, delta, epsilon, eta, seed) => {
          const truth: Sponge4Model = { kind: 'sponge4', gamma, delta, epsilon, eta };
          const fit = fitSponge4(samplesOf(truth, 0.03, seed));
          // Coefficients may trade off against each other; the surface they describe may not drift.
          for (const batch of GRID_BATCHES)
            for (const cores of GRID_CORES) {
              const want = sponge4LatencyMs(truth, batch, cores);
              const got = sponge4LatencyMs(fit.model, batch, cores);
              expect(Math.abs(got - want) / want).toBeLessThan(0.04);
            }
          expect(fit.medianRelativeError).toBeLessThan(0.03);
          // The dominant coefficient is recovered to within 10%.
          expect(Math.abs(fit.model.gamma - gamma) / gamma).toBeLessThan(
            gamma > 4 * (delta + epsilon + eta) ? 0.1 : Infinity,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never returns a negative coefficient, even when the data pull one below zero', () => {
    // Latency falls with batch: the unconstrained fit would need negative per-item costs.
    const samples: FitSample[] = [1, 2, 4, 8].map((batch) => ({ batch, cores: 1, latencyMs: 10 - batch }));
    const fit = fitSponge4(samples);
    for (const v of [fit.model.gamma, fit.model.delta, fit.model.epsilon, fit.model.eta])
      expect(v).toBeGreaterThanOrEqual(0);
    expect(fit.points).toHaveLength(4);
  });

  it('fits a grid with a single core count (imported fixed-size hardware)', () => {
    const samples: FitSample[] = [10, 20, 50, 100, 200].map((batch) => ({
      batch,
      cores: 8,
      latencyMs: 0.06 * batch + 1.2,
    }));
    const fit = fitSponge4(samples);
    for (const s of samples) expect(sponge4LatencyMs(fit.model, s.batch, 8)).toBeCloseTo(s.latencyMs, 6);
  });

  it('reports per-point error, median and worst', () => {
    const samples: FitSample[] = [
      { batch: 1, cores: 1, latencyMs: 10 },
      { batch: 2, cores: 1, latencyMs: 20 },
      { batch: 4, cores: 1, latencyMs: 44 },
    ];
    const fit = fitSponge4(samples, { weighting: 'absolute', percentile: 'p50' });
    expect(fit.percentile).toBe('p50');
    expect(fit.weighting).toBe('absolute');
    const errors = fit.points.map((p) => Math.abs(p.relativeError));
    expect(fit.maxRelativeError).toBeCloseTo(Math.max(...errors), 12);
    expect(fit.maxRelativeError).toBeGreaterThan(0);
  });

  it('refuses points it cannot fit', () => {
    expect(() => fitSponge4([])).toThrow(/no points/);
    expect(() => fitSponge4([{ batch: 1, cores: 1, latencyMs: Number.NaN }])).toThrow(/cannot fit/);
    expect(() => fitSponge4([{ batch: 0, cores: 1, latencyMs: 3 }])).toThrow(/cannot fit/);
  });
});
