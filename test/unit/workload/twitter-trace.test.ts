import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkload } from '../../../src/sim/workload/build-workload.js';
import { parseTraceTime, traceRange, TwitterTrace } from '../../../src/sim/workload/twitter-trace.js';
import { WorkloadError } from '../../../src/sim/workload/workload-error.js';
import { parseWorkloadSpec, TRACE_FILES } from '../../../src/sim/workload/workload-spec.js';
import { readTrace, stats } from './traces-dir.js';

const DAY = 86_400;

describe('TwitterTrace on twitter-2021-08-rps.txt', () => {
  let trace: TwitterTrace;
  beforeAll(() => {
    trace = TwitterTrace.parse(readTrace(TRACE_FILES.twitter));
  });

  it('has the documented length', () => {
    expect(trace.lengthS).toBe(1_899_061);
  });

  it("InfAdapter's slice: 1,260 s, 27 / 96.6 / 274 requests/s", () => {
    const slice = trace.slice({ startS: 15 * DAY + 82 * 60, endS: 15 * DAY + 103 * 60 });
    expect(slice.countsRps.length).toBe(1260);
    expect(slice.skippedS).toBe(0);
    const s = stats(slice.countsRps);
    expect([s.min, Number(s.mean.toFixed(1)), s.max]).toEqual([27, 96.6, 274]);
  });

  it("IPA's slice [1301160, 1302360): 27 / 99.8 / 274 raw, 3 / 12.0 / 34 damped ÷8", () => {
    const raw = stats(trace.slice({ startS: 1_301_160, endS: 1_302_360 }).countsRps);
    expect([raw.min, Number(raw.mean.toFixed(1)), raw.max]).toEqual([27, 99.8, 274]);
    const damped = trace.slice({ startS: 1_301_160, endS: 1_302_360, damping: 8 });
    expect(damped.countsRps.length).toBe(1200);
    const d = stats(damped.countsRps);
    expect([d.min, Number(d.mean.toFixed(1)), d.max]).toEqual([3, 12.0, 34]);
  });

  it('the gap rule (≥ 10 zero seconds) finds every zero of the file: 21 nightly runs, the 150-s run, 41 short runs', () => {
    const gaps = trace.collectionGaps();
    let zeros = 0;
    for (const v of trace.countsRps) if (v === 0) zeros++;
    expect(gaps.reduce((sum, g) => sum + g.endS - g.startS, 0)).toBe(zeros);
    expect(zeros).toBe(37_899);
    expect(gaps).toHaveLength(63);
    const nightly = gaps.filter((g) => g.endS - g.startS >= 1739);
    expect(nightly).toHaveLength(21);
    nightly.forEach((g, day) => {
      expect([84_660, 84_661]).toContain(g.startS - day * DAY);
      expect(g.endS).toBe((day + 1) * DAY);
    });
    expect(gaps).toContainEqual({ startS: 12 * DAY + 52_796, endS: 12 * DAY + 52_796 + 150 });
    const short = gaps.filter((g) => g.endS - g.startS < 150);
    expect(short).toHaveLength(41);
    expect(short.reduce((sum, g) => sum + g.endS - g.startS, 0)).toBe(1228);
  });

  it('a longer minimum run turns short zero runs back into data', () => {
    expect(trace.collectionGaps(13)).toHaveLength(62); // the one 12-s run no longer counts
  });

  it('skipping removes the nightly gap from a slice that spans it, even one starting inside it', () => {
    const across = trace.slice({ startS: 84_000, endS: 87_000 });
    expect(across.skippedS).toBe(1739);
    expect(across.countsRps.length).toBe(3000 - 1739);
    expect(across.countsRps.includes(0)).toBe(false);
    expect(trace.slice({ startS: 84_000, endS: 87_000, skipGaps: false }).countsRps.length).toBe(3000);
    const inside = trace.slice({ startS: 86_000, endS: 86_500 });
    expect(inside.countsRps.length).toBe(100);
    expect(inside.countsRps.includes(0)).toBe(false);
  });

  it('damping rounds down and is applied after gap detection', () => {
    const slice = trace.slice({ startS: 1_299_600, endS: 1_300_800, damping: 8 });
    expect(stats(slice.countsRps)).toMatchObject({ min: 3, max: 8 });
    expect(slice.skippedS).toBe(0);
  });

  it('the spec in day notation (end inclusive) selects the same seconds as plain seconds', () => {
    const byDay = buildWorkload(parseWorkloadSpec('twitter:15.01.22:15.01.42.59'), trace);
    const bySeconds = buildWorkload(
      parseWorkloadSpec(`twitter:${15 * DAY + 82 * 60}:${15 * DAY + 103 * 60}`),
      trace,
    );
    expect(byDay.description).toBe(bySeconds.description);
    expect(byDay.durationMs).toBe(1_260_000);
    expect(byDay.expectedCount).toBe(121_697); // 1,260 s at a mean of 96.59 requests/s
  });

  it('rejects slices outside the trace', () => {
    expect(() => trace.slice({ startS: 10, endS: 10 })).toThrow(WorkloadError);
    expect(() => trace.slice({ startS: 0, endS: 2_000_000 })).toThrow(/≤ 1899061/);
    expect(() => trace.slice({ startS: 0, endS: 10, damping: 0 })).toThrow(/damping/);
  });
});

describe('twitter trace parsing and time notation', () => {
  it('parses white-space separated counts with a trailing space', () => {
    expect(Array.from(TwitterTrace.parse('3 0 12 ').countsRps)).toEqual([3, 0, 12]);
    expect(() => TwitterTrace.parse('1 -2 3')).toThrow(WorkloadError);
    expect(() => TwitterTrace.parse('  ')).toThrow(/no values/);
  });

  it('reads day:hh:mm[:ss] and day.hh.mm[.ss]; the end is inclusive only in that notation', () => {
    expect(parseTraceTime('1301160')).toEqual({ seconds: 1_301_160, dayNotation: false });
    expect(parseTraceTime('15:01:22')).toEqual({ seconds: 15 * DAY + 82 * 60, dayNotation: true });
    expect(parseTraceTime('15.01.22.30').seconds).toBe(15 * DAY + 82 * 60 + 30);
    expect(traceRange('15.01.22', '15.01.43')).toEqual({
      startS: 15 * DAY + 82 * 60,
      endS: 15 * DAY + 103 * 60 + 1,
    });
    expect(traceRange('100', '200')).toEqual({ startS: 100, endS: 200 });
    expect(() => parseTraceTime('15:25:00')).toThrow(/hours < 24/);
    expect(() => parseTraceTime('15:01')).toThrow(WorkloadError);
  });
});
