/**
 * A line/point chart with one plot: measured latency against batch size per core count, with the
 * fitted curves dashed beside the points, or any other y-against-x data.
 */
import type { ScaleKind } from './axis-scale.js';
import { chartFrame } from './chart-frame.js';
import { LEGEND_GAP, LEGEND_MAX_WIDTH_FRACTION, measureLegend, renderLegend } from './chart-legend.js';
import type { HorizontalLine, LineSeries } from './plot-area.js';
import { X_AXIS_HEIGHT, fittedScale, measureYAxis, tickCountFor } from './chart-axes.js';
import { drawableValues, lineLegendEntries, renderPlotArea, seriesColors } from './plot-area.js';

export type { HorizontalLine, LinePoint, LineSeries } from './plot-area.js';

export interface LineChartSpec {
  readonly title: string;
  /** A second, smaller line under the title (model, machine, date…). */
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Drawn in order (later series on top); an empty list renders a "no data" chart. */
  readonly series: readonly LineSeries[];
  /** Default `linear`. On a log axis, points with x ≤ 0 are skipped. */
  readonly xScale?: ScaleKind;
  /** Default `linear`. On a log axis, points with y ≤ 0 are skipped (and break their line). */
  readonly yScale?: ScaleKind;
  /** Document width in px. Default 720. */
  readonly width?: number;
  /** Document height in px. Default 420. */
  readonly height?: number;
  /** Fixed lower end of the x axis, data units. Default: from the data, niced. */
  readonly xMin?: number;
  /** Fixed upper end of the x axis, data units. Default: from the data, niced. */
  readonly xMax?: number;
  /** Fixed lower end of the y axis, data units. Default: from the data, niced. */
  readonly yMin?: number;
  /** Fixed upper end of the y axis, data units. Default: from the data and horizontal lines, niced. */
  readonly yMax?: number;
  /** Reference lines such as an SLO; an automatic y axis extends to show them. */
  readonly horizontalLines?: readonly HorizontalLine[];
}

export const DEFAULT_LINE_CHART_WIDTH = 720;
export const DEFAULT_LINE_CHART_HEIGHT = 420;

/**
 * The chart as a standalone SVG document (a string; write it where you like). Data never makes it
 * throw: non-finite points are skipped, and no drawable point at all gives axes with a "no data" note.
 * @throws RangeError for an invalid spec: a non-positive size, `xMin ≥ xMax`, or a non-positive bound
 *   on a log axis.
 */
export function renderLineChart(spec: LineChartSpec): string {
  const width = spec.width ?? DEFAULT_LINE_CHART_WIDTH;
  const height = spec.height ?? DEFAULT_LINE_CHART_HEIGHT;
  const frame = chartFrame({ kind: 'line', title: spec.title, subtitle: spec.subtitle, width, height });
  const xKind = spec.xScale ?? 'linear';
  const yKind = spec.yScale ?? 'linear';
  const colors = seriesColors(spec.series);
  const entries = lineLegendEntries(spec.series, colors);
  const { xs, ys } = drawableValues(spec.series, xKind, yKind);
  const lines = spec.horizontalLines ?? [];

  const top = frame.contentTop + 6;
  const plotHeight = Math.max(20, height - frame.margin - X_AXIS_HEIGHT - top);
  const legend = measureLegend(entries, width * LEGEND_MAX_WIDTH_FRACTION, plotHeight);
  const y = fittedScale(yKind, [...ys, ...lines.map((l) => l.y)], {
    min: spec.yMin,
    max: spec.yMax,
    range: [top + plotHeight, top],
    tickCount: tickCountFor(plotHeight, 55, 8),
  });
  const yAxisWidth = measureYAxis(y);
  const left = frame.margin + yAxisWidth;
  const right = width - frame.margin - (legend.width > 0 ? legend.width + LEGEND_GAP : 0);
  const plotWidth = Math.max(20, right - left);
  const x = fittedScale(xKind, xs, {
    min: spec.xMin,
    max: spec.xMax,
    range: [left, left + plotWidth],
    tickCount: tickCountFor(plotWidth, 90, 10),
  });
  const rect = { x: left, y: top, width: plotWidth, height: plotHeight };
  return frame.render([
    renderPlotArea({
      rect,
      x,
      y,
      series: spec.series,
      colors,
      yLabel: spec.yLabel,
      xLabel: spec.xLabel,
      xTickLabels: true,
      yAxisWidth,
      horizontalLines: lines,
      clipId: frame.id('plot'),
    }),
    renderLegend(entries, left + plotWidth + LEGEND_GAP, top, legend),
  ]);
}
