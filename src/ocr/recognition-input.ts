/**
 * Recognition pre-processing: crops to the PP-OCRv4 recogniser's FP32 `[N, 3, 48, W]` input. All rows
 * of a batch share W, the width of the widest crop at height 48 but at least `minWidthPx` (320, the
 * recogniser's nominal `rec_image_shape` 3,48,320, which it is trained to read, padding included), and at
 * most `maxWidthPx`. Batching crops of similar aspect (`recognitionBatches`) keeps the padding small.
 */
import type { Tensor } from '../core/tensor.js';
import type { Image } from './image.js';
import { lineTensor, scaledLineWidth } from './line-tensor.js';
import type { ChannelOrder } from './normalize-image.js';

export interface RecognitionInputOptions {
  /** Tensor height, px; default 48. */
  readonly height?: number;
  /** Narrowest tensor width, px; default 320. */
  readonly minWidthPx?: number;
  /** Widest tensor width, px; longer lines are squeezed to it; default 2560. */
  readonly maxWidthPx?: number;
  /** Input tensor name; default `'x'`. */
  readonly inputName?: string;
  /** Default `'bgr'`. */
  readonly channelOrder?: ChannelOrder;
}

/** The recogniser's input for a batch of upright crops. */
export function recognitionInput(crops: readonly Image[], options: RecognitionInputOptions = {}): Tensor {
  const height = options.height ?? 48;
  const maxWidth = options.maxWidthPx ?? 2560;
  const widest = Math.max(0, ...crops.map((c) => scaledLineWidth(c.width, c.height, height, maxWidth)));
  const width = Math.min(maxWidth, Math.max(options.minWidthPx ?? 320, widest));
  return lineTensor(crops, {
    height,
    width,
    ...(options.inputName === undefined ? {} : { inputName: options.inputName }),
    ...(options.channelOrder === undefined ? {} : { channelOrder: options.channelOrder }),
  });
}

/**
 * Crop indices grouped into batches of at most `maxBatch`, crops of similar aspect together (sorted by
 * width / height), so each batch pads to a width close to its own crops'.
 */
export function recognitionBatches(crops: readonly Image[], maxBatch: number): number[][] {
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch must be >= 1, not ${maxBatch}`);
  const order = crops.map((_, i) => i).sort((a, b) => aspect(crops[a]!) - aspect(crops[b]!) || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += maxBatch) batches.push(order.slice(i, i + maxBatch));
  return batches;
}

function aspect(image: Image): number {
  return image.width / image.height;
}
