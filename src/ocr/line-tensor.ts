/**
 * Text-line crops to one FP32 `[N, 3, height, width]` batch, as the PP-OCR classifier and recogniser
 * take them (PaddleOCR's `resize_norm_img`): each crop is scaled to `height` keeping its aspect, up to
 * `width` (a longer line is squeezed to fit), normalised onto [−1, 1] and padded on the right with 0
 * (the normalised value of mid-grey: padding is added after normalisation, as in training).
 */
import { SluiceError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { checkImage, toRgb, type Image } from './image.js';
import { normalizeImage, SYMMETRIC_NORMALIZATION, type ChannelOrder } from './normalize-image.js';
import { resizeImage } from './resize-image.js';

export interface LineTensorOptions {
  /** Tensor height, px. */
  readonly height: number;
  /** Tensor width, px: every crop is padded (or squeezed) to it. */
  readonly width: number;
  /** Input tensor name; default `'x'`. */
  readonly inputName?: string;
  /** Default `'bgr'` (see `normalize-image.ts`). */
  readonly channelOrder?: ChannelOrder;
}

/** The width a crop of `width` × `height` is scaled to at tensor height `toHeight`, capped at `maxWidth`, px. */
export function scaledLineWidth(width: number, height: number, toHeight: number, maxWidth: number): number {
  return Math.max(1, Math.min(maxWidth, Math.ceil((toHeight * width) / height)));
}

/** Batches crops into one tensor; the batch has as many rows as there are crops (at least one). */
export function lineTensor(crops: readonly Image[], options: LineTensorOptions): Tensor {
  const { height, width } = options;
  if (crops.length === 0) throw new SluiceError('INVALID_INPUT', 'a text-line batch needs at least one crop');
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1)
    throw new RangeError(`a line tensor needs a positive integer size, not ${width}x${height}`);
  const rowFloats = 3 * height * width;
  const data = new Float32Array(crops.length * rowFloats);
  crops.forEach((crop, i) => {
    checkImage(crop);
    const resized = resizeImage(toRgb(crop), scaledLineWidth(crop.width, crop.height, height, width), height);
    normalizeImage(resized, data, i * rowFloats, {
      normalization: SYMMETRIC_NORMALIZATION,
      channelOrder: options.channelOrder ?? 'bgr',
      paddedWidth: width,
      padValue: 0,
    });
  });
  return { name: options.inputName ?? 'x', datatype: 'FP32', shape: [crops.length, 3, height, width], data };
}
