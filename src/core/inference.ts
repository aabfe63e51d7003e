/**
 * What travels through the engine for a live inference: the request's input tensors (the engine treats it
 * as an opaque payload) and, back, the output tensors of that request alone.
 */
import type { Tensor } from './tensor.js';

export interface InferencePayload {
  readonly inputs: readonly Tensor[];
  /** Names of the outputs the client asked for; all outputs when undefined. */
  readonly outputs: readonly string[] | undefined;
}

export interface InferenceResult {
  readonly outputs: readonly Tensor[];
}
