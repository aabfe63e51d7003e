/**
 * Scales map data values to pixels, and choose the ticks and tick labels of an axis.
 *
 * Linear axes tick at multiples of 1, 2 or 5 × 10^k; log10 axes tick at decades, with 2 and 5 between
 * them when the domain spans three decades or less (too few decade lines to read values off). Domains are "niced" outwards to tick
 * values so that the axis starts and ends on a labelled tick.
 */

export type ScaleKind = 'linear' | 'log';

/** A scale fixed to one domain (data units) and one range (px); immutable. */
export interface AxisScale {
  readonly kind: ScaleKind;
  /** Data values at the two ends of the axis, `domain[0] < domain[1]`; both positive on a log axis. */
  readonly domain: readonly [number, number];
  /** Pixel positions of `domain[0]` and `domain[1]`; may be descending (a y axis grows upwards). */
  readonly range: readonly [number, number];
  /** Tick values in data units, ascending, all within the domain. */
  readonly ticks: readonly number[];
  /** Pixel position of `value`; values outside the domain map outside the range; NaN for values ≤ 0 on a log axis. */
  map(value: number): number;
  /** The tick label for `value`: `0.25`, `1`, `1.5k`, `10k`, `2M`. */
  format(value: number): string;
}

export interface AxisScaleOptions {
  /** How many ticks a linear axis should have, roughly. Default 6. Log axes tick by decades. */
  readonly tickCount?: number;
  /** Write 1000 and up as `1k`, `2.5M`… Default true; false suits seconds on a time axis (3600). */
  readonly suffixes?: boolean;
}

export interface NiceDomainOptions {
  /** Fixes the lower end (not niced). On a log axis it must be positive. */
  readonly min?: number;
  /** Fixes the upper end (not niced). On a log axis it must be positive. */
  readonly max?: number;
  /**
   * Linear axes only. `auto` (default) extends the domain to 0 when all values have one sign and the
   * one nearest 0 is within half the farthest's distance from it (a latency axis from 0 reads
   * honestly, a 3600–7200 s time axis does not need 0); `always` for bars; `never` for time.
   */
  readonly includeZero?: 'auto' | 'always' | 'never';
  /** Fraction of the span added on each side before nicing (not below a zero bound). Default 0. */
  readonly padding?: number;
  /** Target tick count used for nicing a linear domain. Default 6. */
  readonly tickCount?: number;
}

const DEFAULT_TICK_COUNT = 6;

/**
 * A linear or log10 scale from `domain` to `range`.
 * @throws RangeError if the domain is not finite and increasing, the range not finite, or a log
 *   domain not positive. Use {@link niceDomain} to turn data (however degenerate) into a valid domain.
 */
export function axisScale(
  kind: ScaleKind,
  domain: readonly [number, number],
  range: readonly [number, number],
  options: AxisScaleOptions = {},
): AxisScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!(Number.isFinite(d0) && Number.isFinite(d1) && d0 < d1)) {
    throw new RangeError(`an axis domain must be finite and increasing, got [${d0}, ${d1}]`);
  }
  if (kind === 'log' && d0 <= 0) {
    throw new RangeError(`a log axis needs a positive domain, got [${d0}, ${d1}]`);
  }
  if (!(Number.isFinite(r0) && Number.isFinite(r1))) {
    throw new RangeError(`an axis range must be finite, got [${r0}, ${r1}]`);
  }
  const suffixes = options.suffixes ?? true;
  // Logarithms are subtracted rather than the ratio taken: 1e34 / 1e-300 overflows.
  const scale = (r1 - r0) / (kind === 'log' ? Math.log10(d1) - Math.log10(d0) : d1 - d0);
  if (!Number.isFinite(scale)) {
    throw new RangeError(`an axis domain [${d0}, ${d1}] is too narrow to map onto pixels`);
  }
  if (kind === 'log') {
    return {
      kind,
      domain: [d0, d1],
      range: [r0, r1],
      ticks: logTicks(d0, d1),
      map: (v) => (v > 0 ? r0 + (Math.log10(v) - Math.log10(d0)) * scale : Number.NaN),
      format: (v) => formatTickLabel(v, undefined, suffixes),
    };
  }
  const step = linearTickStep(d0, d1, options.tickCount ?? DEFAULT_TICK_COUNT);
  return {
    kind,
    domain: [d0, d1],
    range: [r0, r1],
    ticks: linearTicks(d0, d1, options.tickCount ?? DEFAULT_TICK_COUNT),
    map: (v) => r0 + (v - d0) * scale,
    format: (v) => formatTickLabel(v, step, suffixes),
  };
}

/**
 * The tick step for a linear axis over [min, max] with about `count` ticks: 1, 2 or 5 × 10^k.
 * The thresholds are the geometric means between neighbours (√2, √10, √50), so the chosen step is the
 * one nearest the ideal on a log scale.
 */
export function linearTickStep(min: number, max: number, count: number = DEFAULT_TICK_COUNT): number {
  const raw = (max - min) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalised = raw / magnitude;
  const factor =
    normalised >= Math.sqrt(50) ? 10 : normalised >= Math.sqrt(10) ? 5 : normalised >= Math.SQRT2 ? 2 : 1;
  return cleanFloat(factor * magnitude);
}

/** Multiples of the {@link linearTickStep} that lie within [min, max], ascending. */
export function linearTicks(min: number, max: number, count: number = DEFAULT_TICK_COUNT): number[] {
  const step = linearTickStep(min, max, count);
  const first = Math.ceil(stepsIn(min, step));
  const last = Math.floor(stepsIn(max, step));
  const ticks: number[] = [];
  // The cap only matters for domains so far from 0 that the step is below their precision.
  for (let k = first; k <= last && ticks.length < 1000; k++) ticks.push(snapToStep(k * step, step));
  return [...new Set(ticks)];
}

/**
 * Tick values of a log axis over [min, max] (positive): the decades within it; with 2 and 5 × 10^k
 * added when the domain spans three decades or less; every n-th decade when more than ten fall
 * inside; and plain linear ticks when the domain is so narrow that even the 1-2-5 sequence gives
 * fewer than two.
 */
export function logTicks(min: number, max: number): number[] {
  const lowExp = Math.floor(Math.log10(min) - 1e-9);
  const highExp = Math.ceil(Math.log10(max) + 1e-9);
  const within = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const decades: number[] = [];
  for (let e = lowExp; e <= highExp; e++) if (within(cleanFloat(10 ** e))) decades.push(cleanFloat(10 ** e));
  if (decades.length > 10) {
    const every = Math.ceil(decades.length / 10);
    return decades.filter((d) => Math.round(Math.log10(d)) % every === 0);
  }
  if (Math.log10(max) - Math.log10(min) > 3 + 1e-9) return decades;
  const sequence: number[] = [];
  for (let e = lowExp; e <= highExp; e++) {
    for (const m of [1, 2, 5]) {
      const v = cleanFloat(m * 10 ** e);
      if (within(v)) sequence.push(v);
    }
  }
  return sequence.length >= 2 ? sequence : linearTicks(min, max, 4);
}

/**
 * A domain for `values` on a `kind` axis, widened outwards to nice values (tick multiples on a linear
 * axis; the 1-2-5 sequence, or whole decades beyond three decades, on a log axis).
 *
 * Degenerate input never throws: non-finite values and values beyond ±1e300 are ignored, and on a
 * log axis so are values ≤ 0 (they cannot be drawn) and below 1e-300; no usable value gives [0, 1]
 * (linear) or [1, 10] (log); a single value v gives a domain around it ([v/2, 2v] on log, v ± |v|/2
 * on linear, [0, 1] for 0). Values closer together than 1e-10 of their size count as one value.
 * @throws RangeError only for contradictory options: `min ≥ max`, or a non-positive `min`/`max` on a
 *   log axis.
 */
export function niceDomain(
  kind: ScaleKind,
  values: readonly number[],
  options: NiceDomainOptions = {},
): [number, number] {
  const { min, max } = options;
  for (const [name, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound === undefined) continue;
    if (!Number.isFinite(bound)) throw new RangeError(`axis ${name} must be finite, got ${bound}`);
    if (kind === 'log' && bound <= 0)
      throw new RangeError(`a log axis needs a positive ${name}, got ${bound}`);
  }
  if (min !== undefined && max !== undefined && min >= max) {
    throw new RangeError(`axis min ${min} must be below axis max ${max}`);
  }
  // A loop, not Math.min(...values): a long time series would overflow the call stack as arguments.
  let dataMin = Number.POSITIVE_INFINITY;
  let dataMax = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!(kind === 'log' ? v >= 1e-300 && v <= 1e300 : Math.abs(v) <= 1e300)) continue;
    if (v < dataMin) dataMin = v;
    if (v > dataMax) dataMax = v;
  }
  const any = dataMin <= dataMax;
  // Without data, the default domain: [0, 1] linear, [1, 10] log.
  const lo = min ?? (any ? dataMin : kind === 'log' ? 1 : 0);
  const hi = max ?? (any ? dataMax : kind === 'log' ? 10 : 1);
  const [niceLo, niceHi] =
    kind === 'log' ? niceLogDomain(lo, hi, options) : niceLinearDomain(lo, hi, options);
  return [min ?? niceLo, max ?? niceHi];
}

/** [lo, hi] (the data, or a fixed bound) widened to nice values; fixed bounds stay as they are. */
function niceLinearDomain(lo: number, hi: number, options: NiceDomainOptions): [number, number] {
  const { min, max } = options;
  if (!(hi - lo > Math.max(Math.abs(lo), Math.abs(hi)) * 1e-10 && hi - lo > 1e-290)) {
    // One value, values too close to tell apart, or data beyond a fixed bound: open the free side(s)
    // around it. A centre in the denormals is 0 for this purpose (half of it would underflow).
    const raw = min ?? max ?? (lo + hi) / 2;
    const centre = Math.abs(raw) < 1e-290 ? 0 : raw;
    const half = centre === 0 ? 0.5 : Math.abs(centre) / 2;
    lo = min ?? (max !== undefined ? max - 2 * half : centre === 0 ? 0 : centre - half);
    hi = max ?? (min !== undefined ? min + 2 * half : centre === 0 ? 1 : centre + half);
  }
  const zero = options.includeZero ?? 'auto';
  if (
    zero === 'always' ||
    (zero === 'auto' && lo > 0 && lo <= hi / 2) ||
    (zero === 'auto' && hi < 0 && hi >= lo / 2)
  ) {
    if (min === undefined) lo = Math.min(lo, 0);
    if (max === undefined) hi = Math.max(hi, 0);
  }
  const pad = (hi - lo) * (options.padding ?? 0);
  if (min === undefined && lo !== 0) lo -= pad;
  if (max === undefined && hi !== 0) hi += pad;
  const count = options.tickCount ?? DEFAULT_TICK_COUNT;
  // Widening to the step can make the span call for a larger step; repeat until the step the domain
  // calls for is the one it was rounded to, so that both ends are ticks. The step only grows, so
  // this ends after a pass or two.
  let step = linearTickStep(lo, hi, count);
  for (let pass = 0; pass < 10; pass++) {
    if (min === undefined) lo = snapToStep(Math.floor(stepsIn(lo, step)) * step, step);
    if (max === undefined) hi = snapToStep(Math.ceil(stepsIn(hi, step)) * step, step);
    const next = linearTickStep(lo, hi, count);
    if (next === step) break;
    step = next;
  }
  return [lo, hi];
}

/** [lo, hi] (the data, or a fixed bound) widened to nice values; fixed bounds stay as they are. */
function niceLogDomain(lo: number, hi: number, options: NiceDomainOptions): [number, number] {
  const { min, max } = options;
  if (!(hi / lo > 1 + 1e-10)) {
    const centre = min ?? max ?? lo;
    lo = min ?? (max !== undefined ? max / 10 : centre / 2);
    hi = max ?? (min !== undefined ? min * 10 : centre * 2);
  }
  const pad = 10 ** ((Math.log10(hi) - Math.log10(lo)) * (options.padding ?? 0));
  lo /= pad;
  hi *= pad;
  const byDecades = Math.log10(hi) - Math.log10(lo) > 3;
  return [byDecades ? decadeFloor(lo) : oneTwoFiveFloor(lo), byDecades ? decadeCeil(hi) : oneTwoFiveCeil(hi)];
}

function decadeFloor(v: number): number {
  return cleanFloat(10 ** Math.floor(Math.log10(v) + 1e-9));
}

function decadeCeil(v: number): number {
  return cleanFloat(10 ** Math.ceil(Math.log10(v) - 1e-9));
}

function oneTwoFiveFloor(v: number): number {
  const decade = decadeFloor(v);
  const m = v / decade;
  return cleanFloat((m >= 5 - 1e-9 ? 5 : m >= 2 - 1e-9 ? 2 : 1) * decade);
}

function oneTwoFiveCeil(v: number): number {
  const decade = decadeFloor(v);
  const m = v / decade;
  return cleanFloat((m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10) * decade);
}

const SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * A short label for a tick or value: `0.25`, `1`, `1.5k`, `10k`, `2M`, `−3`; `k`/`M`/`G`/`T` from 1000
 * up. With `step` (the tick spacing of a linear axis) every label gets the decimals the step needs, so
 * 0.05-steps read 0.05, 0.1, 0.15; without, the value is rounded to 3 significant digits. Trailing
 * zeros are dropped. Negative numbers use the minus sign U+2212, as typeset charts do. With
 * `suffixes` false, large numbers are written out (`3600`).
 */
export function formatTickLabel(value: number, step?: number, suffixes = true): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size === 0 || (step !== undefined && size < step * 1e-9)) return '0';
  const [unit, suffix] = (suffixes ? SUFFIXES.find(([u]) => size >= u * (1 - 1e-12)) : undefined) ?? [1, ''];
  const scaled = value / unit;
  const decimals =
    step !== undefined && step > 0
      ? decimalsFor(step / unit)
      : decimalsFor(Number(Math.abs(scaled).toPrecision(3)));
  if (decimals > 6) return `${value < 0 ? '−' : ''}${stripZeros(size.toExponential(2))}`;
  const text = stripZeros(Math.abs(scaled).toFixed(decimals));
  return text === '0' ? '0' : `${value < 0 ? '−' : ''}${text}${suffix}`;
}

/** The fewest decimals (up to 12) that write `v` exactly to 1e-9 relative. */
function decimalsFor(v: number): number {
  for (let d = 0; d < 12; d++) {
    if (Math.abs(Number(v.toFixed(d)) - v) <= Math.abs(v) * 1e-9) return d;
  }
  return 12;
}

function stripZeros(text: string): string {
  return text.replace(/(\.\d*?)0+(?=$|e)/, '$1').replace(/\.(?=$|e)/, '');
}

/** How many steps `v` is from 0, snapped to a whole number when within 1e-9 of one (binary noise). */
function stepsIn(v: number, step: number): number {
  const q = v / step;
  const whole = Math.round(q);
  return Math.abs(q - whole) < 1e-9 ? whole : q;
}

/** `v` rounded to the decimals `step` has, so 3 × 0.1 is 0.3; never -0. */
function snapToStep(v: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  // toFixed stops at 100 decimals; steps that fine are rounded relative to the value instead.
  return (decimals > 20 ? cleanFloat(v) : Number(v.toFixed(decimals))) || 0;
}

/** `v` with the binary noise of decimal arithmetic removed (0.30000000000000004 → 0.3). */
function cleanFloat(v: number): number {
  return Number(v.toPrecision(12));
}
