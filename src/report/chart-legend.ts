/**
 * Series colours and the legend that names them. Legends sit beside the plot, never over it, so they
 * cannot hide data; when the entries do not fit one column's height they flow into more columns.
 */
import { escapeXml, estimateTextWidth, fitText, svgElement, svgText } from './svg-document.js';

/**
 * The Okabe–Ito palette, which stays distinguishable under the common colour-vision deficiencies.
 * Ordered so that the first colours are the most distinct on white; yellow, faint on white, comes last.
 */
export const DEFAULT_PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
];

/** The default colour of the `index`-th series (0-based); the palette repeats after eight. */
export function paletteColor(index: number): string {
  return DEFAULT_PALETTE[
    ((index % DEFAULT_PALETTE.length) + DEFAULT_PALETTE.length) % DEFAULT_PALETTE.length
  ]!;
}

/** What a legend swatch shows: a line sample, a dot, both, or a filled square for bars. */
export type LegendMarker = 'line' | 'points' | 'line+points' | 'bar';

export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  readonly marker: LegendMarker;
  readonly dashed?: boolean;
}

export interface LegendLayout {
  /** Width in px the legend needs (0 without entries). */
  readonly width: number;
  /** Height in px of its tallest column. */
  readonly height: number;
  readonly rows: number;
  readonly columns: number;
  /** Width in px left for a name in one column; longer names are shortened with an ellipsis. */
  readonly nameWidth: number;
}

/** Gap between a plot and the legend on its right, px. */
export const LEGEND_GAP = 16;
/** A legend may take at most this fraction of its chart's width. */
export const LEGEND_MAX_WIDTH_FRACTION = 0.3;
/** Vertical distance between legend rows, px. */
export const LEGEND_ROW_HEIGHT = 18;
const FONT_SIZE = 12;
const SWATCH_WIDTH = 24;
const SWATCH_GAP = 6;
const COLUMN_GAP = 12;
/** Radius of a point marker in px, shared with the plot so that legend and data look alike. */
export const MARKER_RADIUS = 3.5;
/**
 * How far below a text's vertical middle its baseline lies, in em. Text is centred on a point by
 * moving its baseline rather than with `dominant-baseline`, which renderers disagree about.
 */
export const BASELINE_TO_MIDDLE_EM = 0.35;
/** Dash pattern of dashed series, px on / px off. */
export const DASH_PATTERN = '6 4';

/**
 * How a legend of `entries` is laid out in a box at most `maxWidth` × `maxHeight` px: as many rows per
 * column as fit the height, and the columns sharing the width.
 */
export function measureLegend(
  entries: readonly LegendEntry[],
  maxWidth: number,
  maxHeight: number,
): LegendLayout {
  if (entries.length === 0) return { width: 0, height: 0, rows: 0, columns: 0, nameWidth: 0 };
  const rows = Math.max(1, Math.min(entries.length, Math.floor(maxHeight / LEGEND_ROW_HEIGHT)));
  const columns = Math.ceil(entries.length / rows);
  const widest = Math.max(...entries.map((e) => estimateTextWidth(e.name, FONT_SIZE)));
  const columnWidthCap = (maxWidth - COLUMN_GAP * (columns - 1)) / columns;
  const nameWidth = Math.max(24, Math.min(widest, columnWidthCap - SWATCH_WIDTH - SWATCH_GAP));
  const columnWidth = SWATCH_WIDTH + SWATCH_GAP + nameWidth;
  return {
    width: columns * columnWidth + (columns - 1) * COLUMN_GAP,
    height: rows * LEGEND_ROW_HEIGHT,
    rows,
    columns,
    nameWidth,
  };
}

/**
 * The legend as markup, its top-left corner at (`x`, `y`), laid out as {@link measureLegend} says.
 * A shortened name keeps its full text in a `<title>` tooltip.
 */
export function renderLegend(
  entries: readonly LegendEntry[],
  x: number,
  y: number,
  layout: LegendLayout,
): string {
  if (entries.length === 0) return '';
  const columnWidth = SWATCH_WIDTH + SWATCH_GAP + layout.nameWidth + COLUMN_GAP;
  const items = entries.map((entry, i) => {
    const left = x + Math.floor(i / layout.rows) * columnWidth;
    const middle = y + (i % layout.rows) * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
    const shown = fitText(entry.name, layout.nameWidth, FONT_SIZE);
    return svgElement('g', { class: 'legend-entry' }, [
      shown === entry.name ? '' : svgElement('title', {}, escapeXml(entry.name)),
      swatch(entry, left, middle),
      svgText(
        {
          x: left + SWATCH_WIDTH + SWATCH_GAP,
          y: middle + FONT_SIZE * BASELINE_TO_MIDDLE_EM,
          'font-size': FONT_SIZE,
          fill: '#222',
        },
        shown,
      ),
    ]);
  });
  return svgElement('g', { class: 'legend' }, items);
}

function swatch(entry: LegendEntry, left: number, middle: number): string {
  if (entry.marker === 'bar') {
    return svgElement('rect', { x: left + 6, y: middle - 6, width: 12, height: 12, fill: entry.color });
  }
  const parts: string[] = [];
  if (entry.marker !== 'points') {
    parts.push(
      svgElement('line', {
        x1: left,
        y1: middle,
        x2: left + SWATCH_WIDTH,
        y2: middle,
        stroke: entry.color,
        'stroke-width': 2,
        'stroke-dasharray': entry.dashed === true ? DASH_PATTERN : undefined,
      }),
    );
  }
  if (entry.marker !== 'line') {
    parts.push(markerCircle(left + SWATCH_WIDTH / 2, middle, entry.color));
  }
  return parts.join('');
}

/** A point marker: a filled circle with a thin white rim, so overlapping points stay apart. */
export function markerCircle(cx: number, cy: number, color: string, className?: string): string {
  return svgElement('circle', {
    class: className,
    cx,
    cy,
    r: MARKER_RADIUS,
    fill: color,
    stroke: '#ffffff',
    'stroke-width': 0.75,
  });
}
