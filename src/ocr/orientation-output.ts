/**
 * Angle-classification post-processing: the classifier's `[N, 2]` probabilities (class 0: upright,
 * class 1: upside down) become a decision per crop, and crops judged upside down with enough
 * confidence are turned 180°. The threshold keeps an uncertain classifier from flipping a line that
 * was right (PaddleOCR's `cls_thresh`, 0.9).
 */
import { SluiceError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { rotateImage, type Image } from './image.js';

export interface Orientation {
  /** The more probable class: 0 (upright) or 180 (upside down), degrees. */
  readonly angle: 0 | 180;
  /** Its probability, in [0, 1]. */
  readonly confidence: number;
}

/**
 * One decision per row of the classifier's FP32 `[N, 2]` output.
 * @throws SluiceError `INVALID_INPUT` when the output is not such a tensor.
 */
export function readOrientations(output: Tensor): Orientation[] {
  const { shape, data } = output;
  const rows = shape[0];
  if (output.datatype !== 'FP32' || !(data instanceof Float32Array) || shape.length !== 2 || shape[1] !== 2)
    throw new SluiceError(
      'INVALID_INPUT',
      `the classifier output '${output.name}' is ${output.datatype} [${shape.join(',')}], not FP32 [N,2]`,
    );
  if (rows === undefined || data.length !== rows * 2)
    throw new SluiceError(
      'INVALID_INPUT',
      `the classifier output has ${data.length} values for ${String(rows)} rows`,
    );
  const result: Orientation[] = [];
  for (let i = 0; i < rows; i += 1) {
    const upright = data[2 * i]!;
    const flipped = data[2 * i + 1]!;
    result.push(flipped > upright ? { angle: 180, confidence: flipped } : { angle: 0, confidence: upright });
  }
  return result;
}

/**
 * The crops made upright: each one whose decision is 180° with confidence above `threshold` (default
 * 0.9) is rotated; the others are returned as they are. `orientations` pairs with `crops` by index.
 */
export function applyOrientations(
  crops: readonly Image[],
  orientations: readonly Orientation[],
  threshold = 0.9,
): Image[] {
  if (orientations.length !== crops.length)
    throw new RangeError(`${orientations.length} orientations for ${crops.length} crops`);
  return crops.map((crop, i) => {
    const o = orientations[i]!;
    return o.angle === 180 && o.confidence > threshold ? rotateImage(crop, 180) : crop;
  });
}
