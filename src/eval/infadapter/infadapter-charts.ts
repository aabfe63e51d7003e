/**
 * The InfAdapter report's charts: per profile source, a time series of InfAdapter against the best single
 * VPA variant (load and answers within the SLO, cores, accuracy of the plan in force, p99 per second) and
 * bars of every policy's violation rate and average cores; for the measured capacities, the simulator's
 * capacity against the measured one.
 */
import { renderBarChart } from '../../report/bar-chart.js';
import { renderLineChart, type LineSeries } from '../../report/line-chart.js';
import { stackCharts } from '../../report/stack-charts.js';
import { renderTimeSeriesChart } from '../../report/time-series-chart.js';
import type { ExperimentChart } from '../experiment.js';
import type { CapacityCheckPoint } from './capacity-check.js';
import type { PolicyMetrics } from './policy-metrics.js';
import type { PolicyRun } from './policy-runs.js';
import type { ProfileSource } from './profile-sources.js';

export interface SourceChartInputs {
  readonly source: ProfileSource;
  readonly runs: readonly PolicyRun[];
  readonly metrics: readonly PolicyMetrics[];
  /** The run drawn beside InfAdapter's (the best single variant). */
  readonly best: PolicyRun;
  readonly sloMs: number;
}

/** `<source>-run` (time series) and `<source>-bars`. */
export function infadapterCharts(inputs: SourceChartInputs): ExperimentChart[] {
  const { source, runs, metrics, best, sloMs } = inputs;
  const infadapter = runs.find((r) => r.policy === 'infadapter');
  if (infadapter === undefined) throw new Error('infadapter charts: no InfAdapter run');
  const pair = [infadapter, best];
  const damping = source.damping === 1 ? '' : ` ÷ ${source.damping}`;
  const run = renderTimeSeriesChart({
    title: `${source.shortTitle}: InfAdapter vs ${best.label}`,
    subtitle: `${best.label} is the best single variant; Twitter trace${damping}; p99 SLO ${sloMs} ms; 20 cores`,
    panels: [
      {
        yLabel: 'requests/s',
        series: [
          { name: 'arrivals', points: perSecond(infadapter, (p) => p.arrivals) },
          ...pair.map((r) => ({ name: `${r.label} within SLO`, points: perSecond(r, (p) => p.withinSlo) })),
        ],
      },
      {
        yLabel: 'cores allocated',
        series: pair.map((r) => ({ name: r.label, points: perSecond(r, (p) => p.cores) })),
      },
      {
        yLabel: 'plan accuracy',
        series: pair.map((r) => ({ name: r.label, points: planAccuracy(r) })),
      },
      {
        yLabel: 'p99 latency (ms)',
        series: pair.map((r): LineSeries => ({
          name: r.label,
          points: r.result.series.filter((p) => p.completed > 0).map((p) => ({ x: p.tS, y: p.p99Ms })),
        })),
        horizontalLines: [{ y: sloMs, label: `SLO ${sloMs} ms` }],
      },
    ],
  });
  const categories = metrics.map((m) => m.label);
  const bars = stackCharts([
    renderBarChart({
      title: `${source.shortTitle}: SLO violations`,
      subtitle: 'requests rejected, expired or late, share of all requests',
      yLabel: 'violations (%)',
      categories,
      series: [{ name: 'violations', values: metrics.map((m) => 100 * m.violationRate) }],
      valueFormat: (v) => `${v.toFixed(1)}%`,
    }),
    renderBarChart({
      title: `${source.shortTitle}: cost`,
      subtitle: 'core-seconds allocated over the run / its duration',
      yLabel: 'average cores',
      categories,
      series: [{ name: 'average cores', values: metrics.map((m) => m.averageCores) }],
      valueFormat: (v) => v.toFixed(2),
    }),
  ]);
  return [
    { name: `${source.key}-run`, svg: run },
    { name: `${source.key}-bars`, svg: bars },
  ];
}

/** `capacity-check`: simulated against measured capacity by cores, one colour pair per variant. */
export function capacityCheckChart(points: readonly CapacityCheckPoint[], sloMs: number): ExperimentChart {
  const variants = [...new Set(points.map((p) => p.variant))];
  const series: LineSeries[] = variants.flatMap((variant, i) => {
    const own = points.filter((p) => p.variant === variant).sort((a, b) => a.cores - b.cores);
    const color = PALETTE[i % PALETTE.length] ?? '#000';
    return [
      {
        name: `${variant} measured`,
        style: 'points' as const,
        color,
        points: own.flatMap((p) => (p.measuredRps === undefined ? [] : [{ x: p.cores, y: p.measuredRps }])),
      },
      {
        name: `${variant} simulated`,
        style: 'line' as const,
        color,
        points: own.map((p) => ({ x: p.cores, y: p.simulatedRps })),
      },
    ];
  });
  return {
    name: 'capacity-check',
    svg: renderLineChart({
      title: `Capacity at p99 ≤ ${sloMs} ms: measured vs simulated`,
      subtitle:
        "InfAdapter's measurements; Sluice's simulator: one instance, batch 1, 16-s runs, binary search",
      xLabel: 'cores',
      yLabel: 'requests/s',
      series,
    }),
  };
}

/** One colour per variant, so its measured points and simulated line match. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

function perSecond(
  run: PolicyRun,
  value: (p: PolicyRun['result']['series'][number]) => number,
): { x: number; y: number }[] {
  return run.result.series.map((p) => ({ x: p.tS, y: value(p) }));
}

/** The accuracy of the plan in force as a step function: the bootstrap plan, then each one kept or applied. */
export function planAccuracy(run: Pick<PolicyRun, 'result' | 'bootstrap'>): { x: number; y: number }[] {
  const endS = run.result.series.at(-1)?.tS ?? 0;
  const points = [{ x: 0, y: run.bootstrap.accuracy }];
  for (const d of run.result.decisions) {
    if (d.outcome !== 'applied' && d.outcome !== 'unchanged') continue;
    const previous = points.at(-1)?.y ?? d.plan.accuracy;
    if (d.plan.accuracy === previous) continue;
    points.push({ x: d.atMs / 1000, y: previous }, { x: d.atMs / 1000, y: d.plan.accuracy });
  }
  points.push({ x: endS, y: points.at(-1)?.y ?? 0 });
  return points;
}
