/**
 * Cutting a detected text line out of the source image as an upright rectangle (PaddleOCR's
 * `get_rotate_crop_image`): the quadrilateral is resampled onto a `width × height` grid (bilinear, edge
 * pixels replicated), so a rotated line comes out level. The grid follows the quadrilateral's corners
 * bilinearly, which is exact for the rectangles (and any parallelogram) the detector produces.
 *
 * A crop much taller than wide is a vertical line of text (or a word on its side): it is turned a
 * quarter counter-clockwise so the recogniser, which reads left to right, gets it lying down.
 */
import { checkImage, rotateImage, toRgb, type Image } from './image.js';
import { quadSize, type Quad } from './text-box.js';

export interface CropTextLineOptions {
  /** Crops with height / width at least this are turned a quarter counter-clockwise; default 1.5 (PaddleOCR's). */
  readonly verticalRatio?: number;
}

/** The upright RGB crop of `quad` (source-image px, corners top-left, top-right, bottom-right, bottom-left). */
export function cropTextLine(image: Image, quad: Quad, options: CropTextLineOptions = {}): Image {
  checkImage(image);
  const rgb = toRgb(image);
  const size = quadSize(quad);
  const width = Math.max(1, Math.round(size.width));
  const height = Math.max(1, Math.round(size.height));
  const [tl, tr, br, bl] = quad;
  const out = new Uint8Array(width * height * 3);
  for (let v = 0; v < height; v += 1) {
    const t = (v + 0.5) / height;
    // The grid row runs from the left edge's point to the right edge's at the same fraction t.
    const lx = tl.x + (bl.x - tl.x) * t;
    const ly = tl.y + (bl.y - tl.y) * t;
    const rx = tr.x + (br.x - tr.x) * t;
    const ry = tr.y + (br.y - tr.y) * t;
    for (let u = 0; u < width; u += 1) {
      const s = (u + 0.5) / width;
      // Pixel centres are at i + 0.5 in quad coordinates.
      sample(rgb, lx + (rx - lx) * s - 0.5, ly + (ry - ly) * s - 0.5, out, (v * width + u) * 3);
    }
  }
  const crop: Image = { width, height, channels: 3, data: out };
  return height / width >= (options.verticalRatio ?? 1.5) ? rotateImage(crop, 90) : crop;
}

/** Bilinear sample at (x, y) in pixel-centre coordinates, clamped to the image, into out[at..at+2]. */
function sample(image: Image, x: number, y: number, out: Uint8Array, at: number): void {
  const { width, height, data } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const p00 = (y0 * width + x0) * 3;
  const p10 = (y0 * width + x1) * 3;
  const p01 = (y1 * width + x0) * 3;
  const p11 = (y1 * width + x1) * 3;
  for (let c = 0; c < 3; c += 1) {
    const top = data[p00 + c]! + (data[p10 + c]! - data[p00 + c]!) * fx;
    const bottom = data[p01 + c]! + (data[p11 + c]! - data[p01 + c]!) * fx;
    out[at + c] = Math.round(top + (bottom - top) * fy);
  }
}
