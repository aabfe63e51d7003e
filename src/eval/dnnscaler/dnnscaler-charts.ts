/**
 * The DNNScaler report's charts: the throughput ratio per model (against the paper's average), each
 * controller's throughput as a share of the model's ceiling, and one run of each controller over time
 * (offered load, the knob in force, mean latency against L).
 */
import type { ExperimentChart } from '../experiment.js';
import { renderBarChart } from '../../report/bar-chart.js';
import { renderTimeSeriesChart } from '../../report/time-series-chart.js';
import type { LinePoint } from '../../report/plot-area.js';
import type { ControllerRun } from './controller-run.js';
import type { CaseResult } from './case-result.js';

/** DNNScaler's average over Clipper in the paper: 218% higher. */
export const PAPER_AVERAGE_RATIO = 3.18;

export function ratioChart(
  results: readonly CaseResult[],
  ratios: readonly (number | undefined)[],
): ExperimentChart {
  return {
    name: 'ratio',
    svg: renderBarChart({
      title: 'DNNScaler / Clipper throughput at the latency target',
      subtitle: 'highest Poisson rate with mean end-to-end latency ≤ L, per model',
      yLabel: 'throughput ratio (x)',
      categories: results.map((r) => r.kase.id),
      series: [{ name: 'DNNScaler / Clipper', values: ratios }],
      valueFormat: (v) => `${v.toFixed(2)}x`,
      horizontalLines: [{ y: PAPER_AVERAGE_RATIO, label: `paper's average ${PAPER_AVERAGE_RATIO}x` }],
      width: 860,
    }),
  };
}

export function throughputChart(results: readonly CaseResult[]): ExperimentChart {
  const share = (rps: number, ceiling: number): number => (100 * rps) / ceiling;
  return {
    name: 'throughput',
    svg: renderBarChart({
      title: 'Throughput at L as a share of the best knob’s ceiling',
      subtitle: 'ceiling = max over knobs of b / l(b) (batching) and k / l_k(1) (co-location), medians',
      yLabel: 'share of the ceiling (%)',
      categories: results.map((r) => r.kase.id),
      series: [
        {
          name: 'DNNScaler',
          values: results.map((r) => share(r.dnnscaler.throughputRps, r.kase.ceilingRps)),
        },
        {
          name: 'Clipper AIMD',
          values: results.map((r) => share(r.clipper.throughputRps, r.kase.ceilingRps)),
        },
      ],
      valueFormat: (v) => `${v.toFixed(0)}%`,
      yMax: 100,
      width: 860,
    }),
  };
}

/** Both controllers' runs of one model at one rate. */
export function traceChart(
  result: CaseResult,
  dnnscaler: ControllerRun,
  clipper: ControllerRun,
): ExperimentChart {
  const { kase } = result;
  const coLocated = dnnscaler.knobs.some((k) => k.instances > 1);
  const steps = (run: ControllerRun, pick: (k: ControllerRun['knobs'][number]) => number): LinePoint[] => {
    const end = run.seconds[run.seconds.length - 1]?.tS ?? 0;
    const points: LinePoint[] = [];
    run.knobs.forEach((k, i) => {
      if (i > 0) points.push({ x: k.tS, y: pick(run.knobs[i - 1] ?? k) });
      points.push({ x: k.tS, y: pick(k) });
    });
    const last = run.knobs[run.knobs.length - 1];
    if (last !== undefined) points.push({ x: end, y: pick(last) });
    return points;
  };
  const latency = (run: ControllerRun): LinePoint[] =>
    run.seconds.filter((s) => Number.isFinite(s.meanMs)).map((s) => ({ x: s.tS, y: s.meanMs }));
  return {
    name: 'trace',
    svg: renderTimeSeriesChart({
      title: `${kase.id} at ${dnnscaler.rateRps.toFixed(1)} req/s, DNNScaler's throughput`,
      subtitle:
        `L ${kase.targetMs} ms; judged window: DNNScaler mean ${fmtMs(dnnscaler.meanMs)} ms, ` +
        `Clipper ${fmtMs(clipper.meanMs)} ms` +
        (clipper.rejectedShare > 0
          ? ` (${(100 * clipper.rejectedShare).toFixed(0)}% refused: queue full)`
          : ''),
      panels: [
        {
          yLabel: 'arrivals/s',
          series: [
            { name: 'offered load', points: dnnscaler.seconds.map((s) => ({ x: s.tS, y: s.arrivals })) },
          ],
        },
        {
          yLabel: coLocated ? 'batch / instances' : 'batch size',
          yMin: 0,
          series: [
            { name: 'DNNScaler batch', points: steps(dnnscaler, (k) => k.batch) },
            ...(coLocated
              ? [{ name: 'DNNScaler instances', points: steps(dnnscaler, (k) => k.instances), dashed: true }]
              : []),
            { name: 'Clipper batch', points: steps(clipper, (k) => k.batch) },
          ],
        },
        {
          yLabel: 'mean latency (ms)',
          yScale: 'log',
          series: [
            { name: 'DNNScaler', points: latency(dnnscaler) },
            { name: 'Clipper', points: latency(clipper) },
          ],
          horizontalLines: [{ y: kase.targetMs, label: `L ${kase.targetMs} ms` }],
        },
      ],
    }),
  };
}

function fmtMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : '∞';
}
