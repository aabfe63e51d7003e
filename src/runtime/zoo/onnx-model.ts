/**
 * An ONNX model as the zoo holds it before encoding: plain data, with initializer weights produced lazily
 * so that a model can be described (and its compute counted) without materialising its weights, and
 * written while holding only one tensor's weights at a time.
 */

/** Opset of the default ONNX domain the zoo targets. */
export const ZOO_OPSET = 17;
/** IR version matching opset 17 (ONNX 1.12). */
export const ZOO_IR_VERSION = 8;

export type OnnxAttribute =
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'string'; readonly value: string };

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** A graph input or output: FP32 only; a string dimension is symbolic (e.g. the batch dimension `N`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dims: readonly (number | string)[];
}

/** A constant FP32 tensor. `data` is called once, when the tensor is encoded; it must return `∏ dims` floats. */
export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: () => Float32Array;
}

export interface OnnxGraph {
  readonly name: string;
  readonly docString: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  /** Free text stored in ModelProto.doc_string, e.g. how the weights were made. */
  readonly docString: string;
}

/** Number of elements of a fixed shape. */
export function elementsOf(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}
