/**
 * Smooth weighted round-robin over a module's instance groups (InfAdapter's traffic split): over any
 * window the picks follow the weights as closely as integers allow, and the sequence is deterministic.
 */

export class WeightedRouter {
  private readonly weights = new Map<string, number>();
  private readonly current = new Map<string, number>();

  constructor(weights: Readonly<Record<string, number>>) {
    this.setWeights(weights);
  }

  /** Replaces the weights; keys with weight ≤ 0 receive nothing. */
  setWeights(weights: Readonly<Record<string, number>>): void {
    this.weights.clear();
    this.current.clear();
    for (const [key, weight] of Object.entries(weights)) {
      if (!(weight > 0)) continue;
      this.weights.set(key, weight);
      this.current.set(key, 0);
    }
  }

  get targets(): ReadonlyMap<string, number> {
    return this.weights;
  }

  /** The next target among those `available` accepts, or undefined when none does. */
  pick(available: (key: string) => boolean = () => true): string | undefined {
    let total = 0;
    let best: string | undefined;
    let bestScore = -Infinity;
    for (const [key, weight] of this.weights) {
      if (!available(key)) continue;
      const score = (this.current.get(key) ?? 0) + weight;
      this.current.set(key, score);
      total += weight;
      if (score > bestScore) {
        bestScore = score;
        best = key;
      }
    }
    if (best !== undefined) this.current.set(best, bestScore - total);
    return best;
  }
}
