/**
 * Fits Sponge's latency model l(b, c) = γ·b/c + δ·b + ε/c + η to measured batch latencies by
 * non-negative least squares. With four coefficients the exact NNLS solution is found by solving the
 * unconstrained least-squares problem on every subset of the coefficients (the others held at zero) and
 * keeping the best solution whose coefficients are all non-negative: 15 tiny normal-equation systems.
 * Subsets whose columns are linearly dependent on the data (one core count only makes b/c and b the same
 * column up to scale) are skipped, so the fit is well defined whatever the grid.
 */
import type { Sponge4Model } from '../core/latency-model.js';
import { sponge4LatencyMs } from '../core/latency-model.js';
import type { FittedPoint, LatencyPercentile, ProfileFit } from '../core/profile.js';

export interface FitSample {
  readonly batch: number;
  readonly cores: number;
  readonly latencyMs: number;
}

export interface FitOptions {
  /** Default `relative`: minimises Σ((l − y)/y)², so a 2 ms batch weighs as much as a 2 s one. */
  readonly weighting?: 'relative' | 'absolute';
  /** Recorded in the result. Default `p99`. */
  readonly percentile?: LatencyPercentile;
}

const FEATURES: readonly ((b: number, c: number) => number)[] = [
  (b, c) => b / c,
  (b) => b,
  (_b, c) => 1 / c,
  () => 1,
];

/** The non-negative least-squares fit of the Sponge model to `samples`, with its error per point. */
export function fitSponge4(samples: readonly FitSample[], options: FitOptions = {}): ProfileFit {
  const weighting = options.weighting ?? 'relative';
  if (samples.length === 0) throw new RangeError('cannot fit a latency model to no points');
  for (const s of samples) {
    if (!(s.batch > 0 && s.cores > 0 && s.latencyMs > 0 && Number.isFinite(s.latencyMs))) {
      throw new RangeError(
        `cannot fit a latency point with batch ${s.batch}, cores ${s.cores}, latency ${s.latencyMs} ms`,
      );
    }
  }
  const rows = samples.map((s) => FEATURES.map((f) => f(s.batch, s.cores)));
  const targets = samples.map((s) => s.latencyMs);
  const weights = samples.map((s) => (weighting === 'relative' ? 1 / s.latencyMs : 1));

  let best: { coefficients: number[]; residual: number } | undefined;
  for (let mask = 1; mask < 1 << FEATURES.length; mask++) {
    const active = FEATURES.map((_, i) => i).filter((i) => (mask & (1 << i)) !== 0);
    const solved = weightedLeastSquares(rows, targets, weights, active);
    if (solved === undefined || solved.some((x) => x < 0)) continue;
    const coefficients = FEATURES.map(() => 0);
    active.forEach((feature, k) => (coefficients[feature] = solved[k] ?? 0));
    const residual = residualOf(rows, targets, weights, coefficients);
    // Prefer fewer coefficients on a tie (within rounding): the simpler model explains the same data.
    if (best === undefined || residual < best.residual * (1 - 1e-12) - 1e-15) {
      best = { coefficients, residual };
    }
  }
  if (best === undefined) throw new RangeError('no non-negative fit exists for these points');
  const [gamma = 0, delta = 0, epsilon = 0, eta = 0] = best.coefficients;
  const model: Sponge4Model = { kind: 'sponge4', gamma, delta, epsilon, eta };
  return describeFit(model, samples, weighting, options.percentile ?? 'p99');
}

/** The per-point errors and their summary for `model` against `samples`. */
export function describeFit(
  model: Sponge4Model,
  samples: readonly FitSample[],
  weighting: 'relative' | 'absolute',
  percentile: LatencyPercentile,
): ProfileFit {
  const points: FittedPoint[] = samples.map((s) => {
    const fittedMs = sponge4LatencyMs(model, s.batch, s.cores);
    return {
      batch: s.batch,
      cores: s.cores,
      measuredMs: s.latencyMs,
      fittedMs,
      relativeError: (fittedMs - s.latencyMs) / s.latencyMs,
    };
  });
  const errors = points.map((p) => Math.abs(p.relativeError)).sort((a, b) => a - b);
  return {
    model,
    percentile,
    weighting,
    points,
    medianRelativeError: median(errors),
    maxRelativeError: errors[errors.length - 1] ?? 0,
  };
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function residualOf(
  rows: readonly (readonly number[])[],
  targets: readonly number[],
  weights: readonly number[],
  coefficients: readonly number[],
): number {
  let sum = 0;
  rows.forEach((row, i) => {
    const predicted = row.reduce((acc, x, j) => acc + x * (coefficients[j] ?? 0), 0);
    const r = ((predicted - (targets[i] ?? 0)) * (weights[i] ?? 1)) ** 2;
    sum += r;
  });
  return sum;
}

/**
 * Solves min Σ_i w_i² (Σ_k x_k·row_i[active_k] − y_i)² through the normal equations, or returns undefined
 * when they are singular (the active columns are dependent on these points).
 */
function weightedLeastSquares(
  rows: readonly (readonly number[])[],
  targets: readonly number[],
  weights: readonly number[],
  active: readonly number[],
): number[] | undefined {
  const n = active.length;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  rows.forEach((row, i) => {
    const w2 = (weights[i] ?? 1) ** 2;
    const y = targets[i] ?? 0;
    for (let r = 0; r < n; r++) {
      const xr = row[active[r] ?? 0] ?? 0;
      const line = a[r];
      if (line === undefined) continue;
      for (let c = 0; c < n; c++) line[c] = (line[c] ?? 0) + w2 * xr * (row[active[c] ?? 0] ?? 0);
      line[n] = (line[n] ?? 0) + w2 * xr * y;
    }
  });
  return solveAugmented(a);
}

/** Gaussian elimination with partial pivoting on an n×(n+1) augmented matrix; undefined when singular. */
function solveAugmented(a: number[][]): number[] | undefined {
  const n = a.length;
  const scale = Math.max(...a.map((row) => Math.max(...row.slice(0, n).map(Math.abs))), 0);
  if (scale === 0) return undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    const pivotRow = a[pivot];
    if (pivotRow === undefined || Math.abs(pivotRow[col] ?? 0) <= scale * 1e-12) return undefined;
    [a[col], a[pivot]] = [pivotRow, a[col] ?? pivotRow];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = a[r];
      if (row === undefined) continue;
      const factor = (row[col] ?? 0) / (pivotRow[col] ?? 1);
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) row[c] = (row[c] ?? 0) - factor * (pivotRow[c] ?? 0);
    }
  }
  return a.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}
