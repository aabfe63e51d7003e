/** A simulated run's outcome as a person reads it. */
import type { SimulationResult } from '../sim/simulation-types.js';

export function formatSimulation(
  r: SimulationResult,
  run: { name: string; policy: string; wallMs: number },
): string {
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const ms = (x: number): string => x.toFixed(x >= 100 ? 0 : 1);
  const o = r.outcomes;
  return [
    `${run.name} (policy ${run.policy}): ${r.requests} requests over ${r.durationS.toFixed(0)} s, simulated in ${(run.wallMs / 1000).toFixed(2)} s`,
    `  SLO attainment ${pct(r.attainment)} (${r.withinSlo} within their deadline), goodput ${r.goodputRps.toFixed(2)} req/s`,
    `  outcomes: ${o.completed} completed, ${o.rejected} refused at admission, ${o.expired} expired in queue, ${o.failed} failed`,
    `  latency (completed): p50 ${ms(r.latencyMs.p50)} ms, p90 ${ms(r.latencyMs.p90)} ms, p99 ${ms(r.latencyMs.p99)} ms, max ${ms(r.latencyMs.max)} ms`,
    `  cost: ${r.cost.coreSeconds.toFixed(0)} core-seconds, $${r.cost.dollars.toFixed(4)}; accuracy served ${r.accuracy.toFixed(4)}; ${r.planChanges} plan changes`,
  ].join('\n');
}
