/**
 * DNNScaler's online controller (papers.md §5) as a pure control-loop policy: `(state, observation) =>
 * {decision, state}`; the caller owns the state, applies the decision and feeds the next observation.
 *
 * - Batch scaler (approach `batching`): every period (3 s) it keeps b while the mean latency is in
 *   [0.85·L, L]; otherwise it binary-searches b in [1, maxBatch] (maxBatch ≤ 127): above L the upper end
 *   drops below b, under 0.85·L the lower end rises to b, and the next b is the upper middle of what is
 *   left. An end contradicted by a fresh observation (the load changed) is re-opened. When the search has
 *   closed on a b whose latency is still under the band (b + 1 was too slow), it re-probes b + 1 after
 *   `reprobeAfter` periods, so a lighter load is found without oscillating every period.
 * - Multi-tenancy scaler (approach `co-location`): it starts from the largest instance count whose
 *   estimated latency (from the latency model) is below L, then adds one instance when the latency stays
 *   under 0.85·L and removes one when it stays over L, for `hysteresis` consecutive periods. A count it
 *   left for being too slow is not re-entered until the latency has stayed under the band for
 *   `reprobeAfter` periods: it does not flip-flop between a count below the band and one above it.
 */

import { estimateLatencyMs, type LatencyModel } from '../../core/latency-model.js';

/** DNNScaler's batch range tops out at 127. */
export const DNNSCALER_MAX_BATCH = 127;

export interface DnnscalerControllerOptions {
  readonly approach: 'batching' | 'co-location';
  /** L, ms. */
  readonly targetMs: number;
  /** The largest batch the batch scaler tries; capped at 127. Default 127. */
  readonly maxBatch?: number;
  /** The most co-located instances. Default 1 (batching) or the length of `estimatedLatencyMs`. */
  readonly maxInstances?: number;
  /**
   * Estimated mean latency in ms with k instances at index k − 1 (e.g. l(1, C/k) from the latency model);
   * the multi-tenancy scaler starts at the largest k whose estimate is below L. Default: start at 1.
   */
  readonly estimatedLatencyMs?: readonly number[];
  /** The first batch. Default 1. */
  readonly initialBatch?: number;
  /** Time between decisions, ms. Default 3000. */
  readonly periodMs?: number;
  /** The band's lower edge as a share of L. Default 0.85. */
  readonly lowerShare?: number;
  /** Consecutive out-of-band periods before the instance count moves. Default 2. */
  readonly hysteresis?: number;
  /** Periods under the band at a closed search or a known-too-slow neighbour before probing it again. Default 5. */
  readonly reprobeAfter?: number;
}

/** The options with every default filled in (compiled once, by `createDnnscalerState`). */
export interface DnnscalerSettings {
  readonly approach: 'batching' | 'co-location';
  readonly targetMs: number;
  readonly maxBatch: number;
  readonly maxInstances: number;
  readonly periodMs: number;
  readonly lowerShare: number;
  readonly hysteresis: number;
  readonly reprobeAfter: number;
}

export interface DnnscalerState {
  readonly settings: DnnscalerSettings;
  /** The batch in force (apply it when the state is created). */
  readonly batch: number;
  /** The instance count in force (apply it when the state is created). */
  readonly instances: number;
  /** Batch search: the lowest and highest b still possible. */
  readonly lowBatch: number;
  readonly highBatch: number;
  /** Instance counts at or above this one were too slow; undefined when none is known. */
  readonly slowInstances: number | undefined;
  /** When the last decision was taken, ms; undefined before the first observation. */
  readonly lastDecisionMs: number | undefined;
  /** Consecutive decided periods under the band, and over it. */
  readonly belowCount: number;
  readonly aboveCount: number;
}

export interface DnnscalerObservation {
  readonly nowMs: number;
  /** Mean latency of the requests since the last observation, ms. */
  readonly meanLatencyMs: number;
}

export type DnnscalerDecision = { readonly batch: number } | { readonly instances: number } | undefined;

export interface DnnscalerStep {
  readonly decision: DnnscalerDecision;
  readonly state: DnnscalerState;
}

/**
 * The multi-tenancy scaler's latency estimates from a latency model: k instances sharing `totalCores`
 * at batch 1 each take l(1, C/k) ms, for k = 1..maxInstances (DNNScaler completes a matrix from two
 * measurements; Sluice has the fitted model).
 */
export function colocationEstimatesMs(
  model: LatencyModel,
  totalCores: number,
  maxInstances: number,
): number[] {
  return Array.from({ length: Math.max(0, Math.floor(maxInstances)) }, (_, i) =>
    estimateLatencyMs(model, 1, totalCores / (i + 1)),
  );
}

/** The controller's first state; its `batch` and `instances` are the knob values to start with. */
export function createDnnscalerState(options: DnnscalerControllerOptions): DnnscalerState {
  const maxBatch = clamp(Math.floor(options.maxBatch ?? DNNSCALER_MAX_BATCH), 1, DNNSCALER_MAX_BATCH);
  const estimates = options.estimatedLatencyMs ?? [];
  const maxInstances = Math.max(
    1,
    Math.floor(options.maxInstances ?? (options.approach === 'co-location' ? estimates.length : 1)),
  );
  let instances = 1;
  for (let k = 1; k <= Math.min(maxInstances, estimates.length); k++) {
    if ((estimates[k - 1] ?? Number.POSITIVE_INFINITY) < options.targetMs) instances = k;
  }
  return {
    settings: {
      approach: options.approach,
      targetMs: options.targetMs,
      maxBatch,
      maxInstances,
      periodMs: options.periodMs ?? 3000,
      lowerShare: options.lowerShare ?? 0.85,
      hysteresis: Math.max(1, options.hysteresis ?? 2),
      reprobeAfter: Math.max(1, options.reprobeAfter ?? 5),
    },
    batch: options.approach === 'batching' ? clamp(Math.floor(options.initialBatch ?? 1), 1, maxBatch) : 1,
    instances: options.approach === 'co-location' ? instances : 1,
    lowBatch: 1,
    highBatch: maxBatch,
    slowInstances: undefined,
    lastDecisionMs: undefined,
    belowCount: 0,
    aboveCount: 0,
  };
}

/** One control step: a knob change (or none) and the next state. */
export function dnnscalerController(state: DnnscalerState, observation: DnnscalerObservation): DnnscalerStep {
  const { settings } = state;
  if (state.lastDecisionMs !== undefined && observation.nowMs - state.lastDecisionMs < settings.periodMs)
    return { decision: undefined, state };
  const latency = observation.meanLatencyMs;
  const band =
    latency > settings.targetMs
      ? 'above'
      : latency < settings.lowerShare * settings.targetMs
        ? 'below'
        : 'in';
  const counted: DnnscalerState = {
    ...state,
    lastDecisionMs: observation.nowMs,
    belowCount: band === 'below' ? state.belowCount + 1 : 0,
    aboveCount: band === 'above' ? state.aboveCount + 1 : 0,
  };
  return settings.approach === 'batching' ? scaleBatch(counted, band) : scaleInstances(counted);
}

function scaleBatch(state: DnnscalerState, band: 'above' | 'below' | 'in'): DnnscalerStep {
  if (band === 'in') return { decision: undefined, state };
  const b = state.batch;
  const max = state.settings.maxBatch;
  let low = state.lowBatch;
  let high = state.highBatch;
  if (band === 'above') {
    high = Math.max(1, b - 1);
    if (low > high) low = 1; // b was thought fast enough: the load changed
  } else {
    low = b;
    if (high < low) high = max; // b was thought too slow: the load changed
    if (high === low && state.belowCount >= state.settings.reprobeAfter) high = Math.min(max, b + 1);
  }
  const next = Math.ceil((low + high) / 2);
  const moved: DnnscalerState = {
    ...state,
    lowBatch: low,
    highBatch: high,
    batch: next,
    belowCount: next === b ? state.belowCount : 0,
  };
  return { decision: next === b ? undefined : { batch: next }, state: moved };
}

function scaleInstances(state: DnnscalerState): DnnscalerStep {
  const { hysteresis, reprobeAfter, maxInstances } = state.settings;
  const k = state.instances;
  if (state.aboveCount >= hysteresis && k > 1) {
    const next = k - 1;
    return {
      decision: { instances: next },
      state: { ...state, instances: next, slowInstances: k, aboveCount: 0, belowCount: 0 },
    };
  }
  if (state.belowCount >= hysteresis && k < maxInstances) {
    const blocked = state.slowInstances !== undefined && k + 1 >= state.slowInstances;
    if (blocked && state.belowCount < reprobeAfter) return { decision: undefined, state };
    const next = k + 1;
    return {
      decision: { instances: next },
      state: { ...state, instances: next, slowInstances: undefined, aboveCount: 0, belowCount: 0 },
    };
  }
  return { decision: undefined, state };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
