/**
 * One rectangular plot of line/point series over the axes of `chart-axes.ts`, the series clipped to
 * the rectangle. The line chart draws one, the time-series chart a stack of them sharing the x scale.
 */
import type { AxisScale, ScaleKind } from './axis-scale.js';
import type { HorizontalLine, Rect } from './chart-axes.js';
import {
  measureYAxis,
  onAxis,
  renderHorizontalLines,
  renderNoData,
  renderXAxis,
  renderYAxis,
} from './chart-axes.js';
import type { LegendEntry } from './chart-legend.js';
import { DASH_PATTERN, MARKER_RADIUS, markerCircle, paletteColor } from './chart-legend.js';
import { formatSvgNumber, svgElement } from './svg-document.js';

export type { HorizontalLine, Rect } from './chart-axes.js';

export interface LinePoint {
  readonly x: number;
  readonly y: number;
}

export interface LineSeries {
  /** Shown in the legend. */
  readonly name: string;
  /** In any order; lines are drawn through them sorted by x. Non-finite points are skipped. */
  readonly points: readonly LinePoint[];
  /** Default `line`. A `line` series with a single drawable point shows it as a marker. */
  readonly style?: 'line' | 'points' | 'line+points';
  /** Draw the line dashed (e.g. a fitted curve beside measured points). Default false. */
  readonly dashed?: boolean;
  /** Any SVG colour. Default: the palette colour of the series' index ({@link paletteColor}). */
  readonly color?: string;
}

export interface PlotAreaOptions {
  readonly rect: Rect;
  readonly x: AxisScale;
  readonly y: AxisScale;
  readonly series: readonly LineSeries[];
  /** One colour per series, as {@link seriesColors} resolves them. */
  readonly colors: readonly string[];
  readonly yLabel: string;
  /** The x axis title; omitted with the tick labels when `xTickLabels` is false. */
  readonly xLabel?: string;
  /** Whether to write x tick labels (a stacked panel leaves them to the bottom panel). */
  readonly xTickLabels: boolean;
  /** Width of the y axis left of `rect`, px; default {@link measureYAxis} of `y`. */
  readonly yAxisWidth?: number;
  readonly horizontalLines?: readonly HorizontalLine[] | undefined;
  /** Id for the clip path; must be unique within the document. */
  readonly clipId: string;
}

// A pixel coordinate beyond this is off any plot; clamping keeps points far outside fixed axis bounds
// finite (a clipped line then leaves the plot at a slightly different angle, which nobody can see).
const FAR_OFF_PX = 1e6;

/** The x and y values of the points that can be drawn on these axis kinds, for computing domains. */
export function drawableValues(
  series: readonly LineSeries[],
  xKind: ScaleKind,
  yKind: ScaleKind,
): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (const p of s.points) {
      if (onAxis(p.x, xKind) && onAxis(p.y, yKind)) {
        xs.push(p.x);
        ys.push(p.y);
      }
    }
  }
  return { xs, ys };
}

/** The colour of each series: its own, or the palette's by index. */
export function seriesColors(series: readonly LineSeries[]): string[] {
  return series.map((s, i) => s.color ?? paletteColor(i));
}

/** Legend entries for line series, coloured as {@link seriesColors} says. */
export function lineLegendEntries(series: readonly LineSeries[], colors: readonly string[]): LegendEntry[] {
  return series.map((s, i) => ({
    name: s.name,
    color: colors[i] ?? paletteColor(i),
    marker: s.style ?? 'line',
    dashed: s.dashed === true,
  }));
}

/**
 * One series as markup: polylines through its points sorted by x (a point whose y cannot be drawn
 * breaks the line, so a missing sample shows as a gap rather than a false straight segment), and a
 * marker (`<circle class="point">`) per drawable point for point styles.
 */
export function renderLineSeries(series: LineSeries, color: string, x: AxisScale, y: AxisScale): string {
  const style = series.style ?? 'line';
  const placed = series.points.filter((p) => onAxis(p.x, x.kind)).sort((a, b) => a.x - b.x);
  const px = (p: LinePoint): number => clampPx(x.map(p.x));
  const py = (p: LinePoint): number => clampPx(y.map(p.y));
  const parts: string[] = [];
  if (style !== 'points') {
    let run: LinePoint[] = [];
    const flush = (): void => {
      if (run.length >= 2) {
        parts.push(
          svgElement('polyline', {
            class: 'series-line',
            points: run.map((p) => `${formatSvgNumber(px(p))},${formatSvgNumber(py(p))}`).join(' '),
            fill: 'none',
            stroke: color,
            'stroke-width': 2,
            'stroke-linejoin': 'round',
            'stroke-linecap': 'round',
            'stroke-dasharray': series.dashed === true ? DASH_PATTERN : undefined,
          }),
        );
      } else if (run.length === 1 && style === 'line') {
        parts.push(markerCircle(px(run[0]!), py(run[0]!), color, 'point'));
      }
      run = [];
    };
    for (const p of placed) {
      if (onAxis(p.y, y.kind)) run.push(p);
      else flush();
    }
    flush();
  }
  if (style !== 'line') {
    for (const p of placed) if (onAxis(p.y, y.kind)) parts.push(markerCircle(px(p), py(p), color, 'point'));
  }
  return svgElement('g', { class: 'series', 'data-name': series.name }, parts);
}

/** Everything inside and along one plot rectangle; series are clipped to it (plus a marker's radius). */
export function renderPlotArea(options: PlotAreaOptions): string {
  const { rect, x, y, series, colors, clipId } = options;
  const pad = MARKER_RADIUS + 1;
  const clip = svgElement(
    'clipPath',
    { id: clipId },
    svgElement('rect', {
      x: rect.x - pad,
      y: rect.y - pad,
      width: rect.width + 2 * pad,
      height: rect.height + 2 * pad,
    }),
  );
  const drawn = drawableValues(series, x.kind, y.kind).xs.length > 0;
  return svgElement('g', { class: 'plot' }, [
    svgElement('defs', {}, clip),
    renderYAxis(rect, y, options.yLabel, options.yAxisWidth ?? measureYAxis(y)),
    renderXAxis(rect, x, options.xTickLabels, options.xLabel),
    renderHorizontalLines(rect, y, options.horizontalLines ?? []),
    svgElement(
      'g',
      { 'clip-path': `url(#${clipId})` },
      series.map((s, i) => renderLineSeries(s, colors[i] ?? paletteColor(i), x, y)),
    ),
    drawn ? '' : renderNoData(rect),
  ]);
}

function clampPx(v: number): number {
  return Math.max(-FAR_OFF_PX, Math.min(FAR_OFF_PX, v));
}
