/** Order statistics shared by the load generator, the profiler, the simulator and the reports. */

/** Nearest-rank percentile of ascending values, `p` in [0, 1] (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

export interface SampleSummary {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

/** Median, 99th percentile (nearest rank), mean and maximum of `values` (any order; not modified). */
export function summarizeSamples(values: readonly number[]): SampleSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length,
    max: sorted.at(-1) ?? 0,
  };
}
