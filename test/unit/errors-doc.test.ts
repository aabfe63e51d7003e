// docs/errors.md documents every code of ERROR_CATALOGUE with its status and meaning, and nothing else.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, SluiceError, toOipError, type ErrorCode } from '../../src/core/errors.js';

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');

/** Rows of the catalogue table: `| \`CODE\` | status | meaning | causes |`. */
function documented(markdown: string): Map<string, { status: number; meaning: string }> {
  const rows = new Map<string, { status: number; meaning: string }>();
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|/.exec(line);
    if (match === null) continue;
    const [, code, status, meaning] = match;
    if (rows.has(code!)) throw new Error(`docs/errors.md lists ${code} twice`);
    rows.set(code!, { status: Number(status), meaning: meaning! });
  }
  return rows;
}

describe('docs/errors.md', () => {
  const rows = documented(DOC);

  it('lists exactly the codes of the catalogue', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });

  it('gives each code the catalogue status and meaning', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(rows.get(code), code).toEqual({ status: entry.status, meaning: entry.summary });
    }
  });

  it('states what toOipError sends for each code', () => {
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
      const oip = toOipError(new SluiceError(code, 'why'));
      expect(oip.status).toBe(rows.get(code)?.status);
      expect(oip.body).toEqual({ error: `${code}: why` });
    }
  });

  it('the parser notices a disagreement (the check can fail)', () => {
    const tampered = DOC.replace(/(\| `OVERLOADED`\s*\|\s*)503/, '$1502').replace(/^\| `INTERNAL` .*$/m, '');
    const changed = documented(tampered);
    expect(changed.get('OVERLOADED')?.status).toBe(502);
    expect(changed.has('INTERNAL')).toBe(false);
  });
});
