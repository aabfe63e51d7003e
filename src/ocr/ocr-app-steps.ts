/**
 * The OCR application's steps (det → cls → rec, `models/apps/ocr.yaml`) as named steps an application
 * file refers to: this folder's pure functions, cut where the models are, one module request per image,
 * per text line and per upright line. `runOcr` (ocr-pipeline.ts) is the same chain run in one call; here
 * the engine runs the models in between, so every text line is its own request of `ocr-cls` and
 * `ocr-rec`, batched with other requests' lines.
 *
 * ```
 * ocr.decode-image       request image (PNG bytes) → detection input          (source: ocr-det)
 * ocr.text-crops         detection map → one item per text box, its crop      (fan-out to ocr-cls)
 * ocr.orientation-input  crop → classifier input
 * ocr.upright-crop       classifier output → the crop turned upright          (to ocr-rec)
 * ocr.recognition-input  upright crop → recogniser input (width in steps of 160 px, so lines batch)
 * ocr.lines              recogniser outputs → texts, boxes, scores in reading order
 * ```
 */
import type { AppItem, AppSteps } from '../core/app-steps.js';
import { SluiceError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { cropTextLine } from './crop-text-line.js';
import { ctcDecode } from './ctc-decode.js';
import { detectionBoxes, type DetectionBoxesOptions } from './detection-boxes.js';
import { detectionInput, type DetectionInput, type DetectionInputOptions } from './detection-input.js';
import { toRgb, type Image } from './image.js';
import { scaledLineWidth } from './line-tensor.js';
import { applyOrientations, readOrientations, type Orientation } from './orientation-output.js';
import { orientationInput } from './orientation-input.js';
import { decodePng, type Inflate } from './png-decode.js';
import { recognitionInput } from './recognition-input.js';
import type { TextBox } from './text-box.js';

export interface OcrStepsOptions {
  /** zlib decompression for PNG (e.g. `node:zlib` inflateSync with maxOutputLength). */
  readonly inflate: Inflate;
  /** The recogniser's character lines (`parseDictionary` of `ppocr_keys_v1.txt`). */
  readonly dictionary: readonly string[];
  readonly detection?: DetectionInputOptions;
  readonly boxes?: DetectionBoxesOptions;
  /** Largest image accepted, in pixels; default 40 million. */
  readonly maxPixels?: number;
  /** A line is turned 180° when the classifier says so with more than this probability; default 0.9. */
  readonly orientationThreshold?: number;
  /** Lines read with a lower mean confidence are dropped; default 0.5 (PaddleOCR's `drop_score`). */
  readonly minConfidence?: number;
  /** Recogniser input widths are rounded up to a multiple of this, px; default 160. */
  readonly widthStepPx?: number;
}

/** What a detection request remembers: the image and how the detector's map maps back onto it. */
interface PageCarry {
  readonly rgb: Image;
  readonly detection: DetectionInput;
}

/** What a text line's requests remember. */
interface LineCarry {
  readonly index: number;
  readonly box: TextBox;
  readonly crop: Image;
  readonly orientation?: Orientation;
}

const PNG_SIGNATURE = '\x89PNG\r\n\x1a\n';

/** The OCR steps, by kind and name. */
export function ocrAppSteps(options: OcrStepsOptions): AppSteps {
  const minConfidence = options.minConfidence ?? 0.5;
  const widthStep = options.widthStepPx ?? 160;

  const decodeImage = (inputs: ReadonlyMap<string, Tensor>): AppItem => {
    const tensor = inputs.get('image') ?? [...inputs.values()][0];
    if (tensor === undefined || tensor.datatype !== 'BYTES' || !Array.isArray(tensor.data))
      throw invalid('the image must be a BYTES tensor holding a PNG file');
    if (tensor.data.length !== 1)
      throw invalid(`the image tensor holds ${tensor.data.length} elements, not one PNG file`);
    const image = decodePng(pngBytes(tensor.data[0] ?? ''), options.inflate, {
      maxPixels: options.maxPixels ?? 40_000_000,
    });
    const rgb = toRgb(image);
    const detection = detectionInput(rgb, options.detection);
    const carry: PageCarry = { rgb, detection };
    return { inputs: [detection.tensor], carry };
  };

  const textCrops = (outputs: readonly Tensor[], item: AppItem): LineCarry[] => {
    const page = item.carry as PageCarry;
    const boxes = detectionBoxes(single(outputs, 'detection'), page.detection, options.boxes);
    return boxes.map((box, index) => ({ index, box, crop: cropTextLine(page.rgb, box.quad) }));
  };

  const uprightCrop = (outputs: readonly Tensor[], item: AppItem): LineCarry[] => {
    const line = item.carry as LineCarry;
    const [orientation] = readOrientations(single(outputs, 'classifier'));
    if (orientation === undefined) throw new SluiceError('INTERNAL', 'the classifier returned no row');
    const [crop] = applyOrientations([line.crop], [orientation], options.orientationThreshold ?? 0.9);
    return [{ ...line, crop: crop ?? line.crop, orientation }];
  };

  const recognitionPre = (carry: unknown): Tensor[] => {
    const { crop } = carry as LineCarry;
    const width = scaledLineWidth(crop.width, crop.height, 48, 2560);
    // Rounded up so lines of similar length share an input shape, and so a batch.
    return [
      recognitionInput([crop], { minWidthPx: Math.max(320, Math.ceil(width / widthStep) * widthStep) }),
    ];
  };

  const lines = (results: readonly { outputs: readonly Tensor[]; item: AppItem }[]): Tensor[] => {
    const read = results
      .map((r) => {
        const line = r.item.carry as LineCarry;
        const [text] = ctcDecode(single(r.outputs, 'recogniser'), options.dictionary);
        return { line, text: text?.text ?? '', confidence: text?.confidence ?? 0 };
      })
      .filter((r) => r.confidence >= minConfidence && r.text.trim() !== '')
      .sort((a, b) => a.line.index - b.line.index);
    return [
      { name: 'texts', datatype: 'BYTES', shape: [read.length], data: read.map((r) => r.text) },
      {
        name: 'boxes',
        datatype: 'FP32',
        shape: [read.length, 8],
        data: Float32Array.from(read.flatMap((r) => r.line.box.quad.flatMap((p) => [p.x, p.y]))),
      },
      {
        name: 'scores',
        datatype: 'FP32',
        shape: [read.length],
        data: Float32Array.from(read.map((r) => r.confidence)),
      },
    ];
  };

  return {
    input: new Map([['ocr.decode-image', decodeImage]]),
    post: new Map([
      ['ocr.text-crops', textCrops],
      ['ocr.upright-crop', uprightCrop],
    ]),
    pre: new Map([
      ['ocr.orientation-input', (carry: unknown) => [orientationInput([(carry as LineCarry).crop])]],
      ['ocr.recognition-input', recognitionPre],
    ]),
    output: new Map([['ocr.lines', lines]]),
  };
}

/**
 * The PNG file's bytes from a BYTES element: the bytes themselves (binary tensor data, one character per
 * byte) or, as JSON cannot carry raw bytes, their base64 text.
 */
function pngBytes(element: string): Uint8Array {
  let raw = element;
  if (!element.startsWith(PNG_SIGNATURE)) {
    try {
      raw = atob(element.replace(/\s+/g, ''));
    } catch {
      throw invalid('the image is neither PNG bytes nor base64 text of a PNG file');
    }
  }
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) {
    const code = raw.charCodeAt(i);
    if (code > 255) throw invalid('the image is neither PNG bytes nor base64 text of a PNG file');
    bytes[i] = code;
  }
  return bytes;
}

function single(outputs: readonly Tensor[], what: string): Tensor {
  const [output] = outputs;
  if (output === undefined) throw new SluiceError('INTERNAL', `the ${what} returned no output`);
  return output;
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
