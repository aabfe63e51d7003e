/**
 * Does an ONNX model, as onnxruntime reports it, match what its configuration declares? Checked once per
 * instance start so that a wrong file fails at load, naming the file and the tensor, instead of failing
 * every request later.
 */
import { SluiceError } from '../core/errors.js';
import type { TensorSpec } from '../core/model-spec.js';
import { datatypeOfOnnx } from './onnx-tensor-types.js';
import type { OnnxValueInfo } from './worker-protocol.js';

/** What the configuration declares; with `maxBatch > 0` the shapes exclude the batch dimension. */
export interface DeclaredSignature {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly maxBatch: number;
}

/** A model's inputs and outputs as onnxruntime reports them. */
export interface ModelSignature {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/**
 * Returns an `INVALID_CONFIG` error describing the first mismatch, or undefined when the model fits.
 * Every model input must be declared (Sluice could not feed it otherwise); the configuration may declare
 * a subset of the model's outputs. Names and datatypes must agree; where the model states a shape, the
 * rank and fixed dimensions must agree too, and a batching module needs a dynamic batch dimension.
 */
export function checkModelSignature(
  modelPath: string,
  declared: DeclaredSignature,
  model: ModelSignature,
): SluiceError | undefined {
  const fail = (message: string): SluiceError =>
    new SluiceError('INVALID_CONFIG', `model file '${modelPath}': ${message}`);
  for (const info of model.inputs) {
    if (!declared.inputs.some((spec) => spec.name === info.name)) {
      return fail(
        `the model's input '${info.name}' is not declared in the configuration (declared: ${names(declared.inputs)})`,
      );
    }
  }
  const sides = [
    ['input', declared.inputs, model.inputs],
    ['output', declared.outputs, model.outputs],
  ] as const;
  for (const [side, specs, infos] of sides) {
    for (const spec of specs) {
      const info = infos.find((i) => i.name === spec.name);
      if (info === undefined) {
        return fail(
          `the configuration declares ${side} '${spec.name}', the model has ${side}s ${names(infos)}`,
        );
      }
      const problem = mismatch(spec, info, declared.maxBatch);
      if (problem !== undefined) return fail(`${side} '${spec.name}' ${problem}`);
    }
  }
  return undefined;
}

function mismatch(spec: TensorSpec, info: OnnxValueInfo, maxBatch: number): string | undefined {
  if (info.type === undefined) return 'is not a tensor in the model';
  const datatype = datatypeOfOnnx(info.type);
  if (datatype !== spec.datatype) {
    return `is ${spec.datatype} in the configuration but ${info.type} (${datatype ?? 'unsupported'}) in the model`;
  }
  if (info.shape.length === 0) return undefined;
  const full = maxBatch > 0 ? [-1, ...spec.shape] : [...spec.shape];
  const shown = `configuration [${full.join(',')}], model [${info.shape.join(',')}]`;
  if (full.length !== info.shape.length) return `has a different rank: ${shown}`;
  const batchDim = info.shape[0];
  if (maxBatch > 0 && typeof batchDim === 'number' && !(batchDim === 1 && maxBatch === 1)) {
    return `has a fixed batch dimension of ${batchDim} in the model; max batch ${maxBatch} needs a dynamic one`;
  }
  for (const [i, dim] of info.shape.entries()) {
    const want = full[i] ?? -1;
    if (typeof dim === 'number' && want >= 0 && dim !== want) return `differs in dimension ${i}: ${shown}`;
  }
  return undefined;
}

function names(list: readonly { readonly name: string }[]): string {
  return list.length === 0 ? '(none)' : list.map((t) => `'${t.name}'`).join(', ');
}
