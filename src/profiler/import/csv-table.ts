/**
 * The small CSV dialect of the published measurements in `shared/profiles/`: a header row, comma-separated
 * fields, no quoting, LF or CRLF line ends, possibly empty fields. Anything outside that dialect (a quote
 * character, a row of the wrong width) is refused with the line and column rather than guessed at, because
 * a silently shifted column would import plausible but wrong latencies.
 */
import { ProfileImportError } from './profile-import-error.js';

/** One data row: field text by column name, in header order. */
export type CsvRecord = Readonly<Record<string, string>>;

export interface CsvTable {
  /** Column names in header order. */
  readonly columns: readonly string[];
  /** Data rows in file order; blank lines are skipped. */
  readonly rows: readonly CsvRecord[];
  /** The 1-based line of each row in the text (the header is line 1), parallel to `rows`. */
  readonly lineNos: readonly number[];
}

export interface CsvTableOptions {
  /** Columns the header must have (others may be present); default none. */
  readonly requiredColumns?: readonly string[];
}

/** Parses `text` into rows keyed by the header's column names; throws `ProfileImportError` naming the line. */
export function parseCsvTable(text: string, options: CsvTableOptions = {}): CsvTable {
  // A byte-order mark would otherwise become part of the first column's name.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  if (headerLine.trim() === '') throw new ProfileImportError('line 1: expected a header row', { lineNo: 1 });
  const columns = splitFields(headerLine, 1, undefined);
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (name === '')
      throw new ProfileImportError(`line 1, column ${i + 1}: empty column name`, { lineNo: 1 });
    if (seen.has(name)) {
      throw new ProfileImportError(`line 1, column ${i + 1}: column '${name}' appears twice`, {
        lineNo: 1,
        column: name,
      });
    }
    seen.add(name);
  });
  const missing = (options.requiredColumns ?? []).filter((name) => !seen.has(name));
  if (missing.length > 0) {
    throw new ProfileImportError(
      `line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`,
      { lineNo: 1 },
    );
  }

  const rows: CsvRecord[] = [];
  const lineNos: number[] = [];
  lines.slice(1).forEach((line, i) => {
    const lineNo = i + 2;
    if (line.trim() === '') return;
    const fields = splitFields(line, lineNo, columns);
    if (fields.length !== columns.length) {
      const firstOff = Math.min(fields.length, columns.length);
      const detail =
        fields.length < columns.length
          ? `column ${firstOff + 1} (${columns[firstOff] ?? '?'}) onwards is missing`
          : `column ${firstOff + 1} onwards has no header`;
      throw new ProfileImportError(
        `line ${lineNo}: ${fields.length} fields where the header has ${columns.length}; ${detail}`,
        { lineNo },
      );
    }
    rows.push(Object.fromEntries(columns.map((name, j) => [name, fields[j] ?? ''])));
    lineNos.push(lineNo);
  });
  return { columns, rows, lineNos };
}

function splitFields(line: string, lineNo: number, columns: readonly string[] | undefined): string[] {
  const fields = line.split(',');
  const quoted = fields.findIndex((f) => f.includes('"'));
  if (quoted >= 0) {
    const name = columns?.[quoted];
    throw new ProfileImportError(
      `line ${lineNo}, column ${quoted + 1}${name === undefined ? '' : ` (${name})`}: quoted fields are not supported`,
      { lineNo, ...(name === undefined ? {} : { column: name }) },
    );
  }
  return fields;
}

/** What a numeric field must satisfy beyond being a finite decimal number. */
export type NumberKind = 'any' | 'non-negative' | 'positive' | 'positive-integer';

// Plain decimal notation only: `Number()` would also accept '', ' ', '0x1f' and 'Infinity'.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number in `row[column]`, or a `ProfileImportError` naming `lineNo` and the column (its position and
 * name) when the field is missing, empty, not a decimal number or not of `kind` (default `any`).
 */
export function numberField(
  row: CsvRecord,
  column: string,
  lineNo: number,
  kind: NumberKind = 'any',
): number {
  const value = optionalNumberField(row, column, lineNo, kind);
  if (value === undefined) {
    throw new ProfileImportError(`${fieldPosition(row, column, lineNo)}: empty, expected a number`, {
      lineNo,
      column,
    });
  }
  return value;
}

/** Like `numberField`, but an empty field is `undefined` rather than an error. */
export function optionalNumberField(
  row: CsvRecord,
  column: string,
  lineNo: number,
  kind: NumberKind = 'any',
): number | undefined {
  const text = fieldText(row, column, lineNo);
  if (text === '') return undefined;
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) {
    throw new ProfileImportError(`${fieldPosition(row, column, lineNo)}: expected a number, got '${text}'`, {
      lineNo,
      column,
    });
  }
  const violated =
    (kind === 'non-negative' && value < 0) ||
    ((kind === 'positive' || kind === 'positive-integer') && value <= 0) ||
    (kind === 'positive-integer' && !Number.isInteger(value));
  if (violated) {
    throw new ProfileImportError(
      `${fieldPosition(row, column, lineNo)}: expected a ${kind} number, got '${text}'`,
      {
        lineNo,
        column,
      },
    );
  }
  return value;
}

/** The non-empty text in `row[column]`, or a `ProfileImportError` naming the line and column. */
export function textField(row: CsvRecord, column: string, lineNo: number): string {
  const text = fieldText(row, column, lineNo);
  if (text === '') {
    throw new ProfileImportError(`${fieldPosition(row, column, lineNo)}: empty, expected text`, {
      lineNo,
      column,
    });
  }
  return text;
}

function fieldText(row: CsvRecord, column: string, lineNo: number): string {
  const text = row[column];
  if (text === undefined) {
    throw new ProfileImportError(`line ${lineNo}: the table has no column '${column}'`, { lineNo, column });
  }
  return text;
}

/**
 * Where a field is, for messages: `line 7, column 5 (infer_p50_ms)`. Records keep the header's order, so the
 * column's position is recoverable from the record.
 */
export function fieldPosition(row: CsvRecord, column: string, lineNo: number): string {
  return `line ${lineNo}, column ${Object.keys(row).indexOf(column) + 1} (${column})`;
}
