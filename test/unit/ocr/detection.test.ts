// Detection pre- and post-processing on synthetic data: input sizes (multiples of 32), PaddleOCR's
// normalisation and channel order, connected components, minimum-area rectangles, the unclip offset, and
// DB boxes from a hand-made probability map, in reading order and source-image coordinates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import type { Tensor } from '../../../src/core/tensor.js';
import { connectedComponents } from '../../../src/ocr/connected-components.js';
import { boxScore, detectionBoxes } from '../../../src/ocr/detection-boxes.js';
import { detectionInput, detectionSize } from '../../../src/ocr/detection-input.js';
import { createImage } from '../../../src/ocr/image.js';
import { convexHull, minAreaRect, rectQuad } from '../../../src/ocr/min-area-rect.js';
import { sortTextBoxes, type TextBox } from '../../../src/ocr/text-box.js';
import { unclipDistance, unclipRect } from '../../../src/ocr/unclip.js';

describe('detectionSize', () => {
  it.each([
    [400, 120, 960, 416, 128],
    [1920, 1080, 960, 960, 544], // 1080 · 0.5 = 540 → 544
    [10, 10, 960, 32, 32], // never below 32
    [3000, 500, 960, 960, 160],
    [640, 480, 320, 320, 256], // 480 · 0.5 = 240 → 256
  ])('%ix%i (max %i) → %ix%i', (w, h, max, ew, eh) => {
    expect(detectionSize(w, h, max)).toEqual({ width: ew, height: eh });
  });

  it('gives multiples of 32 within 16 px of the scaled size, longer side at most max + 16', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 32, max: 2000 }),
        (w, h, max) => {
          const size = detectionSize(w, h, max);
          const ratio = Math.min(1, max / Math.max(w, h));
          for (const [side, source] of [
            [size.width, w],
            [size.height, h],
          ] as const) {
            expect(side % 32).toBe(0);
            expect(side).toBeGreaterThanOrEqual(32);
            if (source * ratio >= 16) expect(Math.abs(side - source * ratio)).toBeLessThanOrEqual(16);
          }
          expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(Math.max(32, max + 16));
        },
      ),
    );
  });
});

describe('detectionInput', () => {
  it("normalises with PaddleOCR's det mean and std, in BGR order, as [1, 3, H, W] FP32", () => {
    const red = createImage(64, 32, 3, [255, 0, 0]);
    const { tensor, resizedWidth, resizedHeight, sourceWidth } = detectionInput(red);
    expect(tensor).toMatchObject({ name: 'x', datatype: 'FP32', shape: [1, 3, 32, 64] });
    expect([resizedWidth, resizedHeight, sourceWidth]).toEqual([64, 32, 64]);
    const data = tensor.data as Float32Array;
    const plane = 64 * 32;
    // Channel 0 is blue (0) with mean 0.485, std 0.229; channel 2 red (1) with mean 0.406, std 0.225.
    expect(data[0]).toBeCloseTo(-0.485 / 0.229, 5);
    expect(data[plane + 7]).toBeCloseTo(-0.456 / 0.224, 5);
    expect(data[2 * plane + 100]).toBeCloseTo((1 - 0.406) / 0.225, 5);
    const rgb = detectionInput(red, { channelOrder: 'rgb', inputName: 'image' });
    expect(rgb.tensor.name).toBe('image');
    expect((rgb.tensor.data as Float32Array)[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
  });

  it('resizes to the detector size and keeps the source size for mapping back', () => {
    const input = detectionInput(createImage(400, 120, 4), { maxSidePx: 200 });
    expect(input.tensor.shape).toEqual([1, 3, 64, 192]);
    expect(input).toMatchObject({
      sourceWidth: 400,
      sourceHeight: 120,
      resizedWidth: 192,
      resizedHeight: 64,
    });
    // White (alpha composited over white) → (1 − mean) / std everywhere.
    expect((input.tensor.data as Float32Array)[500]).toBeCloseTo((1 - 0.485) / 0.229, 5);
  });
});

/** A mask from rows of '#' and '.'. */
function mask(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const width = rows[0]!.length;
  return {
    mask: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
    width,
    height: rows.length,
  };
}

describe('connectedComponents', () => {
  it('labels 8-connected regions in scan order with their extents and row outlines', () => {
    const m = mask([
      '##....#', //
      '.#....#',
      '..#....',
      '......#',
      '###...#',
    ]);
    const { labels, components } = connectedComponents(m.mask, m.width, m.height);
    expect(components.map((c) => [c.label, c.area])).toEqual([
      [1, 4], // the diagonal run joins through corners
      [2, 2],
      [3, 2],
      [4, 3],
    ]);
    expect(components[0]).toMatchObject({ minX: 0, maxX: 2, minY: 0, maxY: 2 });
    expect(components[0]!.outline).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
    expect(components[3]!.outline).toEqual([
      { x: 0, y: 4 },
      { x: 2, y: 4 },
    ]);
    expect(labels[6]).toBe(2);
    expect(labels[3]).toBe(0);
  });

  it('handles a component covering the whole map without deep recursion', () => {
    const { components } = connectedComponents(new Uint8Array(500 * 400).fill(1), 500, 400);
    expect(components).toHaveLength(1);
    expect(components[0]!.area).toBe(200_000);
    expect(components[0]!.outline).toHaveLength(800);
  });
});

describe('minAreaRect', () => {
  it('of an axis-aligned block of pixel centres', () => {
    const points = [];
    for (let y = 10; y <= 20; y += 1) for (let x = 5; x <= 45; x += 1) points.push({ x, y });
    const rect = minAreaRect(points);
    expect(rect.centerX).toBeCloseTo(25);
    expect(rect.centerY).toBeCloseTo(15);
    expect(rect.width).toBeCloseTo(40);
    expect(rect.height).toBeCloseTo(10);
    expect(rect.angleRad).toBeCloseTo(0);
    const [tl, tr, br, bl] = rectQuad(rect);
    expect([tl.x, tl.y, tr.x, tr.y, br.x, br.y, bl.x, bl.y].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([
      5, 10, 45, 10, 45, 20, 5, 20,
    ]);
  });

  it('recovers a rotated rectangle from its corners and interior points, width along the text', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -Math.PI / 4 + 0.01, max: Math.PI / 4, noNaN: true }),
        fc.double({ min: 5, max: 200, noNaN: true }),
        fc.double({ min: 5, max: 200, noNaN: true }),
        (angle, w, h) => {
          const truth = { centerX: 300, centerY: 200, width: w, height: h, angleRad: angle };
          const corners = rectQuad(truth);
          const inside = corners.map((p) => ({ x: (p.x + 300) / 2, y: (p.y + 200) / 2 }));
          const rect = minAreaRect([...inside, ...corners]);
          expect(rect.width * rect.height).toBeCloseTo(w * h, 4);
          expect(rect.centerX).toBeCloseTo(300, 6);
          expect(rect.centerY).toBeCloseTo(200, 6);
          expect(rect.angleRad).toBeGreaterThan(-Math.PI / 4);
          expect(rect.angleRad).toBeLessThanOrEqual(Math.PI / 4 + 1e-9);
        },
      ),
    );
  });

  it('of degenerate sets', () => {
    expect(minAreaRect([{ x: 3, y: 4 }])).toMatchObject({ width: 0, height: 0, centerX: 3, centerY: 4 });
    const line = minAreaRect([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 5, y: 0 },
    ]);
    expect([line.width, line.height]).toEqual([10, 0]);
    expect(
      convexHull([
        { x: 1, y: 1 },
        { x: 1, y: 1 },
      ]),
    ).toEqual([{ x: 1, y: 1 }]);
    expect(() => minAreaRect([])).toThrow(RangeError);
  });
});

describe('unclip', () => {
  it('grows a rectangle by area · ratio / perimeter on every side', () => {
    expect(unclipDistance(2000, 240, 1.5)).toBe(12.5);
    const grown = unclipRect({ centerX: 50, centerY: 20, width: 100, height: 20, angleRad: 0.1 }, 1.5);
    expect(grown).toEqual({ centerX: 50, centerY: 20, width: 125, height: 45, angleRad: 0.1 });
  });

  it('scales with the rectangle: growing a k-times larger box grows it k times as much', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        (w, h, k) => {
          const small = unclipRect({ centerX: 0, centerY: 0, width: w, height: h, angleRad: 0 }, 2);
          const large = unclipRect({ centerX: 0, centerY: 0, width: k * w, height: k * h, angleRad: 0 }, 2);
          expect(large.width - k * w).toBeCloseTo(k * (small.width - w), 6);
          expect(large.height - k * h).toBeCloseTo(k * (small.height - h), 6);
        },
      ),
    );
  });
});

/** A [1, 1, H, W] probability map with filled rectangles [x0, y0, x1, y1) of given probabilities. */
function probabilityMap(
  width: number,
  height: number,
  blocks: [number, number, number, number, number][],
): Tensor {
  const data = new Float32Array(width * height).fill(0.01);
  for (const [x0, y0, x1, y1, p] of blocks)
    for (let y = y0; y < y1; y += 1) data.fill(p, y * width + x0, y * width + x1);
  return { name: 'sigmoid_0.tmp_0', datatype: 'FP32', shape: [1, 1, height, width], data };
}

describe('detectionBoxes', () => {
  const geometry = { sourceWidth: 320, sourceHeight: 128, resizedWidth: 160, resizedHeight: 64 };

  it('finds each confident region, grows it, maps it to the source image, in reading order', () => {
    const map = probabilityMap(160, 64, [
      [90, 40, 150, 52, 0.9], // second line
      [10, 10, 110, 22, 0.95], // first line
      [120, 10, 150, 22, 0.8], // first line, right of the first box
      [10, 40, 30, 52, 0.35], // above the pixel threshold, below the box threshold: dropped
      [60, 58, 62, 60, 0.99], // 2 px: noise
    ]);
    const boxes = detectionBoxes(map, geometry, { unclipRatio: 1.5 });
    expect(boxes.map((b) => Math.round(b.score * 100) / 100)).toEqual([0.95, 0.8, 0.9]);
    // Region 10..109 x 10..21 (pixel centres): rect 99 x 11, unclip d = 99·11·1.5 / 220 = 7.425.
    const d = (99 * 11 * 1.5) / 220;
    const [tl, tr, br, bl] = boxes[0]!.quad;
    expect(tl.x).toBeCloseTo((10 - d + 0.5) * 2, 4);
    expect(tl.y).toBeCloseTo((10 - d + 0.5) * 2, 4);
    expect(br.x).toBeCloseTo((109 + d + 0.5) * 2, 4);
    expect(br.y).toBeCloseTo((21 + d + 0.5) * 2, 4);
    expect(tr.y).toBeCloseTo(tl.y, 6);
    expect(bl.x).toBeCloseTo(tl.x, 6);
    // The default ratio, 2, grows by 99·11·2 / 220 = 9.9.
    expect(detectionBoxes(map, geometry)[0]!.quad[0].x).toBeCloseTo((10 - 9.9 + 0.5) * 2, 4);
  });

  it('clips boxes to the image', () => {
    const boxes = detectionBoxes(probabilityMap(160, 64, [[0, 0, 40, 10, 0.9]]), geometry);
    expect(boxes).toHaveLength(1);
    for (const p of boxes[0]!.quad) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
    }
    expect(boxes[0]!.quad[0]).toEqual({ x: 0, y: 0 });
  });

  it('applies its thresholds and candidate limit', () => {
    const map = probabilityMap(160, 64, [
      [10, 10, 110, 22, 0.5],
      [10, 40, 20, 50, 0.9],
    ]);
    expect(detectionBoxes(map, geometry)).toHaveLength(1);
    expect(detectionBoxes(map, geometry, { boxThreshold: 0.4 })).toHaveLength(2);
    expect(detectionBoxes(map, geometry, { threshold: 0.6 })).toHaveLength(1);
    expect(detectionBoxes(map, geometry, { boxThreshold: 0.4, maxCandidates: 1 })[0]!.score).toBeCloseTo(0.5);
  });

  it('reads only the image part of a padded batch row', () => {
    const map = probabilityMap(192, 96, [
      [10, 10, 110, 22, 0.9],
      [170, 70, 190, 90, 0.9], // in the padding
    ]);
    expect(detectionBoxes(map, geometry)).toHaveLength(1);
  });

  it('box score is the mean inside the rectangle', () => {
    const map = probabilityMap(20, 10, [
      [2, 2, 6, 6, 1],
      [6, 2, 10, 6, 0.5],
    ]).data as Float32Array;
    expect(
      boxScore(map, 20, 10, { centerX: 5.5, centerY: 3.5, width: 7, height: 3, angleRad: 0 }),
    ).toBeCloseTo(0.75);
  });

  it('refuses outputs that are not a [N, 1, H, W] map', () => {
    const bad: Tensor = {
      name: 'y',
      datatype: 'FP32',
      shape: [1, 2, 64, 160],
      data: new Float32Array(2 * 64 * 160),
    };
    expect(() => detectionBoxes(bad, geometry)).toThrow(SluiceError);
    const small = probabilityMap(100, 64, []);
    expect(() => detectionBoxes(small, geometry)).toThrow(/smaller than/);
    expect(() => detectionBoxes(probabilityMap(160, 64, []), geometry, { batchIndex: 1 })).toThrow(
      /batch index/,
    );
  });
});

describe('sortTextBoxes', () => {
  const box = (x: number, y: number): TextBox => ({
    score: 1,
    quad: [
      { x, y },
      { x: x + 10, y },
      { x: x + 10, y: y + 5 },
      { x, y: y + 5 },
    ],
  });

  it('orders top to bottom, and left to right within 10 px of height', () => {
    const boxes = [box(200, 53), box(5, 100), box(100, 48), box(0, 50), box(300, 46)];
    expect(sortTextBoxes(boxes).map((b) => b.quad[0].x)).toEqual([0, 100, 200, 300, 5]);
    expect(boxes[0]!.quad[0].x).toBe(200); // the input is left as it was
    expect(sortTextBoxes(boxes, 1).map((b) => b.quad[0].x)).toEqual([300, 100, 0, 200, 5]);
  });
});
