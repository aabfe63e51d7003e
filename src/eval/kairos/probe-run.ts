/**
 * One probe of the rate search: a fixed pool (a KAIROS plan, applied as it is and never changed) under
 * Poisson arrivals at one offered rate for a fixed time, through Sluice's own simulator, with the
 * queries dispatched by KAIROS's min-cost matching or first-come-first-served. Every query is served,
 * late or not (admission `serve`), as in KAIROS's released query distributor, which counts a query as
 * a violation when its wait plus execution exceeds the target and never drops one
 * (boringlee24/hpdc23-kairos, kairos_query_distributor.py). Outcomes are broken down by size range
 * from the run's event log (each range is its own application in the simulation problem).
 */
import type { Plan } from '../../planner/plan.js';
import type { Solver } from '../../ports/solver.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { compileScenario } from '../../sim/scenario.js';
import type { SeriesPoint, SimulationResult } from '../../sim/simulation-types.js';
import { KAIROS_TARGET_MS, SIZE_RANGES, type KairosModelProblems } from './kairos-problems.js';

export type KairosDispatch = 'min-cost-matching' | 'fcfs';

export interface ProbeSettings {
  readonly problems: KairosModelProblems;
  /** The pool, as a plan (its tuples' instances are what runs). */
  readonly plan: Plan;
  readonly dispatch: KairosDispatch;
  /** p99/p50 of service times (the simulator's log-normal spread). */
  readonly spread: number;
  /** Arrivals are offered for this long, s; the run then drains every query. */
  readonly durationS: number;
  readonly seed: number;
  readonly solver: Solver;
  /** Keep the per-second series (for charts). Default false. */
  readonly keepSeries?: boolean;
}

/** Queries of one size range in a probe. */
export interface RangeOutcome {
  readonly name: string;
  readonly requests: number;
  /** Completed within the target. */
  readonly withinTarget: number;
}

export interface ProbeOutcome {
  /** Offered rate, requests/s. */
  readonly rateRps: number;
  readonly durationS: number;
  readonly requests: number;
  readonly outcomes: SimulationResult['outcomes'];
  /** Completed within the target (the simulator's count). */
  readonly withinTarget: number;
  /** withinTarget / requests. */
  readonly attainment: number;
  /** End-to-end latency of completed queries, ms. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Per size range, in the mixture's order. */
  readonly byRange: readonly RangeOutcome[];
  /** Per-second series, when asked for. */
  readonly series?: readonly SeriesPoint[];
}

/** Runs the probe at `rateRps` (see the file comment). Deterministic for the same settings and rate. */
export function runProbe(settings: ProbeSettings, rateRps: number): ProbeOutcome {
  const workloads = Object.fromEntries(
    SIZE_RANGES.map((r) => [r.name, `poisson:${rateRps * r.share}:${settings.durationS}`]),
  );
  const compiled = compileScenario(
    {
      workloads,
      policy: 'static',
      dispatch: settings.dispatch,
      batching: { admission: 'serve' },
      spread: settings.spread,
      seed: settings.seed,
    },
    {
      problem: settings.problems.simulation(rateRps),
      trace: () => {
        throw new Error('a Poisson workload reads no trace');
      },
      solver: settings.solver,
      eventLog: true,
    },
  );
  const result = runSimulation({ ...compiled, fixedPlan: settings.plan });
  return {
    rateRps,
    durationS: settings.durationS,
    requests: result.requests,
    outcomes: result.outcomes,
    withinTarget: result.withinSlo,
    attainment: result.attainment,
    latencyMs: { p50: result.latencyMs.p50, p99: result.latencyMs.p99, max: result.latencyMs.max },
    byRange: rangeOutcomes(result.eventLog ?? []),
    ...(settings.keepSeries === true ? { series: result.series } : {}),
  };
}

/**
 * Per size range from the event log's `<ms> arrive <id> <app>` and `<ms> completed <id> <latency ms> ...`
 * lines (run-recorder.ts). Latencies there have 3 decimals, so a query finishing within half a
 * microsecond of its deadline may be counted on the other side of it than the simulator's own count.
 */
function rangeOutcomes(log: readonly string[]): RangeOutcome[] {
  const rangeOf = new Map<string, string>();
  const counts = new Map(SIZE_RANGES.map((r) => [r.name, { requests: 0, withinTarget: 0 }]));
  for (const line of log) {
    const [, kind, id, detail] = line.split(' ');
    if (id === undefined || detail === undefined) continue;
    if (kind === 'arrive') {
      rangeOf.set(id, detail);
      const c = counts.get(detail);
      if (c !== undefined) c.requests += 1;
    } else if (kind === 'completed' && Number(detail) <= KAIROS_TARGET_MS) {
      const c = counts.get(rangeOf.get(id) ?? '');
      if (c !== undefined) c.withinTarget += 1;
    }
  }
  return SIZE_RANGES.map((r) => ({
    name: r.name,
    ...(counts.get(r.name) ?? { requests: 0, withinTarget: 0 }),
  }));
}
