/**
 * The simple rule of Sponge/InfAdapter-style autoscalers: provision for the highest rate of the recent
 * past, plus a margin. It reacts to a burst at once and forgets it a window later.
 */
import { checkOption } from './check-option.js';
import { clampRateRps, isUsableSample, type Forecaster, type RateSample } from './forecaster.js';

/** Default look-back window: one minute. */
export const DEFAULT_WINDOW_MS = 60_000;
/** Default margin over the window's maximum: 10%, InfAdapter's. */
export const DEFAULT_WINDOW_HEADROOM = 0.1;

export interface WindowMaxOptions {
  /** Look-back in ms, counted back from the latest sample's `atMs`; > 0, default 60,000. */
  readonly windowMs?: number;
  /** Fractional margin: predict max · (1 + headroom); ≥ 0, default 0.1. */
  readonly headroom?: number;
}

/** One sample kept because no later sample is at least as high. */
export interface WindowEntry {
  readonly atMs: number;
  readonly rateRps: number;
}

export interface WindowMaxState {
  /**
   * The samples of the window that are higher than every later one, oldest first: rates strictly
   * decreasing, so the first is the window's maximum and the last is the latest sample. On random data this
   * holds a handful of entries, not a window's worth, which keeps each copy-on-observe cheap.
   */
  readonly entries: readonly WindowEntry[];
}

/**
 * Predicts `(1 + headroom) ·` the highest rate among the samples of the last `windowMs` before the latest
 * one (a sample at `atMs` is in the window while `atMs > latest − windowMs`). The horizon is ignored: the
 * rule assumes the next horizon looks like the last window. The window moves only when samples arrive, so a
 * pause in observations keeps the last known window rather than predicting zero.
 */
export function windowMaxForecaster(options: WindowMaxOptions = {}): Forecaster<WindowMaxState> {
  const name = 'window-max';
  const windowMs = checkOption(name, 'windowMs', options.windowMs, DEFAULT_WINDOW_MS, {
    min: 0,
    minExclusive: true,
  });
  const headroom = checkOption(name, 'headroom', options.headroom, DEFAULT_WINDOW_HEADROOM, { min: 0 });
  return {
    name,
    initial: () => ({ entries: [] }),
    observe(state: WindowMaxState, sample: RateSample): WindowMaxState {
      if (!isUsableSample(sample)) return state;
      const { entries } = state;
      const atMs = Math.max(sample.atMs, entries.at(-1)?.atMs ?? -Infinity);
      let first = 0;
      while (first < entries.length && (entries[first]?.atMs ?? Infinity) <= atMs - windowMs) first++;
      let last = entries.length;
      while (last > first && (entries[last - 1]?.rateRps ?? Infinity) <= sample.rateRps) last--;
      return { entries: [...entries.slice(first, last), { atMs, rateRps: sample.rateRps }] };
    },
    predict: (state: WindowMaxState): number =>
      clampRateRps((state.entries[0]?.rateRps ?? 0) * (1 + headroom)),
  };
}
