// PNG decoding: tiny PNGs built by hand here (chunks, CRCs, each of the five row filters, every supported
// colour type) decode to the pixels they were built from, and corrupt or unsupported files are refused
// with an INVALID_INPUT error (HTTP 400) that says what is wrong.
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SluiceError, toOipError } from '../../../src/core/errors.js';
import { crc32, decodePng, type Inflate } from '../../../src/ocr/png-decode.js';

const inflate: Inflate = (data, max) => new Uint8Array(inflateSync(data, { maxOutputLength: max }));

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

function ihdr(width: number, height: number, colourType: number, bitDepth = 8, interlace = 0): Uint8Array {
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  body.set([bitDepth, colourType, 0, 0, interlace], 8);
  return chunk('IHDR', body);
}

/** The forward filter of one row (PNG spec §9.2), as an encoder would apply it. */
function filterRow(filter: number, row: Uint8Array, prev: Uint8Array | undefined, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length + 1);
  out[0] = filter;
  for (let x = 0; x < row.length; x += 1) {
    const a = x >= bpp ? row[x - bpp]! : 0;
    const b = prev?.[x] ?? 0;
    const c = x >= bpp ? (prev?.[x - bpp] ?? 0) : 0;
    const p = a + b - c;
    const paeth =
      Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
        ? a
        : Math.abs(p - b) <= Math.abs(p - c)
          ? b
          : c;
    const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
    out[x + 1] = (row[x]! - predicted) & 0xff;
  }
  return out;
}

interface Build {
  width: number;
  height: number;
  colourType: number;
  samples: number;
  pixels: Uint8Array;
  filters?: readonly number[];
  extra?: readonly Uint8Array[];
}

function buildPng({
  width,
  height,
  colourType,
  samples,
  pixels,
  filters = [0],
  extra = [],
}: Build): Uint8Array {
  const stride = width * samples;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    rows.push(filterRow(filters[y % filters.length]!, row, prev, samples));
  }
  const compressed = new Uint8Array(deflateSync(Buffer.concat(rows)));
  // Split the data over two IDAT chunks: decoders must concatenate them.
  const half = compressed.length >> 1;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    ihdr(width, height, colourType),
    ...extra,
    chunk('IDAT', compressed.subarray(0, half)),
    chunk('IDAT', compressed.subarray(half)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Deterministic but irregular samples, so every filter predicts something non-trivial. */
function samplesOf(count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => (i * 97 + ((i * i) % 13) * 31) & 0xff);
}

function expectInvalid(run: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SluiceError);
  expect((error as SluiceError).code).toBe('INVALID_INPUT');
  expect((error as SluiceError).message).toMatch(/^PNG: /);
  expect((error as SluiceError).message).toMatch(message);
  expect(toOipError(error).status).toBe(400);
}

describe('decodePng', () => {
  it.each([0, 1, 2, 3, 4])('decodes RGB rows written with filter %i', (filter) => {
    const pixels = samplesOf(5 * 4 * 3);
    const image = decodePng(
      buildPng({ width: 5, height: 4, colourType: 2, samples: 3, pixels, filters: [filter] }),
      inflate,
    );
    expect(image).toMatchObject({ width: 5, height: 4, channels: 3 });
    expect([...image.data]).toEqual([...pixels]);
  });

  it('decodes rows with mixed filters', () => {
    const pixels = samplesOf(7 * 5 * 3);
    const png = buildPng({
      width: 7,
      height: 5,
      colourType: 2,
      samples: 3,
      pixels,
      filters: [4, 1, 0, 3, 2],
    });
    expect([...decodePng(png, inflate).data]).toEqual([...pixels]);
  });

  it('decodes RGBA as it is', () => {
    const pixels = samplesOf(3 * 2 * 4);
    const image = decodePng(
      buildPng({ width: 3, height: 2, colourType: 6, samples: 4, pixels, filters: [4] }),
      inflate,
    );
    expect(image).toMatchObject({ width: 3, height: 2, channels: 4 });
    expect([...image.data]).toEqual([...pixels]);
  });

  it('expands greyscale to RGB and grey+alpha to RGBA', () => {
    const grey = decodePng(
      buildPng({ width: 2, height: 1, colourType: 0, samples: 1, pixels: Uint8Array.from([10, 200]) }),
      inflate,
    );
    expect(grey.channels).toBe(3);
    expect([...grey.data]).toEqual([10, 10, 10, 200, 200, 200]);
    const greyAlpha = decodePng(
      buildPng({
        width: 2,
        height: 1,
        colourType: 4,
        samples: 2,
        pixels: Uint8Array.from([10, 255, 200, 0]),
      }),
      inflate,
    );
    expect(greyAlpha.channels).toBe(4);
    expect([...greyAlpha.data]).toEqual([10, 10, 10, 255, 200, 200, 200, 0]);
  });

  it('expands a palette, with tRNS alpha when present', () => {
    const plte = chunk('PLTE', Uint8Array.from([255, 0, 0, 0, 0, 255]));
    const pixels = Uint8Array.from([1, 0, 0, 1]);
    const opaque = decodePng(
      buildPng({ width: 2, height: 2, colourType: 3, samples: 1, pixels, extra: [plte] }),
      inflate,
    );
    expect([...opaque.data]).toEqual([0, 0, 255, 255, 0, 0, 255, 0, 0, 0, 0, 255]);
    const trns = chunk('tRNS', Uint8Array.from([0]));
    const clear = decodePng(
      buildPng({ width: 2, height: 2, colourType: 3, samples: 1, pixels, extra: [plte, trns] }),
      inflate,
    );
    expect(clear.channels).toBe(4);
    expect([...clear.data.subarray(0, 8)]).toEqual([0, 0, 255, 255, 255, 0, 0, 0]);
  });

  it('skips unknown ancillary chunks', () => {
    const text = chunk('tEXt', Buffer.from('Comment\0hello', 'latin1'));
    const pixels = samplesOf(2 * 2 * 3);
    const png = buildPng({ width: 2, height: 2, colourType: 2, samples: 3, pixels, extra: [text] });
    expect([...decodePng(png, inflate).data]).toEqual([...pixels]);
  });

  describe('refuses', () => {
    const good = (): Uint8Array =>
      buildPng({
        width: 4,
        height: 3,
        colourType: 2,
        samples: 3,
        pixels: samplesOf(4 * 3 * 3),
        filters: [1],
      });

    it('a file that is not a PNG', () => {
      expectInvalid(() => decodePng(Buffer.from('GIF89a........'), inflate), /bad signature/);
      expectInvalid(() => decodePng(new Uint8Array(0), inflate), /bad signature/);
    });

    it('a flipped bit (CRC mismatch)', () => {
      const png = good();
      png[png.length - 20]! ^= 0x10; // inside the last IDAT's data
      expectInvalid(() => decodePng(png, inflate), /CRC/);
    });

    it('a truncated file', () => {
      const png = good();
      expectInvalid(() => decodePng(png.subarray(0, png.length - 12), inflate), /truncated/);
      expectInvalid(() => decodePng(png.subarray(0, 40), inflate), /truncated/);
    });

    it('image data that does not decompress', () => {
      const garbage = chunk('IDAT', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
      const png = Buffer.concat([good().subarray(0, 33), garbage, chunk('IEND', new Uint8Array(0))]);
      expectInvalid(() => decodePng(png, inflate), /does not decompress/);
    });

    it('image data of the wrong size', () => {
      const short = chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(5))));
      const png = Buffer.concat([good().subarray(0, 33), short, chunk('IEND', new Uint8Array(0))]);
      expectInvalid(() => decodePng(png, inflate), /needs 39/);
    });

    it('a decompression bomb, at the expected size', () => {
      const bomb = chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(10_000_000))));
      const png = Buffer.concat([good().subarray(0, 33), bomb, chunk('IEND', new Uint8Array(0))]);
      expectInvalid(() => decodePng(png, inflate), /does not decompress/);
    });

    it('an unknown row filter', () => {
      const raw = new Uint8Array(3 * 13);
      raw[13] = 7;
      const bad = chunk('IDAT', new Uint8Array(deflateSync(raw)));
      const png = Buffer.concat([good().subarray(0, 33), bad, chunk('IEND', new Uint8Array(0))]);
      expectInvalid(() => decodePng(png, inflate), /filter type 7/);
    });

    it.each([
      ['16-bit', ihdr(4, 3, 2, 16), /16-bit RGB images are not supported/],
      ['1-bit', ihdr(4, 3, 0, 1), /1-bit greyscale/],
      ['interlaced', ihdr(4, 3, 2, 8, 1), /interlaced/],
      ['an unknown colour type', ihdr(4, 3, 5), /colour type 5/],
      ['zero size', ihdr(0, 3, 2), /no pixels/],
    ])('%s images', (_name, header, message) => {
      const png = Buffer.concat([good().subarray(0, 8), header, good().subarray(33)]);
      expectInvalid(() => decodePng(png, inflate), message);
    });

    it('images over the pixel limit, before decompressing', () => {
      expectInvalid(() => decodePng(good(), inflate, { maxPixels: 11 }), /more than the 11 pixels/);
    });

    it('a file without IHDR first, or without image data', () => {
      const noHeader = Buffer.concat([good().subarray(0, 8), chunk('IEND', new Uint8Array(0))]);
      expectInvalid(() => decodePng(noHeader, inflate), /first chunk is IEND/);
      const noData = Buffer.concat([good().subarray(0, 33), chunk('IEND', new Uint8Array(0))]);
      expectInvalid(() => decodePng(noData, inflate), /no IDAT/);
    });

    it('a palette image without a palette', () => {
      const png = buildPng({
        width: 2,
        height: 1,
        colourType: 3,
        samples: 1,
        pixels: Uint8Array.from([0, 0]),
      });
      expectInvalid(() => decodePng(png, inflate), /PLTE/);
    });
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });
});
