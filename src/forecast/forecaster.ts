/**
 * What a load predictor is: explicit state plus pure functions over it, so the control loop (observe →
 * forecast → plan) runs the same forecaster live and in the simulator, owns its state, and can log it.
 *
 * Contract every forecaster keeps:
 * - `observe` and `predict` never mutate their arguments; `observe` returns a new state (parts that did not
 *   change may be shared with the old one).
 * - States are plain JSON data (finite numbers, arrays, objects, `null`): `JSON.parse(JSON.stringify(s))`
 *   behaves exactly like `s`.
 * - `predict` returns a finite number ≥ 0 for any state built from any samples.
 * - A sample whose `atMs` or `rateRps` is not a finite number, or whose rate is negative, is ignored (the
 *   state comes back unchanged): a bad measurement must not take the control loop down with it.
 */

/** One observation: the arrival rate measured over one observation interval (e.g. one second). */
export interface RateSample {
  /**
   * When the measured interval began, in milliseconds on the caller's clock (virtual or real). Samples come
   * in non-decreasing time order; one that is earlier than the latest already seen counts as if it were
   * taken at that latest time. A per-second trace gives second i as `atMs = i * 1000`.
   */
  readonly atMs: number;
  /** Requests per second over that interval. */
  readonly rateRps: number;
}

/**
 * A load predictor with state `S`. `S` is data owned by the caller: start from `initial()`, fold samples in
 * with `observe`, and ask `predict` whenever planning.
 */
export interface Forecaster<S> {
  /** Registry name, e.g. `window-max`. */
  readonly name: string;
  /** The state before any sample. */
  initial(): S;
  /** The state after one more sample; `state` is not modified. */
  observe(state: S, sample: RateSample): S;
  /**
   * The predicted MAXIMUM arrival rate, in requests per second, over the `horizonMs` milliseconds that follow
   * the latest sample (the planner provisions for bursts, not the mean). 0 before any sample. A horizon that
   * is not a positive finite number is treated as the shortest one the forecaster distinguishes.
   */
  predict(state: S, horizonMs: number): number;
}

/**
 * A forecaster with its state type forgotten, as the registry hands it out. The caller still passes back
 * only states this forecaster produced.
 */
export type AnyForecaster = Forecaster<unknown>;

/** True when a sample carries a usable measurement (see the contract above). */
export function isUsableSample(sample: RateSample): boolean {
  return Number.isFinite(sample.atMs) && Number.isFinite(sample.rateRps) && sample.rateRps >= 0;
}

/** A prediction forced into [0, Number.MAX_VALUE]: extrapolation may go negative or overflow. */
export function clampRateRps(rateRps: number): number {
  if (Number.isNaN(rateRps) || rateRps <= 0) return 0;
  return Math.min(rateRps, Number.MAX_VALUE);
}
