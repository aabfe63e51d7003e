/**
 * GitHub-flavoured Markdown tables for reports: numbers formatted and right-aligned, missing cells
 * shown as a dash, and the source padded into columns so that it reads as a table before rendering too.
 */

export type TableAlign = 'left' | 'right' | 'center';

/** A table cell: text, a number (formatted here), or `undefined` for a missing value (written `—`). */
export type TableCell = string | number | undefined;

export interface MarkdownTableOptions {
  /**
   * Alignment per column; a missing entry takes the default: `right` for a column whose cells are all
   * numbers or missing (with at least one number), `left` otherwise.
   */
  readonly align?: readonly (TableAlign | undefined)[];
  /**
   * Decimals for every number (0–20). Default: integers as they are; other numbers with 2 decimals,
   * or 2 significant digits when below 0.01 in size (so 0.0042 ms does not become 0.00).
   */
  readonly decimals?: number;
}

/** What a missing value is written as. */
export const MISSING_CELL = '—';

/**
 * The table as Markdown, one line per row and a final newline. Rows shorter than the header are
 * completed with missing cells. Pipes in text are escaped (`\|`) and line breaks become `<br>`, so no
 * cell can break the table.
 * @throws RangeError without headers, for a row longer than the header, or for `decimals` outside 0–20.
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly TableCell[])[],
  options: MarkdownTableOptions = {},
): string {
  const { decimals } = options;
  if (headers.length === 0) throw new RangeError('a Markdown table needs at least one column');
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 20)) {
    throw new RangeError(`decimals must be an integer from 0 to 20, got ${decimals}`);
  }
  rows.forEach((row, i) => {
    if (row.length > headers.length) {
      throw new RangeError(`row ${i} has ${row.length} cells but the table has ${headers.length} columns`);
    }
  });
  const columns = headers.map((_, c) => rows.map((row) => row[c]));
  const align = columns.map((cells, c) => options.align?.[c] ?? defaultAlign(cells));
  const body = rows.map((row) => headers.map((_, c) => formatCell(row[c], decimals)));
  const head = headers.map(escapeCell);
  const widths = headers.map((_, c) => Math.max(3, ...[head, ...body].map((line) => length(line[c] ?? ''))));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, c) => pad(cell, widths[c] ?? 3, align[c] ?? 'left')).join(' | ')} |`;
  const rule = `| ${align.map((a, c) => alignmentRule(a, widths[c] ?? 3)).join(' | ')} |`;
  return `${[line(head), rule, ...body.map(line)].join('\n')}\n`;
}

function defaultAlign(cells: readonly TableCell[]): TableAlign {
  const present = cells.filter((c) => c !== undefined);
  return present.length > 0 && present.every((c) => typeof c === 'number') ? 'right' : 'left';
}

function formatCell(cell: TableCell, decimals: number | undefined): string {
  if (cell === undefined) return MISSING_CELL;
  if (typeof cell === 'string') return escapeCell(cell);
  return formatTableNumber(cell, decimals);
}

/** A number as a table writes it (see {@link MarkdownTableOptions.decimals}); never `-0`. */
export function formatTableNumber(value: number, decimals?: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  let text: string;
  if (decimals !== undefined) text = value.toFixed(decimals);
  else if (Number.isInteger(value)) text = String(value);
  else if (Math.abs(value) < 0.01) text = String(Number(value.toPrecision(2)));
  else text = value.toFixed(2);
  // Rounding can leave a minus on zero (-0.001 to two decimals is "-0.00").
  return /^-[0.]+$/.test(text) ? text.slice(1) : text;
}

function escapeCell(text: string): string {
  return text
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Length in code points, so that a cell with an emoji or an accented letter pads as it looks. */
function length(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, align: TableAlign): string {
  const space = Math.max(0, width - length(text));
  if (align === 'right') return ' '.repeat(space) + text;
  if (align === 'center') return ' '.repeat(Math.floor(space / 2)) + text + ' '.repeat(Math.ceil(space / 2));
  return text + ' '.repeat(space);
}

function alignmentRule(align: TableAlign, width: number): string {
  if (align === 'right') return `${'-'.repeat(width - 1)}:`;
  if (align === 'center') return `:${'-'.repeat(width - 2)}:`;
  return `:${'-'.repeat(width - 1)}`;
}
