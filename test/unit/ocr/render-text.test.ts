// The test-image renderer (test/support/render-text.ts): exact coverage of simple polygons, the non-zero
// winding rule, and real text drawn in DejaVu Sans where the layout says it is.
import { describe, expect, it } from 'vitest';
import { coverage, dejaVuSans, renderText, type Polygon } from '../../support/render-text.js';

const square = (x0: number, y0: number, x1: number, y1: number, clockwise = true): Polygon => {
  const points = [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ];
  return clockwise ? points : points.reverse();
};

describe('coverage', () => {
  it('is 1 inside, 0 outside and fractional on pixel-straddling edges', () => {
    const cover = coverage([square(1, 1, 3.5, 3)], 5, 4);
    expect(cover[1 * 5 + 1]).toBe(1);
    expect(cover[1 * 5 + 3]).toBe(0.5);
    expect(cover[0]).toBe(0);
    expect(cover.reduce((a, b) => a + b, 0)).toBeCloseTo(2.5 * 2, 6);
  });

  it('approximates the area of a triangle', () => {
    const cover = coverage(
      [
        [
          { x: 0, y: 0 },
          { x: 40, y: 0 },
          { x: 0, y: 40 },
        ],
      ],
      40,
      40,
    );
    // A 4×4 sample grid errs by at most about 1/4 of a pixel where the diagonal crosses one (40 of them).
    expect(Math.abs(cover.reduce((a, b) => a + b, 0) - 800)).toBeLessThan(10);
  });

  it('fills by the non-zero rule: overlaps stay filled, a reversed inner contour is a hole', () => {
    const overlap = coverage([square(0, 0, 4, 4), square(2, 0, 6, 4)], 6, 4);
    expect(overlap[3]).toBe(1);
    const ring = coverage([square(0, 0, 6, 6), square(2, 2, 4, 4, false)], 6, 6);
    expect(ring[3 * 6 + 3]).toBe(0);
    expect(ring[0]).toBe(1);
  });
});

describe('renderText', () => {
  it('reads DejaVu Sans from its npm package', () => {
    const font = dejaVuSans();
    expect(font.unitsPerEm).toBe(2048);
    expect(font.glyphIndex('A'.codePointAt(0)!)).toBeGreaterThan(0);
    expect(font.outline(font.glyphIndex('O'.codePointAt(0)!))).toHaveLength(2); // outer and inner contour
  });

  it('draws anti-aliased dark text centred on a white canvas', () => {
    const image = renderText('SLUICE 42');
    expect(image).toMatchObject({ width: 400, height: 120, channels: 3 });
    const grey = [...image.data].filter((_, i) => i % 3 === 0);
    const dark = grey.filter((v) => v < 64).length;
    const partial = grey.filter((v) => v > 32 && v < 224).length;
    expect(dark).toBeGreaterThan(2000);
    expect(partial).toBeGreaterThan(200); // anti-aliased edges
    // Ink only in the middle band: capitals about 41 px high, centred.
    const rows = Array.from({ length: 120 }, (_, y) =>
      grey.slice(y * 400, (y + 1) * 400).some((v) => v < 128),
    );
    const top = rows.indexOf(true);
    const bottom = rows.lastIndexOf(true);
    expect(bottom - top).toBeGreaterThan(36);
    expect(bottom - top).toBeLessThan(48);
    expect(grey[0]).toBe(255);
  });

  it('refuses text that does not fit', () => {
    expect(() => renderText('a much longer line than fits')).toThrow(/px wide/);
    expect(() => renderText(['one', 'two', 'three'])).toThrow(/height/);
  });
});
