/**
 * Several rendered charts in one SVG document, one under the other: a profile's latency chart above its
 * scaling chart, an experiment's time series above its bars. Each chart stays a nested `<svg>` with its
 * own coordinates; chart ids are unique per kind and title, so their clip paths do not collide.
 */
import { svgDocument } from './svg-document.js';

/** The charts stacked top to bottom in the order given, in a document as wide as the widest. */
export function stackCharts(charts: readonly string[], options: { readonly title?: string } = {}): string {
  if (charts.length === 0) throw new RangeError('stackCharts needs at least one chart');
  let y = 0;
  let width = 0;
  const placed = charts.map((chart) => {
    const size = rootSize(chart);
    const nested = chart.trim().replace(/^<svg\b/, `<svg x="0" y="${y}"`);
    y += size.height;
    width = Math.max(width, size.width);
    return nested;
  });
  return svgDocument(
    { width, height: y, ...(options.title === undefined ? {} : { title: options.title }) },
    placed,
  );
}

function rootSize(chart: string): { width: number; height: number } {
  const root = /^\s*<svg\b[^>]*>/.exec(chart)?.[0];
  const width = Number(/\swidth="([\d.]+)"/.exec(root ?? '')?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root ?? '')?.[1]);
  if (!(width > 0 && height > 0))
    throw new RangeError('stackCharts: a chart has no root <svg> width and height');
  return { width, height };
}
