/**
 * Angle-classification pre-processing: crops to the PP-OCR text-direction classifier's FP32
 * `[N, 3, 48, 192]` input (each crop scaled to height 48 keeping its aspect, at most 192 wide, padded).
 */
import type { Tensor } from '../core/tensor.js';
import type { Image } from './image.js';
import { lineTensor, type LineTensorOptions } from './line-tensor.js';

/** The classifier's input height and width, px (`cls_image_shape` 3,48,192). */
export const ORIENTATION_INPUT_HEIGHT = 48;
export const ORIENTATION_INPUT_WIDTH = 192;

export type OrientationInputOptions = Partial<LineTensorOptions>;

/** The classifier's input for a batch of upright crops (see `cropTextLine`). */
export function orientationInput(crops: readonly Image[], options: OrientationInputOptions = {}): Tensor {
  return lineTensor(crops, {
    ...options,
    height: options.height ?? ORIENTATION_INPUT_HEIGHT,
    width: options.width ?? ORIENTATION_INPUT_WIDTH,
  });
}
