/**
 * The deadline a request carries, in one of the two forms the server reads (DESIGN.md §1):
 * - `slo`: `parameters.slo_ms`, plus `parameters.network_ms` when the workload says how long the request
 *   already spent on the network; the server subtracts it.
 * - `timeout`: `parameters.timeout` in microseconds, as Triton clients send it, already net of network time
 *   (sending network_ms as well would subtract it twice). Triton reads 0 as "no timeout", so a budget at or
 *   below zero is sent as 1 µs: the request is meant to be already late.
 */
import type { Arrival } from '../sim/workload/workload.js';

export type DeadlineMode = 'slo' | 'timeout';

export interface RequestDeadline {
  /** Request-level OIP parameters to send. */
  readonly parameters: Readonly<Record<string, number>>;
  /** What the server may spend: slo − network, in ms from the scheduled send (may be ≤ 0). */
  readonly budgetMs: number;
}

/** Deadline of `arrival`; `defaultSloMs` applies when the workload states no SLO. */
export function deadlineParameters(
  arrival: Arrival,
  defaultSloMs: number,
  mode: DeadlineMode,
): RequestDeadline {
  const sloMs = arrival.sloMs ?? defaultSloMs;
  const networkMs = arrival.networkMs;
  const budgetMs = sloMs - (networkMs ?? 0);
  if (mode === 'timeout')
    return { parameters: { timeout: Math.max(1, Math.round(budgetMs * 1000)) }, budgetMs };
  // µs resolution is plenty and keeps the body short.
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    parameters:
      networkMs === undefined
        ? { slo_ms: round(sloMs) }
        : { slo_ms: round(sloMs), network_ms: round(networkMs) },
    budgetMs,
  };
}
