/**
 * A grouped bar chart: one group per category (a policy, a model), one bar per series within each
 * group, the value written above each bar. Used to compare policies on cost, SLO attainment and the like.
 */
import type { AxisScale, ScaleKind } from './axis-scale.js';
import { formatTickLabel } from './axis-scale.js';
import { chartFrame } from './chart-frame.js';
import type { LegendEntry } from './chart-legend.js';
import {
  BASELINE_TO_MIDDLE_EM,
  LEGEND_GAP,
  LEGEND_MAX_WIDTH_FRACTION,
  measureLegend,
  paletteColor,
  renderLegend,
} from './chart-legend.js';
import type { HorizontalLine, Rect } from './chart-axes.js';
import {
  X_TICK_LABELS_HEIGHT,
  fittedScale,
  measureYAxis,
  onAxis,
  renderHorizontalLines,
  renderNoData,
  renderYAxis,
  tickCountFor,
} from './chart-axes.js';
import {
  escapeXml,
  estimateTextWidth,
  fitText,
  formatSvgNumber,
  svgElement,
  svgText,
} from './svg-document.js';

export interface BarSeries {
  readonly name: string;
  /** One value per category, in the order of `categories`; `undefined` (or a missing entry) leaves a gap. */
  readonly values: readonly (number | undefined)[];
  /** Any SVG colour. Default: the palette colour of the series' index. */
  readonly color?: string;
}

export interface BarChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly yLabel: string;
  /** A title under the category labels. Default none. */
  readonly xLabel?: string;
  /** The groups along the x axis, left to right. */
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Formats the value labels above the bars. Default 3 significant digits with k/M suffixes. */
  readonly valueFormat?: (value: number) => string;
  /** Document width in px. Default 720. */
  readonly width?: number;
  /** Document height in px. Default 420. */
  readonly height?: number;
  /** Default `linear`, whose axis always includes 0. On `log`, bars rise from the axis bottom and values ≤ 0 leave gaps. */
  readonly yScale?: ScaleKind;
  /** Fixed lower end of the y axis, data units. */
  readonly yMin?: number;
  /** Fixed upper end of the y axis, data units. */
  readonly yMax?: number;
  /** Reference lines such as a target; an automatic y axis extends to show them. */
  readonly horizontalLines?: readonly HorizontalLine[];
}

const VALUE_FONT_SIZE = 10;
const CATEGORY_FONT_SIZE = 11;
const CATEGORY_LABEL_MAX_PX = 140;
const CATEGORY_ANGLE_DEG = 40;
/** Fraction of each group's width left empty between groups. */
const GROUP_PADDING = 0.2;

/**
 * The chart as a standalone SVG document. Data never makes it throw: missing and non-finite values
 * leave gaps, and no drawable value gives an axis with a "no data" note.
 * @throws RangeError for an invalid spec: a non-positive size, `yMin ≥ yMax`, or a non-positive bound
 *   on a log axis.
 */
export function renderBarChart(spec: BarChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 420;
  const frame = chartFrame({ kind: 'bar', title: spec.title, subtitle: spec.subtitle, width, height });
  const kind = spec.yScale ?? 'linear';
  const format = spec.valueFormat ?? ((v: number) => formatTickLabel(v));
  const { categories, series } = spec;
  const colors = series.map((s, i) => s.color ?? paletteColor(i));
  const valueAt = (s: BarSeries, i: number): number | undefined => {
    const v = i < categories.length ? s.values[i] : undefined;
    return v !== undefined && onAxis(v, kind) ? v : undefined;
  };
  const values = series.flatMap((s) =>
    categories.map((_, i) => valueAt(s, i)).filter((v) => v !== undefined),
  );
  const entries: LegendEntry[] = series.map((s, i) => ({ name: s.name, color: colors[i]!, marker: 'bar' }));

  // Whether labels must be rotated depends on the bar width, which depends on the y axis width; an
  // estimate of the plot width settles the labels first, then the exact layout follows.
  const legend = measureLegend(entries, width * LEGEND_MAX_WIDTH_FRACTION, height / 2);
  const legendSpace = legend.width > 0 ? legend.width + LEGEND_GAP : 0;
  const estimatedBand = Math.max(
    1,
    (width - 2 * frame.margin - legendSpace - 56) / Math.max(1, categories.length),
  );
  const estimatedBar = (estimatedBand * (1 - GROUP_PADDING)) / Math.max(1, series.length);
  const valueLabelWidth = Math.max(0, ...values.map((v) => estimateTextWidth(format(v), VALUE_FONT_SIZE)));
  const rotateValues = valueLabelWidth > estimatedBar + 2;
  const categoryLabels = categories.map((c) => fitText(c, CATEGORY_LABEL_MAX_PX, CATEGORY_FONT_SIZE));
  const categoryWidth = Math.max(0, ...categoryLabels.map((c) => estimateTextWidth(c, CATEGORY_FONT_SIZE)));
  const rotateCategories = categoryWidth > estimatedBand - 4;
  const categoryHeight = rotateCategories
    ? X_TICK_LABELS_HEIGHT + categoryWidth * Math.sin((CATEGORY_ANGLE_DEG * Math.PI) / 180)
    : X_TICK_LABELS_HEIGHT;

  const top = frame.contentTop + 6 + (rotateValues ? valueLabelWidth + 6 : VALUE_FONT_SIZE + 6);
  const bottomSpace = categoryHeight + (spec.xLabel === undefined ? 0 : 20);
  const plotHeight = Math.max(20, height - frame.margin - bottomSpace - top);
  const y = fittedScale(kind, [...values, ...(spec.horizontalLines ?? []).map((l) => l.y)], {
    min: spec.yMin,
    max: spec.yMax,
    range: [top + plotHeight, top],
    tickCount: tickCountFor(plotHeight, 55, 8),
    includeZero: 'always',
  });
  const left = frame.margin + measureYAxis(y);
  const plotWidth = Math.max(20, width - frame.margin - legendSpace - left);
  const rect: Rect = { x: left, y: top, width: plotWidth, height: plotHeight };
  const band = plotWidth / Math.max(1, categories.length);
  const barWidth = (band * (1 - GROUP_PADDING)) / Math.max(1, series.length);

  const bars: string[] = [];
  series.forEach((s, j) => {
    categories.forEach((category, i) => {
      const v = valueAt(s, i);
      if (v === undefined) return;
      const x = left + i * band + (band * GROUP_PADDING) / 2 + j * barWidth;
      const label = `${s.name} · ${category}: ${format(v)}`;
      bars.push(
        bar(x, barWidth, v, y, colors[j]!, label),
        valueLabel(x + barWidth / 2, v, y, format(v), rotateValues),
      );
    });
  });
  const categoryText = categoryLabels.map((label, i) =>
    categoryLabel(left + (i + 0.5) * band, top + plotHeight, label, rotateCategories),
  );
  const xTitle =
    spec.xLabel === undefined
      ? ''
      : svgText(
          {
            class: 'axis-label',
            x: left + plotWidth / 2,
            y: height - frame.margin,
            'font-size': 12,
            'text-anchor': 'middle',
            fill: '#333',
          },
          fitText(spec.xLabel, plotWidth, 12),
        );
  return frame.render([
    svgElement('g', { class: 'plot' }, [
      renderYAxis(rect, y, spec.yLabel),
      svgElement('g', { class: 'bars' }, bars),
      renderHorizontalLines(rect, y, spec.horizontalLines ?? []),
      svgElement('line', {
        x1: left,
        y1: top + plotHeight,
        x2: left + plotWidth,
        y2: top + plotHeight,
        stroke: '#777',
      }),
      svgElement('g', { class: 'x-axis' }, categoryText),
      xTitle,
      values.length === 0 ? renderNoData(rect) : '',
    ]),
    renderLegend(entries, left + plotWidth + LEGEND_GAP, top, legend),
  ]);
}

/** The pixel y a bar grows from: 0 where the axis shows it, else the axis end nearest 0. */
function baselinePx(y: AxisScale): number {
  const [lo, hi] = y.domain;
  return y.map(y.kind === 'log' ? lo : Math.min(hi, Math.max(lo, 0)));
}

function clampToDomain(v: number, y: AxisScale): number {
  return Math.min(y.domain[1], Math.max(y.domain[0], v));
}

function bar(x: number, width: number, v: number, y: AxisScale, color: string, tooltip: string): string {
  const base = baselinePx(y);
  const end = y.map(clampToDomain(v, y));
  // A gap of a pixel between neighbouring bars, unless the bars are too thin to spare it.
  const inset = width > 6 ? 0.5 : 0;
  return svgElement(
    'rect',
    {
      class: 'bar',
      x: x + inset,
      y: Math.min(base, end),
      width: width - 2 * inset,
      height: Math.abs(end - base),
      fill: color,
    },
    svgElement('title', {}, escapeXml(tooltip)),
  );
}

function valueLabel(cx: number, v: number, y: AxisScale, text: string, rotate: boolean): string {
  const end = y.map(clampToDomain(v, y));
  const below = end > baselinePx(y);
  if (rotate) {
    const anchorY = below ? end + 4 : end - 4;
    const anchorX = cx + VALUE_FONT_SIZE * BASELINE_TO_MIDDLE_EM;
    return svgText(
      {
        class: 'value-label',
        x: anchorX,
        y: anchorY,
        transform: `rotate(-90 ${formatSvgNumber(anchorX)} ${formatSvgNumber(anchorY)})`,
        'font-size': VALUE_FONT_SIZE,
        'text-anchor': below ? 'end' : 'start',
        fill: '#333',
      },
      text,
    );
  }
  return svgText(
    {
      class: 'value-label',
      x: cx,
      y: below ? end + VALUE_FONT_SIZE + 2 : end - 3,
      'font-size': VALUE_FONT_SIZE,
      'text-anchor': 'middle',
      fill: '#333',
    },
    text,
  );
}

function categoryLabel(cx: number, axisY: number, text: string, rotate: boolean): string {
  const y = axisY + 16;
  return svgText(
    {
      class: 'category-label',
      x: cx,
      y,
      'font-size': CATEGORY_FONT_SIZE,
      'text-anchor': rotate ? 'end' : 'middle',
      transform: rotate
        ? `rotate(-${CATEGORY_ANGLE_DEG} ${formatSvgNumber(cx)} ${formatSvgNumber(y)})`
        : undefined,
      fill: '#333',
    },
    text,
  );
}
