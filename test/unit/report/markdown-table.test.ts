import { describe, expect, it } from 'vitest';
import { formatTableNumber, markdownTable } from '../../../src/report/markdown-table.js';

/** Cells of a Markdown table line, split at pipes that are not escaped. */
const cells = (line: string): string[] =>
  line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

describe('markdownTable', () => {
  it('writes a padded GFM table, numbers right-aligned and missing values as a dash', () => {
    const table = markdownTable(
      ['policy', 'cost', 'violations'],
      [
        ['sluice', 12.4, 0.008],
        ['vpa', 18.75, undefined],
        ['static', 32, 0],
      ],
    );
    expect(table).toBe(
      [
        '| policy |  cost | violations |',
        '| :----- | ----: | ---------: |',
        '| sluice | 12.40 |      0.008 |',
        '| vpa    | 18.75 |          — |',
        '| static |    32 |          0 |',
        '',
      ].join('\n'),
    );
  });

  it('escapes pipes and line breaks so a cell cannot break the table', () => {
    const table = markdownTable(['a|b', 'note'], [['x | y', 'one\ntwo\r\nthree']]);
    const lines = table.trimEnd().split('\n');
    for (const line of lines) expect(cells(line)).toHaveLength(2);
    expect(cells(lines[0]!)).toEqual(['a\\|b', 'note']);
    expect(cells(lines[2]!)).toEqual(['x \\| y', 'one<br>two<br>three']);
  });

  it('aligns text and mixed columns left, and follows the align option', () => {
    const rows = [
      ['a', 1, 2, 'x'],
      ['b', 'n/a', 3, 'y'],
    ];
    expect(markdownTable(['t', 'mixed', 'n', 'c'], rows).split('\n')[1]).toBe('| :-- | :---- | --: | :-- |');
    const aligned = markdownTable(['t', 'mixed', 'n', 'c'], rows, {
      align: ['right', undefined, 'left', 'center'],
    });
    expect(aligned.split('\n')[1]).toBe('| --: | :---- | :-- | :-: |');
    expect(aligned.split('\n')[2]).toBe('|   a | 1     | 2   |  x  |');
  });

  it('formats every number with fixed decimals when asked', () => {
    const table = markdownTable(['v'], [[3], [2.5], [-0.001], [1234.5678]], { decimals: 2 });
    expect(
      table
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((l) => cells(l)[0]),
    ).toEqual(['3.00', '2.50', '0.00', '1234.57']);
  });

  it('completes short rows with missing cells and refuses long ones', () => {
    expect(markdownTable(['a', 'b'], [['x']]).split('\n')[2]).toBe('| x   | —   |');
    expect(() => markdownTable(['a'], [['x', 'y']])).toThrow(RangeError);
    expect(() => markdownTable([], [])).toThrow(RangeError);
    expect(() => markdownTable(['a'], [], { decimals: 1.5 })).toThrow(RangeError);
  });

  it('writes a header-only table for no rows', () => {
    expect(markdownTable(['only'], [])).toBe('| only |\n| :--- |\n');
  });
});

describe('formatTableNumber', () => {
  it('keeps integers, rounds others to 2 decimals, keeps small values readable', () => {
    expect(formatTableNumber(42)).toBe('42');
    expect(formatTableNumber(3.14159)).toBe('3.14');
    expect(formatTableNumber(0.5)).toBe('0.50');
    expect(formatTableNumber(0.0042)).toBe('0.0042');
    expect(formatTableNumber(-0.00123)).toBe('-0.0012');
    expect(formatTableNumber(-0)).toBe('0');
    expect(formatTableNumber(Number.NaN)).toBe('NaN');
    expect(formatTableNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatTableNumber(-0.004, 2)).toBe('0.00');
  });
});
