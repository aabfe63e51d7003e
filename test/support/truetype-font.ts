// A minimal reader of TrueType-outline fonts (sfnt with a `glyf` table), plain or wrapped in WOFF 1.0,
// for rendering test images: character map (formats 4 and 12), advance widths and glyph outlines
// (simple and composite glyphs). No hinting, kerning or shaping: test text is Latin letters and digits.
import { inflateSync } from 'node:zlib';

/** A point of a TrueType contour in font units (y up); off-curve points are quadratic control points. */
export interface OutlinePoint {
  readonly x: number;
  readonly y: number;
  readonly onCurve: boolean;
}

export type Contour = readonly OutlinePoint[];

export interface TrueTypeFont {
  /** Font units per em: a glyph at size S px is scaled by S / unitsPerEm. */
  readonly unitsPerEm: number;
  /** Typographic ascent and descent (descent negative), font units. */
  readonly ascender: number;
  readonly descender: number;
  /** Glyph index of a Unicode code point; 0 (.notdef) when the font lacks it. */
  glyphIndex(codePoint: number): number;
  /** Advance width of a glyph, font units. */
  advanceWidth(glyph: number): number;
  /** The glyph's closed contours. */
  outline(glyph: number): Contour[];
}

type Tables = Map<string, DataView>;

/** Reads a `.ttf` or `.woff` file. */
export function readFont(bytes: Uint8Array): TrueTypeFont {
  const tables = isWoff(bytes) ? woffTables(bytes) : sfntTables(bytes);
  const table = (tag: string): DataView => {
    const t = tables.get(tag);
    if (t === undefined) throw new Error(`font has no '${tag}' table`);
    return t;
  };
  const head = table('head');
  const hhea = table('hhea');
  const maxp = table('maxp');
  const hmtx = table('hmtx');
  const loca = table('loca');
  const glyf = table('glyf');
  const unitsPerEm = head.getUint16(18);
  const longLoca = head.getInt16(50) === 1;
  const numGlyphs = maxp.getUint16(4);
  const numberOfHMetrics = hhea.getUint16(34);
  const lookup = characterMap(table('cmap'));
  const glyphOffset = (g: number): [number, number] =>
    longLoca
      ? [loca.getUint32(g * 4), loca.getUint32(g * 4 + 4)]
      : [loca.getUint16(g * 2) * 2, loca.getUint16(g * 2 + 2) * 2];

  const outline = (glyph: number, depth = 0): Contour[] => {
    if (glyph < 0 || glyph >= numGlyphs || depth > 8) return [];
    const [start, end] = glyphOffset(glyph);
    if (end <= start) return []; // an empty glyph, e.g. the space
    const contours = glyf.getInt16(start);
    return contours >= 0
      ? simpleGlyph(glyf, start, contours)
      : compositeGlyph(glyf, start, (g) => outline(g, depth + 1));
  };

  return {
    unitsPerEm,
    ascender: hhea.getInt16(4),
    descender: hhea.getInt16(6),
    glyphIndex: lookup,
    advanceWidth: (glyph) => hmtx.getUint16(Math.min(glyph, numberOfHMetrics - 1) * 4),
    outline: (glyph) => outline(glyph),
  };
}

function isWoff(bytes: Uint8Array): boolean {
  return String.fromCharCode(...bytes.subarray(0, 4)) === 'wOFF';
}

function view(bytes: Uint8Array, offset = 0, length = bytes.length - offset): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, length);
}

function tag(v: DataView, at: number): string {
  return String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
}

function sfntTables(bytes: Uint8Array): Tables {
  const v = view(bytes);
  const tables: Tables = new Map();
  for (let i = 0; i < v.getUint16(4); i += 1) {
    const at = 12 + i * 16;
    tables.set(tag(v, at), view(bytes, v.getUint32(at + 8), v.getUint32(at + 12)));
  }
  return tables;
}

/** WOFF 1.0: a 44-byte header, then 20-byte directory entries; tables are zlib streams when smaller. */
function woffTables(bytes: Uint8Array): Tables {
  const v = view(bytes);
  const tables: Tables = new Map();
  for (let i = 0; i < v.getUint16(12); i += 1) {
    const at = 44 + i * 20;
    const offset = v.getUint32(at + 4);
    const compressed = v.getUint32(at + 8);
    const original = v.getUint32(at + 12);
    const data = bytes.subarray(offset, offset + compressed);
    const table = compressed < original ? new Uint8Array(inflateSync(data)) : data;
    if (table.length !== original)
      throw new Error(`WOFF table ${tag(v, at)} inflates to ${table.length} bytes`);
    tables.set(tag(v, at), view(table));
  }
  return tables;
}

/** The best Unicode subtable: format 12 (full Unicode) when present, else format 4 (BMP). */
function characterMap(cmap: DataView): (codePoint: number) => number {
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < cmap.getUint16(2); i += 1) {
    const platform = cmap.getUint16(4 + i * 8);
    const encoding = cmap.getUint16(6 + i * 8);
    const offset = cmap.getUint32(8 + i * 8);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = cmap.getUint16(offset);
    if (format === 12) format12 ??= offset;
    if (format === 4) format4 ??= offset;
  }
  if (format12 !== undefined) {
    const base = format12;
    const groups = cmap.getUint32(base + 12);
    return (c) => {
      for (let g = 0; g < groups; g += 1) {
        const at = base + 16 + g * 12;
        const first = cmap.getUint32(at);
        if (c >= first && c <= cmap.getUint32(at + 4)) return cmap.getUint32(at + 8) + (c - first);
      }
      return 0;
    };
  }
  if (format4 === undefined) throw new Error('font has no Unicode character map (format 4 or 12)');
  const base = format4;
  const segments = cmap.getUint16(base + 6) / 2;
  const ends = base + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  return (c) => {
    for (let s = 0; s < segments; s += 1) {
      if (c > cmap.getUint16(ends + s * 2)) continue;
      const start = cmap.getUint16(starts + s * 2);
      if (c < start) return 0;
      const delta = cmap.getInt16(deltas + s * 2);
      const rangeOffset = cmap.getUint16(rangeOffsets + s * 2);
      if (rangeOffset === 0) return (c + delta) & 0xffff;
      // The offset is relative to its own position in the idRangeOffset array.
      const glyph = cmap.getUint16(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

function simpleGlyph(glyf: DataView, start: number, contourCount: number): Contour[] {
  const endPoints: number[] = [];
  for (let i = 0; i < contourCount; i += 1) endPoints.push(glyf.getUint16(start + 10 + i * 2));
  const pointCount = contourCount === 0 ? 0 : endPoints[contourCount - 1]! + 1;
  let at = start + 10 + contourCount * 2;
  at += 2 + glyf.getUint16(at); // skip the hinting instructions
  const flags: number[] = [];
  while (flags.length < pointCount) {
    const flag = glyf.getUint8(at++);
    flags.push(flag);
    if (flag & 8) for (let r = glyf.getUint8(at++); r > 0; r -= 1) flags.push(flag);
  }
  // Coordinates are deltas; bit 1/2 = one unsigned byte with bit 4/5 its sign, else bit 4/5 = unchanged.
  const read = (shortBit: number, sameBit: number): number[] => {
    const values: number[] = [];
    let value = 0;
    for (const flag of flags) {
      if (flag & shortBit) {
        const d = glyf.getUint8(at++);
        value += flag & sameBit ? d : -d;
      } else if (!(flag & sameBit)) {
        value += glyf.getInt16(at);
        at += 2;
      }
      values.push(value);
    }
    return values;
  };
  const xs = read(2, 16);
  const ys = read(4, 32);
  const contours: Contour[] = [];
  let first = 0;
  for (const last of endPoints) {
    const contour: OutlinePoint[] = [];
    for (let p = first; p <= last; p += 1)
      contour.push({ x: xs[p]!, y: ys[p]!, onCurve: (flags[p]! & 1) === 1 });
    contours.push(contour);
    first = last + 1;
  }
  return contours;
}

/** Components placed by x/y offsets with an optional scale or 2×2 matrix (point-matched placement is not used by Latin fonts). */
function compositeGlyph(glyf: DataView, start: number, outline: (glyph: number) => Contour[]): Contour[] {
  const contours: Contour[] = [];
  let at = start + 10;
  for (let more = true; more;) {
    const flags = glyf.getUint16(at);
    const glyph = glyf.getUint16(at + 2);
    at += 4;
    const words = (flags & 1) !== 0;
    const signed = (flags & 2) !== 0;
    const arg = (): number => {
      const value = words ? glyf.getInt16(at) : signed ? glyf.getInt8(at) : glyf.getUint8(at);
      at += words ? 2 : 1;
      return value;
    };
    const e = arg();
    const f = arg();
    const dx = signed ? e : 0;
    const dy = signed ? f : 0;
    const f2dot14 = (): number => {
      const value = glyf.getInt16(at) / 16384;
      at += 2;
      return value;
    };
    let [a, b, c, d] = [1, 0, 0, 1];
    if (flags & 0x8) a = d = f2dot14();
    else if (flags & 0x40) [a, d] = [f2dot14(), f2dot14()];
    else if (flags & 0x80) [a, b, c, d] = [f2dot14(), f2dot14(), f2dot14(), f2dot14()];
    for (const contour of outline(glyph))
      contours.push(
        contour.map((p) => ({ x: a * p.x + c * p.y + dx, y: b * p.x + d * p.y + dy, onCurve: p.onCurve })),
      );
    more = (flags & 0x20) !== 0;
  }
  return contours;
}
