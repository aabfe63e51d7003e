// Batch assembly: concatenating the items' inputs along dimension 0 and splitting outputs back by rows,
// for every datatype Sluice carries; concat then split is the identity.
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/core/errors.js';
import { allocateTensorData, type Datatype, type Tensor, type TensorData } from '../../src/core/tensor.js';
import {
  concatBatchInputs,
  concatRows,
  outputsToFetch,
  splitBatchOutputs,
  splitRows,
} from '../../src/runtime/batch-tensors.js';

/** Element i of a tensor of `datatype`, distinct per (seed, i) within the type's range. */
function fill(datatype: Datatype, length: number, seed: number): TensorData {
  const data = allocateTensorData(datatype, length);
  for (let i = 0; i < length; i += 1) {
    const v = (seed * 31 + i) % 100;
    if (Array.isArray(data)) data[i] = `s${seed}-${i}`;
    else if (data instanceof BigInt64Array) data[i] = BigInt(v) - 50n - 2n ** 40n;
    else if (data instanceof BigUint64Array) data[i] = BigInt(v) + 2n ** 63n;
    else if (datatype === 'BOOL') data[i] = v % 2;
    else if (datatype === 'FP16')
      data[i] = 0x3c00 + v; // raw half bits, carried unchanged
    else data[i] = datatype.startsWith('FP') ? v / 7 : v;
  }
  return data;
}

function tensor(datatype: Datatype, shape: number[], seed: number, name = 't'): Tensor {
  return {
    name,
    datatype,
    shape,
    data: fill(
      datatype,
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  };
}

const ALL: Datatype[] = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
];

describe('concatRows / splitRows', () => {
  it.each(ALL)('%s: concatenates along dimension 0 and splits back to the same parts', (datatype) => {
    const parts = [
      tensor(datatype, [1, 2, 3], 1),
      tensor(datatype, [2, 2, 3], 2),
      tensor(datatype, [1, 2, 3], 3),
    ];
    const joined = concatRows(parts);
    expect(joined.shape).toEqual([4, 2, 3]);
    expect(joined.datatype).toBe(datatype);
    expect(joined.data.constructor).toBe(parts[0]!.data.constructor);
    expect(Array.from(joined.data as ArrayLike<unknown>)).toEqual(
      parts.flatMap((p) => Array.from(p.data as ArrayLike<unknown>)),
    );
    const split = splitRows(joined, [1, 2, 1]);
    expect(split.map((t) => t.shape)).toEqual([
      [1, 2, 3],
      [2, 2, 3],
      [1, 2, 3],
    ]);
    for (const [i, part] of split.entries()) {
      expect(Array.from(part.data as ArrayLike<unknown>)).toEqual(
        Array.from(parts[i]!.data as ArrayLike<unknown>),
      );
    }
  });

  it('copies from views that do not start at their buffer (as IPC deserialisation hands them out)', () => {
    const backing = new BigInt64Array([99n, 1n, 2n, 3n, 4n, 99n]);
    const a: Tensor = { name: 't', datatype: 'INT64', shape: [1, 2], data: backing.subarray(1, 3) };
    const b: Tensor = { name: 't', datatype: 'INT64', shape: [1, 2], data: backing.subarray(3, 5) };
    expect(Array.from(concatRows([a, b]).data as BigInt64Array)).toEqual([1n, 2n, 3n, 4n]);
  });

  it('splits into parts of zero rows', () => {
    const split = splitRows(tensor('FP32', [2, 3], 1), [0, 2, 0]);
    expect(split.map((t) => t.shape)).toEqual([
      [0, 3],
      [2, 3],
      [0, 3],
    ]);
    expect(split.map((t) => t.data.length)).toEqual([0, 6, 0]);
  });

  it('rejects parts that differ in datatype, rank or non-batch dimensions', () => {
    expect(() => concatRows([tensor('FP32', [1, 3], 1), tensor('FP64', [1, 3], 1)])).toThrow(
      /FP32 in one item and FP64/,
    );
    expect(() => concatRows([tensor('FP32', [1, 3], 1), tensor('FP32', [1, 4], 1)])).toThrow(
      /cannot be concatenated/,
    );
    expect(() => concatRows([tensor('FP32', [1, 3], 1), tensor('FP32', [1, 3, 1], 1)])).toThrow(
      /cannot be concatenated/,
    );
    expect(() => concatRows([tensor('FP32', [], 1), tensor('FP32', [], 1)])).toThrow(
      /cannot be concatenated/,
    );
  });

  it('rejects data that does not fit the datatype or the shape', () => {
    const wrongArray: Tensor = { name: 'x', datatype: 'FP32', shape: [1, 2], data: new Float64Array(2) };
    expect(() => concatRows([wrongArray, wrongArray])).toThrow(/FP32 data held in a Float64Array/);
    const short: Tensor = { name: 'x', datatype: 'INT32', shape: [1, 3], data: new Int32Array(2) };
    expect(() => concatRows([short, short])).toThrow(/needs 3 elements, data has 2/);
  });

  it('refuses to split an output whose first dimension is not the batch', () => {
    expect(() => splitRows(tensor('FP32', [3, 2], 1), [1, 1])).toThrow(/cannot be split into 2 rows/);
    expect(() => splitRows(tensor('FP32', [], 1), [1])).toThrow(SluiceError);
  });
});

describe('concatBatchInputs', () => {
  it('matches inputs by name, in the first item’s order', () => {
    const first = { rows: 1, inputs: [tensor('FP32', [1, 2], 1, 'a'), tensor('INT64', [1], 2, 'b')] };
    const second = { rows: 2, inputs: [tensor('INT64', [2], 3, 'b'), tensor('FP32', [2, 2], 4, 'a')] };
    const joined = concatBatchInputs([first, second]);
    expect(joined.map((t) => [t.name, t.shape])).toEqual([
      ['a', [3, 2]],
      ['b', [3]],
    ]);
    expect(Array.from(joined[1]!.data as BigInt64Array)).toEqual([
      ...Array.from(first.inputs[1]!.data as BigInt64Array),
      ...Array.from(second.inputs[0]!.data as BigInt64Array),
    ]);
  });

  it('passes a single item through without copying, whatever its shape', () => {
    const input = tensor('FP32', [3, 2], 1);
    expect(concatBatchInputs([{ rows: 1, inputs: [input] }])[0]).toBe(input);
  });

  it('reports items that break the engine’s guarantees as internal errors', () => {
    const a = { rows: 1, inputs: [tensor('FP32', [1, 2], 1, 'a')] };
    const rowsLie = { rows: 2, inputs: [tensor('FP32', [1, 2], 1, 'a')] };
    const missing = { rows: 1, inputs: [tensor('FP32', [1, 2], 1, 'z')] };
    const error = (f: () => unknown): SluiceError => {
      try {
        f();
      } catch (e) {
        return e as SluiceError;
      }
      throw new Error('expected a throw');
    };
    expect(error(() => concatBatchInputs([a, rowsLie])).code).toBe('INTERNAL');
    expect(error(() => concatBatchInputs([a, rowsLie])).message).toMatch(/has 1 rows, the item says 2/);
    expect(error(() => concatBatchInputs([a, missing])).message).toMatch(/item 1 has no input 'a'/);
    expect(error(() => concatBatchInputs([])).message).toMatch(/at least one item/);
  });
});

describe('splitBatchOutputs', () => {
  const outputs = [tensor('FP32', [4, 2], 1, 'probs'), tensor('INT64', [4], 2, 'label')];

  it('gives each item its rows of the outputs it asked for, in its order', () => {
    const split = splitBatchOutputs(outputs, [
      { rows: 1, outputs: undefined },
      { rows: 2, outputs: ['label'] },
      { rows: 1, outputs: ['label', 'probs'] },
    ]);
    expect(split.map((item) => item.map((t) => `${t.name}:${t.shape.join('x')}`))).toEqual([
      ['probs:1x2', 'label:1'],
      ['label:2'],
      ['label:1', 'probs:1x2'],
    ]);
    expect(Array.from(split[2]![1]!.data as Float32Array)).toEqual(
      Array.from((outputs[0]!.data as Float32Array).subarray(6, 8)),
    );
  });

  it('does not split for a single item', () => {
    const scalar = tensor('FP32', [], 1, 'score');
    expect(splitBatchOutputs([scalar], [{ rows: 1, outputs: undefined }])[0]![0]).toBe(scalar);
  });

  it('fails when an item asks for an output the model did not return', () => {
    expect(() => splitBatchOutputs(outputs, [{ rows: 4, outputs: ['nope'] }])).toThrow(/no output 'nope'/);
  });
});

describe('outputsToFetch', () => {
  const known = ['probs', 'label'];

  it('fetches the union of the requests, or everything when an item asks for all', () => {
    expect(outputsToFetch('m', known, [['label'], ['label'], []])).toEqual(['label']);
    expect(outputsToFetch('m', known, [['label'], ['probs']])).toEqual(['label', 'probs']);
    expect(outputsToFetch('m', known, [['label'], undefined])).toBeUndefined();
  });

  it('refuses an output the model does not have', () => {
    expect(() => outputsToFetch('m', known, [['label'], ['logits']])).toThrow(
      "model 'm' has no output 'logits' (outputs: 'probs', 'label')",
    );
  });
});
