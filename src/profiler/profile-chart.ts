/**
 * A profile as charts a person can open (`sluice profile --report`): batch latency against batch size,
 * one colour per core count, measured points beside the fitted Sponge curve; and, when measured, the
 * throughput of batching against co-location on the same cores (DNNScaler's verdict) and the capacity
 * per core count.
 */
import { sponge4LatencyMs } from '../core/latency-model.js';
import type { Profile } from '../core/profile.js';
import { renderBarChart } from '../report/bar-chart.js';
import { paletteColor } from '../report/chart-legend.js';
import { renderLineChart, type LineSeries } from '../report/line-chart.js';
import { stackCharts } from '../report/stack-charts.js';

export function renderProfileChart(profile: Profile): string {
  const single = profile.points.filter((p) => p.instances === 1);
  const cores = [...new Set(single.map((p) => p.cores))].sort((a, b) => a - b);
  const maxBatch = Math.max(...single.map((p) => p.batch));
  const percentile = profile.fit.percentile;
  const series: LineSeries[] = cores.flatMap((c, i): LineSeries[] => {
    const color = paletteColor(i);
    const measured = single
      .filter((p) => p.cores === c)
      .map((p) => ({ x: p.batch, y: percentile === 'p99' ? p.p99Ms : p.p50Ms }));
    const fitted = Array.from({ length: 40 }, (_, i) => 1 + ((maxBatch - 1) * i) / 39).map((b) => ({
      x: b,
      y: sponge4LatencyMs(profile.fit.model, b, c),
    }));
    return [
      { name: `${c} cores: measured ${percentile}`, points: measured, style: 'points', color },
      { name: `${c} cores: fitted`, points: fitted, style: 'line', dashed: true, color },
    ];
  });
  const m = profile.fit.model;
  const fmt = (x: number): string => x.toPrecision(3);
  const what = `${profile.module}/${profile.variant} on ${profile.hardware.name}`;
  const charts = [
    renderLineChart({
      title: `${what}: batch latency, measured and fitted`,
      subtitle:
        `l(b,c) = ${fmt(m.gamma)}·b/c + ${fmt(m.delta)}·b + ${fmt(m.epsilon)}/c + ${fmt(m.eta)} ms; ` +
        `fit error median ${(100 * profile.fit.medianRelativeError).toFixed(1)}%, worst ${(100 * profile.fit.maxRelativeError).toFixed(1)}%`,
      xLabel: 'batch size',
      yLabel: `${percentile} batch latency (ms)`,
      series,
      width: 860,
      height: 460,
      ...(maxBatch >= 16 ? { xScale: 'log' as const } : {}),
    }),
  ];
  const verdict = profile.verdict;
  if (verdict !== undefined) {
    const colocated = profile.points.filter((p) => p.instances > 1);
    const batching = single.filter(
      (p) => p.cores === verdict.totalCores && p.p99Ms <= verdict.latencyTargetMs,
    );
    const knobs = [...new Set([...batching.map((p) => p.batch), ...colocated.map((p) => p.instances)])].sort(
      (a, b) => a - b,
    );
    charts.push(
      renderBarChart({
        title: `${what}: batching or co-location on ${verdict.totalCores} cores (within ${verdict.latencyTargetMs} ms)`,
        subtitle: `verdict: ${verdict.choice} (batching ${verdict.batching.gain.toFixed(2)}x, co-location ${verdict.colocation.gain.toFixed(2)}x over batch 1)`,
        xLabel: 'batch size (batching) / instances (co-location)',
        yLabel: 'throughput (req/s)',
        categories: knobs.map(String),
        series: [
          {
            name: 'batching: one instance, batch k',
            values: knobs.map((k) => batching.find((p) => p.batch === k)?.throughputRps),
          },
          {
            name: 'co-location: k instances, batch 1',
            values: knobs.map((k) =>
              k === 1 ? verdict.baseThroughputRps : colocated.find((p) => p.instances === k)?.throughputRps,
            ),
          },
        ],
        valueFormat: (v) => v.toFixed(v >= 100 ? 0 : 1),
        width: 860,
      }),
    );
  }
  const capacity = profile.capacity;
  if (capacity !== undefined && capacity.points.length > 0) {
    const batches = [...new Set(capacity.points.map((p) => p.maxBatch))].sort((a, b) => a - b);
    const capCores = [...new Set(capacity.points.map((p) => p.cores))].sort((a, b) => a - b);
    charts.push(
      renderBarChart({
        title: `${what}: capacity within ${capacity.percentile} ≤ ${capacity.sloMs} ms (Poisson arrivals)`,
        subtitle:
          capacity.checks.length === 0
            ? `${capacity.points[0]?.source ?? 'derived'} capacities`
            : capacity.checks
                .map(
                  (c) =>
                    `checked live at ${c.rateRps.toFixed(1)} req/s on ${c.cores} cores: ${capacity.percentile} ${c.measuredMs.toFixed(0)} ms, ${(100 * c.attainment).toFixed(1)}% within the SLO`,
                )
                .join('; '),
        xLabel: 'cores',
        yLabel: 'capacity (req/s)',
        categories: capCores.map(String),
        series: batches.map((b) => ({
          name: b === 1 ? 'batch 1 (InfAdapter)' : `batches up to ${b}`,
          values: capCores.map(
            (c) => capacity.points.find((p) => p.cores === c && p.maxBatch === b)?.rateRps,
          ),
        })),
        valueFormat: (v) => v.toFixed(v >= 100 ? 0 : 1),
        width: 860,
      }),
    );
  }
  return stackCharts(charts, { title: `profile of ${what}` });
}
