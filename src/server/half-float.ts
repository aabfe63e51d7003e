/**
 * IEEE 754 binary16 ("FP16") conversions for the JSON tensor encoding. FP16 tensors travel as their raw
 * half bits (a Uint16Array, see core/tensor.ts); JSON carries ordinary numbers, so the codec converts at
 * the edge. Rounding is to nearest, ties to even, straight from the double: going through Math.fround
 * first would round twice and occasionally land one unit off.
 */

const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_14 = 2 ** -14;
/** Halfway between the largest finite half (65504) and 65536: from here on a value rounds to infinity. */
const HALF_OVERFLOW = 65520;

/** The half-precision bits nearest to `value` (ties to even); ±Infinity when it overflows, 0x7e00 for NaN. */
export function toHalfBits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= HALF_OVERFLOW) return sign | 0x7c00;
  if (a < TWO_POW_MINUS_14) {
    // Subnormal: a multiple of 2^-24; a result of 1024 is the smallest normal, which the bits encode too.
    return sign | roundHalfEven(a / TWO_POW_MINUS_24);
  }
  let exponent = Math.floor(Math.log2(a));
  // log2 can be off by one next to powers of two; fix it exactly.
  if (2 ** exponent > a) exponent -= 1;
  else if (2 ** (exponent + 1) <= a) exponent += 1;
  let mantissa = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent += 1;
  }
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** The number a half-precision bit pattern stands for. */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * TWO_POW_MINUS_24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
