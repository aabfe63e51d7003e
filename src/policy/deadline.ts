/**
 * The absolute deadline of a request (DESIGN.md §1): arrival + budget, where the budget is the first of
 * `parameters.timeout` (µs, Triton), `parameters.slo_ms`, the `x-sluice-slo-ms` header, or the module's
 * default SLO; minus the network time the client says it already spent (Sponge's dynamic SLO).
 */
import { SluiceError } from '../core/errors.js';

export interface DeadlineHints {
  readonly timeoutUs?: number;
  readonly sloMs?: number;
  readonly headerSloMs?: number;
  readonly networkMs?: number;
}

export interface Deadline {
  readonly deadlineMs: number;
  /** The budget left at arrival, in ms (may be ≤ 0 when the network took it all). */
  readonly budgetMs: number;
  /** Which hint the budget came from. */
  readonly source: 'timeout' | 'slo_ms' | 'header' | 'default';
}

/** Computes the deadline, or a SluiceError (INVALID_REQUEST) naming the bad hint. */
export function computeDeadline(
  arrivalMs: number,
  hints: DeadlineHints,
  defaultSloMs: number,
): Deadline | SluiceError {
  for (const [key, value] of Object.entries(hints)) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      return new SluiceError(
        'INVALID_REQUEST',
        `${hintName(key)} must be a non-negative number, got ${String(value)}`,
      );
    }
  }
  let sloMs: number;
  let source: Deadline['source'];
  // Triton clients send timeout 0 to mean "no timeout": fall through to the next hint.
  if (hints.timeoutUs !== undefined && hints.timeoutUs > 0) {
    sloMs = hints.timeoutUs / 1000;
    source = 'timeout';
  } else if (hints.sloMs !== undefined) {
    sloMs = hints.sloMs;
    source = 'slo_ms';
  } else if (hints.headerSloMs !== undefined) {
    sloMs = hints.headerSloMs;
    source = 'header';
  } else {
    sloMs = defaultSloMs;
    source = 'default';
  }
  const budgetMs = sloMs - (hints.networkMs ?? 0);
  return { deadlineMs: arrivalMs + budgetMs, budgetMs, source };
}

function hintName(key: string): string {
  switch (key) {
    case 'timeoutUs':
      return 'parameters.timeout (µs)';
    case 'sloMs':
      return 'parameters.slo_ms';
    case 'headerSloMs':
      return 'header x-sluice-slo-ms';
    case 'networkMs':
      return 'network_ms';
    default:
      return key;
  }
}
