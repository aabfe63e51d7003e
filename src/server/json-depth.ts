/**
 * A nesting-depth guard run over JSON text before it is parsed, so a hostile body such as a million `[`
 * costs a short scan and a 400 instead of a long parse (V8 parses deep nesting iteratively, but some
 * thirty times slower per byte than flat numbers) and deep recursion in whatever walks the result.
 */

/** Only the characters that change depth or string state; numbers, the bulk of tensor data, are skipped by the regex engine. */
const STRUCTURAL = /[[\]{}"\\]/g;

/**
 * True when the JSON text nests arrays/objects deeper than `maxDepth`. Brackets inside strings do not
 * count. Exact for valid JSON; for invalid JSON the answer does not matter, the parser rejects it anyway.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  const scanner = new RegExp(STRUCTURAL);
  for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
    const c = match[0];
    if (inString) {
      if (c === '\\') scanner.lastIndex += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      if (++depth > maxDepth) return true;
    } else if (c === ']' || c === '}') {
      depth -= 1;
    }
  }
  return false;
}
