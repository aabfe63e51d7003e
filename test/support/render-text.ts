// Test images of text: lines of a string drawn in a real font (DejaVu Sans from @fontsource/dejavu-sans,
// read by ./truetype-font.ts) as anti-aliased dark text on a light background. Glyph outlines are
// flattened to polygons (quadratic Béziers into short chords) and filled by a scanline rasteriser with
// the non-zero winding rule and 4×4 supersampling per pixel.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Image, Rgb } from '../../src/ocr/image.js';
import { readFont, type Contour, type TrueTypeFont } from './truetype-font.js';

export interface PolygonPoint {
  readonly x: number;
  readonly y: number;
}

/** Closed polygons in pixel coordinates (x right, y down; pixel i spans [i, i + 1)). */
export type Polygon = readonly PolygonPoint[];

export interface RenderTextOptions {
  /** Canvas size, px; default 400 × 120. */
  readonly width?: number;
  readonly height?: number;
  /** Font size (the em), px; default 56, which gives capitals about 41 px high. */
  readonly fontSizePx?: number;
  /** Baseline-to-baseline distance as a multiple of the font size; default 1.6. */
  readonly lineSpacing?: number;
  readonly font?: TrueTypeFont;
  /** Default black. */
  readonly color?: Rgb;
  /** Default white. */
  readonly background?: Rgb;
}

const SUBSAMPLES = 4;
let dejaVu: TrueTypeFont | undefined;

/** DejaVu Sans (regular, Latin subset) from the `@fontsource/dejavu-sans` package. */
export function dejaVuSans(): TrueTypeFont {
  const require = createRequire(import.meta.url);
  dejaVu ??= readFont(
    new Uint8Array(
      readFileSync(require.resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff')),
    ),
  );
  return dejaVu;
}

/**
 * Draws each line centred horizontally, the block of lines centred vertically, as an RGB image.
 * Throws when the text does not fit the canvas, so a test never reads clipped text by accident.
 */
export function renderText(lines: string | readonly string[], options: RenderTextOptions = {}): Image {
  const texts = typeof lines === 'string' ? [lines] : lines;
  const width = options.width ?? 400;
  const height = options.height ?? 120;
  const size = options.fontSizePx ?? 56;
  const font = options.font ?? dejaVuSans();
  const scale = size / font.unitsPerEm;
  const ascent = font.ascender * scale;
  const descent = -font.descender * scale;
  const pitch = size * (options.lineSpacing ?? 1.6);
  const blockHeight = ascent + descent + pitch * (texts.length - 1);
  if (blockHeight > height)
    throw new Error(`${texts.length} lines at ${size} px need ${blockHeight} px of height`);
  const top = (height - blockHeight) / 2;
  const polygons: Polygon[] = [];
  texts.forEach((text, i) => {
    const glyphs = [...text].map((ch) => font.glyphIndex(ch.codePointAt(0)!));
    const missing = [...text].filter((_, k) => glyphs[k] === 0 && text[k] !== ' ');
    if (missing.length > 0) throw new Error(`the font has no glyph for ${missing.join('')}`);
    const lineWidth = glyphs.reduce((w, g) => w + font.advanceWidth(g) * scale, 0);
    if (lineWidth > width)
      throw new Error(`'${text}' is ${Math.ceil(lineWidth)} px wide, the canvas ${width}`);
    let x = (width - lineWidth) / 2;
    const baseline = top + ascent + i * pitch;
    for (const glyph of glyphs) {
      for (const contour of font.outline(glyph)) polygons.push(flatten(contour, x, baseline, scale));
      x += font.advanceWidth(glyph) * scale;
    }
  });
  return paint(
    width,
    height,
    coverage(polygons, width, height),
    options.color ?? [0, 0, 0],
    options.background,
  );
}

/**
 * Fraction of each pixel covered by the polygons under the non-zero winding rule, sampled on a 4×4
 * grid per pixel: values 0..1, row-major.
 */
export function coverage(polygons: readonly Polygon[], width: number, height: number): Float32Array {
  const edges: { x0: number; y0: number; x1: number; y1: number; winding: number }[] = [];
  for (const polygon of polygons) {
    for (let i = 0; i < polygon.length; i += 1) {
      const a = polygon[i]!;
      const b = polygon[(i + 1) % polygon.length]!;
      if (a.y === b.y) continue; // horizontal edges never cross a scanline
      edges.push(
        a.y < b.y
          ? { x0: a.x, y0: a.y, x1: b.x, y1: b.y, winding: 1 }
          : { x0: b.x, y0: b.y, x1: a.x, y1: a.y, winding: -1 },
      );
    }
  }
  const hits = new Uint16Array(width * height);
  const crossings: { x: number; winding: number }[] = [];
  for (let row = 0; row < height * SUBSAMPLES; row += 1) {
    const y = (row + 0.5) / SUBSAMPLES;
    crossings.length = 0;
    for (const e of edges) {
      if (y < e.y0 || y >= e.y1) continue;
      crossings.push({ x: e.x0 + ((y - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), winding: e.winding });
    }
    crossings.sort((a, b) => a.x - b.x);
    const pixelRow = Math.floor(row / SUBSAMPLES) * width;
    let winding = 0;
    for (let k = 0; k + 1 < crossings.length; k += 1) {
      winding += crossings[k]!.winding;
      if (winding === 0) continue;
      // Sub-sample columns whose centres (i + 0.5) / 4 lie in [left, right).
      const first = Math.max(0, Math.ceil(crossings[k]!.x * SUBSAMPLES - 0.5));
      const end = Math.min(width * SUBSAMPLES, Math.ceil(crossings[k + 1]!.x * SUBSAMPLES - 0.5));
      for (let i = first; i < end; i += 1) {
        const pixel = pixelRow + Math.floor(i / SUBSAMPLES);
        hits[pixel] = hits[pixel]! + 1;
      }
    }
  }
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i += 1) out[i] = hits[i]! / (SUBSAMPLES * SUBSAMPLES);
  return out;
}

/** Blends `color` over `background` (default white) by coverage. */
export function paint(
  width: number,
  height: number,
  cover: Float32Array,
  color: Rgb,
  background: Rgb = [255, 255, 255],
): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < cover.length; i += 1) {
    const a = cover[i]!;
    for (let c = 0; c < 3; c += 1)
      data[i * 3 + c] = Math.round(background[c]! + (color[c]! - background[c]!) * a);
  }
  return { width, height, channels: 3, data };
}

/**
 * A TrueType contour as a polygon in pixels: the pen starts on an on-curve point (or the midpoint of
 * two off-curve ones), consecutive off-curve points imply an on-curve point halfway between them, and
 * each quadratic arc becomes chords about 1.5 px long.
 */
function flatten(contour: Contour, originX: number, baseline: number, scale: number): Polygon {
  const pts = contour.map((p) => ({ x: originX + p.x * scale, y: baseline - p.y * scale, on: p.onCurve }));
  if (pts.length === 0) return [];
  const firstOn = pts.findIndex((p) => p.on);
  const sequence =
    firstOn >= 0
      ? [...pts.slice(firstOn), ...pts.slice(0, firstOn)]
      : [{ x: (pts[0]!.x + pts.at(-1)!.x) / 2, y: (pts[0]!.y + pts.at(-1)!.y) / 2, on: true }, ...pts];
  sequence.push(sequence[0]!);
  const out: PolygonPoint[] = [{ x: sequence[0]!.x, y: sequence[0]!.y }];
  let pen = sequence[0]!;
  let control: { x: number; y: number } | undefined;
  const curve = (c: { x: number; y: number }, to: { x: number; y: number }): void => {
    const length = Math.hypot(c.x - pen.x, c.y - pen.y) + Math.hypot(to.x - c.x, to.y - c.y);
    const steps = Math.max(2, Math.ceil(length / 1.5));
    for (let s = 1; s <= steps; s += 1) {
      const t = s / steps;
      const u = 1 - t;
      out.push({
        x: u * u * pen.x + 2 * u * t * c.x + t * t * to.x,
        y: u * u * pen.y + 2 * u * t * c.y + t * t * to.y,
      });
    }
  };
  for (const p of sequence.slice(1)) {
    if (p.on) {
      if (control === undefined) out.push({ x: p.x, y: p.y });
      else curve(control, p);
      pen = p;
      control = undefined;
    } else if (control === undefined) {
      control = p;
    } else {
      const mid = { x: (control.x + p.x) / 2, y: (control.y + p.y) / 2, on: true };
      curve(control, mid);
      pen = mid;
      control = p;
    }
  }
  out.pop(); // the closing point repeats the first
  return out;
}
