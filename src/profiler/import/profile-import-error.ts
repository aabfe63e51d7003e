/**
 * Published measurements that cannot be imported as they stand: malformed CSV text, or figures outside the
 * importer's reading of the data. Thrown (not returned) because it is a mistake in an input file, found
 * before anything runs; the message names the file (once `withSource` has added it), the line and the column.
 */
export class ProfileImportError extends Error {
  override readonly name = 'ProfileImportError';
  /** 1-based line in the text, the header being line 1; undefined for problems of the file as a whole. */
  readonly lineNo: number | undefined;
  /** The column's name in the header; undefined when the problem is not one field's. */
  readonly column: string | undefined;

  constructor(message: string, where: { lineNo?: number; column?: string; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.lineNo = where.lineNo;
    this.column = where.column;
  }
}

/**
 * Runs `parse` and prefixes the message of any `ProfileImportError` it throws with `from` (the file's name
 * as the caller gave it), so that the CSV helpers need not know which file they are reading.
 */
export function withSource<T>(from: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ProfileImportError)) throw error;
    throw new ProfileImportError(`${from}: ${error.message}`, {
      ...(error.lineNo === undefined ? {} : { lineNo: error.lineNo }),
      ...(error.column === undefined ? {} : { column: error.column }),
      cause: error,
    });
  }
}
