/**
 * The Sponge experiment's page: setup, the policies and their readings, the side-by-side table, the
 * claim beside Sluice's figure, charts (Sponge against HPA over time, violations and cores per policy,
 * each policy's own run) and the explanation computed from the runs.
 */
import { renderBarChart } from '../../report/bar-chart.js';
import { markdownTable } from '../../report/markdown-table.js';
import { renderTimeSeriesChart } from '../../report/time-series-chart.js';
import type { SeriesPoint } from '../../sim/simulation-types.js';
import type { ExperimentChart } from '../experiment.js';
import { renderRunChart } from '../run-chart.js';
import type { PolicySummary, SpongeRuns } from './sponge-runs.js';
import {
  latencyMs,
  SPONGE_MAX_BATCH,
  SPONGE_MAX_CORES,
  SPONGE_MODEL_CHOICE,
  SPONGE_PAYLOAD_KB,
  SPONGE_POLICIES,
  SPONGE_RESIZE_MS,
  SPONGE_SLO_MS,
  SPONGE_VARIANT,
  type SpongeSetup,
} from './sponge-setup.js';

export interface SpongeHeadline {
  /** HPA's violation rate over Sponge's (means over seeds); undefined when Sponge had none. */
  readonly hpaToSponge: number | undefined;
  readonly perSeed: readonly { readonly seed: number; readonly hpaToSponge: number | undefined }[];
  /** Sponge's average cores over the static configurations'. */
  readonly coresVsStaticPeak: number;
  readonly coresVsStaticMin: number;
}

export function spongeHeadline(runs: SpongeRuns): SpongeHeadline {
  const of = (id: string): PolicySummary | undefined => runs.policies.find((p) => p.policy === id);
  const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined || b === undefined || !(b > 0) ? undefined : a / b;
  const seeds = [...new Set(runs.runs.map((r) => r.seed))];
  const rateOf = (id: string, seed: number): number | undefined =>
    runs.runs.find((r) => r.policy === id && r.seed === seed)?.violationRate;
  return {
    hpaToSponge: ratio(of('hpa')?.violationRate, of('sponge')?.violationRate),
    perSeed: seeds.map((seed) => ({ seed, hpaToSponge: ratio(rateOf('hpa', seed), rateOf('sponge', seed)) })),
    coresVsStaticPeak: ratio(of('sponge')?.averageCores, of('static-peak')?.averageCores) ?? 0,
    coresVsStaticMin: ratio(of('sponge')?.averageCores, of('static-min')?.averageCores) ?? 0,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const times = (x: number | undefined): string => (x === undefined ? '∞' : `${x.toFixed(1)}x`);

export function spongeTable(runs: SpongeRuns): string {
  return markdownTable(
    [
      'policy',
      'SLO violations',
      'refused',
      'expired',
      'late',
      'average cores',
      'p99 latency (ms)',
      'plan changes',
    ],
    runs.policies.map((p) => [
      p.sensitivity ? `${p.policy} (sensitivity)` : p.policy,
      pct(p.violationRate),
      Math.round(p.rejected),
      Math.round(p.expired),
      Math.round(p.late),
      p.averageCores.toFixed(2),
      Math.round(p.p99Ms),
      Math.round(p.planChanges),
    ]),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
}

export function spongeSetupParagraph(setup: SpongeSetup, runs: SpongeRuns): string {
  const b = runs.budgetPercentilesMs;
  const seconds = setup.countsRps.length;
  const mean = setup.countsRps.reduce((a, c) => a + c, 0) / Math.max(1, seconds);
  const source = setup.profile.source;
  const measured =
    source.kind === 'measured'
      ? `on this machine (${source.host}, ${source.measuredAt.slice(0, 10)})`
      : `from ${source.from}`;
  const m = setup.latency;
  const fit =
    m.kind === 'sponge4'
      ? `l(b, c) = ${m.gamma.toFixed(1)}·b/c + ${m.delta.toFixed(2)}·b + ${m.epsilon.toFixed(1)}/c + ${m.eta.toFixed(1)} ms`
      : 'a table of the measured points';
  return [
    `**Workload.** \`${setup.workload}\`: ${seconds} s of the Twitter trace (InfAdapter's slice, day 15, ` +
      `minutes 82–103, every count ÷ 8 as in IPA's configurations), ${Math.min(...setup.countsRps)}–` +
      `${setup.peakRps} req/s (mean ${mean.toFixed(1)}), Poisson arrivals within each second; ` +
      `${setup.seeds.length} seed${setup.seeds.length === 1 ? '' : 's'} (${setup.seeds.join(', ')}), the same for every policy.`,
    `**SLO.** ${SPONGE_SLO_MS} ms end to end; each request's server budget is the SLO minus the upload time ` +
      `of a ${SPONGE_PAYLOAD_KB[0]}–${SPONGE_PAYLOAD_KB[1]} KB image over the 4G bus log ` +
      `(\`report_bus_0001.log\`, as Sponge does): budgets p1 ${b.p1.toFixed(0)} ms, p10 ${b.p10.toFixed(0)} ms, ` +
      `median ${b.p50.toFixed(0)} ms. A violation is any request not answered within its own deadline: ` +
      `refused at admission, expired in the queue, or late.`,
    `**Model and hardware.** ${SPONGE_VARIANT}, profiled ${measured} on ` +
      `${setup.profile.hardware.description} at 0.5–2 cores and batches 1–8; the fitted ${fit} ` +
      `(p99, worst error ${(100 * setup.profile.fit.maxRelativeError).toFixed(0)}%) is extrapolated to one cpu ` +
      `kind of up to ${SPONGE_MAX_CORES} cores per instance, batches up to ${SPONGE_MAX_BATCH}; batch times ` +
      `are drawn around it with the measured spread. A new instance starts in ${setup.coldStartMs.toFixed(0)} ms ` +
      `(the profile's cold start); an in-place resize takes ${SPONGE_RESIZE_MS} ms (BENCHMARKS.md, quota ` +
      `only). l(1, 1) = ${latencyMs(setup, 1, 1).toFixed(0)} ms, l(8, 16) = ${latencyMs(setup, 8, 16).toFixed(0)} ms. ` +
      SPONGE_MODEL_CHOICE,
    `**Policies.** Every one runs through Sluice's own engine: one EDF queue per model that all its ` +
      `instances take work from, the deadline-aware batcher, and admission that refuses a request that ` +
      `can no longer finish in time. For HPA and VPA that is kinder than Kubernetes, where a Service ` +
      `spreads requests over per-pod FIFO queues and nothing is refused early.`,
    ...SPONGE_POLICIES.map((p) => `- \`${p.id}\`: ${p.reading}`),
  ].join('\n\n');
}

function seriesOf(series: readonly SeriesPoint[], y: (p: SeriesPoint) => number, only?: boolean) {
  return series.filter((p) => only !== true || p.completed > 0).map((p) => ({ x: p.tS, y: y(p) }));
}

export function spongeCharts(setup: SpongeSetup, runs: SpongeRuns): ExperimentChart[] {
  const sponge = runs.detail.get('sponge')?.series ?? [];
  const hpa = runs.detail.get('hpa')?.series ?? [];
  const missedOf = (id: string) => (runs.detail.get(id)?.bySecond.missed ?? []).map((y, x) => ({ x, y }));
  const timeline = renderTimeSeriesChart({
    title: 'Sponge and HPA over the slice',
    subtitle: `${setup.workload}, seed ${setup.seeds[0] ?? 1}: load, allocated cores, p99 and misses of each second`,
    panels: [
      { yLabel: 'arrivals (req/s)', series: [{ name: 'load', points: seriesOf(sponge, (p) => p.arrivals) }] },
      {
        yLabel: 'cores allocated',
        series: [
          { name: 'sponge', points: seriesOf(sponge, (p) => p.cores) },
          { name: 'hpa', points: seriesOf(hpa, (p) => p.cores) },
        ],
      },
      {
        yLabel: 'p99 latency (ms)',
        series: [
          { name: 'sponge', points: seriesOf(sponge, (p) => p.p99Ms, true) },
          { name: 'hpa', points: seriesOf(hpa, (p) => p.p99Ms, true) },
        ],
        horizontalLines: [{ y: SPONGE_SLO_MS, label: `SLO ${SPONGE_SLO_MS} ms` }],
      },
      {
        yLabel: 'missed (req/s)',
        series: [
          { name: 'sponge', points: missedOf('sponge') },
          { name: 'hpa', points: missedOf('hpa') },
        ],
      },
    ],
  });
  const categories = runs.policies.map((p) => p.policy);
  const violations = renderBarChart({
    title: 'SLO violations per policy',
    subtitle: 'refused, expired or late, % of all requests (mean over seeds; log scale)',
    yLabel: 'violations (%)',
    yScale: 'log',
    categories,
    series: [{ name: 'violations', values: runs.policies.map((p) => 100 * p.violationRate) }],
    valueFormat: (v) => `${v.toFixed(2)}%`,
  });
  const cores = renderBarChart({
    title: 'Average cores per policy',
    subtitle: 'core-seconds / duration (mean over seeds)',
    yLabel: 'cores',
    categories,
    series: [{ name: 'average cores', values: runs.policies.map((p) => p.averageCores) }],
    valueFormat: (v) => v.toFixed(2),
  });
  const perPolicy = [...runs.detail].map(([id, d]) => ({
    name: `run-${id.replace(/[^a-z0-9]+/g, '-')}`,
    svg: renderRunChart(d.result, { title: `${id}: ${setup.workload}`, sloMs: SPONGE_SLO_MS }),
  }));
  return [
    { name: 'timeline', svg: timeline },
    { name: 'violations', svg: violations },
    { name: 'cores', svg: cores },
    ...perPolicy,
  ];
}

export function spongeMarkdown(
  setup: SpongeSetup,
  runs: SpongeRuns,
  headline: SpongeHeadline,
  claim: { paper: string; measured: string; met: boolean },
  explanation: string,
  charts: readonly ExperimentChart[],
): string {
  const of = (id: string): PolicySummary | undefined => runs.policies.find((p) => p.policy === id);
  const perSeed =
    headline.perSeed.length > 1
      ? `\n\nPer seed, HPA's violations over Sponge's: ${headline.perSeed
          .map((s) => `seed ${s.seed} ${times(s.hpaToSponge)}`)
          .join(', ')}.`
      : '';
  const coresLine =
    `**Cores.** Sponge held ${(of('sponge')?.averageCores ?? 0).toFixed(2)} cores on average: ` +
    `${pct(headline.coresVsStaticMin)} of the least peak provisioning (\`static-min\`, ` +
    `${(of('static-min')?.averageCores ?? 0).toFixed(2)} cores) and ${pct(headline.coresVsStaticPeak)} of the ` +
    `static planner's peak configuration (\`static-peak\`, ${(of('static-peak')?.averageCores ?? 0).toFixed(2)} cores).`;
  const unmeetable = runs.unmeetable.reduce((a, u) => a + u.count, 0) / Math.max(1, runs.unmeetable.length);
  const avoidable = (id: string): number => Math.max(0, (of(id)?.violations ?? 0) - unmeetable);
  const avoidableRatio = avoidable('sponge') > 0 ? avoidable('hpa') / avoidable('sponge') : undefined;
  const beyond =
    `\n\nLeaving out the ${unmeetable.toFixed(1)} requests per run that no policy can meet (their upload ` +
    `took the budget), HPA missed ${avoidable('hpa').toFixed(1)} and Sponge ${avoidable('sponge').toFixed(1)} ` +
    `per run (${times(avoidableRatio)}).`;
  const runCharts = charts
    .filter((c) => c.name.startsWith('run-'))
    .map((c) => `![${c.name}](${c.name}.svg)`)
    .join('\n');
  return `# Sponge: per-request budgets and in-place vertical scaling against HPA, VPA and peak provisioning

${spongeSetupParagraph(setup, runs)}

## Results

${spongeTable(runs)}
Means over ${setup.seeds.length} seed${setup.seeds.length === 1 ? '' : 's'}; violations as a share of all requests, the other counts per run.

**Claim.** ${claim.paper}. **Sluice:** ${claim.measured} — ${claim.met ? 'met' : 'not met'}.${perSeed}${beyond}

${coresLine}

![Sponge and HPA over time](timeline.svg)

![SLO violations per policy](violations.svg)

![Average cores per policy](cores.svg)

## What explains the difference

${explanation}

## Each policy's run (seed ${setup.seeds[0] ?? 1})

${runCharts}
`;
}
