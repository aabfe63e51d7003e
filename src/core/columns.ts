/**
 * Named Float64Array columns of one length on a single ArrayBuffer. In V8 every typed array over 64
 * bytes gets its own off-heap backing store (a malloc plus external-memory bookkeeping for the GC, a
 * couple of µs each): a planner building a dozen columns per module per plan spends more on that than
 * on scanning them. One buffer, many views. Integers (indices, slots) are exact in the columns.
 */
export function float64Columns<K extends string>(
  length: number,
  names: readonly K[],
): Record<K, Float64Array> {
  const buffer = new ArrayBuffer(8 * length * names.length);
  const out = {} as Record<K, Float64Array>;
  names.forEach((name, i) => (out[name] = new Float64Array(buffer, 8 * length * i, length)));
  return out;
}
