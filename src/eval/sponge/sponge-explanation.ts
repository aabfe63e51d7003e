/**
 * "What explains the difference", computed from the runs: where each adaptive policy's violations fall
 * (episodes of 10-s buckets, by arrival, in which it missed more than 5% of the requests), how
 * the load moved there, how fast each policy added capacity (its applied decisions and allocated cores),
 * and why the cores differ: what one core carries in Sponge's own plan and in HPA's replicas at the
 * slice's median and peak load (latency model), and the core-seconds HPA's scale-down stabilisation holds.
 */
import { spongePlanner } from '../../planner/sponge/sponge-planner.js';
import { HPA_TARGET_UTILISATION } from '../../planner/baselines/hpa-planner.js';
import type { Solver } from '../../ports/solver.js';
import type { SeriesPoint } from '../../sim/simulation-types.js';
import type { RunDetail, SpongeRuns } from './sponge-runs.js';
import {
  latencyMs,
  SPONGE_POLICIES,
  spongeProblem,
  SPONGE_RESIZE_MS,
  type SpongeSetup,
} from './sponge-setup.js';

const BUCKET_S = 10;

export interface Episode {
  /** s from the run's start, [fromS, toS). */
  readonly fromS: number;
  readonly toS: number;
  /** Requests that arrived in the episode and were not answered within their deadline. */
  readonly missed: number;
  readonly arrivals: number;
}

/**
 * Runs of 10-s buckets (by arrival second) in which a policy missed more than 5% of the arrivals and at
 * least 3 requests.
 */
export function violationEpisodes(bySecond: RunDetail['bySecond']): Episode[] {
  const episodes: Episode[] = [];
  let open: { fromS: number; toS: number; missed: number; arrivals: number } | undefined;
  for (let fromS = 0; fromS < bySecond.arrivals.length; fromS += BUCKET_S) {
    const arrivals = sum(bySecond.arrivals, fromS, fromS + BUCKET_S);
    const missed = sum(bySecond.missed, fromS, fromS + BUCKET_S);
    if (!(missed > Math.max(3, 0.05 * arrivals))) continue;
    if (open !== undefined && open.toS === fromS) {
      open.toS += BUCKET_S;
      open.missed += missed;
      open.arrivals += arrivals;
    } else {
      if (open !== undefined) episodes.push(open);
      open = { fromS, toS: fromS + BUCKET_S, missed, arrivals };
    }
  }
  if (open !== undefined) episodes.push(open);
  return episodes;
}

/** The changes of allocated cores at the applied decisions in [fromS, toS). */
function scaleSteps(run: RunDetail, fromS: number, toS: number): { atS: number; from: number; to: number }[] {
  const out: { atS: number; from: number; to: number }[] = [];
  for (const d of run.decisions) {
    const atS = d.atMs / 1000;
    if (d.outcome !== 'applied' || atS < fromS || atS >= toS) continue;
    // A series point holds the cores at the end of its second, and a decision may land on either side
    // of the sample taken at the same instant: compare a second clear on each side.
    const from = coresAt(run.series, atS - 2);
    const to = coresAt(run.series, atS);
    if (from !== to) out.push({ atS: Math.round(atS), from, to });
  }
  return out;
}

/**
 * Core-seconds held beyond the policy's own latest proposal: what scale-down stabilisation costs (the
 * cores in force over each decision interval, less the cores the decision proposed, when more).
 */
export function stabilisedCoreSeconds(run: RunDetail): number {
  let total = 0;
  run.decisions.forEach((d, i) => {
    const next = run.decisions[i + 1]?.atMs ?? run.result.durationS * 1000;
    const held = coresAt(run.series, (d.atMs + next) / 2000);
    total += (Math.max(0, held - d.plan.cores) * (next - d.atMs)) / 1000;
  });
  return total;
}

function sum(values: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = Math.max(0, from); i < Math.min(to, values.length); i++) total += values[i] ?? 0;
  return total;
}

function meanArrivals(series: readonly SeriesPoint[], fromS: number, toS: number): number {
  const inside = series.filter((p) => p.tS >= fromS && p.tS < toS);
  return inside.length === 0 ? 0 : inside.reduce((s, p) => s + p.arrivals, 0) / inside.length;
}

function coresAt(series: readonly SeriesPoint[], tS: number): number {
  let cores = series[0]?.cores ?? 0;
  for (const p of series) if (p.tS <= tS) cores = p.cores;
  return cores;
}

const f0 = (x: number): string => x.toFixed(0);
const f1 = (x: number): string => x.toFixed(1);
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** The paragraph (several sentences) and the figures behind it. */
export function explainSponge(
  setup: SpongeSetup,
  runs: SpongeRuns,
  solver: Solver,
): { text: string; figures: Record<string, unknown> } {
  const sentences: string[] = [];
  const figures: Record<string, unknown> = {};
  const sponge = runs.detail.get('sponge');
  const hpa = runs.detail.get('hpa');
  const vpa = runs.detail.get('vpa');
  const first = runs.unmeetable[0];
  if (first !== undefined) {
    const missedBy = (d: RunDetail | undefined): number =>
      d === undefined ? 0 : d.result.requests - d.result.withinSlo;
    const staticMin = runs.detail.get('static-min');
    sentences.push(
      `${first.count} of ${first.requests} requests (${pct(first.count / Math.max(1, first.requests))}) arrived ` +
        `with less budget than the fastest execution there is (l(1, 16) = ${f0(latencyMs(setup, 1, 16))} ms), ` +
        `their upload alone having taken (nearly) the whole SLO: no policy can meet those. Sponge missed ` +
        `${missedBy(sponge)} requests in all and \`static-min\` ${missedBy(staticMin)}` +
        ` (seed ${first.seed}).`,
    );
  }
  if (sponge !== undefined && hpa !== undefined) {
    const worst = violationEpisodes(hpa.bySecond).sort((a, b) => b.missed - a.missed)[0];
    if (worst !== undefined) sentences.push(...hpaEpisode(setup, worst, sponge, hpa, figures));
    else sentences.push('HPA had no 10-s span in which it missed more than 5% of the requests.');
  }
  if (vpa !== undefined) sentences.push(...vpaStory(setup, vpa, figures));
  sentences.push(...coresStory(setup, runs, solver, figures));
  return { text: sentences.join(' '), figures };
}

function hpaEpisode(
  setup: SpongeSetup,
  worst: Episode,
  sponge: RunDetail,
  hpa: RunDetail,
  figures: Record<string, unknown>,
): string[] {
  const before = meanArrivals(hpa.series, worst.fromS - 30, worst.fromS);
  const during = meanArrivals(hpa.series, worst.fromS, worst.toS);
  const hpaMissedTotal = hpa.result.requests - hpa.result.withinSlo;
  const steps = scaleSteps(hpa, worst.fromS - 15, worst.toS + 60);
  const fromCores = coresAt(hpa.series, worst.fromS - 1);
  const spongeMissed = sum(sponge.bySecond.missed, worst.fromS, worst.toS);
  const spongeFrom = coresAt(sponge.series, worst.fromS - 1);
  const spongePeak = Math.max(
    ...sponge.series.filter((p) => p.tS >= worst.fromS && p.tS < worst.toS).map((p) => p.cores),
  );
  const spongeApplied = sponge.decisions.filter(
    (d) => d.outcome === 'applied' && d.atMs >= worst.fromS * 1000 && d.atMs < worst.toS * 1000,
  ).length;
  const busyUtil = 1 / HPA_TARGET_UTILISATION;
  figures.hpaWorstEpisode = {
    ...worst,
    loadBeforeRps: before,
    loadDuringRps: during,
    shareOfHpaViolations: worst.missed / Math.max(1, hpaMissedTotal),
    hpaCoresFrom: fromCores,
    hpaSteps: steps,
    spongeMissed,
    spongeCoresFrom: spongeFrom,
    spongeCoresPeak: spongePeak,
    spongeChanges: spongeApplied,
  };
  return [
    `HPA's violations concentrate where the load rises: ${f0(worst.missed)} of its ` +
      `${hpaMissedTotal} misses (${pct(worst.missed / Math.max(1, hpaMissedTotal))}) fall in ` +
      `t = ${worst.fromS}–${worst.toS} s, when the load went from ${f1(before)} to ${f1(during)} req/s.`,
    `HPA held ${fromCores} replica${fromCores === 1 ? '' : 's'} when the rise began and then ` +
      `${steps.length === 0 ? 'did not scale' : `scaled ${steps.map((x) => `${x.from}→${x.to} at t = ${x.atS} s`).join(', ')}`}: ` +
      `it sees the rise only as CPU utilisation, once per 15-s sync, and a saturated replica reports ` +
      `100%, ${f0(100 * busyUtil)}% of its 80% target, so a sync adds only about a quarter more replicas ` +
      `(⌈1.25·n⌉), each after its ${f0(setup.coldStartMs)} ms cold start; meanwhile the requests beyond ` +
      `the replicas' capacity wait past their deadline or are refused at admission.`,
    `Sponge re-plans every second for the last second's rate and resizes its instance in place ` +
      `(${SPONGE_RESIZE_MS} ms): in the same span it went from ${spongeFrom} to ${spongePeak} cores in ` +
      `${spongeApplied} change${spongeApplied === 1 ? '' : 's'} and missed ${f0(Math.max(0, spongeMissed))} requests.`,
  ];
}

function vpaStory(setup: SpongeSetup, vpa: RunDetail, figures: Record<string, unknown>): string[] {
  const changes = vpa.decisions.filter((d) => d.outcome === 'applied');
  // From its plans: while a pod restarts, the series counts the old and the new one together.
  const maxCores = Math.max(1, ...changes.map((d) => d.plan.cores));
  const peakAt = setup.countsRps.indexOf(setup.peakRps);
  const capacityAtMax = 1000 / latencyMs(setup, 1, maxCores);
  figures.vpa = { restarts: changes.length, maxCores, capacityAtMaxCoresRps: capacityAtMax };
  return [
    `VPA keeps one pod at batch 1, so its capacity is 1000 / l(1, c) req/s (${f1(capacityAtMax)} req/s at ` +
      `the ${maxCores} cores it reached; the peak is ${setup.peakRps} req/s at t = ${peakAt} s); a ` +
      `saturated pod uses all of its c cores, so each minute the recommender asks for only ⌈1.15·c⌉, and ` +
      `${changes.length === 1 ? 'its one resize' : `each of its ${changes.length} resizes`} restarted the pod, so it spends the rise ` +
      `overloaded: ${pct(1 - vpa.result.attainment)} violations.`,
  ];
}

function coresStory(
  setup: SpongeSetup,
  runs: SpongeRuns,
  solver: Solver,
  figures: Record<string, unknown>,
): string[] {
  const sorted = [...setup.countsRps].sort((a, b) => a - b);
  const medianRps = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const policy = SPONGE_POLICIES[0];
  const base = policy === undefined ? undefined : spongeProblem(setup, policy, solver);
  const app = base?.apps[0];
  if (base === undefined || app === undefined) return [];
  const perCoreReplicaRps = 1000 / latencyMs(setup, 1, 1);
  const at = (rateRps: number) => {
    const plan = spongePlanner.plan({ ...base, apps: [{ ...app, rateRps }] }, { solver });
    const t = plan.modules[0]?.tuples[0];
    const hpaReplicas = Math.max(1, Math.ceil(rateRps / (HPA_TARGET_UTILISATION * perCoreReplicaRps)));
    if (t === undefined) return undefined;
    const l = latencyMs(setup, t.batch, t.cores);
    return {
      rateRps,
      spongeCores: t.cores * t.instances,
      batch: t.batch,
      latencyMs: l,
      serialMs: latencyMs(setup, t.batch, Number.MAX_SAFE_INTEGER),
      spongePerCoreRps: (t.instances * t.batch) / (l / 1000) / (t.cores * t.instances),
      hpaReplicas,
    };
  };
  const median = at(medianRps);
  const peak = at(setup.peakRps);
  const mean = (id: string): number => runs.policies.find((p) => p.policy === id)?.averageCores ?? 0;
  const meanLoad = setup.countsRps.reduce((a, b) => a + b, 0) / Math.max(1, setup.countsRps.length);
  const hpa = runs.detail.get('hpa');
  const held = hpa === undefined ? 0 : stabilisedCoreSeconds(hpa);
  const heldCores = hpa === undefined ? 0 : held / Math.max(1e-9, hpa.result.durationS);
  figures.cores = { median, peak, hpaStabilisedCoreSeconds: held, hpaStabilisedCores: heldCores };
  const out: string[] = [];
  if (median !== undefined && peak !== undefined) {
    out.push(
      `On cores: at the slice's median load (${medianRps} req/s) Sponge's rule needs ${median.spongeCores} ` +
        `core${median.spongeCores === 1 ? '' : 's'} and HPA's settles at ${median.hpaReplicas} ` +
        `replica${median.hpaReplicas === 1 ? '' : 's'}; at the peak (${setup.peakRps} req/s) Sponge's one ` +
        `instance needs ${peak.spongeCores} cores at batch ${peak.batch}, ${f1(peak.spongePerCoreRps)} req/s ` +
        `per core (only ${f0(peak.latencyMs - peak.serialMs)} of its ${f0(peak.latencyMs)} ms per batch ` +
        `shrink with cores; the serial ${f0(peak.serialMs)} ms do not), where ${peak.hpaReplicas} 1-core ` +
        `replicas do (${f1(perCoreReplicaRps)} req/s per core when busy, run at 80%): per core at high load, ` +
        `horizontal scaling is the more efficient.`,
      mean('hpa') > mean('sponge')
        ? `HPA's average is nonetheless higher: it trails the load on the way up (that is where it misses) ` +
            `and keeps its replicas for 300 s on the way down, ${f0(held)} core-seconds beyond its own latest ` +
            `recommendation (${f1(heldCores)} cores on average), while Sponge follows the load second by second.`
        : `HPA's average is lower: it trails the load on the way up, with fewer replicas than the load ` +
            `needs (that is where it misses)` +
            (held > 0
              ? `, even though its 300-s scale-down stabilisation held ${f0(held)} core-seconds beyond its own ` +
                `latest recommendation (${f1(heldCores)} cores on average).`
              : '.'),
    );
  }
  out.push(
    `Over the run (mean load ${f1(meanLoad)} req/s) Sponge held ${f1(mean('sponge'))} cores on average, ` +
      `HPA ${f1(mean('hpa'))}, VPA ${f1(mean('vpa'))}; peak provisioning holds ${f1(mean('static-min'))} ` +
      `(the fewest for the peak) or ${f1(mean('static-peak'))} (the static planner's default) all the time.`,
  );
  return out;
}
