/**
 * Detection pre-processing (PaddleOCR's `DetResizeForTest` + `NormalizeImage` + `ToCHW`): the image is
 * scaled so its longer side is at most `maxSidePx`, each side is rounded to a multiple of 32 (the DB
 * network downsamples by 32 and upsamples back), and the pixels are normalised into an FP32
 * `[1, 3, H, W]` tensor. The probability map the detector returns has that same `H × W`, so the
 * detection output is mapped back to the source image by the two sizes kept in `DetectionInput`.
 */
import type { Tensor } from '../core/tensor.js';
import { checkImage, toRgb, type Image } from './image.js';
import { DETECTION_NORMALIZATION, normalizeImage, type ChannelOrder } from './normalize-image.js';
import { resizeImage } from './resize-image.js';

export interface DetectionInputOptions {
  /** Longest side of the resized image before rounding to 32, px; default 960 (PaddleOCR's `det_limit_side_len`). Smaller images are not enlarged. */
  readonly maxSidePx?: number;
  /** Input tensor name; default `'x'` (the PP-OCR models' input). */
  readonly inputName?: string;
  /** Default `'bgr'`, what the PP-OCR models were trained on. */
  readonly channelOrder?: ChannelOrder;
}

/** The detector's input and what is needed to map its output back onto the source image. */
export interface DetectionInput {
  /** FP32 `[1, 3, resizedHeight, resizedWidth]`. */
  readonly tensor: Tensor;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly resizedWidth: number;
  readonly resizedHeight: number;
}

/** Multiple every detector input side is rounded to, px. */
export const DETECTION_STRIDE = 32;

/**
 * The size an image of `width` × `height` is resized to: aspect kept up to rounding, longer side at most
 * `maxSidePx` (before rounding), both sides multiples of 32 and at least 32.
 */
export function detectionSize(
  width: number,
  height: number,
  maxSidePx = 960,
): { width: number; height: number } {
  const ratio = Math.max(width, height) > maxSidePx ? maxSidePx / Math.max(width, height) : 1;
  const round = (side: number): number =>
    Math.max(DETECTION_STRIDE, Math.round((side * ratio) / DETECTION_STRIDE) * DETECTION_STRIDE);
  return { width: round(width), height: round(height) };
}

/** Builds the detector's input tensor for one image. */
export function detectionInput(image: Image, options: DetectionInputOptions = {}): DetectionInput {
  checkImage(image);
  const size = detectionSize(image.width, image.height, options.maxSidePx ?? 960);
  const resized = resizeImage(toRgb(image), size.width, size.height);
  const data = new Float32Array(3 * size.width * size.height);
  normalizeImage(resized, data, 0, {
    normalization: DETECTION_NORMALIZATION,
    channelOrder: options.channelOrder ?? 'bgr',
  });
  return {
    tensor: {
      name: options.inputName ?? 'x',
      datatype: 'FP32',
      shape: [1, 3, size.height, size.width],
      data,
    },
    sourceWidth: image.width,
    sourceHeight: image.height,
    resizedWidth: size.width,
    resizedHeight: size.height,
  };
}
