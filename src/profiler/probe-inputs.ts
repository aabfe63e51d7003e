/**
 * The inputs the profiler measures with: one request's worth (one row where the module batches) of
 * zero-filled tensors of the declared shapes. Dynamic non-batch dimensions (image sides, sequence lengths)
 * must be given a size, since latency depends on it: from `shapes`, else `dynamicDim`.
 */
import { SluiceError } from '../core/errors.js';
import type { InferencePayload } from '../core/inference.js';
import type { ModuleSpec } from '../core/model-spec.js';
import { allocateTensorData, elementCount, type Tensor } from '../core/tensor.js';

/** Size given to a dynamic non-batch dimension when no shape is stated. */
export const DEFAULT_DYNAMIC_DIM = 64;

export interface ProbeShapeOptions {
  /** Per input, the shape of one request without the batch dimension (`[3, 640, 640]`). */
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  /** Default {@link DEFAULT_DYNAMIC_DIM}. */
  readonly dynamicDim?: number;
}

/** Per input, the shape of one request without the batch dimension, every dimension fixed. */
export function probeShapes(module: ModuleSpec, options: ProbeShapeOptions = {}): Record<string, number[]> {
  const dynamicDim = options.dynamicDim ?? DEFAULT_DYNAMIC_DIM;
  const unknown = Object.keys(options.shapes ?? {}).filter((n) => !module.inputs.some((i) => i.name === n));
  if (unknown.length > 0) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `module '${module.name}' has no input ${unknown.join(', ')} (inputs: ${module.inputs.map((i) => i.name).join(', ')})`,
    );
  }
  return Object.fromEntries(
    module.inputs.map((spec) => {
      const given = options.shapes?.[spec.name];
      if (given === undefined) return [spec.name, spec.shape.map((d) => (d < 0 ? dynamicDim : d))];
      const fits =
        given.length === spec.shape.length &&
        given.every(
          (d, i) => Number.isSafeInteger(d) && d > 0 && (spec.shape[i] === -1 || spec.shape[i] === d),
        );
      if (!fits) {
        throw new SluiceError(
          'INVALID_CONFIG',
          `shape [${given.join(', ')}] does not fit input '${spec.name}' of module '${module.name}' ([${spec.shape.join(', ')}], -1 = any)`,
        );
      }
      return [spec.name, [...given]];
    }),
  );
}

/** One request's payload (one row when the module batches) of zeros in `shapes`. */
export function probePayload(
  module: ModuleSpec,
  shapes: Readonly<Record<string, readonly number[]>>,
): InferencePayload {
  const inputs = module.inputs.map((spec): Tensor => {
    const inner = shapes[spec.name] ?? spec.shape;
    const shape = module.maxBatch > 0 ? [1, ...inner] : [...inner];
    return {
      name: spec.name,
      datatype: spec.datatype,
      shape,
      data: allocateTensorData(spec.datatype, elementCount(shape)),
    };
  });
  return { inputs, outputs: undefined };
}
