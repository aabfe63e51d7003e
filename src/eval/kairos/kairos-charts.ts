/**
 * The KAIROS report's charts: the rate each configuration sustains per model (grouped bars, log axis:
 * the models' rates span two orders of magnitude), the ratios beside the paper's 2x, and one model's
 * configurations at the same offered rate over time.
 */
import type { ExperimentChart } from '../experiment.js';
import { renderBarChart } from '../../report/bar-chart.js';
import { paletteColor } from '../../report/chart-legend.js';
import { renderLineChart } from '../../report/line-chart.js';
import { stackCharts } from '../../report/stack-charts.js';
import { renderTimeSeriesChart } from '../../report/time-series-chart.js';
import { ratio } from './kairos-explanation.js';
import { KAIROS_TARGET_MS } from './kairos-problems.js';
import type { KairosRun, SideBySide } from './kairos-run.js';

/** Every chart of the report. */
export function kairosCharts(run: KairosRun): ExperimentChart[] {
  const charts: ExperimentChart[] = [
    { name: 'attainment', svg: attainmentChart(run) },
    { name: 'rates', svg: ratesChart(run) },
    { name: 'ratios', svg: ratiosChart(run) },
  ];
  if (run.timeSeries !== undefined)
    charts.push({ name: 'time-series', svg: timeSeriesChart(run.timeSeries) });
  return charts;
}

/** Lowest share within target the attainment panels show, %; probes below it are off the chart. */
const ATTAINMENT_FLOOR_PCT = 96;

/** Per model, every probe's share within target against its offered rate: the curves the searches cut. */
function attainmentChart(run: KairosRun): string {
  return stackCharts(
    run.models.map((m) =>
      renderLineChart({
        title: `${m.model}: queries within ${KAIROS_TARGET_MS} ms against the offered rate`,
        subtitle: `the first seed's probes (${m.durationS}-s runs); below ${ATTAINMENT_FLOOR_PCT}% off the chart`,
        xLabel: 'offered queries/s',
        yLabel: '% within target',
        height: 300,
        yMin: ATTAINMENT_FLOOR_PCT,
        yMax: 100.2,
        series: m.configurations.map((c) => ({
          name: c.name,
          style: 'line+points' as const,
          points: c.search.probes.map((p) => ({ x: p.rateRps, y: 100 * p.attainment })),
        })),
        horizontalLines: [{ y: 99, label: '99%' }],
      }),
    ),
    { title: 'Share of queries within the target at every probed rate' },
  );
}

function ratesChart(run: KairosRun): string {
  const names = ['kairos', 'homogeneous', 'kairos-fcfs'] as const;
  return renderBarChart({
    title: 'Highest Poisson rate with ≥ 99% of queries within 350 ms',
    subtitle: `$2.5/h, KAIROS's AWS profiles; probes of up to ${run.maxDurationS} s or ~${run.maxRequests} queries; bound: the planner's (p99, ρ 0.9)`,
    yLabel: 'queries/s (log)',
    yScale: 'log',
    categories: run.models.map((m) => m.model),
    series: [
      ...names.map((name) => ({
        name,
        values: run.models.map((m) => m.configurations.find((c) => c.name === name)?.rateRps),
      })),
      {
        name: 'bound, kairos pool',
        values: run.models.map((m) => m.configurations[0]?.plannerBoundRps),
      },
    ],
  });
}

function ratiosChart(run: KairosRun): string {
  const pick = (m: KairosRun['models'][number], name: string) =>
    m.configurations.find((c) => c.name === name);
  return renderBarChart({
    title: 'kairos against the best single-type pool and against FCFS',
    subtitle: "sim: simulated rates (medians where several seeds); bound: the planner's fluid bounds",
    yLabel: 'ratio of rates',
    categories: run.models.map((m) => m.model),
    series: [
      {
        name: 'kairos / homog. (sim)',
        values: run.models.map((m) =>
          ratio(pick(m, 'kairos')?.rateRps ?? 0, pick(m, 'homogeneous')?.rateRps ?? 0),
        ),
      },
      {
        name: 'kairos / homog. (bound)',
        values: run.models.map((m) =>
          ratio(pick(m, 'kairos')?.plannerBoundRps ?? 0, pick(m, 'homogeneous')?.plannerBoundRps ?? 0),
        ),
      },
      {
        name: 'kairos / FCFS (sim)',
        values: run.models.map((m) =>
          ratio(pick(m, 'kairos')?.rateRps ?? 0, pick(m, 'kairos-fcfs')?.rateRps ?? 0),
        ),
      },
    ],
    horizontalLines: [{ y: 2, label: 'paper: up to 2x' }],
    valueFormat: (v) => `${v.toFixed(2)}x`,
  });
}

/** The side-by-side runs over the arrivals' span (an overloaded run drains long after). */
function timeSeriesChart(side: SideBySide): string {
  const first = side.runs[0];
  const arrivals = (first?.series ?? []).map((p) => ({ x: p.tS, y: p.arrivals }));
  // One colour per configuration in every panel.
  const color = (i: number): string => paletteColor(i);
  return renderTimeSeriesChart({
    xMin: 0,
    xMax: first?.durationS ?? 1,
    title: `${side.model}: every configuration at ${side.rateRps.toFixed(1)} queries/s offered`,
    subtitle: `within ${KAIROS_TARGET_MS} ms: ${side.runs.map((r) => `${r.name} ${(100 * r.attainment).toFixed(2)}%`).join(', ')}`,
    panels: [
      {
        yLabel: 'queries/s',
        series: [
          { name: 'arrivals', points: arrivals, color: '#888888', dashed: true },
          ...side.runs.map((r, i) => ({
            name: `${r.name} within target`,
            color: color(i),
            points: (r.series ?? []).map((p) => ({ x: p.tS, y: p.withinSlo })),
          })),
        ],
      },
      {
        yLabel: '$ per hour allocated',
        yMin: 0,
        series: side.runs.map((r, i) => ({
          name: r.name,
          color: color(i),
          points: (r.series ?? []).map((p) => ({ x: p.tS, y: p.costPerHour })),
        })),
      },
      {
        yLabel: 'p99 latency (ms, log)',
        yScale: 'log',
        series: side.runs.map((r, i) => ({
          name: r.name,
          color: color(i),
          points: (r.series ?? []).filter((p) => p.completed > 0).map((p) => ({ x: p.tS, y: p.p99Ms })),
        })),
        horizontalLines: [{ y: KAIROS_TARGET_MS, label: `target ${KAIROS_TARGET_MS} ms` }],
      },
    ],
  });
}
