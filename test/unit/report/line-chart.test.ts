import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineChartSpec, LineSeries } from '../../../src/report/line-chart.js';
import { renderLineChart } from '../../../src/report/line-chart.js';
import type { XmlElement } from './xml-tree.js';
import { byName, findAll, parseXml, textOf, texts } from './xml-tree.js';

const base: LineChartSpec = {
  title: 'p99 latency vs batch',
  subtitle: 'resnet50 on 4 core counts',
  xLabel: 'batch size',
  yLabel: 'latency (ms)',
  series: [],
};

const render = (spec: Partial<LineChartSpec>): XmlElement => parseXml(renderLineChart({ ...base, ...spec }));

const seriesGroup = (root: XmlElement, name: string): XmlElement => {
  const groups = findAll(root, (e) => e.name === 'g' && e.attributes['data-name'] === name);
  expect(groups).toHaveLength(1);
  return groups[0]!;
};

const polylinePoints = (line: XmlElement): [number, number][] =>
  (line.attributes.points ?? '').split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);

const measured: LineSeries = {
  name: '2 cores measured',
  style: 'points',
  points: [
    { x: 1, y: 5 },
    { x: 4, y: 12 },
    { x: 2, y: 7 },
    { x: 8, y: 25 },
  ],
};
const fitted: LineSeries = {
  name: '2 cores fit',
  dashed: true,
  points: [
    { x: 8, y: 24 },
    { x: 1, y: 4.5 },
    { x: 4, y: 12.5 },
  ],
};

describe('renderLineChart', () => {
  it('renders a well-formed SVG with title, subtitle, axis labels and legend names', () => {
    const root = render({ series: [measured, fitted] });
    expect(root.name).toBe('svg');
    expect(texts(root, 'title')).toEqual(['p99 latency vs batch']);
    expect(texts(root, 'subtitle')).toEqual(['resnet50 on 4 core counts']);
    expect(texts(root, 'axis-label')).toEqual(['latency (ms)', 'batch size']);
    const legend = byName(root, 'g', 'legend')[0]!;
    expect(texts(legend)).toEqual(['2 cores measured', '2 cores fit']);
  });

  it('draws one circle per point of a points series, and a sorted polyline for a line series', () => {
    const root = render({ series: [measured, fitted] });
    expect(byName(seriesGroup(root, '2 cores measured'), 'circle')).toHaveLength(4);
    const fit = seriesGroup(root, '2 cores fit');
    expect(byName(fit, 'circle')).toHaveLength(0);
    const lines = byName(fit, 'polyline');
    expect(lines).toHaveLength(1);
    const xs = polylinePoints(lines[0]!).map(([x]) => x);
    expect(xs).toHaveLength(3);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(lines[0]!.attributes['stroke-dasharray']).toBeDefined();
    // In total: the 4 data markers plus the one legend swatch of the points series.
    expect(byName(root, 'circle')).toHaveLength(5);
  });

  it('draws markers and a line for line+points', () => {
    const root = render({ series: [{ ...measured, style: 'line+points' }] });
    const group = seriesGroup(root, '2 cores measured');
    expect(byName(group, 'circle', 'point')).toHaveLength(4);
    expect(byName(group, 'polyline')).toHaveLength(1);
  });

  it('places y higher on the page for larger values and x further right for larger values', () => {
    const root = render({ series: [{ ...measured, style: 'points' }] });
    const circles = byName(seriesGroup(root, '2 cores measured'), 'circle');
    const byX = circles
      .map((c) => ({ cx: Number(c.attributes.cx), cy: Number(c.attributes.cy) }))
      .sort((a, b) => a.cx - b.cx);
    for (let i = 1; i < byX.length; i++) expect(byX[i]!.cy).toBeLessThan(byX[i - 1]!.cy);
  });

  it('skips NaN and infinite points and never writes NaN or Infinity', () => {
    const points = [
      { x: 1, y: 1 },
      { x: Number.NaN, y: 2 },
      { x: 2, y: Number.POSITIVE_INFINITY },
      { x: 3, y: 3 },
      { x: Number.NEGATIVE_INFINITY, y: 4 },
      { x: 4, y: Number.NaN },
      { x: 5, y: 5 },
    ];
    const svg = renderLineChart({ ...base, series: [{ name: 'p', style: 'points', points }] });
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(byName(seriesGroup(parseXml(svg), 'p'), 'circle')).toHaveLength(3);
  });

  it('breaks a line at a point whose y cannot be drawn', () => {
    const points = [1, 2, Number.NaN, 4, 5].map((y, i) => ({ x: i, y }));
    const lines = byName(seriesGroup(render({ series: [{ name: 'l', points }] }), 'l'), 'polyline');
    expect(lines.map((l) => polylinePoints(l).length)).toEqual([2, 2]);
  });

  it('escapes markup in the title, labels and series names', () => {
    const evil = 'a <b> & "c" \'d\'';
    const svg = renderLineChart({
      ...base,
      title: evil,
      xLabel: `x ${evil}`,
      series: [{ name: `s ${evil}`, points: [{ x: 1, y: 1 }] }],
    });
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('"c"');
    const root = parseXml(svg);
    expect(texts(root, 'title')).toEqual([evil]);
    expect(textOf(byName(root, 'title')[0]!)).toBe(evil);
    expect(texts(root, 'axis-label')).toContain(`x ${evil}`);
    expect(texts(byName(root, 'g', 'legend')[0]!)).toEqual([`s ${evil}`]);
    seriesGroup(root, `s ${evil}`);
  });

  it('renders a "no data" chart for no series or only empty or unusable series', () => {
    for (const series of [
      [],
      [{ name: 'empty', points: [] }],
      [{ name: 'nan', points: [{ x: 1, y: Number.NaN }] }],
    ]) {
      const root = render({ series });
      expect(texts(root, 'no-data')).toEqual(['no data']);
      expect(byName(root, 'text', 'tick-label').length).toBeGreaterThan(0);
    }
    expect(texts(render({ series: [measured] }), 'no-data')).toEqual([]);
  });

  it('ticks a log axis at decades and skips points it cannot show', () => {
    const points = [0.5, 1, 0, -3, 20, 300, 4000].map((y, i) => ({ x: i + 1, y }));
    const root = render({ yScale: 'log', series: [{ name: 'p', style: 'points', points }] });
    const yTicks = texts(byName(root, 'g', 'y-axis')[0]!, 'tick-label');
    expect(yTicks).toEqual(['0.1', '1', '10', '100', '1k', '10k']);
    expect(byName(seriesGroup(root, 'p'), 'circle')).toHaveLength(5);
  });

  it('keeps fixed axis bounds and writes them as the end ticks', () => {
    const root = render({ series: [measured], xMin: 0, xMax: 100, yMin: 0, yMax: 50 });
    const xTicks = texts(byName(root, 'g', 'x-axis')[0]!, 'tick-label');
    const yTicks = texts(byName(root, 'g', 'y-axis')[0]!, 'tick-label');
    expect([xTicks[0], xTicks[xTicks.length - 1]]).toEqual(['0', '100']);
    expect([yTicks[0], yTicks[yTicks.length - 1]]).toEqual(['0', '50']);
  });

  it('draws horizontal reference lines with their label, extending the y axis to show them', () => {
    const root = render({ series: [measured], horizontalLines: [{ y: 150, label: 'SLO 150 ms' }] });
    const reference = byName(root, 'g', 'reference-line');
    expect(reference).toHaveLength(1);
    expect(texts(reference[0]!)).toEqual(['SLO 150 ms']);
    const yTicks = texts(byName(root, 'g', 'y-axis')[0]!, 'tick-label').map(Number);
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(150);
    // A line outside a fixed axis is left out.
    const hidden = render({ series: [measured], yMax: 40, horizontalLines: [{ y: 150, label: 'SLO' }] });
    expect(byName(hidden, 'g', 'reference-line')).toHaveLength(0);
  });

  it('leaves out x tick labels that would overlap, keeping their grid lines', () => {
    const points = [1, 3, 30, 300, 1000].map((x) => ({ x, y: x }));
    const root = render({ xScale: 'log', width: 260, series: [{ name: 'p', points }] });
    const xAxis = byName(root, 'g', 'x-axis')[0]!;
    const labels = byName(xAxis, 'text', 'tick-label');
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(labels.length).toBeLessThan(byName(xAxis, 'line', 'grid').length);
    // Generous glyph width (0.65 em at 11 px): neighbouring labels still keep apart.
    const extents = labels.map((l) => {
      const half = (textOf(l).length * 0.65 * 11) / 2;
      return [Number(l.attributes.x) - half, Number(l.attributes.x) + half] as const;
    });
    for (let i = 1; i < extents.length; i++) expect(extents[i]![0]).toBeGreaterThan(extents[i - 1]![1]);
  });

  it('puts the legend to the right of the plot, not over it', () => {
    const root = render({ series: [measured, fitted] });
    const xAxis = byName(root, 'g', 'x-axis')[0]!;
    const plotRight = Math.max(...byName(xAxis, 'line').map((l) => Number(l.attributes.x2)));
    for (const text of byName(byName(root, 'g', 'legend')[0]!, 'text')) {
      expect(Number(text.attributes.x)).toBeGreaterThan(plotRight);
    }
  });

  it('clips series to the plot with a clip path it defines', () => {
    const root = render({ series: [measured] });
    const clip = byName(root, 'clipPath')[0]!;
    const clipped = findAll(root, (e) => e.attributes['clip-path'] !== undefined);
    expect(clipped).toHaveLength(1);
    expect(clipped[0]!.attributes['clip-path']).toBe(`url(#${clip.attributes.id})`);
  });

  it('is deterministic and follows the requested size', () => {
    const spec = { ...base, series: [measured, fitted], width: 500, height: 300 };
    expect(renderLineChart(spec)).toBe(renderLineChart(spec));
    expect(parseXml(renderLineChart(spec)).attributes).toMatchObject({ width: '500', height: '300' });
  });

  it('uses the palette by series index unless a colour is given', () => {
    const root = render({ series: [measured, { ...fitted, color: '#123456' }] });
    expect(byName(seriesGroup(root, '2 cores measured'), 'circle')[0]!.attributes.fill).toBe('#0072B2');
    expect(byName(seriesGroup(root, '2 cores fit'), 'polyline')[0]!.attributes.stroke).toBe('#123456');
  });

  it('throws a RangeError for an invalid spec, not for data', () => {
    expect(() => renderLineChart({ ...base, yMin: 5, yMax: 5 })).toThrow(RangeError);
    expect(() => renderLineChart({ ...base, xScale: 'log', xMin: 0 })).toThrow(RangeError);
    expect(() => renderLineChart({ ...base, width: 0 })).toThrow(RangeError);
  });

  it('never throws and stays well-formed for arbitrary data (property)', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(0, -1, 1e308, -1e308, 5e-324));
    const series = fc.record({
      name: fc.string({ unit: 'binary' }),
      points: fc.array(fc.record({ x: value, y: value }), { maxLength: 8 }),
      style: fc.constantFrom('line' as const, 'points' as const, 'line+points' as const),
    });
    fc.assert(
      fc.property(
        fc.array(series, { maxLength: 4 }),
        fc.constantFrom('linear' as const, 'log' as const),
        fc.constantFrom('linear' as const, 'log' as const),
        (list, xScale, yScale) => {
          const svg = renderLineChart({ ...base, series: list, xScale, yScale });
          expect(svg).not.toMatch(/NaN|Infinity/);
          parseXml(svg);
        },
      ),
      { numRuns: 300 },
    );
  });
});
