/**
 * "What explains the difference", computed per model from the profiles and the measured searches:
 * which instance type is cheapest per query and which query sizes it can serve within the target
 * (that decides whether a mix can beat a single-type pool at all), how close each configuration came
 * to its pool's fluid capacity, and where the misses were when each first failed.
 */
import { tupleLatencyMs } from '../../planner/planning-model.js';
import type { PlanningProblem } from '../../planner/planning-problem.js';
import { KAIROS_TARGET_MS, QUERY_SIZES, SIZE_RANGES } from './kairos-problems.js';
import type { ConfigurationResult, KairosRun, ModelResult } from './kairos-run.js';

/** What one instance type offers a model on the query-size mixture. */
export interface TypeFacts {
  readonly type: string;
  readonly pricePerHour: number;
  /** Mixture-mean median service time, ms. */
  readonly meanMs: number;
  /** Queries/s of one instance on the mixture, per $/h of it. */
  readonly rpsPerDollar: number;
  /** Share of queries whose p99 on it meets the target. */
  readonly coverage: number;
  /** Largest size whose p99 meets the target, rows (0: none). */
  readonly largestRows: number;
  /**
   * Share of queries whose median service time on it exceeds half the target: they miss it as soon
   * as they wait about as long as they run, so they need an idle instance of the type, not just time.
   */
  readonly tightShare: number;
  /** Median service time of a 150-row and a 1000-row query, ms. */
  readonly ms150: number;
  readonly ms1000: number;
}

/** Facts of every instance type of the model's problems. */
export function typeFacts(model: ModelResult): TypeFacts[] {
  const { planning } = model.problems;
  const medians = model.problems.simulation(0);
  return planning.hardware.map((h) => {
    const p99 = (rows: number): number => latencyOf(planning, h.name, rows, h.maxCores);
    const p50 = (rows: number): number => latencyOf(medians, h.name, rows, h.maxCores);
    const meanMs = QUERY_SIZES.reduce((sum, s) => sum + s.share * p50(s.rows), 0);
    const fits = QUERY_SIZES.filter((s) => p99(s.rows) <= KAIROS_TARGET_MS);
    return {
      type: h.name,
      pricePerHour: h.pricePerHour,
      meanMs,
      rpsPerDollar: 1000 / meanMs / h.pricePerHour,
      coverage: fits.reduce((sum, s) => sum + s.share, 0),
      largestRows: Math.max(0, ...fits.map((s) => s.rows)),
      tightShare: QUERY_SIZES.filter((s) => p50(s.rows) > KAIROS_TARGET_MS / 2).reduce(
        (sum, s) => sum + s.share,
        0,
      ),
      ms150: p50(150),
      ms1000: p50(1000),
    };
  });
}

function latencyOf(problem: PlanningProblem, hardware: string, rows: number, cores: number): number {
  const variant = problem.modules[0]?.variants[0];
  const l = variant === undefined ? undefined : tupleLatencyMs(variant, hardware, rows, cores);
  return l ?? Number.POSITIVE_INFINITY;
}

/** The explanation, one paragraph per model. */
export function kairosExplanation(run: KairosRun): string[] {
  return run.models.map((m) => explainModel(m));
}

function explainModel(m: ModelResult): string {
  const [kairos, homogeneous, fcfs] = m.configurations;
  if (kairos === undefined || homogeneous === undefined || fcfs === undefined) return '';
  const facts = typeFacts(m);
  const cheapest = [...facts].sort((a, b) => b.rpsPerDollar - a.rpsPerDollar)[0];
  const gpu = facts.find((f) => f.type.startsWith('g4dn'));
  if (cheapest === undefined) return '';
  const parts: string[] = [`**${m.model}.**`];
  const fluidRatio = ratio(kairos.plannerBoundRps, homogeneous.plannerBoundRps);
  const simRatio = ratio(kairos.rateRps, homogeneous.rateRps);
  const cheap = `${cheapest.type} is the cheapest per query (${fmt(cheapest.rpsPerDollar)} queries/s per $/h on the mixture${
    gpu === undefined || gpu === cheapest ? '' : `, against ${fmt(gpu.rpsPerDollar)} for ${gpu.type}`
  })`;
  if (cheapest.coverage >= 0.99) {
    parts.push(
      `${cheap} and meets ${KAIROS_TARGET_MS} ms at p99 for ${pct(cheapest.coverage)} of queries (up to ${cheapest.largestRows} rows), so a pool of it alone is already close to the best.`,
    );
    if (poolText(kairos) === poolText(homogeneous))
      parts.push(`The best mix is that single-type pool itself (${poolText(kairos)}).`);
    else if (gpu !== undefined && gpu !== cheapest)
      parts.push(
        `A mix can only gain by moving the largest queries to ${gpu.type}, which is ${fmt(cheapest.ms1000 / gpu.ms1000)}x as fast as ${cheapest.type} on 1000 rows but ${fmt(cheapest.ms150 / gpu.ms150)}x on 150 rows (where 65% of queries are) and costs ${fmt(gpu.pricePerHour / cheapest.pricePerHour)}x as much: the planner's fluid bound of the best mix is ${fmt(fluidRatio)}x the best single-type pool's.`,
      );
  } else {
    const best = facts.find((f) => (homogeneous.pool[f.type] ?? 0) > 0);
    parts.push(
      `${cheap}, but misses ${KAIROS_TARGET_MS} ms at p99 for queries above ${cheapest.largestRows} rows: ${pct(1 - cheapest.coverage)} of queries, more than the 1% a pool may miss, so no pool of it alone can pass.`,
      best === undefined
        ? `No single-type pool serves every size.`
        : `The best single-type pool is then ${poolText(homogeneous)} at ${fmt(best.rpsPerDollar)} queries/s per $/h, ${fmt(cheapest.rpsPerDollar / best.rpsPerDollar)}x less; the mix (${poolText(kairos)}) keeps ${cheapest.type} for the sizes it serves in time and sends only the rest to the GPU: ${fmt(fluidRatio)}x on the planner's fluid bound.`,
    );
  }
  const close = Math.abs(simRatio - fluidRatio) <= 0.05 * fluidRatio;
  parts.push(
    `Simulated, kairos reached ${fmt(kairos.rateRps)} req/s (${pct(efficiency(kairos))} of its pool's fluid capacity on the medians) and homogeneous ${fmt(homogeneous.rateRps)} (${pct(efficiency(homogeneous))}): ${fmt(simRatio)}x${
      close ? ', as the bound says.' : `, against ${fmt(fluidRatio)}x on the bound.`
    }`,
  );
  const inPools = (f: TypeFacts): boolean =>
    (kairos.pool[f.type] ?? 0) > 0 || (homogeneous.pool[f.type] ?? 0) > 0;
  const tight = facts.filter((f) => f.tightShare > 0.005 && inPools(f));
  if (tight.length > 0 && efficiency(kairos) < 0.9)
    parts.push(
      `The fluid bound counts busy time only: a query may go wherever its service time alone meets the target. But ${tight
        .map(
          (f) =>
            `${pct(f.tightShare)} of queries take more than half the ${KAIROS_TARGET_MS} ms on ${f.type}`,
        )
        .join(
          ', ',
        )}, so they miss as soon as they queue behind one other query; they need an idle instance that is fast enough, which a pool run near its capacity seldom has.`,
    );
  const split = splitText(kairos, facts);
  if (split !== undefined) parts.push(split);
  parts.push(fcfsText(kairos, fcfs, facts));
  for (const d of m.configurations.filter((c) => c.diagnostic))
    parts.push(diagnosticText(d, kairos, homogeneous));
  return parts.join(' ');
}

/**
 * Which queries each type of the kairos pool carries in the planner's split, and what the largest of
 * them cost on the type that takes them: a type left with queries that take most of the target has
 * little room for queueing, so its pool passes further below its fluid capacity.
 */
function splitText(kairos: ConfigurationResult, facts: readonly TypeFacts[]): string | undefined {
  const tuples = kairos.plan.modules.flatMap((m) => m.tuples);
  const total = tuples.reduce((sum, t) => sum + t.rateRps, 0);
  if (tuples.length < 2 || !(total > 0)) return undefined;
  const pieces = tuples.map((t) => {
    const rows = (t.sizes ?? []).filter((s) => s.rateRps > 0).map((s) => s.rows);
    const largest = Math.max(0, ...rows);
    const f = facts.find((x) => x.type === t.hardware);
    const ms = f === undefined ? undefined : largest >= 1000 ? f.ms1000 : undefined;
    return `${t.instances}x ${t.hardware} ${pct(t.rateRps / total)} of queries (${Math.min(...rows)}-${largest} rows${
      ms === undefined ? '' : `; 1000 rows take ${fmt(ms)} ms there`
    })`;
  });
  return `The planner's split gives ${pieces.join(', ')}.`;
}

/** A diagnostic pool beside the planner's choice: what its extra headroom was worth. */
function diagnosticText(
  d: ConfigurationResult,
  kairos: ConfigurationResult,
  homogeneous: ConfigurationResult,
): string {
  return `Diagnostic: the pool of KAIROS's released distributor config (${poolText(d)}, $${d.plan.costPerHour.toFixed(3)}/h) has a lower fluid bound than the planner's choice (${fmt(d.plannerBoundRps)} against ${fmt(kairos.plannerBoundRps)} req/s) but reached ${fmt(d.rateRps)} req/s with the same matching (${pct(efficiency(d))} of its capacity): ${fmt(ratio(d.rateRps, homogeneous.rateRps))}x the best single-type pool${
    d.rateRps > 1.1 * kairos.rateRps
      ? '. So the ranking by the fluid bound, which does not see queueing, is what costs kairos here, not the mixing.'
      : ", no better than the planner's choice: GPU headroom is not what limits it."
  }`;
}

/** FCFS against the matching on the same pool: rates, and where the misses were at the first failure. */
function fcfsText(
  kairos: ConfigurationResult,
  fcfs: ConfigurationResult,
  facts: readonly TypeFacts[],
): string {
  const r = ratio(kairos.rateRps, fcfs.rateRps);
  const head = `First-come-first-served on the kairos pool reached ${fmt(fcfs.rateRps)} req/s (${pct(efficiency(fcfs))} of capacity), so the matching is worth ${fmt(r)}x.`;
  const parts = [head];
  const blind = sizeBlindRps(kairos, facts);
  if (blind > 0)
    parts.push(
      `FCFS is blind to sizes, so every instance gets the whole mixture; the pool then carries at most Σ n_h / (mean service time on h) = ${fmt(blind)} req/s (${pct(ratio(blind, kairos.fluidRps))} of the fluid capacity, which sends each size where it is relatively fastest)${sureMisses(kairos, facts)}${
        fcfs.rateRps > 1.01 * blind
          ? '; FCFS passed above that only because a probe this short cannot see an overload that small'
          : ''
      }.`,
    );
  const where = [kairos, fcfs].map((c) => worstAtFailure(c)).filter((x) => x !== undefined);
  if (where.length > 0)
    parts.push(`At the first rate each failed, the misses were worst in ${where.join('; in ')}.`);
  return parts.join(' ');
}

/** Capacity of the pool when every instance serves the whole mixture (a size-blind dispatch), req/s. */
function sizeBlindRps(c: ConfigurationResult, facts: readonly TypeFacts[]): number {
  return Object.entries(c.pool).reduce((sum, [type, n]) => {
    const f = facts.find((x) => x.type === type);
    return f === undefined || !(f.meanMs > 0) ? sum : sum + (n * 1000) / f.meanMs;
  }, 0);
}

/** The largest query of the mixture, rows. */
const LARGEST_ROWS = Math.max(...QUERY_SIZES.map((s) => s.rows));

/** The queries a size-blind dispatch loses whatever the load: those that miss on a type of the pool. */
function sureMisses(c: ConfigurationResult, facts: readonly TypeFacts[]): string {
  const misses = Object.keys(c.pool)
    .map((type) => facts.find((f) => f.type === type))
    .filter((f): f is TypeFacts => f !== undefined && f.largestRows < LARGEST_ROWS);
  return misses
    .map(
      (f) =>
        `; and the ${pct(1 - f.coverage)} of queries above ${f.largestRows} rows exceed the target at p99 whenever they land on ${f.type}`,
    )
    .join('');
}

function worstAtFailure(c: ConfigurationResult): string | undefined {
  const failed = c.search.probes.filter((p) => !p.passed).sort((a, b) => a.rateRps - b.rateRps)[0];
  if (failed === undefined) return undefined;
  const ranges = failed.byRange
    .filter((r) => r.requests > 0)
    .map((r) => ({ ...r, attainment: r.withinTarget / r.requests }))
    .sort((a, b) => a.attainment - b.attainment);
  const worst = ranges[0];
  if (worst === undefined) return undefined;
  const range = SIZE_RANGES.find((s) => s.name === worst.name);
  const label = range === undefined ? worst.name : `${range.fromRows}-${range.toRows}-row queries`;
  return `${label} for ${c.name} at ${fmt(failed.rateRps)} req/s (${pct(worst.attainment)} within target, ${pct(failed.attainment)} overall)`;
}

/** Simulated rate over the pool's fluid capacity. */
export function efficiency(c: ConfigurationResult): number {
  return c.fluidRps > 0 ? c.rateRps / c.fluidRps : 0;
}

export function poolText(c: ConfigurationResult): string {
  const text = Object.entries(c.pool)
    .map(([type, n]) => `${n}x ${type}`)
    .join(' + ');
  return text === '' ? 'no pool' : text;
}

/** a / b, or 0 when b is not positive. */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function pct(share: number): string {
  return `${(100 * share).toFixed(share > 0.999 || share < 0.001 ? 2 : 1)}%`;
}
