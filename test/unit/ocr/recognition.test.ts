// Classification and recognition steps on hand-made data: line tensors (height 48, aspect kept, padded,
// values on [−1, 1]), orientation decisions and the 180° turn, recognition batching and widths, and
// greedy CTC decoding of a hand-made probability matrix.
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import type { Tensor } from '../../../src/core/tensor.js';
import { ctcCharset, ctcDecode, parseDictionary } from '../../../src/ocr/ctc-decode.js';
import { createImage, type Image } from '../../../src/ocr/image.js';
import { lineTensor, scaledLineWidth } from '../../../src/ocr/line-tensor.js';
import { orientationInput } from '../../../src/ocr/orientation-input.js';
import { applyOrientations, readOrientations } from '../../../src/ocr/orientation-output.js';
import { recognitionBatches, recognitionInput } from '../../../src/ocr/recognition-input.js';

describe('line tensors', () => {
  it('scale to the height keeping aspect, then pad with 0 up to the width', () => {
    // Left half black, right half white: 48 x 24 → 96 x 48 of 192.
    const crop = createImage(48, 24);
    for (let y = 0; y < 24; y += 1) crop.data.fill(0, y * 48 * 3, (y * 48 + 24) * 3);
    const tensor = orientationInput([crop]);
    expect(tensor).toMatchObject({ name: 'x', datatype: 'FP32', shape: [1, 3, 48, 192] });
    const data = tensor.data as Float32Array;
    const row = 20 * 192;
    expect(data[row + 10]).toBeCloseTo(-1, 5); // black → (0 − 0.5) / 0.5
    expect(data[row + 80]).toBeCloseTo(1, 5); // white → (1 − 0.5) / 0.5
    expect(data[row + 100]).toBe(0); // padding
    expect(data[2 * 48 * 192 + row + 191]).toBe(0);
  });

  it('squeeze a crop longer than the width', () => {
    expect(scaledLineWidth(1000, 20, 48, 192)).toBe(192);
    expect(scaledLineWidth(100, 30, 48, 192)).toBe(160);
    expect(scaledLineWidth(1, 1000, 48, 192)).toBe(1);
  });

  it('batch several crops, one row each', () => {
    const tensor = lineTensor([createImage(10, 10), createImage(30, 10, 3, [0, 0, 0])], {
      height: 8,
      width: 20,
    });
    expect(tensor.shape).toEqual([2, 3, 8, 20]);
    const data = tensor.data as Float32Array;
    expect(data[0]).toBeCloseTo(1);
    expect(data[8]).toBe(0); // the 10 x 10 crop is 8 wide at height 8
    expect(data[3 * 8 * 20 + 19]).toBeCloseTo(-1); // the 30 x 10 crop fills (24 > 20: squeezed)
    expect(() => lineTensor([], { height: 8, width: 20 })).toThrow(SluiceError);
  });

  it('put blue in channel 0 by default (BGR, as the PP-OCR models were trained)', () => {
    const blue = createImage(4, 4, 3, [0, 0, 255]);
    const bgr = lineTensor([blue], { height: 4, width: 4 }).data as Float32Array;
    const rgb = lineTensor([blue], { height: 4, width: 4, channelOrder: 'rgb' }).data as Float32Array;
    expect([bgr[0], bgr[16], bgr[32]]).toEqual([1, -1, -1]);
    expect([rgb[0], rgb[16], rgb[32]]).toEqual([-1, -1, 1]);
  });
});

describe('recognitionInput', () => {
  it('is at least 320 wide, else as wide as the widest crop at height 48, up to the maximum', () => {
    expect(recognitionInput([createImage(100, 48)]).shape).toEqual([1, 3, 48, 320]);
    expect(recognitionInput([createImage(100, 48), createImage(500, 24)]).shape).toEqual([2, 3, 48, 1000]);
    expect(recognitionInput([createImage(5000, 20)], { maxWidthPx: 800 }).shape).toEqual([1, 3, 48, 800]);
    expect(recognitionInput([createImage(100, 32)], { height: 32, minWidthPx: 100 }).shape).toEqual([
      1, 3, 32, 100,
    ]);
  });

  it('batches crops of similar aspect together', () => {
    const crops = [createImage(100, 10), createImage(20, 10), createImage(300, 10), createImage(40, 10)];
    expect(recognitionBatches(crops, 2)).toEqual([
      [1, 3],
      [0, 2],
    ]);
    expect(recognitionBatches(crops, 8)).toEqual([[1, 3, 0, 2]]);
    expect(() => recognitionBatches(crops, 0)).toThrow(RangeError);
  });
});

describe('orientation', () => {
  const output = (rows: number[][]): Tensor => ({
    name: 'softmax_0.tmp_0',
    datatype: 'FP32',
    shape: [rows.length, 2],
    data: Float32Array.from(rows.flat()),
  });

  it('reads the more probable class of each row', () => {
    const decisions = readOrientations(
      output([
        [0.97, 0.03],
        [0.05, 0.95],
        [0.4, 0.6],
      ]),
    );
    expect(decisions.map((d) => d.angle)).toEqual([0, 180, 180]);
    expect(decisions[1]!.confidence).toBeCloseTo(0.95);
  });

  it('turns only the crops judged upside down above the threshold', () => {
    const crop = (): Image => {
      const image = createImage(2, 1);
      image.data.fill(0, 0, 3); // left pixel black
      return image;
    };
    const crops = [crop(), crop(), crop()];
    const turned = applyOrientations(
      crops,
      readOrientations(
        output([
          [0.97, 0.03],
          [0.05, 0.95],
          [0.4, 0.6],
        ]),
      ),
    );
    expect(turned[0]).toBe(crops[0]);
    expect([...turned[1]!.data]).toEqual([255, 255, 255, 0, 0, 0]);
    expect(turned[2]).toBe(crops[2]); // 0.6 < 0.9
    expect(
      applyOrientations(
        crops,
        readOrientations(
          output([
            [0, 1],
            [0, 1],
            [0.4, 0.6],
          ]),
        ),
        0.5,
      )[2],
    ).not.toBe(crops[2]);
  });

  it('refuses outputs of another shape', () => {
    const bad: Tensor = { name: 'y', datatype: 'FP32', shape: [1, 3], data: new Float32Array(3) };
    expect(() => readOrientations(bad)).toThrow(SluiceError);
  });
});

describe('CTC decoding', () => {
  const dictionary = ['a', 'b', 'c'];
  // Classes: 0 blank, 1 a, 2 b, 3 c, 4 space.
  function output(rows: number[][][]): Tensor {
    return {
      name: 'softmax_11.tmp_0',
      datatype: 'FP32',
      shape: [rows.length, rows[0]!.length, 5],
      data: Float32Array.from(rows.flat(2)),
    };
  }
  /** A step whose most probable class is `c` with probability `p`, the rest spread evenly. */
  const step = (c: number, p = 0.9): number[] =>
    Array.from({ length: 5 }, (_, k) => (k === c ? p : (1 - p) / 4));

  it('collapses repeats, drops blanks, keeps repeats a blank separates, maps the space class', () => {
    const [first, second] = ctcDecode(
      output([
        [step(1), step(1, 0.7), step(0), step(1, 0.5), step(4, 0.8), step(2), step(2), step(3, 0.6)],
        [step(0), step(0), step(0), step(0), step(0), step(0), step(0), step(0)],
      ]),
      dictionary,
    );
    expect(first!.text).toBe('aa bc');
    // Kept steps: a 0.9, a 0.5, space 0.8, b 0.9, c 0.6 (the first of each run counts).
    expect(first!.confidence).toBeCloseTo((0.9 + 0.5 + 0.8 + 0.9 + 0.6) / 5, 6);
    expect(second).toEqual({ text: '', confidence: 0 });
  });

  it('checks the class count against the dictionary', () => {
    const tensor = output([[step(1)]]);
    expect(() => ctcDecode(tensor, ['a', 'b'])).toThrow(/5 classes but the dictionary gives 4/);
    expect(ctcDecode(tensor, ['a', 'b', 'c', 'd'], { withSpace: false })[0]!.text).toBe('a');
    expect(ctcCharset(dictionary)).toEqual(['', 'a', 'b', 'c', ' ']);
  });

  it('refuses outputs that are not FP32 [N, T, C]', () => {
    const bad: Tensor = { name: 'y', datatype: 'FP32', shape: [2, 5], data: new Float32Array(10) };
    expect(() => ctcDecode(bad, dictionary)).toThrow(SluiceError);
  });

  it('parses dictionary files with or without a final newline, keeping a space line', () => {
    expect(parseDictionary('a\nb\r\n \nc')).toEqual(['a', 'b', ' ', 'c']);
    expect(parseDictionary('a\nb\n')).toEqual(['a', 'b']);
  });
});
