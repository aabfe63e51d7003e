// The CSV dialect of the published measurements: header, commas, no quoting, LF or CRLF, empty fields;
// malformed text is refused with the line and the column.
import { describe, expect, it } from 'vitest';
import {
  numberField,
  optionalNumberField,
  parseCsvTable,
  textField,
} from '../../../src/profiler/import/csv-table.js';
import { ProfileImportError, withSource } from '../../../src/profiler/import/profile-import-error.js';

function errorOf(run: () => unknown): ProfileImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProfileImportError) return error;
    throw error;
  }
  throw new Error('expected a ProfileImportError');
}

describe('parseCsvTable', () => {
  it('reads rows as records keyed by the header, with their line numbers', () => {
    const table = parseCsvTable('a,b,c\n1,x,3\n4,,6\n');
    expect(table.columns).toEqual(['a', 'b', 'c']);
    expect(table.rows).toEqual([
      { a: '1', b: 'x', c: '3' },
      { a: '4', b: '', c: '6' },
    ]);
    expect(table.lineNos).toEqual([2, 3]);
  });

  it('reads CRLF text, a byte-order mark and blank lines like LF text, keeping the real line numbers', () => {
    const lf = parseCsvTable('a,b\n1,2\n3,4\n');
    const crlf = parseCsvTable('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n\r\n');
    expect(crlf.columns).toEqual(lf.columns);
    expect(crlf.rows).toEqual(lf.rows);
    expect(crlf.lineNos).toEqual([2, 4]);
  });

  it('accepts a header without rows', () => {
    expect(parseCsvTable('a,b\r\n').rows).toEqual([]);
  });

  it('names the line and the first missing column of a short row', () => {
    const error = errorOf(() => parseCsvTable('a,b,c\n1,2,3\n4,5\n'));
    expect(error.message).toBe('line 3: 2 fields where the header has 3; column 3 (c) onwards is missing');
    expect(error.lineNo).toBe(3);
  });

  it('names the line and the first extra column of a long row', () => {
    expect(() => parseCsvTable('a,b\r\n1,2,3\r\n')).toThrow(
      'line 2: 3 fields where the header has 2; column 3 onwards has no header',
    );
  });

  it('refuses a missing header, empty or repeated column names and missing required columns', () => {
    expect(() => parseCsvTable('')).toThrow('line 1: expected a header row');
    expect(() => parseCsvTable('a,,c\n')).toThrow('line 1, column 2: empty column name');
    expect(() => parseCsvTable('a,b,a\n')).toThrow("line 1, column 3: column 'a' appears twice");
    expect(() => parseCsvTable('a,b\n', { requiredColumns: ['a', 'x', 'y'] })).toThrow(
      "line 1: missing columns 'x', 'y'",
    );
  });

  it('refuses quoted fields rather than misreading them', () => {
    expect(() => parseCsvTable('a,b\n1,"2,3"\n')).toThrow(
      'line 2, column 2 (b): quoted fields are not supported',
    );
  });
});

describe('numberField and friends', () => {
  const table = parseCsvTable('name,ms,count\nx,1.5,3\ny,abc,\nz,-2,0.5\n');
  const [first, second, third] = table.rows as [
    (typeof table.rows)[number],
    (typeof table.rows)[number],
    (typeof table.rows)[number],
  ];

  it('reads decimal numbers, including exponents and signs', () => {
    expect(numberField(first, 'ms', 2)).toBe(1.5);
    expect(numberField({ v: '-1.25e3' }, 'v', 9)).toBe(-1250);
    expect(numberField({ v: '.5' }, 'v', 9)).toBe(0.5);
    expect(numberField(third, 'ms', 4)).toBe(-2);
  });

  it('names the line and the column, by position and name, of a field that is not a number', () => {
    const error = errorOf(() => numberField(second, 'ms', 3));
    expect(error.message).toBe("line 3, column 2 (ms): expected a number, got 'abc'");
    expect(error.lineNo).toBe(3);
    expect(error.column).toBe('ms');
  });

  it('refuses an empty field unless it is optional', () => {
    expect(() => numberField(second, 'count', 3)).toThrow(
      'line 3, column 3 (count): empty, expected a number',
    );
    expect(optionalNumberField(second, 'count', 3)).toBeUndefined();
    expect(optionalNumberField(first, 'count', 2)).toBe(3);
  });

  it('refuses what Number() would wrongly accept', () => {
    for (const text of [' ', '0x10', 'Infinity', '1e999', '1,5', '1.2.3']) {
      expect(() => numberField({ v: text }, 'v', 5), text).toThrow('line 5, column 1 (v): expected a number');
    }
  });

  it('holds a field to its kind', () => {
    expect(() => numberField(third, 'ms', 4, 'non-negative')).toThrow(
      "line 4, column 2 (ms): expected a non-negative number, got '-2'",
    );
    expect(() => numberField({ v: '0' }, 'v', 2, 'positive')).toThrow('expected a positive number');
    expect(() => numberField(third, 'count', 4, 'positive-integer')).toThrow(
      "line 4, column 3 (count): expected a positive-integer number, got '0.5'",
    );
    expect(numberField(first, 'count', 2, 'positive-integer')).toBe(3);
  });

  it('reads non-empty text and names an unknown column', () => {
    expect(textField(first, 'name', 2)).toBe('x');
    expect(() => textField({ a: '' }, 'a', 7)).toThrow('line 7, column 1 (a): empty, expected text');
    expect(() => numberField(first, 'nope', 2)).toThrow("line 2: the table has no column 'nope'");
  });
});

describe('withSource', () => {
  it('prefixes import errors with the file and keeps their line and column', () => {
    const error = errorOf(() => withSource('latency.csv', () => numberField({ v: 'x' }, 'v', 4)));
    expect(error.message).toBe("latency.csv: line 4, column 1 (v): expected a number, got 'x'");
    expect(error.lineNo).toBe(4);
    expect(error.column).toBe('v');
  });

  it('passes other errors and results through unchanged', () => {
    expect(withSource('f', () => 42)).toBe(42);
    expect(() =>
      withSource('f', () => {
        throw new TypeError('other');
      }),
    ).toThrow(new TypeError('other'));
  });
});
