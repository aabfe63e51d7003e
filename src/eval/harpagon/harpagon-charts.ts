/**
 * The Harpagon report's charts: cost per planner per workload at equal attainment (OCR; random graphs),
 * the headline ratio nexus / harpagon per workload beside the planning model's, and the OCR time series
 * of the two chosen plans side by side (load served, $/h, p99 per second against the SLO).
 */
import { renderBarChart } from '../../report/bar-chart.js';
import { paletteColor } from '../../report/chart-legend.js';
import { renderTimeSeriesChart } from '../../report/time-series-chart.js';
import type { SimulationResult } from '../../sim/simulation-types.js';
import type { ExperimentChart } from '../experiment.js';
import { PLANNERS } from './harpagon-runs.js';
import type { WorkloadFigures } from './harpagon-summary.js';

/** The paper's reported range of nexus / harpagon cost. */
export const PAPER_RATIO_RANGE = [1.49, 2.37] as const;

export function costChart(
  name: string,
  title: string,
  workloads: readonly WorkloadFigures[],
  target: number,
): ExperimentChart {
  return {
    name,
    svg: renderBarChart({
      title,
      subtitle: `cheapest plan with ≥ ${(100 * target).toFixed(0)}% within the SLO when run (a gap: none)`,
      yLabel: '$ per hour',
      categories: workloads.map((w) => w.name),
      series: PLANNERS.map((p) => ({
        name: p,
        values: workloads.map((w) => w.planners[p].chosen?.costPerHour),
      })),
      valueFormat: (v) => v.toFixed(2),
    }),
  };
}

export function ratioChart(workloads: readonly WorkloadFigures[]): ExperimentChart {
  return {
    name: 'ratio',
    svg: renderBarChart({
      title: 'Cost of nexus over harpagon, per workload',
      subtitle: 'at equal attainment (both ≥ target when run) and as the planning model sizes them (ρ = 0.9)',
      yLabel: 'nexus / harpagon cost',
      categories: workloads.map((w) => w.name),
      series: [
        { name: 'at equal attainment', values: workloads.map((w) => w.ratio ?? undefined) },
        { name: 'planning model alone', values: workloads.map((w) => w.modelOnlyRatio ?? undefined) },
      ],
      valueFormat: (v) => v.toFixed(2),
      horizontalLines: [
        { y: PAPER_RATIO_RANGE[0], label: `paper ${PAPER_RATIO_RANGE[0]}x` },
        { y: PAPER_RATIO_RANGE[1], label: `paper ${PAPER_RATIO_RANGE[1]}x` },
        { y: 1, label: 'equal cost' },
      ],
    }),
  };
}

/** Two runs of one workload over a shared time axis. */
export function sideBySideChart(
  workload: WorkloadFigures,
  runs: readonly { readonly planner: string; readonly result: SimulationResult }[],
): ExperimentChart {
  const first = runs[0]?.result.series ?? [];
  // Each planner in its bar-chart colour in every panel; arrivals in grey.
  const color = (i: number): string =>
    paletteColor(Math.max(0, PLANNERS.indexOf(runs[i]?.planner as (typeof PLANNERS)[number])));
  return {
    name: 'timeseries',
    svg: renderTimeSeriesChart({
      title: `${workload.description}: the chosen plans when run`,
      subtitle: runs
        .map(
          (r) =>
            `${r.planner}: ${(100 * r.result.attainment).toFixed(2)}% within ${workload.sloMs} ms, p99 ${r.result.latencyMs.p99.toFixed(0)} ms`,
        )
        .join('; '),
      panels: [
        {
          yLabel: 'requests/s',
          series: [
            { name: 'arrivals', points: first.map((p) => ({ x: p.tS, y: p.arrivals })), color: '#888888' },
            ...runs.map((r, i) => ({
              name: `${r.planner} within SLO`,
              color: color(i),
              points: r.result.series.map((p) => ({ x: p.tS, y: p.withinSlo })),
            })),
          ],
        },
        {
          yLabel: '$ per hour',
          yMin: 0,
          series: runs.map((r, i) => ({
            name: r.planner,
            color: color(i),
            points: r.result.series.map((p) => ({ x: p.tS, y: p.costPerHour })),
          })),
        },
        {
          yLabel: 'p99 latency (ms)',
          series: runs.map((r, i) => ({
            name: r.planner,
            color: color(i),
            points: r.result.series.filter((p) => p.completed > 0).map((p) => ({ x: p.tS, y: p.p99Ms })),
          })),
          horizontalLines: [{ y: workload.sloMs, label: `SLO ${workload.sloMs} ms` }],
        },
      ],
    }),
  };
}
