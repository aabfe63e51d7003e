/**
 * The whole OCR application, det → cls → rec, as the composition of this folder's pure steps around
 * three model executions the caller supplies (a worker pool, the engine, or onnxruntime directly in a
 * test). It is the reference for how the server chains the steps: every arrow below is one of the
 * exported functions, and nothing here does I/O.
 *
 * ```
 * image → detectionInput → [det] → detectionBoxes → cropTextLine
 *       → orientationInput → [cls] → readOrientations → applyOrientations
 *       → recognitionInput → [rec] → ctcDecode → lines
 * ```
 */
import type { Tensor } from '../core/tensor.js';
import { cropTextLine, type CropTextLineOptions } from './crop-text-line.js';
import { detectionBoxes, type DetectionBoxesOptions } from './detection-boxes.js';
import { detectionInput, type DetectionInputOptions } from './detection-input.js';
import { toRgb, type Image } from './image.js';
import { applyOrientations, readOrientations, type Orientation } from './orientation-output.js';
import { orientationInput } from './orientation-input.js';
import { recognitionBatches, recognitionInput, type RecognitionInputOptions } from './recognition-input.js';
import { ctcDecode, type RecognizedText } from './ctc-decode.js';
import type { Quad } from './text-box.js';

/** The three modules of the application. */
export type OcrModule = 'det' | 'cls' | 'rec';

/** Runs one module on one input tensor and returns its (single) output tensor. */
export type ExecuteModule = (module: OcrModule, input: Tensor) => Promise<Tensor>;

export interface OcrOptions {
  readonly detection?: DetectionInputOptions;
  readonly boxes?: DetectionBoxesOptions;
  readonly crop?: CropTextLineOptions;
  readonly recognition?: RecognitionInputOptions;
  /** Run the angle classifier; default true. Without it every crop is taken as upright. */
  readonly classify?: boolean;
  /** A crop is turned 180° when the classifier says so with more than this probability; default 0.9. */
  readonly orientationThreshold?: number;
  /** Crops per classifier execution; default 16 (`models/ocr-cls` maxBatch). */
  readonly classifierBatch?: number;
  /** Crops per recogniser execution; default 8 (`models/ocr-rec` maxBatch). */
  readonly recognizerBatch?: number;
  /** Lines recognised with a lower mean confidence are dropped; default 0.5 (PaddleOCR's `drop_score`). */
  readonly minConfidence?: number;
}

export interface OcrLine extends RecognizedText {
  /** Where the line is, source-image px. */
  readonly quad: Quad;
  /** The detector's box score. */
  readonly boxScore: number;
  /** What the classifier decided (angle 0, confidence 1 when it did not run). */
  readonly orientation: Orientation;
}

/**
 * Reads the text lines of an image, in reading order. `dictionary` holds the recogniser's character
 * lines (`parseDictionary` of `ppocr_keys_v1.txt`).
 */
export async function runOcr(
  image: Image,
  execute: ExecuteModule,
  dictionary: readonly string[],
  options: OcrOptions = {},
): Promise<OcrLine[]> {
  // Composite alpha once, not once per step and crop.
  const rgb = toRgb(image);
  const det = detectionInput(rgb, options.detection);
  const boxes = detectionBoxes(await execute('det', det.tensor), det, options.boxes);
  if (boxes.length === 0) return [];
  const crops = boxes.map((box) => cropTextLine(rgb, box.quad, options.crop));

  let orientations: Orientation[] = crops.map(() => ({ angle: 0, confidence: 1 }));
  if (options.classify ?? true) {
    orientations = [];
    for (const chunk of chunks(crops, options.classifierBatch ?? 16))
      orientations.push(...readOrientations(await execute('cls', orientationInput(chunk))));
  }
  const upright = applyOrientations(crops, orientations, options.orientationThreshold ?? 0.9);

  const texts: RecognizedText[] = new Array<RecognizedText>(upright.length);
  for (const batch of recognitionBatches(upright, options.recognizerBatch ?? 8)) {
    const input = recognitionInput(
      batch.map((i) => upright[i]!),
      options.recognition,
    );
    ctcDecode(await execute('rec', input), dictionary).forEach((text, k) => (texts[batch[k]!] = text));
  }

  const minConfidence = options.minConfidence ?? 0.5;
  return boxes.flatMap((box, i) => {
    const text = texts[i]!;
    if (text.confidence < minConfidence || text.text.trim() === '') return [];
    return [{ ...text, quad: box.quad, boxScore: box.score, orientation: orientations[i]! }];
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be >= 1, not ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
