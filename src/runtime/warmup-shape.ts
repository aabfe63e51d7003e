/**
 * The shape of the zeros an instance warms up with: the declared shape where the configuration fixes a
 * dimension, else the model's fixed dimension, else a small size. The first dynamic dimension is taken to
 * be the batch and warmed up with one row; other dynamic dimensions (image sides, sequence lengths) get
 * {@link WARMUP_DYNAMIC_DIM}, large enough for typical strided convolutions to stay non-empty and small
 * enough to cost little.
 */
import type { DeclaredSignature } from './model-signature.js';

/** Size of a dynamic non-batch dimension during warm-up. */
export const WARMUP_DYNAMIC_DIM = 32;

/**
 * @param declared the configured shape including any batch dimension, -1 for "any"; undefined when the
 *   configuration does not declare this input
 * @param model the shape onnxruntime reports: numbers for fixed dimensions, names for symbolic ones
 */
export function warmupShape(
  declared: readonly number[] | undefined,
  model: readonly (number | string)[],
): number[] {
  const rank = declared?.length ?? model.length;
  const shape: number[] = [];
  for (let i = 0; i < rank; i += 1) {
    const want = declared?.[i] ?? -1;
    const fixed = model[i];
    if (want >= 0) shape.push(want);
    else if (typeof fixed === 'number' && fixed >= 0) shape.push(fixed);
    else shape.push(i === 0 ? 1 : WARMUP_DYNAMIC_DIM);
  }
  return shape;
}

/** The configuration's input shapes with the batch dimension (one row) where the module batches. */
export function declaredWarmupShapes(
  expected: DeclaredSignature | undefined,
): Record<string, readonly number[]> {
  if (expected === undefined) return {};
  return Object.fromEntries(
    expected.inputs.map((spec) => [spec.name, expected.maxBatch > 0 ? [1, ...spec.shape] : [...spec.shape]]),
  );
}
