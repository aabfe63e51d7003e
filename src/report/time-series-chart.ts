/**
 * Panels stacked over one shared time axis: load, allocated cores and p99 latency of one run, read
 * top to bottom at the same instant. Each panel is a plot area like the line chart's, with its own
 * y axis and legend; the x axis and its labels are shared and written once, under the bottom panel.
 */
import type { ScaleKind } from './axis-scale.js';
import { chartFrame } from './chart-frame.js';
import { LEGEND_GAP, LEGEND_MAX_WIDTH_FRACTION, measureLegend, renderLegend } from './chart-legend.js';
import type { HorizontalLine, LineSeries } from './plot-area.js';
import { X_AXIS_HEIGHT, fittedScale, measureYAxis, tickCountFor } from './chart-axes.js';
import { drawableValues, lineLegendEntries, renderPlotArea, seriesColors } from './plot-area.js';

export interface TimeSeriesPanel {
  readonly yLabel: string;
  /** Points with x in seconds. Colours restart from the palette's first in every panel. */
  readonly series: readonly LineSeries[];
  /** Default `linear`. */
  readonly yScale?: ScaleKind;
  /** Fixed lower end of this panel's y axis, data units. */
  readonly yMin?: number;
  /** Fixed upper end of this panel's y axis, data units. */
  readonly yMax?: number;
  /** Reference lines such as an SLO; an automatic y axis extends to show them. */
  readonly horizontalLines?: readonly HorizontalLine[];
}

export interface TimeSeriesChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  /** Top to bottom. An empty list renders one empty panel with a "no data" note. */
  readonly panels: readonly TimeSeriesPanel[];
  /** Default `time (s)`. */
  readonly xLabel?: string;
  /** Fixed start of the time axis, s. Default: the earliest point, niced (0 is not forced in). */
  readonly xMin?: number;
  /** Fixed end of the time axis, s. Default: the latest point, niced. */
  readonly xMax?: number;
  /** Document width in px. Default 720. */
  readonly width?: number;
  /** Document height in px. Default 100 + 170 per panel. */
  readonly height?: number;
}

const PANEL_GAP = 16;

/**
 * The chart as a standalone SVG document. Data never makes it throw: non-finite points are skipped,
 * and a panel without a drawable point shows a "no data" note.
 * @throws RangeError for an invalid spec: a non-positive size, `xMin ≥ xMax`, a panel's `yMin ≥ yMax`,
 *   or a non-positive bound on a log axis.
 */
export function renderTimeSeriesChart(spec: TimeSeriesChartSpec): string {
  const panels: readonly TimeSeriesPanel[] =
    spec.panels.length > 0 ? spec.panels : [{ yLabel: '', series: [] }];
  const width = spec.width ?? 720;
  const height = spec.height ?? 100 + 170 * panels.length;
  const frame = chartFrame({
    kind: 'time-series',
    title: spec.title,
    subtitle: spec.subtitle,
    width,
    height,
  });
  const top = frame.contentTop + 6;
  const stackHeight = height - frame.margin - X_AXIS_HEIGHT - top - PANEL_GAP * (panels.length - 1);
  const panelHeight = Math.max(20, stackHeight / panels.length);

  const laidOut = panels.map((panel, i) => {
    const yKind = panel.yScale ?? 'linear';
    const colors = seriesColors(panel.series);
    const entries = lineLegendEntries(panel.series, colors);
    const panelTop = top + i * (panelHeight + PANEL_GAP);
    const { ys } = drawableValues(panel.series, 'linear', yKind);
    const y = fittedScale(yKind, [...ys, ...(panel.horizontalLines ?? []).map((l) => l.y)], {
      min: panel.yMin,
      max: panel.yMax,
      range: [panelTop + panelHeight, panelTop],
      tickCount: tickCountFor(panelHeight, 45, 6),
    });
    const legend = measureLegend(entries, width * LEGEND_MAX_WIDTH_FRACTION, panelHeight);
    return { panel, yKind, colors, entries, panelTop, y, legend };
  });

  const legendWidth = Math.max(...laidOut.map((p) => p.legend.width));
  const yAxisWidth = Math.max(...laidOut.map((p) => measureYAxis(p.y)));
  const left = frame.margin + yAxisWidth;
  const right = width - frame.margin - (legendWidth > 0 ? legendWidth + LEGEND_GAP : 0);
  const plotWidth = Math.max(20, right - left);
  const times = laidOut.flatMap((p) => drawableValues(p.panel.series, 'linear', p.yKind).xs);
  const x = fittedScale('linear', times, {
    min: spec.xMin,
    max: spec.xMax,
    range: [left, left + plotWidth],
    tickCount: tickCountFor(plotWidth, 90, 10),
    includeZero: 'never',
    suffixes: false,
  });

  return frame.render(
    laidOut.flatMap((p, i) => {
      const last = i === laidOut.length - 1;
      return [
        renderPlotArea({
          rect: { x: left, y: p.panelTop, width: plotWidth, height: panelHeight },
          x,
          y: p.y,
          series: p.panel.series,
          colors: p.colors,
          yLabel: p.panel.yLabel,
          xLabel: spec.xLabel ?? 'time (s)',
          xTickLabels: last,
          yAxisWidth,
          horizontalLines: p.panel.horizontalLines,
          clipId: frame.id(`panel-${i}`),
        }),
        renderLegend(p.entries, left + plotWidth + LEGEND_GAP, p.panelTop, p.legend),
      ];
    }),
  );
}
