import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BarChartSpec } from '../../../src/report/bar-chart.js';
import { renderBarChart } from '../../../src/report/bar-chart.js';
import type { XmlElement } from './xml-tree.js';
import { byName, parseXml, textOf, texts } from './xml-tree.js';

const base: BarChartSpec = {
  title: 'Cost by policy',
  yLabel: 'core·hours',
  categories: ['sluice', 'infadapter', 'sponge'],
  series: [
    { name: 'cost', values: [12, 14, 13] },
    { name: 'oracle', values: [10, undefined, 11] },
  ],
};

const render = (spec: Partial<BarChartSpec>): XmlElement => parseXml(renderBarChart({ ...base, ...spec }));

interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
}
const bars = (root: XmlElement): Bar[] =>
  byName(root, 'rect', 'bar').map((r) => ({
    x: Number(r.attributes.x),
    y: Number(r.attributes.y),
    width: Number(r.attributes.width),
    height: Number(r.attributes.height),
    title: textOf(byName(r, 'title')[0]!),
  }));

describe('renderBarChart', () => {
  it('renders a well-formed SVG with title, y label, categories and legend', () => {
    const root = render({ xLabel: 'policy' });
    expect(texts(root, 'title')).toEqual(['Cost by policy']);
    expect(texts(root, 'axis-label')).toEqual(['core·hours', 'policy']);
    expect(texts(root, 'category-label')).toEqual(['sluice', 'infadapter', 'sponge']);
    expect(texts(byName(root, 'g', 'legend')[0]!)).toEqual(['cost', 'oracle']);
  });

  it('draws one bar per value and leaves a gap for missing ones', () => {
    const root = render({
      series: [
        { name: 'a', values: [1, Number.NaN, 3] },
        { name: 'b', values: [undefined, 5] },
      ],
    });
    const drawn = bars(root);
    expect(drawn.map((b) => b.title)).toEqual(['a · sluice: 1', 'a · sponge: 3', 'b · infadapter: 5']);
    expect(texts(root, 'value-label')).toEqual(['1', '3', '5']);
  });

  it('writes value labels with valueFormat, above the bars', () => {
    const root = render({ valueFormat: (v) => `${v.toFixed(1)} h` });
    expect(texts(root, 'value-label')).toEqual(['12.0 h', '14.0 h', '13.0 h', '10.0 h', '11.0 h']);
    const labels = byName(root, 'text', 'value-label');
    bars(root).forEach((bar, i) => expect(Number(labels[i]!.attributes.y)).toBeLessThan(bar.y));
  });

  it('groups bars by category, series in order within each group', () => {
    const drawn = bars(render({}));
    const [cost, oracle] = [drawn.slice(0, 3), drawn.slice(3)];
    expect(cost[0]!.x).toBeLessThan(oracle[0]!.x);
    expect(oracle[0]!.x).toBeLessThan(cost[1]!.x);
    expect(cost[1]!.x).toBeLessThan(cost[2]!.x);
    for (const bar of drawn) expect(bar.width).toBeGreaterThan(0);
  });

  it('makes linear bar heights proportional to the values, from 0', () => {
    const drawn = bars(render({ series: [{ name: 's', values: [10, 20, 5] }] }));
    expect(drawn[1]!.height / drawn[0]!.height).toBeCloseTo(2, 1);
    expect(drawn[2]!.height / drawn[0]!.height).toBeCloseTo(0.5, 1);
    const baseline = drawn[0]!.y + drawn[0]!.height;
    for (const bar of drawn) expect(bar.y + bar.height).toBeCloseTo(baseline, 1);
  });

  it('draws negative values downwards from 0 with their label below', () => {
    const root = render({ series: [{ name: 's', values: [10, -10, 0] }] });
    const [up, down] = bars(root);
    expect(down!.y).toBeCloseTo(up!.y + up!.height, 1);
    expect(down!.height).toBeCloseTo(up!.height, 1);
    const label = byName(root, 'text', 'value-label')[1]!;
    expect(Number(label.attributes.y)).toBeGreaterThan(down!.y + down!.height);
  });

  it('on a log axis, skips values ≤ 0 and ticks at powers of ten', () => {
    const root = render({ yScale: 'log', series: [{ name: 's', values: [1, 0, 1000] }] });
    const drawn = bars(root);
    expect(drawn.map((b) => b.title)).toEqual(['s · sluice: 1', 's · sponge: 1k']);
    const ticks = texts(byName(root, 'g', 'y-axis')[0]!, 'tick-label');
    expect(ticks).toContain('1');
    expect(ticks).toContain('1k');
  });

  it('escapes names and categories', () => {
    const svg = renderBarChart({ ...base, categories: ['<a>&'], series: [{ name: '"q" <s>', values: [1] }] });
    expect(svg).not.toMatch(/<a>|<s>/);
    const root = parseXml(svg);
    expect(texts(root, 'category-label')).toEqual(['<a>&']);
    expect(texts(byName(root, 'g', 'legend')[0]!)).toEqual(['"q" <s>']);
  });

  it('rotates category labels that do not fit under their group', () => {
    const long = Array.from({ length: 10 }, (_, i) => `a rather long policy name ${i}`);
    const rotated = byName(
      render({ categories: long, series: [{ name: 's', values: long.map(() => 1) }] }),
      'text',
      'category-label',
    );
    for (const label of rotated) expect(label.attributes.transform).toMatch(/^rotate\(-40 /);
    for (const label of byName(render({}), 'text', 'category-label'))
      expect(label.attributes.transform).toBeUndefined();
  });

  it('renders a "no data" chart for no categories, no series or no usable value', () => {
    for (const spec of [
      { categories: [] },
      { series: [] },
      { series: [{ name: 'x', values: [undefined, Number.NaN] }] },
    ]) {
      const root = render(spec);
      expect(texts(root, 'no-data')).toEqual(['no data']);
      expect(bars(root)).toHaveLength(0);
    }
  });

  it('never throws and stays well-formed for arbitrary values (property)', () => {
    const value = fc.option(fc.oneof(fc.double(), fc.constantFrom(0, -1, 1e308, 5e-324)), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }),
        fc.array(fc.record({ name: fc.string(), values: fc.array(value, { maxLength: 6 }) }), {
          maxLength: 4,
        }),
        fc.constantFrom('linear' as const, 'log' as const),
        (categories, series, yScale) => {
          const svg = renderBarChart({ ...base, categories, series, yScale });
          expect(svg).not.toMatch(/NaN|Infinity/);
          parseXml(svg);
        },
      ),
      { numRuns: 300 },
    );
  });
});
