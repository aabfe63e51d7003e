import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  estimateTextWidth,
  fitText,
  formatSvgNumber,
  svgDocument,
  svgElement,
  svgText,
} from '../../../src/report/svg-document.js';
import { byName, parseXml, textOf } from './xml-tree.js';

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('does not double-escape: escaping is applied once to raw text', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('replaces characters XML cannot carry, keeps tab, newline and surrogate pairs', () => {
    expect(escapeXml('a\u0001b\u001Fc')).toBe('a\uFFFDb\uFFFDc');
    expect(escapeXml('\uD800x')).toBe('\uFFFDx');
    expect(escapeXml('x\uDC00')).toBe('x\uFFFD');
    expect(escapeXml('t\tn\nr\r😀')).toBe('t\tn\nr\r😀');
  });
});

describe('formatSvgNumber', () => {
  it('rounds to two decimals and never writes -0', () => {
    expect(formatSvgNumber(1.23456)).toBe('1.23');
    expect(formatSvgNumber(12)).toBe('12');
    expect(formatSvgNumber(-0.001)).toBe('0');
    expect(formatSvgNumber(-0)).toBe('0');
    expect(formatSvgNumber(-3.999)).toBe('-4');
    expect(formatSvgNumber(1e300)).toBe('1e+300');
  });

  it('refuses NaN and infinities', () => {
    expect(() => formatSvgNumber(Number.NaN)).toThrow(RangeError);
    expect(() => formatSvgNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('svgElement', () => {
  it('writes attributes in order, skips undefined ones and escapes values', () => {
    expect(svgElement('rect', { x: 1.005, y: undefined, fill: 'a"b' })).toBe('<rect x="1" fill="a&quot;b"/>');
  });

  it('wraps children and escapes text given to svgText', () => {
    expect(svgElement('g', { class: 'c' }, ['<a/>', '<b/>'])).toBe('<g class="c"><a/><b/></g>');
    expect(svgText({ x: 0 }, '1 < 2 & 3')).toBe('<text x="0">1 &lt; 2 &amp; 3</text>');
  });
});

describe('svgDocument', () => {
  it('is a well-formed standalone SVG with size, viewBox, background and title', () => {
    const svg = svgDocument({ width: 300, height: 200, title: 'Latency <p99> & "more"' }, [
      '<circle r="1"/>',
    ]);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: '0 0 300 200',
      width: '300',
      height: '200',
    });
    expect(root.attributes['font-family']).toMatch(/sans-serif/);
    expect(textOf(byName(root, 'title')[0]!)).toBe('Latency <p99> & "more"');
    const background = byName(root, 'rect')[0]!;
    expect(background.attributes).toMatchObject({ width: '300', height: '200', fill: '#ffffff' });
    expect(byName(root, 'circle')).toHaveLength(1);
  });

  it('omits title and desc when not given', () => {
    const root = parseXml(svgDocument({ width: 10, height: 10 }, ''));
    expect(byName(root, 'title')).toHaveLength(0);
    expect(byName(root, 'desc')).toHaveLength(0);
  });

  it('refuses a size that is not positive and finite', () => {
    expect(() => svgDocument({ width: 0, height: 10 }, '')).toThrow(RangeError);
    expect(() => svgDocument({ width: 10, height: Number.NaN }, '')).toThrow(RangeError);
  });
});

describe('text measuring', () => {
  it('estimates wider for longer and wider text', () => {
    expect(estimateTextWidth('mmmm', 12)).toBeGreaterThan(estimateTextWidth('iiii', 12));
    expect(estimateTextWidth('abcdef', 12)).toBeGreaterThan(estimateTextWidth('abc', 12));
    expect(estimateTextWidth('abc', 24)).toBeCloseTo(2 * estimateTextWidth('abc', 12));
  });

  it('shortens text with an ellipsis to fit, and leaves text that fits alone', () => {
    expect(fitText('short', 200, 12)).toBe('short');
    const long = 'a very long series name that cannot possibly fit';
    const fitted = fitText(long, 80, 12);
    expect(fitted.endsWith('…')).toBe(true);
    expect(fitted.length).toBeLessThan(long.length);
    expect(estimateTextWidth(fitted, 12)).toBeLessThanOrEqual(80);
  });
});
