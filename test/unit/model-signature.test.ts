// Checking an ONNX model's signature (as onnxruntime reports it) against the configuration, and the
// shapes of the warm-up zeros.
import { describe, expect, it } from 'vitest';
import { checkModelSignature, type DeclaredSignature } from '../../src/runtime/model-signature.js';
import { declaredWarmupShapes, WARMUP_DYNAMIC_DIM, warmupShape } from '../../src/runtime/warmup-shape.js';
import type { OnnxValueInfo } from '../../src/runtime/worker-protocol.js';

const FILE = '/models/cls/v1/model.onnx';
const model = {
  inputs: [{ name: 'x', type: 'float32', shape: ['N', 3, 'H', 'W'] }] as OnnxValueInfo[],
  outputs: [
    { name: 'probs', type: 'float32', shape: ['N', 2] },
    { name: 'label', type: 'int64', shape: ['N'] },
  ] as OnnxValueInfo[],
};
const declared: DeclaredSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 48, 192] }],
  outputs: [{ name: 'probs', datatype: 'FP32', shape: [2] }],
  maxBatch: 8,
};

describe('checkModelSignature', () => {
  it('accepts a model that fits (a declared subset of the outputs is enough)', () => {
    expect(checkModelSignature(FILE, declared, model)).toBeUndefined();
    expect(
      checkModelSignature(FILE, declared, {
        inputs: model.inputs.map((i) => ({ ...i, shape: [] })),
        outputs: model.outputs,
      }),
    ).toBeUndefined();
  });

  it.each([
    [
      'a datatype differs',
      { ...declared, inputs: [{ name: 'x', datatype: 'FP64', shape: [3, 48, 192] }] },
      /input 'x' is FP64 in the configuration but float32 \(FP32\)/,
    ],
    [
      'an output datatype differs',
      { ...declared, outputs: [{ name: 'label', datatype: 'INT32', shape: [] }] },
      /output 'label' is INT32 .* int64/,
    ],
    [
      'a declared input is missing',
      { ...declared, inputs: [...declared.inputs, { name: 'y', datatype: 'FP32', shape: [1] }] },
      /declares input 'y', the model has inputs 'x'/,
    ],
    [
      'a model input is undeclared',
      { ...declared, inputs: [{ name: 'image', datatype: 'FP32', shape: [3, 48, 192] }] },
      /the model's input 'x' is not declared .*'image'/,
    ],
    [
      'a declared output is missing',
      { ...declared, outputs: [{ name: 'logits', datatype: 'FP32', shape: [2] }] },
      /declares output 'logits'/,
    ],
    [
      'the rank differs',
      { ...declared, inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 48] }] },
      /input 'x' has a different rank: configuration \[-1,3,48\], model \[N,3,H,W\]/,
    ],
    [
      'a fixed dimension differs',
      { ...declared, inputs: [{ name: 'x', datatype: 'FP32', shape: [4, 48, 192] }] },
      /input 'x' differs in dimension 1/,
    ],
  ] as const)('names the file and the tensor when %s', (_, wrong, message) => {
    const error = checkModelSignature(FILE, wrong, model);
    expect(error?.code).toBe('INVALID_CONFIG');
    expect(error?.message).toContain(`model file '${FILE}'`);
    expect(error?.message).toMatch(message);
  });

  it('needs a dynamic batch dimension to batch, and accepts a fixed 1 when the module does not batch', () => {
    const fixed = { inputs: [{ name: 'x', type: 'float32', shape: [1, 3, 48, 192] }], outputs: [] };
    const batching = { inputs: declared.inputs, outputs: [], maxBatch: 8 };
    expect(checkModelSignature(FILE, batching, fixed)?.message).toMatch(
      /fixed batch dimension of 1 .* max batch 8/,
    );
    expect(checkModelSignature(FILE, { ...batching, maxBatch: 1 }, fixed)).toBeUndefined();
    const unbatched = {
      inputs: [{ name: 'x', datatype: 'FP32' as const, shape: [1, 3, 48, 192] }],
      outputs: [],
      maxBatch: 0,
    };
    expect(checkModelSignature(FILE, unbatched, fixed)).toBeUndefined();
  });

  it('rejects non-tensor values and types Sluice cannot carry', () => {
    const seq = { inputs: [{ name: 'x', type: undefined, shape: [] }], outputs: [] };
    expect(checkModelSignature(FILE, { ...declared, outputs: [] }, seq)?.message).toMatch(/not a tensor/);
    const int4 = { inputs: [{ name: 'x', type: 'int4', shape: [] }], outputs: [] };
    expect(checkModelSignature(FILE, { ...declared, outputs: [] }, int4)?.message).toMatch(
      /int4 \(unsupported\)/,
    );
  });
});

describe('warmupShape', () => {
  it.each([
    ['declared dims win, the batch gets one row', [1, 3, 48, 192], ['N', 3, 'H', 'W'], [1, 3, 48, 192]],
    [
      '-1 falls back to the model’s fixed dimension',
      [1, -1, 48, -1],
      ['N', 3, 'H', 'W'],
      [1, 3, 48, WARMUP_DYNAMIC_DIM],
    ],
    [
      'undeclared: the first dynamic dim is the batch',
      undefined,
      ['N', 3, 'H', 'W'],
      [1, 3, WARMUP_DYNAMIC_DIM, WARMUP_DYNAMIC_DIM],
    ],
    ['undeclared, fully fixed', undefined, [2, 5], [2, 5]],
    ['a scalar stays a scalar', undefined, [], []],
  ] as const)('%s', (_, declaredShape, modelShape, expected) => {
    expect(warmupShape(declaredShape, modelShape)).toEqual(expected);
  });
});

describe('declaredWarmupShapes', () => {
  it('adds one row of batch where the module batches', () => {
    expect(declaredWarmupShapes(declared)).toEqual({ x: [1, 3, 48, 192] });
    expect(declaredWarmupShapes({ ...declared, maxBatch: 0 })).toEqual({ x: [3, 48, 192] });
    expect(declaredWarmupShapes(undefined)).toEqual({});
  });
});
