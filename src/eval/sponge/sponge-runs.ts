/**
 * Runs every policy of the Sponge experiment on every seed through the simulator (the same workload,
 * budgets, profile and seed for each) and sums each run up: SLO violations (1 − attainment: rejected,
 * expired and late requests all count), average cores (core-seconds / duration), p99 latency and plan
 * changes. Requests whose upload alone leaves less than the fastest possible execution are counted
 * apart: no policy can meet them.
 */
import type { Decision } from '../../control/control-loop.js';
import { plannerByName } from '../../planner/planner-registry.js';
import type { Solver } from '../../ports/solver.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { compileScenario, type Scenario } from '../../sim/scenario.js';
import type { SeriesPoint, SimulationResult } from '../../sim/simulation-types.js';
import {
  latencyMs,
  SPONGE_APP,
  SPONGE_MAX_CORES,
  SPONGE_PAYLOAD_KB,
  SPONGE_POLICIES,
  spongeProblem,
  SPONGE_RESIZE_MS,
  type SpongePolicy,
  type SpongeSetup,
} from './sponge-setup.js';

export interface RunSummary {
  readonly policy: string;
  readonly seed: number;
  readonly requests: number;
  readonly outcomes: SimulationResult['outcomes'];
  readonly withinSlo: number;
  /** 1 − attainment. */
  readonly violationRate: number;
  readonly violations: number;
  /** Completed after their deadline. */
  readonly late: number;
  /** Core-seconds / duration. */
  readonly averageCores: number;
  readonly coreSeconds: number;
  readonly p99Ms: number;
  readonly p50Ms: number;
  readonly planChanges: number;
  readonly durationS: number;
}

/** A policy over all seeds: means of the runs' figures. */
export interface PolicySummary {
  readonly policy: string;
  readonly sensitivity: boolean;
  readonly violationRate: number;
  readonly violations: number;
  readonly rejected: number;
  readonly expired: number;
  readonly late: number;
  readonly averageCores: number;
  readonly p99Ms: number;
  readonly planChanges: number;
}

/** What one seed's run of a policy left for the charts and the explanation. */
export interface RunDetail {
  /** Per second of arrival: requests that arrived, and those of them not answered within their deadline. */
  readonly bySecond: { readonly arrivals: readonly number[]; readonly missed: readonly number[] };
  readonly series: readonly SeriesPoint[];
  readonly decisions: readonly Decision[];
  readonly result: SimulationResult;
}

export interface SpongeRuns {
  readonly runs: readonly RunSummary[];
  readonly policies: readonly PolicySummary[];
  /** Per policy, its run on the first seed. */
  readonly detail: ReadonlyMap<string, RunDetail>;
  /** Per seed: requests whose budget at arrival is below l(1, 16), the fastest execution there is. */
  readonly unmeetable: readonly {
    readonly seed: number;
    readonly requests: number;
    readonly count: number;
  }[];
  /** Budgets at arrival over all requests of the first seed, ms. */
  readonly budgetPercentilesMs: { readonly p1: number; readonly p10: number; readonly p50: number };
}

function scenarioOf(setup: SpongeSetup, policy: SpongePolicy, seed: number): Scenario {
  return {
    workloads: { [SPONGE_APP]: setup.workload },
    slo: { source: 'bus-log', payloadKB: SPONGE_PAYLOAD_KB },
    policy: policy.planner,
    ...policy.scenario,
    delays: { resizeMs: SPONGE_RESIZE_MS },
    seed,
  };
}

/** Runs every policy on every seed of `setup`. */
export function runSponge(setup: SpongeSetup, solver: Solver, log: (line: string) => void): SpongeRuns {
  const trace = (file: string): string | SpongeSetup['trace'] =>
    file.startsWith('twitter') ? setup.trace : setup.busLog;
  const budgets = new Map(setup.seeds.map((seed) => [seed, budgetsOf(setup, seed, trace, solver)]));
  const firstSeed = setup.seeds[0] ?? 1;
  const runs: RunSummary[] = [];
  const detail = new Map<string, RunDetail>();
  for (const policy of SPONGE_POLICIES) {
    if (plannerByName(policy.planner) === undefined)
      throw new Error(`sponge: no planner '${policy.planner}'`);
    for (const seed of setup.seeds) {
      const spec = compileScenario(scenarioOf(setup, policy, seed), {
        problem: spongeProblem(setup, policy, solver),
        trace,
        solver,
        // The first seed's runs keep their event log: it ties each outcome to its arrival second.
        eventLog: seed === firstSeed,
      });
      const result = runSimulation(spec);
      runs.push(summarise(policy.id, seed, result));
      if (seed === firstSeed) {
        const bySecond = missesByArrivalSecond(result.eventLog ?? [], budgets.get(seed) ?? []);
        detail.set(policy.id, {
          bySecond,
          series: result.series,
          decisions: result.decisions,
          result: { ...result, eventLog: undefined },
        });
      }
      log(
        `${policy.id} seed ${seed}: ${(100 * (1 - result.attainment)).toFixed(2)}% violations, ` +
          `${(result.cost.coreSeconds / Math.max(1e-9, result.durationS)).toFixed(2)} cores`,
      );
    }
  }
  const fastestMs = latencyMs(setup, 1, SPONGE_MAX_CORES);
  const sorted = [...(budgets.get(firstSeed) ?? [])].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    runs,
    policies: SPONGE_POLICIES.map((p) => aggregate(p, runs)),
    detail,
    unmeetable: setup.seeds.map((seed) => {
      const all = budgets.get(seed) ?? [];
      return { seed, requests: all.length, count: all.filter((b) => b < fastestMs).length };
    }),
    budgetPercentilesMs: { p1: at(0.01), p10: at(0.1), p50: at(0.5) },
  };
}

/**
 * From a run's event log (`<ms> arrive <id> <app>`, `<ms> <outcome> <id> <latency ms> ...`), per second of
 * arrival: the arrivals and the misses (refused, expired, failed, or completed later than the request's
 * budget). Request ids count arrivals from 1 in order, so `budgetsMs[id − 1]` is the request's budget.
 */
export function missesByArrivalSecond(
  eventLog: readonly string[],
  budgetsMs: readonly number[],
): RunDetail['bySecond'] {
  const arrivals: number[] = [];
  const missed: number[] = [];
  const secondOf = new Map<number, number>();
  for (const line of eventLog) {
    const [at, kind, idText, latencyText] = line.split(' ');
    const id = Number(idText);
    if (kind === 'arrive') {
      const second = Math.floor(Number(at) / 1000);
      secondOf.set(id, second);
      arrivals[second] = (arrivals[second] ?? 0) + 1;
      continue;
    }
    if (kind !== 'completed' && kind !== 'rejected' && kind !== 'expired' && kind !== 'failed') continue;
    const second = secondOf.get(id);
    if (second === undefined) continue;
    const late = kind === 'completed' && Number(latencyText) > (budgetsMs[id - 1] ?? Infinity);
    if (kind !== 'completed' || late) missed[second] = (missed[second] ?? 0) + 1;
  }
  return {
    arrivals: Array.from(arrivals, (n) => n ?? 0),
    missed: Array.from({ length: arrivals.length }, (_, i) => missed[i] ?? 0),
  };
}

function summarise(policy: string, seed: number, r: SimulationResult): RunSummary {
  const durationS = Math.max(1e-9, r.durationS);
  return {
    policy,
    seed,
    requests: r.requests,
    outcomes: r.outcomes,
    withinSlo: r.withinSlo,
    violationRate: 1 - r.attainment,
    violations: r.requests - r.withinSlo,
    late: r.outcomes.completed - r.withinSlo,
    averageCores: r.cost.coreSeconds / durationS,
    coreSeconds: r.cost.coreSeconds,
    p99Ms: r.latencyMs.p99,
    p50Ms: r.latencyMs.p50,
    planChanges: r.planChanges,
    durationS: r.durationS,
  };
}

function aggregate(policy: SpongePolicy, runs: readonly RunSummary[]): PolicySummary {
  const own = runs.filter((r) => r.policy === policy.id);
  const mean = (f: (r: RunSummary) => number): number =>
    own.length === 0 ? 0 : own.reduce((s, r) => s + f(r), 0) / own.length;
  return {
    policy: policy.id,
    sensitivity: policy.sensitivity === true,
    violationRate: mean((r) => r.violationRate),
    violations: mean((r) => r.violations),
    rejected: mean((r) => r.outcomes.rejected),
    expired: mean((r) => r.outcomes.expired),
    late: mean((r) => r.late),
    averageCores: mean((r) => r.averageCores),
    p99Ms: mean((r) => r.p99Ms),
    planChanges: mean((r) => r.planChanges),
  };
}

/** The budgets (SLO − upload) of a seed's requests, from the same arrivals the runs replay. */
function budgetsOf(
  setup: SpongeSetup,
  seed: number,
  trace: (file: string) => string | SpongeSetup['trace'],
  solver: Solver,
): number[] {
  const policy = SPONGE_POLICIES[0];
  if (policy === undefined) return [];
  const spec = compileScenario(scenarioOf(setup, { ...policy, planner: 'static' }, seed), {
    problem: spongeProblem(setup, policy, solver),
    trace,
    solver,
  });
  const out: number[] = [];
  for (const a of spec.arrivals.get(SPONGE_APP) ?? []) out.push((a.sloMs ?? 0) - (a.networkMs ?? 0));
  return out;
}
