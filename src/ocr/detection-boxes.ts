/**
 * Detection post-processing (DB, "Differentiable Binarization"): the detector's probability map is
 * thresholded, each connected region becomes its minimum-area rotated rectangle, boxes whose mean
 * probability is low are dropped, the rest are grown back by the unclip offset (the network marks text
 * shrunk), mapped onto the source image and put in reading order.
 *
 * This follows PaddleOCR's `DBPostProcess` (threshold 0.3, box threshold 0.6, "fast" box score, at
 * most 1000 candidates, quadrilateral boxes) with three deliberate differences:
 * - the unclip ratio defaults to 2.0, not PaddleOCR 2.x's 1.5. At 1.5 the boxes sit about 1.5 px
 *   inside the anti-aliased edge of the ink, and on rendered Latin test lines the PP-OCRv4 recogniser
 *   then dropped the space between words in 13 of 35 lines (0 of 35 at 2.0, also with lines only
 *   1.15 em apart); pass `unclipRatio: 1.5` for PaddleOCR's boxes;
 * - regions are 8-connected components rather than OpenCV contours (the same regions for text,
 *   without a contour tracer);
 * - coordinates stay fractional instead of being rounded to pixels.
 */
import { SluiceError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { connectedComponents } from './connected-components.js';
import type { DetectionInput } from './detection-input.js';
import { minAreaRect, rectContains, rectQuad, type RotatedRect } from './min-area-rect.js';
import { sortTextBoxes, type Point, type Quad, type TextBox } from './text-box.js';
import { unclipRect } from './unclip.js';

export interface DetectionBoxesOptions {
  /** Pixels with probability above this are text; default 0.3. */
  readonly threshold?: number;
  /** Boxes whose mean probability is below this are dropped; default 0.6. */
  readonly boxThreshold?: number;
  /** Growth of each box, as DB's unclip ratio; default 2.0 (see the file comment; PaddleOCR's is 1.5). */
  readonly unclipRatio?: number;
  /** Boxes with a shorter side below this, in probability-map pixels, are noise; default 3. */
  readonly minSidePx?: number;
  /** At most this many regions are examined, largest first; default 1000. */
  readonly maxCandidates?: number;
  /** Which image of a batched output; default 0. */
  readonly batchIndex?: number;
  /** Reading-order tolerance, source px; default 10 (see `sortTextBoxes`). */
  readonly sameLineTolerancePx?: number;
}

/** What of the detector's input the boxes are mapped back with. */
export type DetectionGeometry = Pick<
  DetectionInput,
  'sourceWidth' | 'sourceHeight' | 'resizedWidth' | 'resizedHeight'
>;

/**
 * Text boxes, in source-image coordinates and reading order, from the detector's FP32 output
 * `[N, 1, H, W]` (H × W is the resized input's size).
 * @throws SluiceError `INVALID_INPUT` when the output is not such a tensor.
 */
export function detectionBoxes(
  output: Tensor,
  geometry: DetectionGeometry,
  options: DetectionBoxesOptions = {},
): TextBox[] {
  const threshold = options.threshold ?? 0.3;
  const boxThreshold = options.boxThreshold ?? 0.6;
  const unclipRatio = options.unclipRatio ?? 2;
  const minSide = options.minSidePx ?? 3;
  const maxCandidates = options.maxCandidates ?? 1000;
  const { map, width, height } = probabilityMap(output, options.batchIndex ?? 0, geometry);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i += 1) mask[i] = map[i]! > threshold ? 1 : 0;
  const candidates = [...connectedComponents(mask, width, height).components]
    .sort((a, b) => b.area - a.area || a.label - b.label)
    .slice(0, maxCandidates);
  const scaleX = geometry.sourceWidth / width;
  const scaleY = geometry.sourceHeight / height;
  const boxes: TextBox[] = [];
  for (const component of candidates) {
    const rect = minAreaRect(component.outline);
    if (Math.min(rect.width, rect.height) < minSide) continue;
    const score = boxScore(map, width, height, rect);
    if (score < boxThreshold) continue;
    const grown = unclipRect(rect, unclipRatio);
    if (Math.min(grown.width, grown.height) < minSide + 2) continue;
    const quad = toSource(rectQuad(grown), scaleX, scaleY, geometry);
    // PaddleOCR's last filter, in source pixels: slivers left after clipping to the image.
    const [tl, tr, , bl] = quad;
    if (Math.hypot(tr.x - tl.x, tr.y - tl.y) <= 3 || Math.hypot(bl.x - tl.x, bl.y - tl.y) <= 3) continue;
    boxes.push({ quad, score });
  }
  return sortTextBoxes(boxes, options.sameLineTolerancePx ?? 10);
}

/**
 * Mean probability over the pixels whose centres lie in the rectangle, boundary pixels included (the
 * rectangle runs through the centres of the region's outermost pixels). DB's "fast" score.
 */
export function boxScore(map: Float32Array, width: number, height: number, rect: RotatedRect): number {
  const quad = rectQuad(rect);
  const xs = quad.map((p) => p.x);
  const ys = quad.map((p) => p.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      if (!rectContains(rect, x, y, 1e-6)) continue;
      sum += map[y * width + x]!;
      count += 1;
    }
  }
  return count > 0 ? sum / count : 0;
}

/** Map pixel centres to source coordinates (pixel i spans [i, i + 1)), clipped to the image. */
function toSource(quad: Quad, scaleX: number, scaleY: number, geometry: DetectionGeometry): Quad {
  const at = (p: Point): Point => ({
    x: clamp((p.x + 0.5) * scaleX, geometry.sourceWidth),
    y: clamp((p.y + 0.5) * scaleY, geometry.sourceHeight),
  });
  return [at(quad[0]), at(quad[1]), at(quad[2]), at(quad[3])];
}

function clamp(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value;
}

/**
 * The map of one image; when images of a batch were padded to a common size, only the image's own
 * (top-left) `resizedWidth × resizedHeight` part.
 */
function probabilityMap(
  output: Tensor,
  batchIndex: number,
  geometry: DetectionGeometry,
): { map: Float32Array; width: number; height: number } {
  const { shape, data } = output;
  if (output.datatype !== 'FP32' || !(data instanceof Float32Array))
    throw invalid(`the detector output '${output.name}' is ${output.datatype}, not FP32`);
  const [n, c, h, w] = shape;
  if (shape.length !== 4 || c !== 1 || n === undefined || h === undefined || w === undefined)
    throw invalid(`the detector output '${output.name}' has shape [${shape.join(',')}], not [N,1,H,W]`);
  if (!Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex >= n)
    throw invalid(`batch index ${batchIndex} is outside the detector output's ${n} images`);
  if (data.length !== n * h * w)
    throw invalid(`the detector output has ${data.length} values, [${shape.join(',')}] needs ${n * h * w}`);
  const { resizedWidth: width, resizedHeight: height } = geometry;
  if (width > w || height > h)
    throw invalid(`the detector output is ${w}x${h}, smaller than its ${width}x${height} input image`);
  const whole = data.subarray(batchIndex * h * w, (batchIndex + 1) * h * w);
  if (width === w && height === h) return { map: whole, width, height };
  const map = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) map.set(whole.subarray(y * w, y * w + width), y * width);
  return { map, width, height };
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
