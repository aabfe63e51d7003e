/**
 * Pixels to the planar float layout the PP-OCR models take: channel-first (CHW), each value
 * `(pixel / 255 − mean[c]) / std[c]`, with `c` the tensor's channel index.
 *
 * Channel order: PaddleOCR reads images with OpenCV, so every PP-OCR model was trained and is run on
 * **BGR** planes, and its ImageNet-style detection statistics are applied in that order (mean 0.485 on
 * blue): a known quirk its maintainers kept so the published weights stay valid (PaddleOCR issues
 * #1713, #6070, #7247). Sluice feeds the models what they were trained on, so the default order is BGR.
 */
import type { Image } from './image.js';

/** Which colour goes into tensor channel 0, 1, 2. */
export type ChannelOrder = 'bgr' | 'rgb';

/** Per tensor channel (after ordering), on pixel values scaled to [0, 1]. */
export interface Normalization {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** PaddleOCR's DB detector normalisation (`NormalizeImage` of the det configs), in tensor channel order. */
export const DETECTION_NORMALIZATION: Normalization = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

/** The classifier's and recogniser's normalisation: `(x / 255 − 0.5) / 0.5`, i.e. onto [−1, 1]. */
export const SYMMETRIC_NORMALIZATION: Normalization = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

export interface NormalizeOptions {
  readonly normalization: Normalization;
  /** Default `'bgr'` (see the file comment). */
  readonly channelOrder?: ChannelOrder;
  /** Row length of the written planes, ≥ the image width; columns past the image get `padValue`. Default: the image width. */
  readonly paddedWidth?: number;
  /** Value of padding columns, in normalised units; default 0 (PaddleOCR pads after normalising). */
  readonly padValue?: number;
}

/**
 * Writes an RGB image as three planes of `height × paddedWidth` floats into `out` from `offset`
 * (so a batch is filled image by image into one tensor buffer). Returns the number of floats written.
 */
export function normalizeImage(
  image: Image,
  out: Float32Array,
  offset: number,
  options: NormalizeOptions,
): number {
  const { width, height, data, channels } = image;
  const rowLength = options.paddedWidth ?? width;
  if (rowLength < width) throw new RangeError(`paddedWidth ${rowLength} < image width ${width}`);
  const plane = height * rowLength;
  if (offset < 0 || offset + 3 * plane > out.length)
    throw new RangeError(
      `a ${3}x${height}x${rowLength} block does not fit at ${offset} in ${out.length} floats`,
    );
  const bgr = (options.channelOrder ?? 'bgr') === 'bgr';
  const padValue = options.padValue ?? 0;
  for (let c = 0; c < 3; c += 1) {
    const source = bgr ? 2 - c : c;
    // (x/255 − mean)/std as one multiply-add per pixel.
    const mean = options.normalization.mean[c]!;
    const std = options.normalization.std[c]!;
    const scale = 1 / (255 * std);
    const shift = -mean / std;
    const base = offset + c * plane;
    for (let y = 0; y < height; y += 1) {
      const row = base + y * rowLength;
      let p = y * width * channels + source;
      for (let x = 0; x < width; x += 1, p += channels) out[row + x] = data[p]! * scale + shift;
      if (rowLength > width) out.fill(padValue, row + width, row + rowLength);
    }
  }
  return 3 * plane;
}
