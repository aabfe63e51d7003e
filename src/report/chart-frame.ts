/**
 * The frame every chart shares: the document, its title and subtitle at the top, the outer margin,
 * and ids unique to the chart (so two charts inlined into one HTML page do not share a clip path).
 */
import { fitText, svgDocument, svgText } from './svg-document.js';

export interface ChartFrameOptions {
  readonly title: string;
  readonly subtitle?: string | undefined;
  /** Document width, px. */
  readonly width: number;
  /** Document height, px. */
  readonly height: number;
  /** Distinguishes the ids of different chart kinds with the same title. */
  readonly kind: string;
}

export interface ChartFrame {
  readonly width: number;
  readonly height: number;
  /** Blank space kept on every side of the document, px. */
  readonly margin: number;
  /** The first y (px) below the title block. */
  readonly contentTop: number;
  /** An id unique to this chart (the same for the same kind and title): `sluice-<hash>-<name>`. */
  id(name: string): string;
  /** The whole document: title block, then `content` (markup). */
  render(content: readonly string[]): string;
}

const MARGIN = 16;
const TITLE_FONT_SIZE = 16;
const SUBTITLE_FONT_SIZE = 12;

/**
 * The frame of a chart of `width` × `height` px titled `title`.
 * @throws RangeError if width or height is not a positive finite number.
 */
export function chartFrame(options: ChartFrameOptions): ChartFrame {
  const { width, height, title, subtitle } = options;
  if (!(Number.isFinite(width) && width > 0 && Number.isFinite(height) && height > 0)) {
    throw new RangeError(`a chart needs a positive finite width and height, got ${width} × ${height}`);
  }
  const textWidth = width - 2 * MARGIN;
  const header = [
    svgText(
      {
        x: MARGIN,
        y: MARGIN + 14,
        'font-size': TITLE_FONT_SIZE,
        'font-weight': 'bold',
        fill: '#111',
        class: 'title',
      },
      // Bold glyphs run about a tenth wider than the estimate's regular ones.
      fitText(title, textWidth, TITLE_FONT_SIZE * 1.1),
    ),
  ];
  if (subtitle !== undefined && subtitle !== '') {
    header.push(
      svgText(
        { x: MARGIN, y: MARGIN + 33, 'font-size': SUBTITLE_FONT_SIZE, fill: '#555', class: 'subtitle' },
        fitText(subtitle, textWidth, SUBTITLE_FONT_SIZE),
      ),
    );
  }
  const contentTop = MARGIN + (header.length > 1 ? 46 : 28);
  const prefix = `sluice-${hash(`${options.kind}\u0000${title}`)}`;
  return {
    width,
    height,
    margin: MARGIN,
    contentTop,
    id: (name) => `${prefix}-${name}`,
    render: (content) =>
      svgDocument({ width, height, title, ...(subtitle === undefined ? {} : { description: subtitle }) }, [
        ...header,
        ...content,
      ]),
  };
}

/** FNV-1a over the UTF-16 code units, as 8 hex digits: short, stable, and enough to tell charts apart. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
