/** Exponential variates from the `Rng` port (which offers only uniforms), by inversion. */
import type { Rng } from '../../ports/rng.js';

/** An exponential variate with the given mean (any unit); `1 − u` keeps the logarithm finite for u = 0. */
export function exponentialVariate(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}
