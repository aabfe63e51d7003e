import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { buildWorkload } from '../../../src/sim/workload/build-workload.js';
import { perSecondArrivals } from '../../../src/sim/workload/per-second-arrivals.js';
import { burstSegments, rateArrivals } from '../../../src/sim/workload/rate-arrivals.js';
import { TwitterTrace } from '../../../src/sim/workload/twitter-trace.js';
import { collectArrivals } from '../../../src/sim/workload/workload.js';
import { parseWorkloadSpec, TRACE_FILES } from '../../../src/sim/workload/workload-spec.js';
import { readTrace } from './traces-dir.js';

const SEED = 20_240_208;

function isSorted(times: readonly number[]): boolean {
  return times.every((t, i) => i === 0 || t >= times[i - 1]!);
}

describe('Poisson at a rate', () => {
  const workload = buildWorkload(parseWorkloadSpec('poisson:50:200'));
  const times = collectArrivals(workload, new SeededRng(SEED)).map((a) => a.atMs);

  it('has the right mean count and inter-arrival time (σ of the count is 100: ±400 cannot flake for a fixed seed)', () => {
    expect(workload.expectedCount).toBe(10_000);
    expect(Math.abs(times.length - 10_000)).toBeLessThan(400);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan(19);
    expect(mean).toBeLessThan(21);
    expect(sd / mean).toBeGreaterThan(0.9); // exponential gaps: coefficient of variation 1
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('is sorted and inside [0, duration)', () => {
    expect(isSorted(times)).toBe(true);
    expect(times[0]!).toBeGreaterThanOrEqual(0);
    expect(times.at(-1)!).toBeLessThan(200_000);
  });

  it('the same seed gives identical arrivals, another seed different ones', () => {
    expect(collectArrivals(workload, new SeededRng(SEED)).map((a) => a.atMs)).toEqual(times);
    expect(collectArrivals(workload, new SeededRng(SEED + 1)).map((a) => a.atMs)).not.toEqual(times);
  });

  it('collectArrivals stops at the limit', () => {
    expect(collectArrivals(workload, new SeededRng(SEED), 7)).toHaveLength(7);
  });
});

describe('piecewise-constant rates', () => {
  it('steps: each step carries about its rate × seconds', () => {
    const workload = buildWorkload(parseWorkloadSpec('steps:10@100,100@100,0@50,10@100'));
    expect(workload.durationMs).toBe(350_000);
    expect(workload.expectedCount).toBe(12_000);
    const times = collectArrivals(workload, new SeededRng(SEED)).map((a) => a.atMs);
    const inRange = (from: number, to: number): number =>
      times.filter((t) => t >= from * 1000 && t < to * 1000).length;
    expect(Math.abs(inRange(0, 100) - 1000)).toBeLessThan(130); // σ ≈ 32
    expect(Math.abs(inRange(100, 200) - 10_000)).toBeLessThan(400); // σ = 100
    expect(inRange(200, 250)).toBe(0);
    expect(Math.abs(inRange(250, 350) - 1000)).toBeLessThan(130);
    expect(isSorted(times)).toBe(true);
  });

  it('bursts: the last BURST seconds of every PERIOD run at PEAK; the last period is cut', () => {
    expect(burstSegments(10, 60, 30, 5, 70)).toEqual([
      { rateRps: 10, durationS: 25 },
      { rateRps: 60, durationS: 5 },
      { rateRps: 10, durationS: 25 },
      { rateRps: 60, durationS: 5 },
      { rateRps: 10, durationS: 10 },
    ]);
    const spec = parseWorkloadSpec('bursts:10:60:30:5:70');
    expect(buildWorkload(spec).expectedCount).toBe(10 * 60 + 60 * 10);
  });

  it('a zero rate yields nothing and consumes no randomness', () => {
    const rng = new SeededRng(1);
    expect([...rateArrivals([{ rateRps: 0, durationS: 100 }], rng)]).toEqual([]);
    expect(rng.next()).toBe(new SeededRng(1).next());
  });
});

describe('per-second counts to arrivals', () => {
  const counts = [3, 0, 5, 1, 40];
  const bucket = (times: readonly number[]): number[] => {
    const out = counts.map(() => 0);
    for (const t of times) out[Math.floor(t / 1000)]!++;
    return out;
  };

  it("poisson keeps every second's count exactly and is sorted", () => {
    const times = [...perSecondArrivals(counts, new SeededRng(SEED), 'poisson')];
    expect(bucket(times)).toEqual(counts);
    expect(isSorted(times)).toBe(true);
  });

  it("even spaces a second's requests evenly", () => {
    expect([...perSecondArrivals([4], new SeededRng(SEED), 'even')]).toEqual([0, 250, 500, 750]);
  });

  it('barazmoon keeps the total and stays sorted across seconds', () => {
    const times = [...perSecondArrivals(counts, new SeededRng(SEED), 'barazmoon')];
    expect(times).toHaveLength(49);
    expect(isSorted(times)).toBe(true);
  });

  it('on the IPA slice: counts exact for poisson; barazmoon packs requests early in each second', () => {
    const trace = TwitterTrace.parse(readTrace(TRACE_FILES.twitter));
    const poisson = buildWorkload(parseWorkloadSpec('twitter:1301160:1302360:8'), trace);
    const times = collectArrivals(poisson, new SeededRng(SEED)).map((a) => a.atMs);
    expect(times).toHaveLength(poisson.expectedCount);
    expect(isSorted(times)).toBe(true);
    const within = (ts: readonly number[]): number => ts.reduce((sum, t) => sum + (t % 1000), 0) / ts.length;
    expect(within(times)).toBeGreaterThan(450); // uniform in the second: mean ≈ 500 ms
    expect(within(times)).toBeLessThan(550);
    const baraz = buildWorkload(parseWorkloadSpec('twitter:1301160:1302360:8:arrivals=barazmoon'), trace);
    const bTimes = collectArrivals(baraz, new SeededRng(SEED)).map((a) => a.atMs);
    expect(bTimes).toHaveLength(baraz.expectedCount);
    expect(isSorted(bTimes)).toBe(true);
    // The k-th of n requests comes k/(1.5 n) s into its second on average: mean (n+1)/(3n) s ≈ 0.36 s here.
    expect(within(bTimes)).toBeGreaterThan(300);
    expect(within(bTimes)).toBeLessThan(420);
    expect(collectArrivals(baraz, new SeededRng(SEED)).map((a) => a.atMs)).toEqual(bTimes);
  });
});
