/**
 * A detected text region: a quadrilateral in source-image pixel coordinates (x right, y down, pixel
 * `i` spanning `[i, i + 1)`), with corners in reading order: top-left, top-right, bottom-right,
 * bottom-left. The detector produces rotated rectangles; the type allows any convex quadrilateral so a
 * client may also pass its own boxes to the recognition steps.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Corners top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

export interface TextBox {
  readonly quad: Quad;
  /** Mean text probability inside the box before it was expanded, in [0, 1]. */
  readonly score: number;
}

/**
 * The size of the upright crop of a quadrilateral, px: the longer of its top and bottom edges by the
 * longer of its left and right edges (PaddleOCR's `get_rotate_crop_image` measure).
 */
export function quadSize(quad: Quad): { width: number; height: number } {
  const [tl, tr, br, bl] = quad;
  return {
    width: Math.max(distance(tl, tr), distance(bl, br)),
    height: Math.max(distance(tl, bl), distance(tr, br)),
  };
}

/**
 * Boxes in reading order: top to bottom, and left to right among boxes whose top-left corners are
 * within `sameLineTolerancePx` (default 10 px, PaddleOCR's) of each other vertically. The input is not
 * changed.
 */
export function sortTextBoxes<T extends TextBox>(boxes: readonly T[], sameLineTolerancePx = 10): T[] {
  const sorted = [...boxes].sort((a, b) => a.quad[0].y - b.quad[0].y || a.quad[0].x - b.quad[0].x);
  // A box sorted below a neighbour by a few pixels of y, but left of it, belongs before it: walk it
  // back past every such neighbour (an insertion pass, so a line of several boxes is fully ordered).
  for (let i = 1; i < sorted.length; i += 1) {
    for (let j = i; j > 0; j -= 1) {
      const above = sorted[j - 1]!;
      const current = sorted[j]!;
      const sameLine = Math.abs(current.quad[0].y - above.quad[0].y) < sameLineTolerancePx;
      if (!sameLine || current.quad[0].x >= above.quad[0].x) break;
      sorted[j - 1] = current;
      sorted[j] = above;
    }
  }
  return sorted;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
