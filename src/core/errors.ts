/**
 * The error catalogue. Every error Sluice reports has a code here; `docs/errors.md` documents each one
 * and a test fails when the two disagree. Expected outcomes travel as values carrying a `SluiceError`;
 * `toOipError()` is the one place that turns them into an HTTP status and an OIP `{"error": "..."}` body.
 */

export const ERROR_CATALOGUE = {
  INVALID_REQUEST: { status: 400, summary: 'The request body is malformed or not an OIP inference request.' },
  INVALID_INPUT: {
    status: 400,
    summary: 'An input tensor does not match the model (name, datatype, shape, data).',
  },
  UNKNOWN_MODEL: { status: 404, summary: 'No model (or application) of that name is served.' },
  UNKNOWN_VERSION: { status: 404, summary: 'The model has no version (variant) of that name.' },
  UNKNOWN_ROUTE: { status: 404, summary: 'No endpoint at that path for that method.' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The request body is larger than the configured limit.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    summary: 'The request body is neither JSON nor the binary tensor extension.',
  },
  DEADLINE_UNMEETABLE: {
    status: 429,
    summary: 'Rejected at admission: the deadline cannot be met given the queue ahead and the latency model.',
  },
  OVERLOADED: { status: 503, summary: 'Rejected for load: the queue is full.' },
  NOT_READY: { status: 503, summary: 'The model has no ready instance, or the server is shutting down.' },
  DEADLINE_EXCEEDED: {
    status: 504,
    summary: 'The deadline passed (or became unmeetable) while the request was queued.',
  },
  INSTANCE_FAILED: {
    status: 500,
    summary: 'The instance executing the request failed (crash or runtime error) and the retry failed too.',
  },
  INTERNAL: { status: 500, summary: 'An unexpected internal error.' },
  INVALID_CONFIG: {
    status: 500,
    summary: 'A configuration file is invalid; the message names the file and the key.',
  },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class SluiceError extends Error {
  readonly code: ErrorCode;
  /** For load rejections: how long the client should wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

export interface OipError {
  status: number;
  body: { error: string };
  /** Extra response headers, e.g. Retry-After in whole seconds. */
  headers: Record<string, string>;
}

/** The single mapping from any thrown or returned error to an HTTP status and OIP error body. */
export function toOipError(error: unknown): OipError {
  const e =
    error instanceof SluiceError ? error : new SluiceError('INTERNAL', describe(error), { cause: error });
  const headers: Record<string, string> = {};
  if (e.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfterMs / 1000)));
  return { status: e.status, body: { error: `${e.code}: ${e.message}` }, headers };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
