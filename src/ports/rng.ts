/** Randomness as an input: a uniform source in [0, 1). `SeededRng` (core) is the deterministic implementation. */
export interface Rng {
  next(): number;
}
