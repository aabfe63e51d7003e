/** Number formats of the DNNScaler report: ratios, percentages, milliseconds, request rates. */

/** `2.35x`; a dash when undefined. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '—' : `${ratio.toFixed(2)}x`;
}

/** A ratio as a change: 1.25 → `+25%`. */
export function formatChange(ratio: number): string {
  const p = (ratio - 1) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(0)}%`;
}

/** Milliseconds with 3 significant digits or so; `∞` when not finite. */
export function formatMs(v: number): string {
  if (!Number.isFinite(v)) return '∞';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Requests per second: whole above 100, one decimal below. */
export function formatRps(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
