/**
 * A PNG decoder for what OCR requests carry: 8-bit greyscale, grey+alpha, RGB, RGBA and palette images,
 * not interlaced. Anything else (16-bit or sub-byte samples, Adam7 interlacing, a corrupt stream) is
 * refused with an `INVALID_INPUT` error (HTTP 400) that says what was found, never decoded wrongly.
 *
 * Decompression is a parameter: `src/ocr/` stays free of `node:` imports (so it runs in a worker, a
 * browser or the simulator alike), and the caller passes e.g.
 * `(data, max) => inflateSync(data, { maxOutputLength: max })` from `node:zlib`. The decoder always
 * states the exact size the pixels need, so a decompression bomb stops at that size.
 */
import { SluiceError } from '../core/errors.js';
import type { Image } from './image.js';

/**
 * zlib (RFC 1950) decompression of `data`, producing at most `maxOutputBytes` bytes; it throws on a
 * corrupt stream or when the output would be larger.
 */
export type Inflate = (data: Uint8Array, maxOutputBytes: number) => Uint8Array;

export interface PngDecodeOptions {
  /** Largest image accepted, in pixels (width × height); default 2^25 (about 33 megapixels). */
  readonly maxPixels?: number;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const DEFAULT_MAX_PIXELS = 2 ** 25;

/** Samples per pixel of each supported PNG colour type. */
const SAMPLES: Partial<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const COLOUR_NAMES: Record<number, string> = {
  0: 'greyscale',
  2: 'RGB',
  3: 'palette',
  4: 'greyscale+alpha',
  6: 'RGBA',
};

interface Header {
  width: number;
  height: number;
  colourType: number;
}

/**
 * Decodes a PNG file into an RGB image (RGBA when the file has alpha or a transparent palette entry).
 * @throws SluiceError `INVALID_INPUT` with a message starting `PNG: ` when the bytes are not a PNG this
 * decoder supports.
 */
export function decodePng(bytes: Uint8Array, inflate: Inflate, options: PngDecodeOptions = {}): Image {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw invalid('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = 8; !ended;) {
    if (at + 12 > bytes.length) throw invalid('truncated: the file ends before the IEND chunk');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (length > bytes.length - at - 12)
      throw invalid(`truncated: chunk ${type} runs past the end of the file`);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw invalid(`chunk ${type} at byte ${at} fails its CRC check (the file is corrupt)`);
    if (header === undefined && type !== 'IHDR') throw invalid(`the first chunk is ${type}, not IHDR`);
    switch (type) {
      case 'IHDR':
        header = readHeader(body, maxPixels);
        break;
      case 'PLTE':
        palette = body;
        break;
      case 'tRNS':
        transparency = body;
        break;
      case 'IDAT':
        idat.push(body);
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Bit 5 of the first letter clear marks a critical chunk: decoding without it would be wrong.
        if ((type.charCodeAt(0) & 0x20) === 0) throw invalid(`unsupported critical chunk ${type}`);
    }
    at += 12 + length;
  }
  if (header === undefined) throw invalid('no IHDR chunk');
  if (idat.length === 0) throw invalid('no IDAT chunk (no image data)');
  const samples = SAMPLES[header.colourType]!;
  const stride = header.width * samples;
  const expected = header.height * (stride + 1);
  let raw: Uint8Array;
  try {
    raw = inflate(concat(idat), expected);
  } catch (error) {
    throw invalid(
      `the image data does not decompress (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (raw.length !== expected)
    throw invalid(
      `the image data has ${raw.length} bytes, ${header.width}x${header.height} needs ${expected}`,
    );
  const pixels = unfilter(raw, header.height, stride, samples);
  if (header.colourType === 3) return expandPalette(pixels, header, palette, transparency);
  return toImage(pixels, header, samples);
}

function readHeader(body: Uint8Array, maxPixels: number): Header {
  if (body.length !== 13) throw invalid(`IHDR has ${body.length} bytes, not 13`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colourType, compression, filter, interlace] = body.subarray(8, 13);
  if (width === 0 || height === 0) throw invalid(`the image is ${width}x${height}: it has no pixels`);
  if (width * height > maxPixels)
    throw invalid(`the image is ${width}x${height}, more than the ${maxPixels} pixels accepted`);
  if (colourType === undefined || SAMPLES[colourType] === undefined)
    throw invalid(`colour type ${String(colourType)} does not exist`);
  if (bitDepth !== 8)
    throw invalid(
      `${String(bitDepth)}-bit ${COLOUR_NAMES[colourType]} images are not supported (only 8 bits per sample)`,
    );
  if (compression !== 0 || filter !== 0)
    throw invalid(`unknown compression (${String(compression)}) or filter method (${String(filter)})`);
  if (interlace !== 0) throw invalid('interlaced (Adam7) images are not supported');
  return { width, height, colourType };
}

/** Undoes the per-row filters (PNG spec §9) in place order, returning rows without their filter bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride; // valid only when y > 0
    for (let x = 0; x < stride; x += 1) {
      const a = x >= bpp ? out[row + x - bpp]! : 0;
      const b = y > 0 ? out[prev + x]! : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp]! : 0;
      const value = raw[src + x]!;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = a;
          break;
        case 2:
          predicted = b;
          break;
        case 3:
          predicted = (a + b) >> 1;
          break;
        case 4:
          predicted = paeth(a, b, c);
          break;
        default:
          throw invalid(`row ${y} has filter type ${filter}; only 0-4 exist`);
      }
      out[row + x] = (value + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function toImage(pixels: Uint8Array, header: Header, samples: number): Image {
  const { width, height } = header;
  if (samples === 3) return { width, height, channels: 3, data: pixels };
  if (samples === 4) return { width, height, channels: 4, data: pixels };
  const alpha = samples === 2;
  const channels = alpha ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let p = 0, q = 0; q < data.length; p += samples, q += channels) {
    const grey = pixels[p]!;
    data[q] = grey;
    data[q + 1] = grey;
    data[q + 2] = grey;
    if (alpha) data[q + 3] = pixels[p + 1]!;
  }
  return { width, height, channels, data };
}

function expandPalette(
  indices: Uint8Array,
  header: Header,
  palette: Uint8Array | undefined,
  transparency: Uint8Array | undefined,
): Image {
  if (palette === undefined || palette.length % 3 !== 0 || palette.length === 0)
    throw invalid('a palette image needs a PLTE chunk of whole RGB entries');
  const entries = palette.length / 3;
  const channels = transparency !== undefined ? 4 : 3;
  const { width, height } = header;
  const data = new Uint8Array(width * height * channels);
  for (let p = 0, q = 0; p < indices.length; p += 1, q += channels) {
    const index = indices[p]!;
    if (index >= entries) throw invalid(`pixel ${p} uses palette entry ${index}; the palette has ${entries}`);
    data[q] = palette[index * 3]!;
    data[q + 1] = palette[index * 3 + 1]!;
    data[q + 2] = palette[index * 3 + 2]!;
    if (channels === 4) data[q + 3] = transparency![index] ?? 255;
  }
  return { width, height, channels, data };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) as PNG chunks carry it. */
export function crc32(bytes: Uint8Array): number {
  crcTable ??= buildCrcTable();
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', `PNG: ${message}`);
}
