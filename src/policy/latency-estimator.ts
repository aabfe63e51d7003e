/**
 * The engine's running estimate of how long a batch takes on one instance of a group. With a profiled
 * model (`prior`), it scales the model by the observed/predicted ratio; without one, it fits
 * `ms = a + b·rows` by exponentially weighted least squares over recent batches. It also tracks the
 * spread of the residuals so callers can plan against an upper estimate rather than the mean.
 */
import { estimateLatencyMs, type LatencyModel } from '../core/latency-model.js';

export interface LatencyEstimate {
  /** Expected execution time of the batch, ms. */
  readonly meanMs: number;
  /** A high estimate (mean plus two relative standard deviations of recent residuals, at most 3× the mean), ms. */
  readonly upperMs: number;
}

export interface LatencyEstimatorOptions {
  /** A profiled latency model; without it the estimator learns from observations alone. */
  readonly prior?: LatencyModel;
  /** Weight of the newest observation, in (0, 1]; default 0.05 (about the last 20 batches). */
  readonly smoothing?: number;
}

export class LatencyEstimator {
  private readonly prior: LatencyModel | undefined;
  private readonly smoothing: number;
  private ratio = 1;
  private relativeVariance = 0;
  // Exponentially weighted sums for the least-squares fit ms = a + b·rows.
  private sw = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private count = 0;

  constructor(options: LatencyEstimatorOptions = {}) {
    this.prior = options.prior;
    this.smoothing = options.smoothing ?? 0.05;
  }

  /** Observations so far. */
  get observations(): number {
    return this.count;
  }

  estimate(rows: number, cores: number): LatencyEstimate {
    const meanMs = Math.max(0, this.meanMs(rows, cores));
    const spread = Math.min(2, 2 * Math.sqrt(this.relativeVariance));
    return { meanMs, upperMs: meanMs * (1 + spread) };
  }

  /** Records a measured batch execution. */
  observe(rows: number, cores: number, computeMs: number): void {
    if (!(computeMs >= 0) || rows < 1) return;
    const predicted = this.count > 0 || this.prior !== undefined ? this.meanMs(rows, cores) : computeMs;
    const w = this.count === 0 ? 1 : this.smoothing;
    if (predicted > 0) {
      const residual = (computeMs - predicted) / predicted;
      this.relativeVariance =
        this.count === 0 ? 0 : (1 - w) * this.relativeVariance + w * residual * residual;
    }
    if (this.prior !== undefined) {
      const base = estimateLatencyMs(this.prior, rows, cores);
      if (base > 0) this.ratio = (1 - w) * this.ratio + w * (computeMs / base);
    }
    const decay = 1 - this.smoothing;
    this.sw = this.sw * decay + 1;
    this.sx = this.sx * decay + rows;
    this.sy = this.sy * decay + computeMs;
    this.sxx = this.sxx * decay + rows * rows;
    this.sxy = this.sxy * decay + rows * computeMs;
    this.count += 1;
  }

  private meanMs(rows: number, cores: number): number {
    if (this.prior !== undefined) return estimateLatencyMs(this.prior, rows, cores) * this.ratio;
    if (this.count === 0) return 0;
    const meanRows = this.sx / this.sw;
    const meanMs = this.sy / this.sw;
    const varRows = this.sxx / this.sw - meanRows * meanRows;
    if (varRows < 1e-6 * Math.max(1, meanRows * meanRows)) {
      // One batch size seen so far: assume no fixed cost above it (pessimistic) and no saving below it.
      return meanMs * Math.max(1, rows / meanRows);
    }
    let slope = (this.sxy / this.sw - meanRows * meanMs) / varRows;
    let intercept = meanMs - slope * meanRows;
    if (slope < 0) {
      slope = 0;
      intercept = meanMs;
    } else if (intercept < 0) {
      intercept = 0;
      slope = this.sxy / this.sxx;
    }
    return intercept + slope * rows;
  }
}
