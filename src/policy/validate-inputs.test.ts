import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import type { TensorSpec } from '../core/model-spec.js';
import { validateInputs, type ReceivedInput } from './validate-inputs.js';

const declared: TensorSpec[] = [
  { name: 'image', datatype: 'FP32', shape: [3, -1, -1] },
  { name: 'scale', datatype: 'INT32', shape: [1] },
];
const input = (
  name: string,
  datatype: ReceivedInput['datatype'],
  shape: number[],
  elements?: number,
): ReceivedInput => ({
  name,
  datatype,
  shape,
  elements: elements ?? shape.reduce((a, b) => a * b, 1),
});

describe('validateInputs', () => {
  it('accepts matching inputs and derives rows and a shape key', () => {
    const fit = validateInputs('m', declared, true, 8, [
      input('scale', 'INT32', [2, 1]),
      input('image', 'FP32', [2, 3, 4, 5]),
    ]);
    expect(fit).toEqual({ rows: 2, shapeKey: '3x4x5|1' });
  });

  it('gives different shape keys to different dynamic sizes', () => {
    const a = validateInputs('m', declared, true, 8, [
      input('image', 'FP32', [1, 3, 4, 5]),
      input('scale', 'INT32', [1, 1]),
    ]);
    const b = validateInputs('m', declared, true, 8, [
      input('image', 'FP32', [1, 3, 4, 6]),
      input('scale', 'INT32', [1, 1]),
    ]);
    expect(a).not.toBeInstanceOf(SluiceError);
    expect((a as { shapeKey: string }).shapeKey).not.toBe((b as { shapeKey: string }).shapeKey);
  });

  it('treats an unbatched module as one row', () => {
    expect(
      validateInputs('m', [{ name: 'x', datatype: 'FP32', shape: [4] }], false, 0, [input('x', 'FP32', [4])]),
    ).toEqual({
      rows: 1,
      shapeKey: '4',
    });
  });

  const bad: [string, ReceivedInput[], string][] = [
    ['a missing input', [input('image', 'FP32', [1, 3, 4, 4])], "missing input 'scale'"],
    [
      'an unknown input',
      [input('image', 'FP32', [1, 3, 4, 4]), input('scale', 'INT32', [1, 1]), input('zz', 'FP32', [1])],
      "unexpected input 'zz'",
    ],
    ['a duplicate', [input('scale', 'INT32', [1, 1]), input('scale', 'INT32', [1, 1])], 'more than once'],
    [
      'a wrong datatype',
      [input('image', 'FP64', [1, 3, 4, 4]), input('scale', 'INT32', [1, 1])],
      'datatype FP64, expected FP32',
    ],
    [
      'a wrong rank',
      [input('image', 'FP32', [3, 4, 4]), input('scale', 'INT32', [1, 1])],
      'expected [batch,3,*,*]',
    ],
    [
      'a wrong fixed dim',
      [input('image', 'FP32', [1, 4, 4, 4]), input('scale', 'INT32', [1, 1])],
      'expected [batch,3,*,*]',
    ],
    [
      'too few elements',
      [input('image', 'FP32', [1, 3, 4, 4], 47), input('scale', 'INT32', [1, 1])],
      'has 47 elements but shape',
    ],
    [
      'too many elements',
      [input('image', 'FP32', [1, 3, 4, 4], 49), input('scale', 'INT32', [1, 1])],
      'has 49 elements',
    ],
    [
      'an overflowing shape',
      [input('image', 'FP32', [1, 3, 2 ** 30, 2 ** 30], 1), input('scale', 'INT32', [1, 1])],
      'more than',
    ],
    [
      'a negative dim',
      [input('image', 'FP32', [1, 3, -4, 4], 1), input('scale', 'INT32', [1, 1])],
      'not a non-negative integer',
    ],
    [
      'more rows than max batch',
      [input('image', 'FP32', [9, 3, 4, 4]), input('scale', 'INT32', [9, 1])],
      'max batch 8',
    ],
    [
      'an empty batch',
      [input('image', 'FP32', [0, 3, 4, 4]), input('scale', 'INT32', [0, 1])],
      'empty batch',
    ],
    [
      'disagreeing batch sizes',
      [input('image', 'FP32', [2, 3, 4, 4]), input('scale', 'INT32', [1, 1])],
      'disagree',
    ],
  ];
  it.each(bad)('rejects %s', (_name, inputs, message) => {
    const result = validateInputs('m', declared, true, 8, inputs);
    expect(result).toBeInstanceOf(SluiceError);
    expect((result as SluiceError).code).toBe('INVALID_INPUT');
    expect((result as SluiceError).message).toContain(message);
  });
});
