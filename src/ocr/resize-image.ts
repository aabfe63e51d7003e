/**
 * Image resizing with a separable triangle (linear) filter whose support widens with the downscale
 * factor: plain bilinear when enlarging, an area-like average when shrinking. Plain bilinear would
 * alias thin strokes away when a large photo is shrunk to the detector's 960 pixels or a tall crop to
 * the recogniser's 48. Pixel centres sit at half-integers, as in OpenCV, so a resize by an integer
 * factor does not shift the image.
 */
import { checkImage, toRgb, type Image } from './image.js';

/** One output coordinate's source taps along one axis. */
interface Taps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** `maxTaps` weights per output coordinate, summing to 1. */
  readonly weights: Float32Array;
  readonly maxTaps: number;
}

/**
 * The image resized to `width` × `height` pixels (as RGB: alpha is composited over white first).
 * The aspect ratio is the caller's business; returns the input itself when the size is unchanged.
 */
export function resizeImage(image: Image, width: number, height: number): Image {
  checkImage(image);
  const rgb = toRgb(image);
  if (width === rgb.width && height === rgb.height) return rgb;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`cannot resize to ${width}x${height}: sides must be positive integers`);
  const xs = taps(rgb.width, width);
  const ys = taps(rgb.height, height);
  // Horizontal pass into floats, then vertical: the intermediate keeps full precision.
  const mid = new Float32Array(width * rgb.height * 3);
  const src = rgb.data;
  for (let y = 0; y < rgb.height; y += 1) {
    const rowIn = y * rgb.width * 3;
    const rowOut = y * width * 3;
    for (let x = 0; x < width; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      const first = xs.first[x]!;
      const n = xs.count[x]!;
      for (let k = 0; k < n; k += 1) {
        const w = xs.weights[x * xs.maxTaps + k]!;
        const p = rowIn + (first + k) * 3;
        r += src[p]! * w;
        g += src[p + 1]! * w;
        b += src[p + 2]! * w;
      }
      const q = rowOut + x * 3;
      mid[q] = r;
      mid[q + 1] = g;
      mid[q + 2] = b;
    }
  }
  const out = new Uint8Array(width * height * 3);
  const rowLength = width * 3;
  const acc = new Float32Array(rowLength);
  for (let y = 0; y < height; y += 1) {
    acc.fill(0);
    const first = ys.first[y]!;
    const n = ys.count[y]!;
    for (let k = 0; k < n; k += 1) {
      const w = ys.weights[y * ys.maxTaps + k]!;
      const rowIn = (first + k) * rowLength;
      for (let i = 0; i < rowLength; i += 1) acc[i] = acc[i]! + mid[rowIn + i]! * w;
    }
    const rowOut = y * rowLength;
    for (let i = 0; i < rowLength; i += 1) {
      const v = acc[i]!;
      out[rowOut + i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return { width, height, channels: 3, data: out };
}

/** Filter taps mapping `inSize` samples onto `outSize`, with edge samples clamped (replicated). */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const radius = Math.max(1, scale);
  const maxTaps = Math.ceil(radius) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o += 1) {
    const centre = (o + 0.5) * scale - 0.5;
    const lo = Math.max(0, Math.ceil(centre - radius));
    const hi = Math.min(inSize - 1, Math.floor(centre + radius));
    let sum = 0;
    let n = 0;
    for (let i = lo; i <= hi && n < maxTaps; i += 1) {
      const w = 1 - Math.abs(i - centre) / radius;
      if (w <= 0) continue; // only at the ends of the window, so the taps stay contiguous
      weights[o * maxTaps + n] = w;
      if (n === 0) first[o] = i;
      sum += w;
      n += 1;
    }
    if (n === 0) {
      // Beyond the edge: replicate the nearest sample.
      first[o] = Math.min(inSize - 1, Math.max(0, Math.round(centre)));
      weights[o * maxTaps] = 1;
      n = 1;
      sum = 1;
    }
    for (let k = 0; k < n; k += 1) weights[o * maxTaps + k] = weights[o * maxTaps + k]! / sum;
    count[o] = n;
  }
  return { first, count, weights, maxTaps };
}
