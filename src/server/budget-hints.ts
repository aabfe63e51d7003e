/**
 * Reads a request's latency-budget hints (DESIGN.md §1) from the OIP `parameters` and Sluice's headers.
 * Only parsing and range checks happen here; which hint wins is the engine's business (BudgetHints).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { SluiceError } from '../core/errors.js';
import type { BudgetHints } from '../engine/types.js';

/** Header with the request's SLO in ms (used when neither `parameters.timeout` nor `parameters.slo_ms` is given). */
export const SLO_HEADER = 'x-sluice-slo-ms';
/** Header with time the request already spent on the network, in ms (`parameters.network_ms` wins). */
export const NETWORK_HEADER = 'x-sluice-network-ms';

const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * `parameters.timeout` (µs, ≥ 0; 0 means none, as Triton clients send it), `parameters.slo_ms` (> 0),
 * header `x-sluice-slo-ms` (> 0), `parameters.network_ms` or header `x-sluice-network-ms` (≥ 0).
 * Any present but malformed value is an INVALID_REQUEST (400), never silently ignored.
 */
export function readBudgetHints(
  parameters: Readonly<Record<string, unknown>>,
  headers: IncomingHttpHeaders,
): BudgetHints | SluiceError {
  const timeoutUs = parameter(parameters, 'timeout', 'parameters.timeout (µs)', false);
  const sloMs = parameter(parameters, 'slo_ms', 'parameters.slo_ms', true);
  const headerSloMs = header(headers, SLO_HEADER, true);
  const networkParam = parameter(parameters, 'network_ms', 'parameters.network_ms', false);
  const networkMs = networkParam ?? header(headers, NETWORK_HEADER, false);
  for (const value of [timeoutUs, sloMs, headerSloMs, networkMs])
    if (value instanceof SluiceError) return value;
  return {
    ...(typeof timeoutUs === 'number' ? { timeoutUs } : {}),
    ...(typeof sloMs === 'number' ? { sloMs } : {}),
    ...(typeof headerSloMs === 'number' ? { headerSloMs } : {}),
    ...(typeof networkMs === 'number' ? { networkMs } : {}),
  };
}

function parameter(
  parameters: Readonly<Record<string, unknown>>,
  key: string,
  what: string,
  positive: boolean,
): number | SluiceError | undefined {
  if (!Object.hasOwn(parameters, key)) return undefined;
  return checked(parameters[key], what, positive);
}

function header(
  headers: IncomingHttpHeaders,
  name: string,
  positive: boolean,
): number | SluiceError | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  // Node joins repeated custom headers with ", ", which the pattern below rejects.
  const text = Array.isArray(raw) ? raw.join(', ') : raw.trim();
  if (!DECIMAL.test(text))
    return new SluiceError('INVALID_REQUEST', `header ${name} must be a number of ms, got '${text}'`);
  return checked(Number(text), `header ${name}`, positive);
}

function checked(value: unknown, what: string, positive: boolean): number | SluiceError {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    const bound = positive ? 'a positive' : 'a non-negative';
    return new SluiceError(
      'INVALID_REQUEST',
      `${what} must be ${bound} number, got ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  return value;
}
