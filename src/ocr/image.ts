/**
 * The image the OCR steps work on: 8-bit RGB or RGBA pixels, row-major and interleaved, top row first.
 * Pure data and pure functions, so a pipeline can hand images between steps (and processes) without a
 * native image library. Every step that reads pixels accepts RGBA and composites it over a background
 * first (`toRgb`): transparent PNGs of dark text would otherwise turn into black rectangles.
 */
import { SluiceError } from '../core/errors.js';

/** An 8-bit image; `data.length === width * height * channels`. */
export interface Image {
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /** 3: R, G, B; 4: R, G, B, A (straight, not premultiplied, alpha). */
  readonly channels: 3 | 4;
  readonly data: Uint8Array;
}

/** An RGB colour, 0-255 per channel. */
export type Rgb = readonly [number, number, number];

/** White: the background alpha is composited over by default. */
export const WHITE: Rgb = [255, 255, 255];

/** A new image filled with one colour (default white, opaque when RGBA). */
export function createImage(width: number, height: number, channels: 3 | 4 = 3, fill: Rgb = WHITE): Image {
  checkSize(width, height);
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i += channels) {
    data[i] = fill[0];
    data[i + 1] = fill[1];
    data[i + 2] = fill[2];
    if (channels === 4) data[i + 3] = 255;
  }
  return { width, height, channels, data };
}

/** Checks an image's fields against each other; throws `INVALID_INPUT` naming what is wrong. */
export function checkImage(image: Image): void {
  checkSize(image.width, image.height);
  if (image.channels !== 3 && image.channels !== 4)
    throw invalid(`an image has 3 or 4 channels, not ${String(image.channels)}`);
  const expected = image.width * image.height * image.channels;
  if (image.data.length !== expected)
    throw invalid(
      `image data has ${image.data.length} bytes, ${image.width}x${image.height}x${image.channels} needs ${expected}`,
    );
}

/**
 * The image as RGB: an RGB image is returned as it is (no copy); RGBA is composited over `background`
 * (default white), since text in transparent images is drawn to be seen on a light page.
 */
export function toRgb(image: Image, background: Rgb = WHITE): Image {
  if (image.channels === 3) return image;
  const { width, height, data } = image;
  const out = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < data.length; p += 4, q += 3) {
    const alpha = data[p + 3]!;
    for (let c = 0; c < 3; c += 1) {
      out[q + c] = Math.round((data[p + c]! * alpha + background[c]! * (255 - alpha)) / 255);
    }
  }
  return { width, height, channels: 3, data: out };
}

/** Quarter turns, counter-clockwise (90 turns the image's right edge to the top). */
export type Rotation = 90 | 180 | 270;

/** The image rotated counter-clockwise by `degrees`, as a new image of the same channel count. */
export function rotateImage(image: Image, degrees: Rotation): Image {
  const { width, height, channels, data } = image;
  const quarter = degrees !== 180;
  const outWidth = quarter ? height : width;
  const outHeight = quarter ? width : height;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < outHeight; y += 1) {
    for (let x = 0; x < outWidth; x += 1) {
      // The source pixel of output (x, y) for each turn.
      let sx: number;
      let sy: number;
      if (degrees === 90) {
        sx = width - 1 - y;
        sy = x;
      } else if (degrees === 180) {
        sx = width - 1 - x;
        sy = height - 1 - y;
      } else {
        sx = y;
        sy = height - 1 - x;
      }
      const from = (sy * width + sx) * channels;
      const to = (y * outWidth + x) * channels;
      for (let c = 0; c < channels; c += 1) out[to + c] = data[from + c]!;
    }
  }
  return { width: outWidth, height: outHeight, channels, data: out };
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw invalid(`an image needs a positive integer width and height, not ${width}x${height}`);
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
