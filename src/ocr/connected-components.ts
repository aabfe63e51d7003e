/**
 * Connected components of a binary mask, 8-connected (as OpenCV traces the contours DB post-processing
 * starts from: diagonal neighbours belong to one stroke). A flood fill with an explicit stack, so a
 * component the size of the whole map cannot overflow the call stack.
 *
 * Each component also carries its outline: the leftmost and rightmost pixel of every row it spans.
 * That is all its convex hull (and so its minimum-area rectangle) depends on, in two points per row
 * instead of every pixel.
 */
import type { Point } from './text-box.js';

export interface Component {
  /** 1-based label, as written into `labels`. */
  readonly label: number;
  /** Pixels. */
  readonly area: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Pixel centres (integer coordinates, OpenCV's convention) of each row's extreme pixels. */
  readonly outline: readonly Point[];
}

export interface Components {
  /** Per pixel, row-major: 0 for background, else the component's label. */
  readonly labels: Int32Array;
  /** In label order, which is the order of each component's first pixel in a row-major scan. */
  readonly components: readonly Component[];
}

/** Labels the non-zero pixels of a `width` × `height` row-major mask. */
export function connectedComponents(mask: Uint8Array, width: number, height: number): Components {
  if (mask.length !== width * height)
    throw new RangeError(`mask has ${mask.length} pixels, ${width}x${height} needs ${width * height}`);
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack: number[] = [];
  // Per row of the current component: its leftmost and rightmost x (reset per component).
  const rowMin = new Int32Array(height).fill(-1);
  const rowMax = new Int32Array(height).fill(-1);
  for (let start = 0; start < mask.length; start += 1) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const label = components.length + 1;
    labels[start] = label;
    stack.push(start);
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width;
      const y = (p - x) / width;
      area += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (rowMin[y] === -1 || x < rowMin[y]!) rowMin[y] = x;
      if (x > rowMax[y]!) rowMax[y] = x;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] !== 0 && labels[q] === 0) {
            labels[q] = label;
            stack.push(q);
          }
        }
      }
    }
    const outline: Point[] = [];
    for (let y = minY; y <= maxY; y += 1) {
      if (rowMin[y] === -1) continue;
      outline.push({ x: rowMin[y]!, y });
      if (rowMax[y] !== rowMin[y]) outline.push({ x: rowMax[y]!, y });
      rowMin[y] = -1;
      rowMax[y] = -1;
    }
    components.push({ label, area, minX, minY, maxX, maxY, outline });
  }
  return { labels, components };
}
