import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { AzureTrace } from '../../../src/sim/workload/azure-trace.js';
import { buildWorkload } from '../../../src/sim/workload/build-workload.js';
import { BusLogBudgets } from '../../../src/sim/workload/bus-log-budgets.js';
import { collectArrivals } from '../../../src/sim/workload/workload.js';
import { WorkloadError } from '../../../src/sim/workload/workload-error.js';
import { parseWorkloadSpec, TRACE_FILES } from '../../../src/sim/workload/workload-spec.js';
import { readTrace } from './traces-dir.js';

describe('Azure LLM traces', () => {
  const code = AzureTrace.parse(readTrace(TRACE_FILES['azure-code']));

  it('parses every row into ms offsets from the first, with sub-ms precision', () => {
    expect(code.offsetsMs).toHaveLength(8819);
    expect(code.offsetsMs[0]).toBe(0);
    // 18:17:04.0319600 − 18:17:03.9799600
    expect(code.offsetsMs[1]).toBeCloseTo(52, 9);
    // last row 19:14:19.9280160 − first 18:17:03.9799600 = 3435.948056 s
    expect(code.spanMs).toBeCloseTo(3_435_948.056, 6);
    expect([code.contextTokens[0], code.generatedTokens[0]]).toEqual([4808, 10]);
    expect(AzureTrace.parse(readTrace(TRACE_FILES['azure-conv'])).offsetsMs).toHaveLength(19_366);
  });

  it('windows [from, to) are rebased to from and scaled by speed', () => {
    const window = code.window({ fromS: 180, toS: 300 }); // minutes 3-4: 718 requests (minutes 1-2 are silent)
    const expected = Array.from(code.offsetsMs).filter((t) => t >= 180_000 && t < 300_000);
    expect(window).toHaveLength(expected.length);
    expect(window.length).toBe(718);
    expect(window[0]).toBeCloseTo(expected[0]! - 180_000, 9);
    const fast = code.window({ fromS: 180, toS: 300, speed: 2 });
    expect(fast[5]).toBeCloseTo(window[5]! / 2, 9);
  });

  it('the azure-code spec replays the window as a workload', () => {
    const workload = buildWorkload(parseWorkloadSpec('azure-code:0:120'), code);
    expect(workload.durationMs).toBe(120_000);
    const arrivals = collectArrivals(workload, new SeededRng(1));
    expect(arrivals).toHaveLength(workload.expectedCount);
    expect(arrivals.every((a) => a.atMs >= 0 && a.atMs < 120_000)).toBe(true);
  });

  it('rejects bad rows and decreasing timestamps', () => {
    const header = 'TIMESTAMP,ContextTokens,GeneratedTokens\r\n';
    expect(() => AzureTrace.parse(`${header}2023-11-16 18:17:03.9,1,2\r\nnope`)).toThrow(/line 3/);
    expect(() => AzureTrace.parse(`${header}2023-11-16 18:17:03.9,1,2\r\n2023-11-16 18:17:03.8,1,2`)).toThrow(
      /decrease/,
    );
    expect(() => AzureTrace.parse('a,b,c\n')).toThrow(WorkloadError);
  });

  it('counts across midnight and month ends', () => {
    const header = 'TIMESTAMP,ContextTokens,GeneratedTokens\n';
    const t = AzureTrace.parse(`${header}2023-12-31 23:59:59.9990000,1,1\n2024-01-01 00:00:00.0010000,1,1`);
    expect(t.offsetsMs[1]).toBeCloseTo(2, 9);
  });
});

describe('budgets from the 4G bus log', () => {
  const log = BusLogBudgets.parse(readTrace(TRACE_FILES['bus-log']));

  it('has one throughput per second of the log', () => {
    expect(log.lengthS).toBe(607);
    expect(log.zeroThroughputSeconds).toBe(0);
  });

  it('matches a hand-computed line', () => {
    // Line 1: 3,263,799 bytes in 725 ms → floor(4501.79) = 4501 bytes/ms; 100 KB = 102,400 bytes → 22.7505 ms.
    expect(log.throughputBytesPerMs[0]).toBe(4501);
    expect(log.networkMs(0, 100)).toBeCloseTo(102_400 / 4501, 9);
    expect(log.budgetsMs(1000, 100)[0]).toBeCloseTo(1000 - 102_400 / 4501, 9);
    expect(log.budgetsMs(1000, 100)[0]).toBeCloseTo(977.2495, 4);
  });

  it('budgets lie in (−∞, SLO]; large payloads on the slowest second go negative', () => {
    for (const kb of [100, 200, 500]) {
      for (const b of log.budgetsMs(1000, kb)) {
        expect(Number.isFinite(b)).toBe(true);
        expect(b).toBeLessThanOrEqual(1000);
      }
    }
    // Slowest second: 432 bytes/ms; 500 KB takes 1,185.2 ms.
    expect(Math.min(...log.budgetsMs(1000, 500))).toBeCloseTo(1000 - 512_000 / 432, 6);
  });

  it('attaches slo and network time per request, cycling the log over the workload seconds', () => {
    const arrivals = [{ atMs: 500 }, { atMs: 1500 }, { atMs: 607_000 + 250 }];
    const out = [...log.attach(arrivals, { sloMs: 1000, payloadKB: 100 }, new SeededRng(1))];
    expect(out[0]).toEqual({ atMs: 500, sloMs: 1000, networkMs: log.networkMs(0, 100) });
    expect(out[1]!.networkMs).toBe(log.networkMs(1, 100));
    expect(out[2]!.networkMs).toBe(out[0]!.networkMs); // second 607 wraps to second 0
  });

  it('draws payloads from a range reproducibly', () => {
    const arrivals = Array.from({ length: 200 }, (_, i) => ({ atMs: i * 10 }));
    const a = [...log.attach(arrivals, { payloadKB: [100, 500] }, new SeededRng(7))];
    const b = [...log.attach(arrivals, { payloadKB: [100, 500] }, new SeededRng(7))];
    expect(a).toEqual(b);
    const kb = a.map((x) => (x.networkMs! * log.throughputBytesPerMs[Math.floor(x.atMs / 1000)]!) / 1024);
    expect(Math.min(...kb)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...kb)).toBeLessThanOrEqual(500);
  });
});

describe('bus log edge cases', () => {
  it('a zero-throughput second counts as 1 byte/ms: finite, deeply negative budget', () => {
    const log = BusLogBudgets.parse(
      '1 0 0 0 4000 1000\n2 1000 0 0 0 1000\n3 2000 0 0 500 1000\n4 3000 0 0 10 0\n',
    );
    expect(Array.from(log.throughputBytesPerMs)).toEqual([4, 1, 1, 1]);
    expect(log.zeroThroughputSeconds).toBe(3);
    expect(log.networkMs(1, 200)).toBe(204_800);
    expect(log.budgetsMs(1000, 200)[1]).toBe(1000 - 204_800);
  });

  it('rejects malformed lines', () => {
    expect(() => BusLogBudgets.parse('1 2 3 4 5\n')).toThrow(/line 1/);
    expect(() => BusLogBudgets.parse('')).toThrow(WorkloadError);
  });
});
