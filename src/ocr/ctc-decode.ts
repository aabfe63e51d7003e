/**
 * Recognition post-processing: greedy CTC decoding of the recogniser's `[N, T, C]` per-time-step class
 * probabilities. At each step the most probable class is taken; runs of the same class collapse into
 * one; the blank class (index 0) separates genuine repeats ("ll" is l, blank, l) and is dropped.
 *
 * The classes of PP-OCR's recognisers are: blank, then one per line of the character dictionary, then
 * a space (PaddleOCR's `use_space_char`). For `ppocr_keys_v1.txt` (6623 lines) that is 6625 classes,
 * the recogniser's C; `ctcCharset` checks the count so a wrong dictionary fails loudly instead of
 * shifting every character by one.
 */
import { SluiceError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';

export interface RecognizedText {
  readonly text: string;
  /** Mean probability of the kept characters' steps, in [0, 1]; 0 for an empty text. */
  readonly confidence: number;
}

/**
 * A dictionary file's characters, one per line (CRLF or LF; a final newline adds no entry). Lines are
 * kept as they are, spaces included, since a line may be a space character.
 */
export function parseDictionary(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The class labels: `''` for blank (index 0), the dictionary, then `' '` when `withSpace` (default). */
export function ctcCharset(dictionary: readonly string[], withSpace = true): string[] {
  return ['', ...dictionary, ...(withSpace ? [' '] : [])];
}

export interface CtcDecodeOptions {
  /** Add the trailing space class after the dictionary; default true (PP-OCR's recognisers have it). */
  readonly withSpace?: boolean;
}

/**
 * One text per row of the recogniser's FP32 `[N, T, C]` output, with `dictionary` the character lines
 * (blank and space are added here).
 * @throws SluiceError `INVALID_INPUT` when the output is not such a tensor or C does not match the
 * dictionary.
 */
export function ctcDecode(
  output: Tensor,
  dictionary: readonly string[],
  options: CtcDecodeOptions = {},
): RecognizedText[] {
  const charset = ctcCharset(dictionary, options.withSpace ?? true);
  const { shape, data } = output;
  const [rows, steps, classes] = shape;
  if (output.datatype !== 'FP32' || !(data instanceof Float32Array) || shape.length !== 3)
    throw invalid(
      `the recogniser output '${output.name}' is ${output.datatype} [${shape.join(',')}], not FP32 [N,T,C]`,
    );
  if (
    rows === undefined ||
    steps === undefined ||
    classes === undefined ||
    data.length !== rows * steps * classes
  )
    throw invalid(`the recogniser output has ${data.length} values for shape [${shape.join(',')}]`);
  if (classes !== charset.length)
    throw invalid(
      `the recogniser has ${classes} classes but the dictionary gives ${charset.length} (blank + ${dictionary.length} characters${options.withSpace === false ? '' : ' + space'})`,
    );
  const results: RecognizedText[] = [];
  for (let n = 0; n < rows; n += 1) {
    let text = '';
    let sum = 0;
    let kept = 0;
    let previous = -1;
    for (let t = 0; t < steps; t += 1) {
      const base = (n * steps + t) * classes;
      let best = 0;
      let bestP = data[base]!;
      for (let c = 1; c < classes; c += 1) {
        const p = data[base + c]!;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      if (best !== 0 && best !== previous) {
        text += charset[best]!;
        sum += bestP;
        kept += 1;
      }
      previous = best;
    }
    results.push({ text, confidence: kept > 0 ? sum / kept : 0 });
  }
  return results;
}

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_INPUT', message);
}
