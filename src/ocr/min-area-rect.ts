/**
 * The smallest-area enclosing rectangle of a point set (what OpenCV's `minAreaRect` gives DB): the
 * convex hull by Andrew's monotone chain, then one candidate rectangle per hull edge, since the
 * optimal rectangle has a side collinear with some hull edge. O(n log n + h²) for h hull points, which
 * is small for text components (their outlines are two points per row).
 */
import type { Point, Quad } from './text-box.js';

/**
 * A rectangle of `width` along the direction `angleRad` from the x axis (y down, so positive angles
 * turn clockwise on screen) and `height` across it. Normalised so `angleRad` is in (−π/4, π/4]: `width`
 * is the more horizontal side, as text lines read.
 */
export interface RotatedRect {
  readonly centerX: number;
  readonly centerY: number;
  readonly width: number;
  readonly height: number;
  readonly angleRad: number;
}

/** The convex hull, counter-clockwise in a y-up frame, without collinear points; duplicates are removed. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return dedupe(sorted);
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0)
      lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0)
      upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return dedupe([...lower, ...upper]);
}

/** The minimum-area rectangle enclosing `points` (at least one); degenerate sets give zero sides. */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new RangeError('minAreaRect needs at least one point');
  if (hull.length === 1) return normalise(hull[0]!.x, hull[0]!.y, 0, 0, 0);
  let best: { area: number; rect: RotatedRect } | undefined;
  for (let i = 0; i < hull.length; i += 1) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length === 0) continue;
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (best === undefined || area < best.area - 1e-9) {
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = {
        area,
        rect: normalise(cu * ux - cv * uy, cu * uy + cv * ux, maxU - minU, maxV - minV, Math.atan2(uy, ux)),
      };
    }
  }
  return best!.rect;
}

/** The rectangle's corners as a `Quad`: top-left, top-right, bottom-right, bottom-left. */
export function rectQuad(rect: RotatedRect): Quad {
  const ux = Math.cos(rect.angleRad);
  const uy = Math.sin(rect.angleRad);
  // v is u turned a quarter clockwise on screen: it points down for a horizontal rectangle.
  const vx = -uy;
  const vy = ux;
  const hw = rect.width / 2;
  const hh = rect.height / 2;
  const at = (su: number, sv: number): Point => ({
    x: rect.centerX + su * hw * ux + sv * hh * vx,
    y: rect.centerY + su * hw * uy + sv * hh * vy,
  });
  return [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
}

/** Whether (x, y) lies in the rectangle grown by `marginPx` on every side. */
export function rectContains(rect: RotatedRect, x: number, y: number, marginPx = 0): boolean {
  const ux = Math.cos(rect.angleRad);
  const uy = Math.sin(rect.angleRad);
  const dx = x - rect.centerX;
  const dy = y - rect.centerY;
  return (
    Math.abs(dx * ux + dy * uy) <= rect.width / 2 + marginPx &&
    Math.abs(-dx * uy + dy * ux) <= rect.height / 2 + marginPx
  );
}

/** Turns the rectangle by quarter turns (swapping its sides) until its angle is in (−π/4, π/4]. */
function normalise(
  centerX: number,
  centerY: number,
  width: number,
  height: number,
  angleRad: number,
): RotatedRect {
  let angle = angleRad;
  let w = width;
  let h = height;
  const quarter = Math.PI / 2;
  const eps = 1e-9;
  while (angle > Math.PI / 4 + eps) {
    angle -= quarter;
    [w, h] = [h, w];
  }
  while (angle <= -Math.PI / 4 + eps) {
    angle += quarter;
    [w, h] = [h, w];
  }
  return { centerX, centerY, width: w, height: h, angleRad: angle };
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

function dedupe(points: Point[]): Point[] {
  return points.filter((p, i) => points.findIndex((q) => q.x === p.x && q.y === p.y) === i);
}
