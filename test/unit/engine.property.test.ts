// Property tests of the engine on a virtual clock (DESIGN.md §7): EDF order, batch-size bounds, no dispatch
// of an expired request, and exactly one outcome per submitted request, under random workloads, batching
// settings and injected instance failures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchingSpec } from '../../src/core/model-spec.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';
import { TimedFakeBackend, type FailureMode } from '../support/timed-fake-backend.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outcome } from '../../src/engine/types.js';

interface Arrival {
  gapMs: number;
  rows: number;
  sloMs: number;
  shape: 'a' | 'b';
}

interface Scenario {
  batching: BatchingSpec;
  maxBatch: number;
  instances: number;
  arrivals: Arrival[];
  failures: FailureMode[];
}

const scenarioArb = (options: { failures: boolean; oneShape: boolean }): fc.Arbitrary<Scenario> =>
  fc.integer({ min: 1, max: 8 }).chain((maxBatch) =>
    fc.record({
      maxBatch: fc.constant(maxBatch),
      batching: fc.record({
        preferredBatch: fc.integer({ min: 1, max: maxBatch }),
        maxQueueDelayMs: fc.constantFrom(0, 5, 20),
        policy: fc.constantFrom('deadline' as const, 'fifo' as const),
        admission: fc.constantFrom('reject' as const, 'drop' as const, 'serve' as const),
        maxQueueLength: fc.integer({ min: 1, max: 40 }),
      }),
      instances: fc.integer({ min: 1, max: 3 }),
      arrivals: fc.array(
        fc.record({
          gapMs: fc.integer({ min: 0, max: 15 }),
          rows: options.oneShape ? fc.constant(1) : fc.integer({ min: 1, max: maxBatch }),
          sloMs: fc.integer({ min: 1, max: 150 }),
          shape: options.oneShape ? fc.constant('a' as const) : fc.constantFrom('a' as const, 'b' as const),
        }),
        { maxLength: 60 },
      ),
      failures: options.failures
        ? fc.array(fc.constantFrom<FailureMode>('none', 'none', 'none', 'retryable', 'fatal'), {
            maxLength: 40,
          })
        : fc.constant([]),
    }),
  );

interface Trace {
  submitSeq: number;
  deadlineMs: number | undefined;
  outcomes: Outcome<number>[];
  finishSeq: number;
}

const width = (arrival: Arrival): number => (arrival.shape === 'a' ? 2 : 3);

function run(scenario: Scenario) {
  const clock = new VirtualClock();
  let seq = 0;
  const backend = new TimedFakeBackend<number>(
    clock,
    (rows) => 4 + 3 * rows,
    (batch) => scenario.failures[batch.batchId - 1] ?? 'none',
  );
  const batchSeqs: number[] = [];
  const execute = backend.execute.bind(backend);
  backend.execute = (batch, done) => {
    batchSeqs.push(++seq);
    execute(batch, (result) => {
      done(result);
      // A lost instance comes back, as the runtime's supervisor would restart it.
      if (!result.ok && result.retryable) {
        clock.setTimer(clock.nowMs() + 25, () => {
          if (seenInstances.has(batch.instanceId))
            engine.addInstance({ id: batch.instanceId, group: 'm/v', cores: 1 });
        });
      }
    });
  };
  const seenInstances = new Set<string>();
  const engine = new Engine<number, number>({ clock, backend });
  engine.addModule({
    name: 'm',
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1] }],
    batched: true,
    defaultSloMs: 100,
    variants: ['v'],
    defaultVariant: 'v',
  });
  engine.addGroup({ module: 'm', variant: 'v', maxBatch: scenario.maxBatch, batching: scenario.batching });
  for (let i = 0; i < scenario.instances; i++) {
    seenInstances.add(`i${i}`);
    engine.addInstance({ id: `i${i}`, group: 'm/v', cores: 1 });
  }
  const traces: Trace[] = [];
  let at = 0;
  scenario.arrivals.forEach((arrival, index) => {
    at += arrival.gapMs;
    clock.setTimer(at, () => {
      const trace: Trace = { submitSeq: ++seq, deadlineMs: undefined, outcomes: [], finishSeq: 0 };
      traces[index] = trace;
      engine.submit(
        {
          module: 'm',
          version: undefined,
          arrivalMs: clock.nowMs(),
          budget: { sloMs: arrival.sloMs },
          // Shapes [rows, 2] and [rows, 3] must never share a batch.
          inputs: [
            {
              name: 'x',
              datatype: 'FP32',
              shape: [arrival.rows, width(arrival)],
              elements: arrival.rows * width(arrival),
            },
          ],
          payload: index,
        },
        (outcome) => {
          trace.outcomes.push(outcome);
          trace.deadlineMs = outcome.deadlineMs;
          trace.finishSeq = ++seq;
        },
      );
    });
  });
  clock.runAll(1_000_000);
  return { engine, backend, traces, batchSeqs };
}

describe('Engine properties', () => {
  it('gives every submitted request exactly one outcome, even with instance failures', () => {
    fc.assert(
      fc.property(scenarioArb({ failures: true, oneShape: false }), (scenario) => {
        const { engine, traces } = run(scenario);
        expect(traces.length).toBe(scenario.arrivals.length);
        for (const trace of traces) expect(trace.outcomes.length).toBe(1);
        expect(engine.pendingCount).toBe(0);
        const completed = traces.filter((t) => t.outcomes[0]?.kind === 'completed');
        for (const t of completed) {
          const o = t.outcomes[0]!;
          if (o.kind === 'completed') expect(o.output).toBe(traces.indexOf(t));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every batch within [1, max batch] rows and of one shape', () => {
    fc.assert(
      fc.property(scenarioArb({ failures: true, oneShape: false }), (scenario) => {
        const { backend } = run(scenario);
        for (const { batch } of backend.batches) {
          expect(batch.rows).toBeGreaterThanOrEqual(1);
          expect(batch.rows).toBeLessThanOrEqual(scenario.maxBatch);
          expect(batch.rows).toBe(batch.items.reduce((s, i) => s + i.rows, 0));
          expect(new Set(batch.items.map((i) => scenario.arrivals[i.payload]!.shape)).size).toBe(1);
          for (const item of batch.items) expect(item.rows).toBe(scenario.arrivals[item.payload]!.rows);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never dispatches a request whose deadline has passed (reject and drop modes)', () => {
    fc.assert(
      fc.property(scenarioArb({ failures: true, oneShape: false }), (scenario) => {
        fc.pre(scenario.batching.admission !== 'serve');
        const { backend, traces } = run(scenario);
        for (const { batch, startedMs } of backend.batches) {
          for (const item of batch.items) {
            const deadline = traces[item.payload]!.deadlineMs!;
            expect(deadline).toBeGreaterThanOrEqual(startedMs);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('dispatches in EDF order: nothing still queued has an earlier deadline than a dispatched request', () => {
    fc.assert(
      fc.property(scenarioArb({ failures: false, oneShape: true }), (scenario) => {
        fc.pre(scenario.batching.policy === 'deadline');
        const { backend, traces, batchSeqs } = run(scenario);
        const dispatchedAt = new Map<number, number>();
        backend.batches.forEach(({ batch }, k) =>
          batch.items.forEach((i) => dispatchedAt.set(i.payload, batchSeqs[k]!)),
        );
        backend.batches.forEach(({ batch }, k) => {
          const seqK = batchSeqs[k]!;
          const latest = Math.max(...batch.items.map((i) => traces[i.payload]!.deadlineMs!));
          traces.forEach((y, index) => {
            const admitted = y.outcomes[0]?.kind !== 'rejected';
            const queued =
              admitted &&
              y.submitSeq < seqK &&
              (dispatchedAt.get(index) ?? Number.POSITIVE_INFINITY) > seqK &&
              (dispatchedAt.has(index) || y.finishSeq > seqK);
            if (queued) expect(y.deadlineMs!).toBeGreaterThanOrEqual(latest);
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});
