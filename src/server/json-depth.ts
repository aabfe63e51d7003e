/**
 * A nesting-depth guard run over raw JSON bytes before they are parsed, so a hostile body such as a
 * million `[` costs one linear scan and a 400 instead of deep recursion in whatever walks the result.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * True when the JSON text in `bytes[0, end)` nests arrays/objects deeper than `maxDepth`. Brackets inside
 * strings do not count. Exact for valid JSON; for invalid JSON the answer does not matter, the parser
 * rejects it anyway.
 */
export function jsonDepthExceeds(bytes: Uint8Array, end: number, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
