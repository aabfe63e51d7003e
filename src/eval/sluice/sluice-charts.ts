/**
 * The `sluice` report's charts: `timeline` (Sluice, the best single technique and Triton over time:
 * load and answers within the SLO, cores allocated, accuracy of the plan in force, p99 per second),
 * `attainment`, `core-seconds` and `accuracy` (one bar per policy, sensitivity rows included).
 */
import { renderBarChart } from '../../report/bar-chart.js';
import { paletteColor } from '../../report/chart-legend.js';
import type { LineSeries } from '../../report/line-chart.js';
import { renderTimeSeriesChart } from '../../report/time-series-chart.js';
import type { ExperimentChart } from '../experiment.js';
import { planAccuracy } from '../infadapter/infadapter-charts.js';
import type { PolicyRun } from './sluice-runs.js';
import type { SluiceSetup } from './sluice-setup.js';
import type { SluiceVerdict } from './sluice-verdict.js';

/** Every chart of the page, in the order it shows them. */
export function sluiceCharts(
  setup: SluiceSetup,
  runs: readonly PolicyRun[],
  verdict: SluiceVerdict,
): ExperimentChart[] {
  const shown = [verdict.sluice.id, verdict.bestTechnique.id, 'triton'];
  const pair = shown.flatMap((id) => runs.filter((r) => r.policy.id === id));
  // One colour per policy in every panel (the palette would restart in each).
  const color = (i: number): string => paletteColor(i);
  const arrivals = pair[0]?.result.series ?? [];
  const timeline = renderTimeSeriesChart({
    title: `Sluice vs ${verdict.bestTechnique.label} (best single technique) vs Triton`,
    subtitle:
      `Twitter slice ÷ ${setup.damping}, per-request budgets from the 4G bus log (SLO ${setup.sloMs} ms), ` +
      `${setup.budgetCores}-core budget`,
    panels: [
      {
        yLabel: 'requests/s',
        series: [
          {
            name: 'arrivals',
            color: ARRIVALS_COLOR,
            points: arrivals.map((p) => ({ x: p.tS, y: p.arrivals })),
          },
          ...pair.map((r, i) => ({
            name: `${r.policy.label} within SLO`,
            color: color(i),
            points: r.result.series.map((p) => ({ x: p.tS, y: p.withinSlo })),
          })),
        ],
      },
      {
        yLabel: 'cores allocated',
        series: pair.map((r, i) => ({
          name: r.policy.label,
          color: color(i),
          points: r.result.series.map((p) => ({ x: p.tS, y: p.cores })),
        })),
      },
      {
        yLabel: 'plan accuracy',
        series: pair.map((r, i) => ({ name: r.policy.label, color: color(i), points: planAccuracy(r) })),
      },
      {
        yLabel: 'p99 latency (ms)',
        series: pair.map((r): LineSeries => ({
          name: r.policy.label,
          points: r.result.series.filter((p) => p.completed > 0).map((p) => ({ x: p.tS, y: p.p99Ms })),
        })),
        horizontalLines: [{ y: setup.sloMs, label: `SLO ${setup.sloMs} ms` }],
      },
    ],
  });
  const categories = runs.map((r) => r.policy.shortLabel ?? r.policy.label);
  const attainment = runs.map((r) => 100 * r.summary.attainment);
  const lowest = Math.min(...attainment, 100 * verdict.bar);
  const attainmentBars = renderBarChart({
    title: 'SLO attainment',
    subtitle: 'within their own budget, of all requests; the line: best single technique − 0.5 points',
    yLabel: 'attainment (%)',
    categories,
    series: [{ name: 'attainment', values: attainment }],
    valueFormat: (v) => `${v.toFixed(2)}%`,
    // The bars differ by tenths of a point: an axis from 0 would hide every difference but Triton's.
    yMin: Math.max(0, Math.floor(lowest - 1)),
    yMax: 100,
    horizontalLines: [{ y: 100 * verdict.bar, label: 'bar' }],
  });
  const costBars = renderBarChart({
    title: 'Cost: core-seconds allocated',
    subtitle: `starting and resizing instances included; $${setup.pricePerCoreHour.toFixed(4)} per core-hour`,
    yLabel: 'core-seconds',
    categories,
    series: [{ name: 'core-seconds', values: runs.map((r) => r.summary.coreSeconds) }],
    valueFormat: (v) => Math.round(v).toLocaleString('en-US'),
  });
  const accuracyBars = renderBarChart({
    title: 'Accuracy served',
    subtitle: 'nominal top-1 of the variant that answered, averaged over completed requests',
    yLabel: 'top-1 accuracy',
    categories,
    series: [{ name: 'accuracy', values: runs.map((r) => r.summary.accuracy) }],
    valueFormat: (v) => v.toFixed(4),
    // The family spans about 0.70-0.78: an axis from 0 would hide it.
    yMin: Math.floor(10 * Math.min(...runs.map((r) => r.summary.accuracy)) - 0.5) / 10,
  });
  return [
    { name: 'timeline', svg: timeline },
    { name: 'attainment', svg: attainmentBars },
    { name: 'core-seconds', svg: costBars },
    { name: 'accuracy', svg: accuracyBars },
  ];
}

const ARRIVALS_COLOR = '#999999';
