/**
 * The SVG primitives every chart is written with: escaping, an element builder, attribute numbers and
 * the standalone document around a chart. Everything returns strings; nothing here touches the file
 * system, so callers decide where a chart goes.
 */

/** Attribute values of an element. Numbers go through {@link formatSvgNumber}; `undefined` omits it. */
export type SvgAttributes = Readonly<Record<string, string | number | undefined>>;

export interface SvgDocumentOptions {
  /** Width of the drawing in px (also the viewBox width). */
  readonly width: number;
  /** Height of the drawing in px (also the viewBox height). */
  readonly height: number;
  /** Written as the document's `<title>` (shown as a tooltip, read by screen readers). */
  readonly title?: string;
  /** Written as the document's `<desc>`. */
  readonly description?: string;
  /** Default `#ffffff`: charts are read on dark and light pages alike, so they bring their own paper. */
  readonly background?: string;
  /** Default a sans-serif stack that every renderer resolves (Helvetica, Arial, DejaVu Sans). */
  readonly fontFamily?: string;
}

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const DEFAULT_FONT_FAMILY = 'Helvetica, Arial, DejaVu Sans, sans-serif';

// Characters XML 1.0 forbids even when escaped (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF;
// lone surrogates). A series name read from a log could hold one, and one such character makes the
// whole document unreadable, so they become U+FFFD.
const INVALID_XML_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * `text` made safe as XML character data and as a quoted attribute value: `& < > " '` become entities
 * and characters XML cannot carry at all become U+FFFD.
 */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARACTERS, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A number as an SVG attribute value: rounded to 2 decimals (a hundredth of a pixel is below what any
 * renderer shows, and shorter output diffs better), never `-0`. Magnitudes of 1e21 and more come out in
 * exponent form, which SVG's number grammar accepts.
 * @throws RangeError for NaN and ±Infinity: a chart that computed one has a bug, and an attribute
 *   `cx="NaN"` would silently drop the element in some viewers and not in others.
 */
export function formatSvgNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as an SVG number`);
  // Beyond 1e15 every double is an integer already, and value * 100 could overflow.
  const rounded = Math.abs(value) >= 1e15 ? value : Math.round(value * 100) / 100;
  return rounded === 0 ? '0' : String(rounded);
}

/**
 * One element as markup. `children` is markup already (escape text with {@link escapeXml} or use
 * {@link svgText}); an element without children is self-closing. `name` and attribute names are
 * written as given and must be valid XML names.
 */
export function svgElement(
  name: string,
  attributes: SvgAttributes = {},
  children: string | readonly string[] = '',
): string {
  let attrs = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    attrs += ` ${key}="${typeof value === 'number' ? formatSvgNumber(value) : escapeXml(value)}"`;
  }
  const content = typeof children === 'string' ? children : children.join('');
  return content === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

/** A `<text>` element whose content is plain text (escaped here). */
export function svgText(attributes: SvgAttributes, text: string): string {
  return svgElement('text', attributes, escapeXml(text));
}

// Average advance of a character as a fraction of the font size, for a Helvetica-like face. Digits
// are 0.56 em; 0.58 leaves a little room for capitals and wide letters without wasting much space.
const AVERAGE_CHAR_WIDTH_EM = 0.58;

/**
 * Estimated width in px of `text` at `fontSize` px. Charts lay themselves out without a font engine,
 * so this errs slightly wide: a margin a few px too wide costs less than a clipped label.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const char of text) {
    if (/[ilI.,:;'|!]/.test(char)) width += 0.3;
    else if (/[mwMW@%]/.test(char)) width += 0.9;
    else width += AVERAGE_CHAR_WIDTH_EM;
  }
  return width * fontSize;
}

/** `text`, shortened with an ellipsis if its estimated width at `fontSize` exceeds `maxWidth` px. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (estimateTextWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && estimateTextWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/**
 * A standalone SVG document of `width` × `height` px (viewBox in the same units) with a background
 * rectangle, an optional `<title>`/`<desc>`, and `content` (markup) drawn over it.
 * @throws RangeError if width or height is not a positive finite number.
 */
export function svgDocument(options: SvgDocumentOptions, content: string | readonly string[]): string {
  const { width, height } = options;
  if (!(Number.isFinite(width) && width > 0 && Number.isFinite(height) && height > 0)) {
    throw new RangeError(`an SVG document needs a positive finite size, got ${width} × ${height}`);
  }
  const head = [
    options.title === undefined ? '' : svgElement('title', {}, escapeXml(options.title)),
    options.description === undefined ? '' : svgElement('desc', {}, escapeXml(options.description)),
    svgElement('rect', { width, height, fill: options.background ?? '#ffffff' }),
  ];
  const body = typeof content === 'string' ? content : content.join('\n');
  const root = svgElement(
    'svg',
    {
      xmlns: SVG_NAMESPACE,
      viewBox: `0 0 ${formatSvgNumber(width)} ${formatSvgNumber(height)}`,
      width,
      height,
      'font-family': options.fontFamily ?? DEFAULT_FONT_FAMILY,
      role: 'img',
    },
    `\n${head.filter((h) => h !== '').join('\n')}\n${body}\n`,
  );
  return `${root}\n`;
}
