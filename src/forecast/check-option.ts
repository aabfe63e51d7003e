/**
 * Validation of forecaster options, done once when a forecaster is built: a bad value fails fast with
 * `SluiceError('INVALID_CONFIG')` naming the forecaster and the key, instead of producing NaN forecasts later.
 */
import { SluiceError } from '../core/errors.js';

/** Allowed values of one numeric option. Bounds are inclusive unless marked exclusive. */
export interface OptionRange {
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly integer?: boolean;
}

/** `value`, or `defaultValue` when it is undefined; throws INVALID_CONFIG when outside `range`. */
export function checkOption(
  forecaster: string,
  key: string,
  value: number | undefined,
  defaultValue: number,
  range: OptionRange,
): number {
  const v = value ?? defaultValue;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (range.integer !== true || Number.isInteger(v)) &&
    (range.min === undefined || (range.minExclusive === true ? v > range.min : v >= range.min)) &&
    (range.max === undefined || v <= range.max);
  if (!ok) {
    const parts = [
      range.integer === true ? 'an integer' : 'a finite number',
      range.min === undefined ? '' : `${range.minExclusive === true ? '>' : '≥'} ${range.min}`,
      range.max === undefined ? '' : `≤ ${range.max}`,
    ].filter((p) => p !== '');
    throw new SluiceError(
      'INVALID_CONFIG',
      `forecaster ${forecaster}: option ${key} must be ${parts.join(' ')}, not ${String(v)}`,
    );
  }
  return v;
}
