/**
 * `simple`, after Triton's quick-start model of the same name: two FP32 [N, 4] inputs, their sum and
 * difference as outputs. No weights, microseconds of compute: it measures the serving path itself.
 */
import { GraphBuilder } from './graph-builder.js';
import type { OnnxModel } from './onnx-model.js';

/** Elements per row of every input and output. */
export const SIMPLE_WIDTH = 4;

/** INPUT0, INPUT1 FP32 [N, 4] → OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 − INPUT1. */
export function buildSimpleModel(): OnnxModel {
  const g = new GraphBuilder('simple', 0);
  const a = g.input('INPUT0', [SIMPLE_WIDTH]);
  const b = g.input('INPUT1', [SIMPLE_WIDTH]);
  g.output(g.add(a, b, 'OUTPUT0'));
  g.output(g.sub(a, b, 'OUTPUT1'));
  return g.build('Sluice zoo "simple": OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1 (FP32, [N, 4]).');
}
