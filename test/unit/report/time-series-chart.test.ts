import { describe, expect, it } from 'vitest';
import type { TimeSeriesChartSpec } from '../../../src/report/time-series-chart.js';
import { renderTimeSeriesChart } from '../../../src/report/time-series-chart.js';
import type { XmlElement } from './xml-tree.js';
import { byName, findAll, parseXml, texts } from './xml-tree.js';

const seconds = Array.from({ length: 61 }, (_, i) => i * 10);
const spec: TimeSeriesChartSpec = {
  title: 'Sluice on the Twitter trace',
  panels: [
    {
      yLabel: 'load (req/s)',
      series: [
        { name: 'arrivals', points: seconds.map((t) => ({ x: t, y: 100 + 50 * Math.sin(t / 60) })) },
        {
          name: 'forecast',
          dashed: true,
          points: seconds.map((t) => ({ x: t, y: 95 + 50 * Math.sin(t / 60) })),
        },
      ],
    },
    {
      yLabel: 'allocated cores',
      series: [{ name: 'cores', points: seconds.map((t) => ({ x: t, y: 2 + (t % 3) })) }],
    },
    {
      yLabel: 'p99 latency (ms)',
      series: [
        { name: 'p99', points: seconds.map((t) => ({ x: t, y: t === 300 ? Number.NaN : 40 + (t % 7) })) },
      ],
      horizontalLines: [{ y: 150, label: 'SLO 150 ms' }],
    },
  ],
};

const plots = (root: XmlElement): XmlElement[] => byName(root, 'g', 'plot');
const xsOf = (root: XmlElement, name: string): number[] =>
  findAll(root, (e) => e.name === 'g' && e.attributes['data-name'] === name)
    .flatMap((g) => byName(g, 'polyline'))
    .flatMap((l) => (l.attributes.points ?? '').split(' ').map((pair) => Number(pair.split(',')[0])));

describe('renderTimeSeriesChart', () => {
  it('stacks one plot per panel, each with its y label and legend', () => {
    const root = parseXml(renderTimeSeriesChart(spec));
    expect(texts(root, 'title')).toEqual(['Sluice on the Twitter trace']);
    expect(plots(root)).toHaveLength(3);
    expect(plots(root).map((p) => texts(byName(p, 'g', 'y-axis')[0]!, 'axis-label')[0])).toEqual([
      'load (req/s)',
      'allocated cores',
      'p99 latency (ms)',
    ]);
    expect(byName(root, 'g', 'legend').map((l) => texts(l))).toEqual([
      ['arrivals', 'forecast'],
      ['cores'],
      ['p99'],
    ]);
    const tops = plots(root).map((p) => Number(byName(p, 'line')[0]!.attributes.y1));
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
  });

  it('shares one x axis: same times at the same x, labels and title only under the bottom panel', () => {
    const root = parseXml(renderTimeSeriesChart(spec));
    expect(xsOf(root, 'arrivals')).toEqual(xsOf(root, 'cores'));
    const [top, middle, bottom] = plots(root).map((p) => byName(p, 'g', 'x-axis')[0]!);
    expect(texts(top!, 'tick-label')).toEqual([]);
    expect(texts(middle!, 'tick-label')).toEqual([]);
    expect(texts(bottom!, 'tick-label')).toEqual(['0', '100', '200', '300', '400', '500', '600']);
    expect(texts(bottom!, 'axis-label')).toEqual(['time (s)']);
    // The grid lines of every panel stand at the same x.
    const gridXs = (axis: XmlElement): string[] => byName(axis, 'line', 'grid').map((l) => l.attributes.x1!);
    expect(gridXs(top!)).toEqual(gridXs(bottom!));
  });

  it('gives every panel its own clip path', () => {
    const root = parseXml(renderTimeSeriesChart(spec));
    const ids = byName(root, 'clipPath').map((c) => c.attributes.id);
    expect(new Set(ids).size).toBe(3);
    const used = findAll(root, (e) => e.attributes['clip-path'] !== undefined).map(
      (e) => e.attributes['clip-path'],
    );
    expect(used).toEqual(ids.map((id) => `url(#${id})`));
  });

  it('draws the SLO line in its panel and breaks the latency line at the NaN sample', () => {
    const svg = renderTimeSeriesChart(spec);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const latency = plots(parseXml(svg))[2]!;
    expect(texts(byName(latency, 'g', 'reference-line')[0]!)).toEqual(['SLO 150 ms']);
    expect(byName(latency, 'polyline')).toHaveLength(2);
  });

  it('writes long times in full, not with k suffixes, and does not force the axis to 0', () => {
    const points = [3600, 5400, 7200].map((x) => ({ x, y: 1 }));
    const root = parseXml(
      renderTimeSeriesChart({ title: 't', panels: [{ yLabel: 'y', series: [{ name: 's', points }] }] }),
    );
    const labels = texts(byName(root, 'g', 'x-axis')[0]!, 'tick-label');
    expect(labels[0]).toBe('3500');
    expect(labels).toContain('7000');
    expect(labels.join(' ')).not.toContain('k');
  });

  it('renders "no data" for no panels, and only in the panels without data', () => {
    const empty = parseXml(renderTimeSeriesChart({ title: 'empty', panels: [] }));
    expect(texts(empty, 'no-data')).toEqual(['no data']);
    const partial = parseXml(
      renderTimeSeriesChart({
        title: 'partial',
        panels: [
          { yLabel: 'a', series: [] },
          { yLabel: 'b', series: [{ name: 's', points: [{ x: 1, y: 2 }] }] },
          { yLabel: 'c', series: [{ name: 'all nan', points: [{ x: Number.NaN, y: 1 }] }] },
        ],
      }),
    );
    expect(plots(partial).map((p) => texts(p, 'no-data').length)).toEqual([1, 0, 1]);
  });

  it('renders a long series without overflowing the call stack', () => {
    const points = Array.from({ length: 200_000 }, (_, i) => ({ x: i / 10, y: i % 100 }));
    const svg = renderTimeSeriesChart({
      title: 'long',
      panels: [{ yLabel: 'y', series: [{ name: 's', points }] }],
    });
    expect(svg.length).toBeGreaterThan(200_000);
  });

  it('sizes itself by the number of panels unless told', () => {
    expect(parseXml(renderTimeSeriesChart(spec)).attributes.height).toBe(String(100 + 170 * 3));
    expect(parseXml(renderTimeSeriesChart({ ...spec, width: 900, height: 700 })).attributes).toMatchObject({
      width: '900',
      height: '700',
    });
  });

  it('throws a RangeError for contradictory panel bounds', () => {
    expect(() =>
      renderTimeSeriesChart({ title: 't', panels: [{ yLabel: 'y', series: [], yMin: 3, yMax: 1 }] }),
    ).toThrow(RangeError);
  });
});
