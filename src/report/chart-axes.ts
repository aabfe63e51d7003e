/**
 * The axes of a plot: y grid, tick labels and title at the left, x grid and labels below, reference
 * lines across, and the scales fitted to the data they show. Shared by every chart kind.
 */
import type { AxisScale, ScaleKind } from './axis-scale.js';
import { axisScale, niceDomain } from './axis-scale.js';
import { BASELINE_TO_MIDDLE_EM } from './chart-legend.js';
import { estimateTextWidth, fitText, formatSvgNumber, svgElement, svgText } from './svg-document.js';

/** A horizontal reference line across the plot, such as an SLO, in y data units. */
export interface HorizontalLine {
  readonly y: number;
  readonly label: string;
}

/** A rectangle in px, (x, y) its top-left corner. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const TICK_FONT_SIZE = 11;
const LABEL_FONT_SIZE = 12;
const TICK_LENGTH = 4;
const GRID_COLOR = '#e6e6e6';
const AXIS_COLOR = '#777';
const TEXT_COLOR = '#333';
/** Height in px below a plot for x tick labels. */
export const X_TICK_LABELS_HEIGHT = 22;
/** Height in px below a plot for x tick labels and the x axis title. */
export const X_AXIS_HEIGHT = 42;
/** Whether `v` can be placed on an axis of this kind: finite, and positive on a log axis. */
export function onAxis(v: number, kind: ScaleKind): boolean {
  return Number.isFinite(v) && (kind === 'linear' || v > 0);
}

/** Tick count for an axis `lengthPx` long, `spacingPx` apart, within [2, max]. */
export function tickCountFor(lengthPx: number, spacingPx: number, max: number): number {
  return Math.max(2, Math.min(max, Math.round(lengthPx / spacingPx)));
}

export interface FittedScaleOptions {
  /** Fixed lower end, data units; default from the values, niced. */
  readonly min?: number | undefined;
  /** Fixed upper end, data units; default from the values, niced. */
  readonly max?: number | undefined;
  /** Pixel positions of the two ends. */
  readonly range: readonly [number, number];
  readonly tickCount: number;
  /** As `NiceDomainOptions.includeZero`. Default `auto`. */
  readonly includeZero?: 'auto' | 'always' | 'never';
  /** As `AxisScaleOptions.suffixes`. Default true. */
  readonly suffixes?: boolean;
}

/**
 * A scale over the niced domain of `values` (within fixed bounds, if any).
 * @throws RangeError for contradictory bounds, as {@link niceDomain}.
 */
export function fittedScale(
  kind: ScaleKind,
  values: readonly number[],
  options: FittedScaleOptions,
): AxisScale {
  const { min, max, tickCount } = options;
  const domain = niceDomain(kind, values, {
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
    includeZero: options.includeZero ?? 'auto',
    tickCount,
  });
  return axisScale(kind, domain, options.range, { tickCount, suffixes: options.suffixes ?? true });
}

/** Width in px a y axis needs left of the plot: tick labels, tick marks and the rotated title. */
export function measureYAxis(y: AxisScale): number {
  const widest = Math.max(0, ...y.ticks.map((t) => estimateTextWidth(y.format(t), TICK_FONT_SIZE)));
  return TICK_LENGTH + 4 + widest + 8 + LABEL_FONT_SIZE;
}

/**
 * Grid lines, tick labels and rotated title of a y axis at the left edge of `rect`. The title sits
 * `axisWidth` px left of the plot (default {@link measureYAxis}), so stacked panels can align theirs.
 */
export function renderYAxis(rect: Rect, y: AxisScale, label: string, axisWidth = measureYAxis(y)): string {
  const bottom = rect.y + rect.height;
  const parts = y.ticks.map((tick) => hLine(rect.x, rect.x + rect.width, y.map(tick), GRID_COLOR, 'grid'));
  // Labels closer than a line of text would collide.
  const labelled = labelledTicks(y, (a, b) => Math.abs(y.map(a) - y.map(b)) >= TICK_FONT_SIZE + 3);
  for (const tick of labelled) {
    const py = y.map(tick);
    const text = y.format(tick);
    parts.push(hLine(rect.x - TICK_LENGTH, rect.x, py, AXIS_COLOR));
    parts.push(
      svgText(
        {
          class: 'tick-label',
          x: rect.x - TICK_LENGTH - 4,
          y: py + TICK_FONT_SIZE * BASELINE_TO_MIDDLE_EM,
          'font-size': TICK_FONT_SIZE,
          'text-anchor': 'end',
          fill: TEXT_COLOR,
        },
        text,
      ),
    );
  }
  // Rotated text grows its glyphs leftwards from the baseline, about 0.8 em of them.
  const labelX = rect.x - axisWidth + LABEL_FONT_SIZE * 0.85;
  const labelY = rect.y + rect.height / 2;
  parts.push(
    svgText(
      {
        class: 'axis-label',
        x: labelX,
        y: labelY,
        transform: `rotate(-90 ${formatSvgNumber(labelX)} ${formatSvgNumber(labelY)})`,
        'font-size': LABEL_FONT_SIZE,
        'text-anchor': 'middle',
        fill: TEXT_COLOR,
      },
      fitText(label, rect.height, LABEL_FONT_SIZE),
    ),
  );
  parts.push(svgElement('line', { x1: rect.x, y1: rect.y, x2: rect.x, y2: bottom, stroke: AXIS_COLOR }));
  return svgElement('g', { class: 'y-axis' }, parts);
}

/** Grid lines of an x axis over `rect`, with tick labels and the title below it when asked. */
export function renderXAxis(rect: Rect, x: AxisScale, tickLabels: boolean, label?: string): string {
  const bottom = rect.y + rect.height;
  const parts = x.ticks.map((tick) => vLine(x.map(tick), rect.y, bottom, GRID_COLOR, 'grid'));
  const halfWidth = (tick: number): number => estimateTextWidth(x.format(tick), TICK_FONT_SIZE) / 2;
  const labelled = tickLabels
    ? labelledTicks(x, (a, b) => Math.abs(x.map(b) - x.map(a)) >= halfWidth(a) + halfWidth(b) + 6)
    : [];
  for (const tick of labelled) {
    const px = x.map(tick);
    const text = x.format(tick);
    parts.push(vLine(px, bottom, bottom + TICK_LENGTH, AXIS_COLOR));
    parts.push(
      svgText(
        {
          class: 'tick-label',
          x: px,
          y: bottom + TICK_LENGTH + 12,
          'font-size': TICK_FONT_SIZE,
          'text-anchor': 'middle',
          fill: TEXT_COLOR,
        },
        text,
      ),
    );
  }
  if (tickLabels && label !== undefined) {
    parts.push(
      svgText(
        {
          class: 'axis-label',
          x: rect.x + rect.width / 2,
          y: bottom + X_AXIS_HEIGHT - 6,
          'font-size': LABEL_FONT_SIZE,
          'text-anchor': 'middle',
          fill: TEXT_COLOR,
        },
        fitText(label, rect.width, LABEL_FONT_SIZE),
      ),
    );
  }
  parts.push(hLine(rect.x, rect.x + rect.width, bottom, AXIS_COLOR));
  return svgElement('g', { class: 'x-axis' }, parts);
}

/** Dashed reference lines with their labels; lines outside the y domain are left out. */
export function renderHorizontalLines(rect: Rect, y: AxisScale, lines: readonly HorizontalLine[]): string {
  const [lo, hi] = y.domain;
  const parts = lines
    .filter((line) => onAxis(line.y, y.kind) && line.y >= lo && line.y <= hi)
    .map((line) => {
      const py = y.map(line.y);
      // Above the line, unless that would leave the plot.
      const textY = py - 5 < rect.y + TICK_FONT_SIZE ? py + TICK_FONT_SIZE + 3 : py - 5;
      return svgElement('g', { class: 'reference-line' }, [
        svgElement('line', {
          x1: rect.x,
          y1: py,
          x2: rect.x + rect.width,
          y2: py,
          stroke: '#444',
          'stroke-width': 1.25,
          'stroke-dasharray': '8 3',
        }),
        svgText(
          {
            x: rect.x + rect.width - 4,
            y: textY,
            'font-size': TICK_FONT_SIZE,
            'text-anchor': 'end',
            fill: '#333',
            stroke: '#ffffff',
            'stroke-width': 3,
            'paint-order': 'stroke',
          },
          line.label,
        ),
      ]);
    });
  return parts.join('');
}

/** A centred, grey "no data" note in `rect`. */
export function renderNoData(rect: Rect): string {
  return svgText(
    {
      class: 'no-data',
      x: rect.x + rect.width / 2,
      y: rect.y + rect.height / 2 + 13 * BASELINE_TO_MIDDLE_EM,
      'font-size': 13,
      'text-anchor': 'middle',
      fill: '#888',
    },
    'no data',
  );
}

/**
 * The ticks to label, in order, such that `clear(previous, next)` holds for every neighbouring pair:
 * all of them if they fit; on a log axis the decades before any 2s and 5s; then every tick that
 * clears the last one kept. Unlabelled ticks keep their grid lines.
 */
function labelledTicks(scale: AxisScale, clear: (previous: number, next: number) => boolean): number[] {
  const keepClear = (ticks: readonly number[]): number[] => {
    const kept: number[] = [];
    for (const tick of ticks) if (kept.length === 0 || clear(kept[kept.length - 1]!, tick)) kept.push(tick);
    return kept;
  };
  const all = keepClear(scale.ticks);
  if (all.length === scale.ticks.length || scale.kind !== 'log') return all;
  const decades = scale.ticks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return decades.length >= 2 ? keepClear(decades) : all;
}

function hLine(x1: number, x2: number, y: number, stroke: string, className?: string): string {
  return svgElement('line', { class: className, x1, y1: y, x2, y2: y, stroke, 'stroke-width': 1 });
}

function vLine(x: number, y1: number, y2: number, stroke: string, className?: string): string {
  return svgElement('line', { class: className, x1: x, y1, x2: x, y2, stroke, 'stroke-width': 1 });
}
