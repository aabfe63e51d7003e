// A strict little XML reader for the report tests: it accepts only what the renderers may emit
// (elements, double-quoted attributes, text, the five named entities and numeric references) and
// throws on anything malformed, so "it parses" means "a browser would parse it too".

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME = '[A-Za-z_][\\w.:-]*';
const START_TAG = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`);
const END_TAG = new RegExp(`^</(${NAME})\\s*>`);
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g');
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replaces entity and character references; throws on a bare `&` or an unknown entity. */
export function decodeEntities(text: string): string {
  return text.replace(/&([^;\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & in ${JSON.stringify(text)}`);
    if (body in NAMED) return NAMED[body]!;
    const numeric = /^#(\d+)$/.exec(body) ?? /^#x([0-9a-fA-F]+)$/.exec(body);
    if (numeric) return String.fromCodePoint(parseInt(numeric[1]!, body.startsWith('#x') ? 16 : 10));
    throw new Error(`unknown entity &${body};`);
  });
}

// Characters XML 1.0 does not allow anywhere, escaped or not.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Parses a document with one root element; throws with the offset of the first problem. */
export function parseXml(source: string): XmlElement {
  const forbidden = FORBIDDEN.exec(source);
  if (forbidden)
    throw new Error(`character U+${forbidden[0].charCodeAt(0).toString(16)} at ${forbidden.index}`);
  const stack: { name: string; attributes: Record<string, string>; children: XmlNode[] }[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(source.slice(i, i + 60))}`);
  };
  while (i < source.length) {
    const rest = source.slice(i);
    if (rest.startsWith('<')) {
      const end = END_TAG.exec(rest);
      if (end) {
        const open = stack.pop() ?? fail(`closing </${end[1]}> without an open element`);
        if (open.name !== end[1]) fail(`</${end[1]}> closes <${open.name}>`);
        const element: XmlElement = open;
        if (stack.length === 0) root = element;
        else stack[stack.length - 1]!.children.push(element);
        i += end[0].length;
        continue;
      }
      const start = START_TAG.exec(rest) ?? fail('malformed tag');
      if (root !== undefined) fail('content after the root element');
      const attributes: Record<string, string> = {};
      for (const [, key, value] of start[2]!.matchAll(ATTRIBUTE)) {
        if (key! in attributes) fail(`duplicate attribute ${key}`);
        attributes[key!] = decodeEntities(value!);
      }
      const element = { name: start[1]!, attributes, children: [] as XmlNode[] };
      if (start[3] === '/') {
        if (stack.length === 0) root = element;
        else stack[stack.length - 1]!.children.push(element);
      } else {
        stack.push(element);
      }
      i += start[0].length;
      continue;
    }
    const next = rest.indexOf('<');
    const text = next < 0 ? rest : rest.slice(0, next);
    if (text.includes('>')) fail('unescaped > in text');
    if (stack.length === 0) {
      if (text.trim() !== '') fail('text outside the root element');
    } else {
      stack[stack.length - 1]!.children.push(decodeEntities(text));
    }
    i += text.length;
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root ?? fail('no root element');
}

/** Every element below (and including) `node`, depth first, that satisfies `match`. */
export function findAll(node: XmlElement, match: (e: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = match(node) ? [node] : [];
  for (const child of node.children) if (typeof child !== 'string') found.push(...findAll(child, match));
  return found;
}

/** Elements named `name`, optionally with `class` among their classes. */
export function byName(node: XmlElement, name: string, className?: string): XmlElement[] {
  return findAll(
    node,
    (e) =>
      e.name === name &&
      (className === undefined || (e.attributes.class ?? '').split(' ').includes(className)),
  );
}

/** The text content of an element, entities decoded. */
export function textOf(node: XmlElement): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** The texts of all `<text>` elements (optionally of one class) below `node`. */
export function texts(node: XmlElement, className?: string): string[] {
  return byName(node, 'text', className).map(textOf);
}
