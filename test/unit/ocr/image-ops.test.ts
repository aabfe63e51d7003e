// Pixel operations of the OCR steps: alpha compositing, quarter-turn rotations, resizing and cutting a
// (possibly rotated) text line out of an image.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import { cropTextLine } from '../../../src/ocr/crop-text-line.js';
import { checkImage, createImage, rotateImage, toRgb, type Image } from '../../../src/ocr/image.js';
import { resizeImage } from '../../../src/ocr/resize-image.js';
import type { Quad } from '../../../src/ocr/text-box.js';

/** An RGB image whose pixel (x, y) is [x, y, 100 + x + y], so positions can be read back. */
function coordinates(width: number, height: number): Image {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) data.set([x, y, 100 + x + y], (y * width + x) * 3);
  return { width, height, channels: 3, data };
}

function pixel(image: Image, x: number, y: number): number[] {
  const at = (y * image.width + x) * image.channels;
  return [...image.data.subarray(at, at + image.channels)];
}

describe('image', () => {
  it('creates filled images and checks their fields', () => {
    const image = createImage(2, 1, 4, [1, 2, 3]);
    expect([...image.data]).toEqual([1, 2, 3, 255, 1, 2, 3, 255]);
    expect(() => checkImage({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) })).toThrow(
      SluiceError,
    );
    expect(() => createImage(0, 5)).toThrow(/positive integer/);
  });

  it('composites alpha over white, or a given background', () => {
    const rgba: Image = {
      width: 3,
      height: 1,
      channels: 4,
      data: Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128]),
    };
    expect([...toRgb(rgba).data]).toEqual([0, 0, 0, 255, 255, 255, 127, 127, 127]);
    expect([...toRgb(rgba, [0, 100, 200]).data.subarray(3, 6)]).toEqual([0, 100, 200]);
    const rgb = coordinates(2, 2);
    expect(toRgb(rgb)).toBe(rgb);
  });

  it('rotates counter-clockwise by quarter turns', () => {
    const image = coordinates(3, 2);
    const left = rotateImage(image, 90);
    expect(left).toMatchObject({ width: 2, height: 3 });
    // The top-right pixel goes to the top-left corner.
    expect(pixel(left, 0, 0)).toEqual(pixel(image, 2, 0));
    expect(pixel(left, 1, 2)).toEqual(pixel(image, 0, 1));
    const flipped = rotateImage(image, 180);
    expect(pixel(flipped, 0, 0)).toEqual(pixel(image, 2, 1));
    const right = rotateImage(image, 270);
    expect(pixel(right, 0, 0)).toEqual(pixel(image, 0, 1));
  });

  it('four quarter turns, or two half turns, are the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (w, h) => {
        const image = coordinates(w, h);
        let turned = image;
        for (let i = 0; i < 4; i += 1) turned = rotateImage(turned, 90);
        expect(turned).toEqual(image);
        expect(rotateImage(rotateImage(image, 180), 180)).toEqual(image);
        expect(rotateImage(rotateImage(image, 90), 270)).toEqual(image);
      }),
    );
  });
});

describe('resizeImage', () => {
  it('keeps a uniform image uniform at any size', () => {
    const image = createImage(7, 5, 3, [10, 120, 250]);
    for (const [w, h] of [
      [3, 2],
      [20, 11],
      [1, 1],
    ] as const) {
      const out = resizeImage(image, w, h);
      expect(out).toMatchObject({ width: w, height: h, channels: 3 });
      for (let i = 0; i < out.data.length; i += 3)
        expect([...out.data.subarray(i, i + 3)]).toEqual([10, 120, 250]);
    }
  });

  it('halving averages 2x2 blocks', () => {
    const image: Image = {
      width: 2,
      height: 2,
      channels: 3,
      data: Uint8Array.from([0, 0, 0, 100, 100, 100, 200, 200, 200, 100, 100, 100]),
    };
    expect([...resizeImage(image, 1, 1).data]).toEqual([100, 100, 100]);
  });

  it('does not shift the image when enlarging (pixel centres at half-integers)', () => {
    const ramp: Image = { width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 0, 0, 200, 200, 200]) };
    const out = resizeImage(ramp, 4, 1);
    // Output centres 0.5, 1.5, 2.5, 3.5 sample the input at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    expect([0, 1, 2, 3].map((x) => out.data[x * 3])).toEqual([0, 50, 150, 200]);
  });

  it('returns an image of the same size unchanged, composited to RGB', () => {
    const image = coordinates(3, 3);
    expect(resizeImage(image, 3, 3)).toBe(image);
    expect(resizeImage(createImage(2, 2, 4), 2, 2).channels).toBe(3);
  });
});

describe('cropTextLine', () => {
  it('an axis-aligned quad on pixel edges cuts exactly those pixels', () => {
    const image = coordinates(10, 8);
    const quad: Quad = [
      { x: 2, y: 3 },
      { x: 7, y: 3 },
      { x: 7, y: 5 },
      { x: 2, y: 5 },
    ];
    const crop = cropTextLine(image, quad);
    expect(crop).toMatchObject({ width: 5, height: 2 });
    expect(pixel(crop, 0, 0)).toEqual(pixel(image, 2, 3));
    expect(pixel(crop, 4, 1)).toEqual(pixel(image, 6, 4));
  });

  it('a rotated quad comes out level', () => {
    // A black bar 40 x 6 px drawn at 30°, on white; its quad's crop must be black in the middle rows.
    const image = createImage(80, 60);
    const angle = Math.PI / 6;
    const [ux, uy, vx, vy] = [Math.cos(angle), Math.sin(angle), -Math.sin(angle), Math.cos(angle)];
    const [cx, cy] = [40, 30];
    for (let y = 0; y < 60; y += 1)
      for (let x = 0; x < 80; x += 1) {
        const [dx, dy] = [x + 0.5 - cx, y + 0.5 - cy];
        if (Math.abs(dx * ux + dy * uy) < 20 && Math.abs(dx * vx + dy * vy) < 3)
          image.data.fill(0, (y * 80 + x) * 3, (y * 80 + x) * 3 + 3);
      }
    const corner = (su: number, sv: number): { x: number; y: number } => ({
      x: cx + su * 20 * ux + sv * 6 * vx,
      y: cy + su * 20 * uy + sv * 6 * vy,
    });
    const crop = cropTextLine(image, [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)]);
    expect(crop).toMatchObject({ width: 40, height: 12 });
    // Rows 0-1 and 10-11 are outside the bar (white), rows 4-7 inside (black), away from the ends.
    for (const x of [5, 20, 34]) {
      expect(pixel(crop, x, 0)[0]).toBeGreaterThan(200);
      expect(pixel(crop, x, 11)[0]).toBeGreaterThan(200);
      for (const y of [4, 5, 6, 7]) expect(pixel(crop, x, y)[0]).toBeLessThan(40);
    }
  });

  it('turns a tall crop a quarter counter-clockwise, and leaves a square one', () => {
    const image = coordinates(10, 10);
    const tall: Quad = [
      { x: 4, y: 0 },
      { x: 6, y: 0 },
      { x: 6, y: 6 },
      { x: 4, y: 6 },
    ];
    const crop = cropTextLine(image, tall);
    expect(crop).toMatchObject({ width: 6, height: 2 });
    // After the turn, the column's top-right pixel (5, 0) is at the top-left.
    expect(pixel(crop, 0, 0)).toEqual(pixel(image, 5, 0));
    expect(cropTextLine(image, tall, { verticalRatio: 4 })).toMatchObject({ width: 2, height: 6 });
  });
});
