// Harpagon's per-module covering problem (min-cost-cover.ts) and the configurations it is given
// (dominant-configs.ts): table-driven cases, and the cover against a brute force over every instance
// vector on 1000 seeded random item sets (with minimum counts and instance limits), and the fastest
// configurations and the dominant ones among them against direct enumerations.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { fillMsOf, undominatedRows } from '../../../src/planner/harpagon/dominant-configs.js';
import { minCostCover, type CoverItem } from '../../../src/planner/harpagon/min-cost-cover.js';
import { utilisationCapOf, type PlanningProblem } from '../../../src/planner/planning-problem.js';
import {
  configOfColumns,
  fastestConfigColumns,
  tupleConfigs,
  type TupleConfig,
} from '../../../src/planner/tuple-configs.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { integer, uniform } from './harpagon-random-problems.js';

const item = (
  instanceCostPerHour: number,
  instanceRps: number,
  minInstances = 1,
  limitSlot = -1,
  latencyMs = 0,
  fillMs = 0,
): CoverItem => ({
  instanceCostPerHour,
  instanceRps,
  minInstances,
  limitSlot,
  latencyMs,
  fillMs,
});

/** The largest l + fill / n over the items a cover uses (its need), ms. */
const needOf = (items: readonly CoverItem[], instances: readonly number[]): number =>
  Math.max(
    0,
    ...instances.map((n, i) => (n > 0 ? (items[i]!.latencyMs ?? 0) + (items[i]!.fillMs ?? 0) / n : 0)),
  );

describe('minCostCover', () => {
  it.each([
    { name: 'one item, rounded up', items: [item(1, 60)], rate: 100, cost: 2, instances: [2] },
    // Two big ones cost 8; one big and two small cover 140 for 6 (Harpagon's multi-tuple configuration).
    {
      name: 'bulk plus remainder',
      items: [item(4, 100), item(1, 20)],
      rate: 130,
      cost: 6,
      instances: [1, 2],
    },
    // The efficient item must run 3 instances to fill its batches in time: dearer than 1 of the other.
    {
      name: 'minimum instances',
      items: [item(1, 50, 3), item(2.5, 60)],
      rate: 60,
      cost: 2.5,
      instances: [0, 1],
    },
    {
      name: 'minimum met by the rate',
      items: [item(1, 50, 3), item(2.5, 60)],
      rate: 140,
      cost: 3,
      instances: [3, 0],
    },
    // Only one instance of the efficient kind allowed: the rest on the other kind.
    {
      name: 'instance limit',
      items: [item(1, 100, 1, 0), item(2, 100)],
      rate: 250,
      cost: 5,
      instances: [1, 2],
      limits: [1],
    },
    { name: 'nothing to carry', items: [item(1, 10)], rate: 0, cost: 0, instances: [0] },
  ])('$name', ({ items, rate, cost, instances, limits }) => {
    const cover = minCostCover(items, rate, limits ?? []);
    expect(cover?.costPerHour).toBeCloseTo(cost, 12);
    expect(cover?.instances).toEqual(instances);
  });

  it('finds nothing below an upper bound, or within limits that cannot carry the rate', () => {
    expect(minCostCover([item(1, 60)], 100, [], 2)).toBeUndefined();
    expect(minCostCover([item(1, 60)], 100, [], 2.0001)?.costPerHour).toBe(2);
    expect(minCostCover([item(1, 60, 1, 0)], 100, [1])).toBeUndefined();
    expect(minCostCover([item(1, 60, 3, 0)], 50, [2])).toBeUndefined();
  });

  it('returns, of equally cheap covers, the one needing the smallest budget', () => {
    // 2 of the first (need 10 + 40 / 2 = 30 ms) and 1 of the second (need 25 ms) both cost 2.
    const items = [item(1, 50, 1, -1, 10, 40), item(2, 100, 1, -1, 25, 0)];
    const cover = minCostCover(items, 100);
    expect(cover?.costPerHour).toBe(2);
    expect(cover?.instances).toEqual([0, 1]);
    expect(cover?.needMs).toBe(25);
    // A slower second item: the two of the first need less.
    const slower = minCostCover([items[0]!, item(2, 100, 1, -1, 35, 0)], 100);
    expect(slower?.instances).toEqual([2, 0]);
    expect(slower?.needMs).toBe(30);
  });

  it('equals a brute force over every instance vector on 1000 random item sets', () => {
    let multi = 0;
    let tiesBroken = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const rng = SeededRng.stream(seed, 'cover');
      const limited = rng.next() < 0.3;
      const items = Array.from({ length: integer(rng, 1, 5) }, () =>
        item(
          Math.round(uniform(rng, 0.5, 4) * 4) / 4, // quarter prices: ties between vectors happen
          uniform(rng, 10, 120),
          rng.next() < 0.3 ? integer(rng, 2, 4) : 1,
          limited && rng.next() < 0.5 ? 0 : -1,
          uniform(rng, 1, 50),
          rng.next() < 0.3 ? 0 : uniform(rng, 1, 100),
        ),
      );
      const limits = limited ? [integer(rng, 1, 4)] : [];
      const rate = uniform(rng, 1, 300);
      const cover = minCostCover(items, rate, limits);
      const brute = bruteForce(items, rate, limits);
      if (brute === undefined) {
        expect(cover, `seed ${seed}`).toBeUndefined();
        continue;
      }
      expect(cover, `seed ${seed}`).toBeDefined();
      expect(cover!.costPerHour, `seed ${seed}`).toBeCloseTo(brute.cost, 9);
      // Of the cheapest covers, one of least need, and the need it reports is its own.
      expect(cover!.needMs, `seed ${seed}`).toBeCloseTo(brute.need, 9);
      expect(needOf(items, cover!.instances), `seed ${seed}`).toBeCloseTo(cover!.needMs, 9);
      if (brute.needs > 1) tiesBroken++;
      // What it returns is what it says: the cost, enough capacity, minimums and limits respected.
      const used = cover!.instances;
      expect(used.reduce((s, n, i) => s + n * items[i]!.instanceCostPerHour, 0)).toBeCloseTo(
        cover!.costPerHour,
        9,
      );
      expect(used.reduce((s, n, i) => s + n * items[i]!.instanceRps, 0)).toBeGreaterThanOrEqual(
        rate * (1 - 1e-9),
      );
      used.forEach((n, i) => expect(n === 0 || n >= items[i]!.minInstances).toBe(true));
      if (limited) {
        const onSlot = used.reduce((s, n, i) => s + (items[i]!.limitSlot === 0 ? n : 0), 0);
        expect(onSlot).toBeLessThanOrEqual(limits[0]!);
      }
      if (used.filter((n) => n > 0).length > 1) multi++;
    }
    console.log(
      `minCostCover: ${multi}/1000 optimal covers use more than one item; ${tiesBroken} had cheapest covers of different needs`,
    );
    expect(multi).toBeGreaterThan(50);
    expect(tiesBroken).toBeGreaterThan(20);
  });
});

/** The least cost of a cover, the least need among covers of that cost, and how many needs they have. */
function bruteForce(
  items: readonly CoverItem[],
  rate: number,
  limits: readonly number[],
): { cost: number; need: number; needs: number } | undefined {
  const covers: { cost: number; need: number }[] = [];
  const counts = items.map(() => 0);
  const visit = (k: number, rps: number, cost: number, onSlot: number): void => {
    if (onSlot > (limits[0] ?? Infinity)) return;
    if (rps >= rate * (1 - 1e-9)) {
      covers.push({ cost, need: needOf(items, counts) });
      return;
    }
    if (k === items.length) return;
    const it = items[k]!;
    visit(k + 1, rps, cost, onSlot);
    const most = Math.max(it.minInstances, Math.ceil(rate / it.instanceRps));
    for (let n = it.minInstances; n <= most; n++) {
      counts[k] = n;
      visit(
        k + 1,
        rps + n * it.instanceRps,
        cost + n * it.instanceCostPerHour,
        onSlot + (it.limitSlot === 0 ? n : 0),
      );
    }
    counts[k] = 0;
  };
  visit(0, 0, 0, 0);
  if (covers.length === 0) return undefined;
  const cost = Math.min(...covers.map((c) => c.cost));
  const cheapest = covers.filter((c) => c.cost <= cost * (1 + 1e-9));
  const need = Math.min(...cheapest.map((c) => c.need));
  return { cost, need, needs: new Set(cheapest.map((c) => c.need.toFixed(9))).size };
}

/** The configurations of `problem`'s first module a cost curve keeps (ρ = 0.9). */
function dominantOf(problem: PlanningProblem): TupleConfig[] {
  const columns = fastestConfigColumns(problem, problem.modules[0]!, 0.9);
  return Array.from(undominatedRows(columns), (row) => configOfColumns(columns, row));
}

const sameSlot = (a: TupleConfig, b: TupleConfig): boolean =>
  a.variant === b.variant && a.hardware === b.hardware && a.cores === b.cores && a.batch === b.batch;

describe('undominatedRows of the fastest configurations', () => {
  // Two variants (w is slower everywhere) on a limited cpu kind and an unlimited one.
  const problem: PlanningProblem = {
    objective: { kind: 'min-cost' },
    hardware: [
      { name: 'small', kind: 'cpu', pricePerHour: 1, maxCores: 2, maxInstances: 3 },
      { name: 'big', kind: 'cpu', pricePerHour: 1, maxCores: 2 },
    ],
    modules: [
      {
        name: 'm',
        maxBatch: 4,
        variants: [
          {
            name: 'v',
            accuracy: 0.7,
            latency: {
              small: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 2 },
              big: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 1 },
            },
          },
          {
            name: 'w',
            accuracy: 0.9,
            latency: { small: { kind: 'sponge4', gamma: 20, delta: 0, epsilon: 0, eta: 2 } },
          },
        ],
      },
    ],
    apps: [{ name: 'a', modules: ['m'], edges: [], sloMs: 100, rateRps: 10 }],
  };
  const all = tupleConfigs(problem, problem.modules[0]!, 0.9);
  const kept = dominantOf(problem);

  it('keeps only the fastest variant per hardware, cores and batch (accuracy plays no part)', () => {
    expect(kept.every((c) => c.variant.name === 'v')).toBe(true);
  });

  it('lets an unlimited kind stand in for a limited one, never the reverse', () => {
    // On 'big' every configuration is faster at the same price: 'small' ones go.
    expect(kept.every((c) => c.hardware.name === 'big')).toBe(true);
    const limitedBig = dominantOf({
      ...problem,
      hardware: problem.hardware.map((h) => ({ ...h, maxInstances: 2 })),
    });
    expect(limitedBig.some((c) => c.hardware.name === 'small')).toBe(true);
  });

  it('drops only configurations some kept one beats on price, capacity, latency and fill time', () => {
    for (const c of all) {
      if (kept.some((k) => sameSlot(k, c))) continue;
      expect(
        kept.some(
          (k) =>
            k.instanceCostPerHour <= c.instanceCostPerHour &&
            k.instanceRps >= c.instanceRps &&
            k.latencyMs <= c.latencyMs &&
            fillMsOf(k) <= fillMsOf(c),
        ),
      ).toBe(true);
    }
    expect(fillMsOf(kept.find((c) => c.batch === 4 && c.cores === 2)!)).toBeCloseTo(
      (1000 * 3) / ((900 * 4) / 21),
      9,
    );
  });
});

/** Two min-cost modules on 3 mixed hardware kinds, realistic sizes unless `knobs` says otherwise. */
const randomModules = (seed: number, knobs: RandomProblemKnobs): PlanningProblem =>
  randomProblem(seed, {
    objective: 'min-cost',
    modules: 2,
    variants: 5,
    hardware: 3,
    kinds: 'mixed',
    coreOptions: 16,
    batchOptions: 8,
    ...knobs,
  });

describe('fastestConfigColumns', () => {
  it('holds, per hardware, cores and batch, the fastest variant configuration exactly as configFor makes it', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const problem = randomModules(seed, { variants: 4, coreOptions: 6, batchOptions: 4 });
      const rho = utilisationCapOf(problem);
      for (const module of problem.modules) {
        const columns = fastestConfigColumns(problem, module, rho);
        const all = tupleConfigs(problem, module, rho);
        const slots = new Set(all.map((c) => `${c.hardware.name}/${c.cores}/${c.batch}`));
        expect(columns.count).toBe(slots.size);
        for (let i = 0; i < columns.count; i++) {
          const config = configOfColumns(columns, i);
          const rivals = all.filter(
            (c) => c.hardware === config.hardware && c.cores === config.cores && c.batch === config.batch,
          );
          const fastest = rivals.reduce((a, b) => (b.latencyMs < a.latencyMs ? b : a));
          expect(config).toEqual(fastest);
          expect(columns.instanceRps[i]).toBe(config.instanceRps);
          expect(columns.instanceCostPerHour[i]).toBe(config.instanceCostPerHour);
        }
      }
    }
  });
});

describe('undominatedRows', () => {
  it('keeps exactly what a scan of every kept configuration of the batch size keeps, on 40 random modules', () => {
    let dropped = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const problem = randomModules(seed, { instanceLimits: seed % 2 === 0 });
      for (const module of problem.modules) {
        const columns = fastestConfigColumns(problem, module, utilisationCapOf(problem));
        const rows = Array.from(undominatedRows(columns));
        // The reference: price order (ties: more capacity first), each row against every kept one.
        const reference: number[] = [];
        for (const b of Array.from({ length: columns.count }, (_, i) => i).sort(
          (x, y) =>
            columns.instanceCostPerHour[x]! - columns.instanceCostPerHour[y]! ||
            columns.instanceRps[y]! - columns.instanceRps[x]! ||
            x - y,
        )) {
          const beaten = reference.some(
            (a) =>
              columns.batch[a] === columns.batch[b] &&
              columns.instanceRps[a]! >= columns.instanceRps[b]! &&
              columns.latencyMs[a]! <= columns.latencyMs[b]! &&
              (columns.hardware[a] === columns.hardware[b] ||
                columns.hardware[a]!.maxInstances === undefined),
          );
          if (!beaten) reference.push(b);
        }
        expect(new Set(rows), `seed ${seed} ${module.name}`).toEqual(new Set(reference));
        dropped += columns.count - rows.length;
      }
    }
    expect(dropped).toBeGreaterThan(1000);
  });
});
