// KAIROS's min-cost matching of queries to instances, against first-come-first-served: hand-made ticks
// (a large query waits for a GPU that frees in time; small ones take the CPUs), the cost levels, the
// window of the oldest 2N queries, deterministic ties, and the decision's contract on random ticks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcfsAssignment } from '../../../src/policy/fcfs-assignment.js';
import { matchingCosts, minCostMatching } from '../../../src/policy/min-cost-matching.js';
import type {
  AssignableInstance,
  AssignmentContext,
  QueuedQuery,
} from '../../../src/policy/query-assignment.js';

// A GPU takes 10 ms + 0.02 ms per row (1000 rows: 30 ms); a CPU 1 ms + 0.4 ms per row (1000 rows: 401 ms,
// 10 rows: 5 ms).
const gpu = (id: string, freeAtMs = 0): AssignableInstance => ({
  id,
  hardware: 'gpu',
  freeAtMs,
  latencyMs: (rows) => 10 + 0.02 * rows,
});
const cpu = (id: string, freeAtMs = 0): AssignableInstance => ({
  id,
  hardware: 'cpu',
  freeAtMs,
  latencyMs: (rows) => 1 + 0.4 * rows,
});
/** A query that arrived at `arrivalMs` with a 100 ms budget. */
const query = (id: string, rows: number, arrivalMs = 0, budgetMs = 100): QueuedQuery => ({
  id,
  rows,
  arrivalMs,
  deadlineMs: arrivalMs + budgetMs,
});

describe('minCostMatching', () => {
  it('keeps a large query for a busy GPU that frees in time; FCFS sends it to the idle CPU to miss', () => {
    // GPU free at 20 ms: done at 50 ms, in time. The CPU would take until 401 ms.
    const context: AssignmentContext = {
      nowMs: 0,
      queued: [query('large', 1000)],
      instances: [cpu('cpu0'), gpu('gpu0', 20)],
    };
    expect(minCostMatching(context).assignments).toEqual([]);
    expect(fcfsAssignment(context).assignments).toEqual([{ queryId: 'large', instanceId: 'cpu0' }]);
    // Once the GPU is free, the query goes there.
    expect(minCostMatching({ ...context, nowMs: 20 }).assignments).toEqual([
      { queryId: 'large', instanceId: 'gpu0' },
    ]);
  });

  it('gives the GPU the large query and the CPU the small one', () => {
    const context: AssignmentContext = {
      nowMs: 0,
      queued: [query('large', 1000), query('small', 10)],
      instances: [cpu('cpu0'), gpu('gpu0')],
    };
    expect(minCostMatching(context).assignments).toEqual([
      { queryId: 'large', instanceId: 'gpu0' },
      { queryId: 'small', instanceId: 'cpu0' },
    ]);
    expect(fcfsAssignment(context).assignments).toEqual([
      { queryId: 'large', instanceId: 'cpu0' },
      { queryId: 'small', instanceId: 'gpu0' },
    ]);
  });

  it('lets a small query take the idle CPU while a large one waits for the busy GPU', () => {
    const context: AssignmentContext = {
      nowMs: 5,
      queued: [query('large', 1000), query('small', 10)],
      instances: [gpu('gpu0', 30), cpu('cpu0')],
    };
    expect(minCostMatching(context).assignments).toEqual([{ queryId: 'small', instanceId: 'cpu0' }]);
  });

  it('does not hold the GPU for a query that misses everywhere: it runs on the CPU now', () => {
    // The GPU frees at 80 ms: done at 110, late; the CPU at 401, late too, but spends no GPU time.
    const context: AssignmentContext = {
      nowMs: 0,
      queued: [query('large', 1000)],
      instances: [cpu('cpu0'), gpu('gpu0', 80)],
    };
    const costs = matchingCosts(context);
    expect(costs.levels[1]).toEqual([[1, 1]]);
    expect(minCostMatching(context).assignments).toEqual([{ queryId: 'large', instanceId: 'cpu0' }]);
  });

  it('scales finish times by speed on the waiting work and ranks misses, then near misses, first', () => {
    const context: AssignmentContext = {
      nowMs: 0,
      queued: [query('large', 1000), query('small', 10)],
      instances: [cpu('cpu0'), gpu('gpu0', 20)],
    };
    const costs = matchingCosts(context);
    // The window takes 406 ms on the CPU, 40.2 ms on the GPU: the GPU is 10.1 times as fast.
    expect(costs.speeds[0]).toBe(1);
    expect(costs.speeds[1]).toBeCloseTo(406 / 40.2, 12);
    expect(costs.levels).toHaveLength(5);
    expect(costs.levels[0]).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(costs.levels[1]).toEqual([
      [1, 0],
      [0, 0],
    ]);
    expect(costs.levels[3]).toEqual([
      [401_000, Math.round((406 / 40.2) * 50 * 1000)],
      [5_000, Math.round((406 / 40.2) * 30.2 * 1000)],
    ]);
  });

  it('avoids a near miss when a later start finishes in time, unless near misses are off', () => {
    // a: idle, takes 97 ms: within 5% of the 100 ms budget of the deadline. b: twice as fast, free at
    // 41.5 ms, done at 90 ms; in time but dearer in speed-scaled time (2 × 90 > 97).
    const a: AssignableInstance = { id: 'a', hardware: 'x', freeAtMs: 0, latencyMs: () => 97 };
    const b: AssignableInstance = { id: 'b', hardware: 'y', freeAtMs: 41.5, latencyMs: () => 48.5 };
    const context: AssignmentContext = { nowMs: 0, queued: [query('q', 100)], instances: [a, b] };
    expect(matchingCosts(context).levels[2]).toEqual([[1, 0]]);
    expect(minCostMatching(context).assignments).toEqual([]);
    expect(minCostMatching(context, { nearMissShare: 0 }).assignments).toEqual([
      { queryId: 'q', instanceId: 'a' },
    ]);
  });

  it('considers only the oldest 2N queries', () => {
    // One CPU: the window is the two large queries, which miss on it; the small third waits its turn.
    const context: AssignmentContext = {
      nowMs: 0,
      queued: [query('large1', 1000), query('large2', 1000), query('small', 10)],
      instances: [cpu('cpu0')],
    };
    expect(matchingCosts(context).window.map((q) => q.id)).toEqual(['large1', 'large2']);
    expect(minCostMatching(context).assignments).toEqual([{ queryId: 'large1', instanceId: 'cpu0' }]);
    expect(minCostMatching(context, { windowFactor: 3 }).assignments).toEqual([
      { queryId: 'small', instanceId: 'cpu0' },
    ]);
  });

  it('breaks ties deterministically: older queries to earlier instances', () => {
    const context: AssignmentContext = {
      nowMs: 0,
      queued: [query('q0', 100), query('q1', 100), query('q2', 100)],
      instances: [gpu('g0'), gpu('g1', 3), gpu('g2'), gpu('g3')],
    };
    // g1 is busy; the three queries tie on every idle GPU.
    const expected = [
      { queryId: 'q0', instanceId: 'g0' },
      { queryId: 'q1', instanceId: 'g2' },
      { queryId: 'q2', instanceId: 'g3' },
    ];
    expect(minCostMatching(context).assignments).toEqual(expected);
    expect(minCostMatching(context).assignments).toEqual(expected);
    // Identical instances, fewer than the queries: the oldest queries go, in order.
    expect(minCostMatching({ ...context, instances: [gpu('g0'), gpu('g1')] }).assignments).toEqual([
      { queryId: 'q0', instanceId: 'g0' },
      { queryId: 'q1', instanceId: 'g1' },
    ]);
  });

  it('never dispatches a query to an instance that cannot run it', () => {
    const small: AssignableInstance = {
      id: 'small-only',
      hardware: 'edge',
      freeAtMs: 0,
      latencyMs: (rows) => (rows <= 100 ? 5 : Number.POSITIVE_INFINITY),
    };
    const context: AssignmentContext = { nowMs: 0, queued: [query('large', 1000)], instances: [small] };
    expect(matchingCosts(context).levels[0]).toEqual([[1]]);
    expect(minCostMatching(context).assignments).toEqual([]);
  });

  it('does nothing without queries or instances', () => {
    expect(minCostMatching({ nowMs: 0, queued: [], instances: [cpu('c')] }).assignments).toEqual([]);
    expect(minCostMatching({ nowMs: 0, queued: [query('q', 1)], instances: [] }).assignments).toEqual([]);
    expect(
      fcfsAssignment({ nowMs: 0, queued: [query('q', 1)], instances: [cpu('c', 5)] }).assignments,
    ).toEqual([]);
  });
});

describe('assignment decisions on random ticks', () => {
  const tick = fc
    .record({
      nowMs: fc.integer({ min: 0, max: 50 }),
      queries: fc.array(
        fc.record({
          rows: fc.integer({ min: 1, max: 100 }).map((r) => 10 * r),
          ageMs: fc.integer({ min: 0, max: 200 }),
          budgetMs: fc.integer({ min: 20, max: 400 }),
        }),
        { maxLength: 12 },
      ),
      instances: fc.array(
        fc.record({
          fixedMs: fc.integer({ min: 0, max: 20 }),
          perRowMs: fc.double({ min: 0.005, max: 0.5, noNaN: true }),
          busyMs: fc.integer({ min: -10, max: 60 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    })
    .map(({ nowMs, queries, instances }): AssignmentContext => ({
      nowMs,
      queued: queries
        .map((q, i) => ({
          id: `q${i}`,
          rows: q.rows,
          arrivalMs: nowMs - q.ageMs,
          deadlineMs: nowMs - q.ageMs + q.budgetMs,
        }))
        .sort((a, b) => a.arrivalMs - b.arrivalMs),
      instances: instances.map((k, i) => ({
        id: `i${i}`,
        hardware: `h${i}`,
        freeAtMs: nowMs + k.busyMs,
        latencyMs: (rows: number) => k.fixedMs + k.perRowMs * rows,
      })),
    }));

  it('dispatch only to idle instances, each query and instance once, oldest first; the matching fills every idle instance when the window allows', () => {
    fc.assert(
      fc.property(tick, (context) => {
        for (const policy of [minCostMatching, fcfsAssignment]) {
          const { assignments } = policy(context);
          const queries = assignments.map((a) => a.queryId);
          const instances = assignments.map((a) => a.instanceId);
          expect(new Set(queries).size).toBe(queries.length);
          expect(new Set(instances).size).toBe(instances.length);
          const order = queries.map((id) => context.queued.findIndex((q) => q.id === id));
          expect(order.every((i) => i >= 0)).toBe(true);
          expect([...order].sort((a, b) => a - b)).toEqual(order);
          for (const id of instances) {
            const instance = context.instances.find((k) => k.id === id);
            expect(instance !== undefined && instance.freeAtMs <= context.nowMs).toBe(true);
          }
          const idle = context.instances.filter((k) => k.freeAtMs <= context.nowMs).length;
          if (context.queued.length >= context.instances.length) expect(assignments).toHaveLength(idle);
          expect(policy(context)).toEqual({ assignments });
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
