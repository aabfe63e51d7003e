/**
 * Deterministic Gaussian weights. Each tensor draws from its own named stream of the model seed, so its
 * values depend only on (seed, tensor name): tensors can be generated lazily, in any order, and a change to
 * one layer leaves every other layer's weights as they were.
 */
import { SeededRng } from '../../core/seeded-rng.js';

/**
 * `count` floats from N(0, std²) drawn from the stream `name` of `seed`. Box-Muller, using both variates
 * of each pair: the generator is the cost of writing a full-scale model (~60M floats for ResNet-152).
 */
export function seededNormal(seed: number, name: string, count: number, std: number): Float32Array {
  const rng = SeededRng.stream(seed, name);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log(1 - rng.next()));
    const angle = 2 * Math.PI * rng.next();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}
