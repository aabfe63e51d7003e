/** A simulated run's time series as a chart: load, allocated cores, and p99 latency against the SLO. */
import { renderTimeSeriesChart } from '../report/time-series-chart.js';
import type { SimulationResult } from '../sim/simulation-types.js';

export function renderRunChart(
  result: SimulationResult,
  options: { readonly title: string; readonly sloMs: number },
): string {
  const s = result.series;
  return renderTimeSeriesChart({
    title: options.title,
    subtitle: `attainment ${(100 * result.attainment).toFixed(2)}%, ${result.cost.coreSeconds.toFixed(0)} core-seconds, accuracy ${result.accuracy.toFixed(3)}`,
    panels: [
      {
        yLabel: 'requests/s',
        series: [
          { name: 'arrivals', points: s.map((p) => ({ x: p.tS, y: p.arrivals })), style: 'line' },
          { name: 'within SLO', points: s.map((p) => ({ x: p.tS, y: p.withinSlo })), style: 'line' },
        ],
      },
      {
        yLabel: 'cores allocated',
        series: [{ name: 'cores', points: s.map((p) => ({ x: p.tS, y: p.cores })), style: 'line' }],
      },
      {
        yLabel: 'p99 latency (ms)',
        series: [
          {
            name: 'p99 of the second',
            points: s.filter((p) => p.completed > 0).map((p) => ({ x: p.tS, y: p.p99Ms })),
            style: 'line',
          },
        ],
        horizontalLines: [{ y: options.sloMs, label: `SLO ${options.sloMs} ms` }],
      },
    ],
  });
}
