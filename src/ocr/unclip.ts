/**
 * DB's "unclip": the network is trained to mark a text region shrunk by the Vatti offset
 * `D = A · (1 − r²) / L` (area A, perimeter L, shrink ratio r = 0.4), so inference grows each found
 * region by `D' = A' · ratio / L'` of the shrunk region, with `ratio` ≈ 1.5 (Liao et al., "Real-time
 * Scene Text Detection with Differentiable Binarization", 2020, §3.3). The ratio is a tuned setting, not
 * the exact inverse of the shrink (for a 200 × 40 line it restores about 70% of the height);
 * `detectionBoxes` uses 2.0 by default, for the reason given there.
 *
 * For a rectangle the grown polygon (every side pushed out by D', round corners) has the enclosing
 * rectangle `(w + 2D') × (h + 2D')`, which is exactly what PaddleOCR keeps after offsetting with
 * pyclipper and taking `minAreaRect` again; so a rectangle is unclipped in closed form.
 */
import type { RotatedRect } from './min-area-rect.js';

/** How far a polygon of `areaPx2` and `perimeterPx` is grown on every side, px: `area · ratio / perimeter`. */
export function unclipDistance(areaPx2: number, perimeterPx: number, ratio: number): number {
  return perimeterPx > 0 ? (areaPx2 * ratio) / perimeterPx : 0;
}

/** The rectangle grown on every side by `unclipDistance(w·h, 2(w+h), ratio)`. */
export function unclipRect(rect: RotatedRect, ratio: number): RotatedRect {
  const d = unclipDistance(rect.width * rect.height, 2 * (rect.width + rect.height), ratio);
  return { ...rect, width: rect.width + 2 * d, height: rect.height + 2 * d };
}
