import { describe, expect, it } from 'vitest';
import type { BatchingSpec } from '../../src/core/model-spec.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';
import { TimedFakeBackend, type FailureMode } from '../support/timed-fake-backend.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outcome, SubmittedRequest } from '../../src/engine/types.js';

const batching: BatchingSpec = {
  preferredBatch: 4,
  maxQueueDelayMs: 0,
  policy: 'deadline',
  admission: 'reject',
  maxQueueLength: 100,
};

function setup(
  options: {
    instances?: number;
    latency?: (rows: number) => number;
    failures?: FailureMode[];
    batching?: Partial<BatchingSpec>;
    variants?: string[];
  } = {},
) {
  const clock = new VirtualClock();
  const backend = new TimedFakeBackend<string>(
    clock,
    options.latency ?? ((rows) => 10 + 2 * rows),
    (b) => options.failures?.[b.batchId - 1] ?? 'none',
  );
  const engine = new Engine<string, string>({ clock, backend });
  const variants = options.variants ?? ['v1'];
  engine.addModule({
    name: 'm',
    inputs: [],
    batched: true,
    defaultSloMs: 100,
    variants: [...variants, 'unloaded'],
    defaultVariant: variants[0]!,
  });
  for (const variant of variants)
    engine.addGroup({ module: 'm', variant, maxBatch: 8, batching: { ...batching, ...options.batching } });
  for (let i = 0; i < (options.instances ?? 1); i++) {
    for (const variant of variants)
      engine.addInstance({ id: `${variant}-${i}`, group: `m/${variant}`, cores: 1 });
  }
  const outcomes: Outcome<string>[] = [];
  const submit = (payload: string, over: Partial<SubmittedRequest<string>> = {}): void => {
    engine.submit(
      { module: 'm', version: undefined, arrivalMs: clock.nowMs(), budget: {}, payload, ...over },
      (o) => outcomes.push(o),
    );
  };
  return { clock, backend, engine, outcomes, submit };
}

describe('Engine', () => {
  it('serves a request and reports queue and compute time, batch size and variant', () => {
    const { clock, outcomes, submit } = setup();
    submit('a');
    clock.runAll();
    expect(outcomes).toMatchObject([
      {
        kind: 'completed',
        output: 'a',
        variant: 'v1',
        instanceId: 'v1-0',
        queueMs: 0,
        computeMs: 12,
        batchRows: 1,
        finishedMs: 12,
      },
    ]);
  });

  it('batches what queued while the instance was busy', () => {
    const { clock, backend, outcomes, submit } = setup();
    submit('a');
    clock.runUntil(1);
    for (const p of ['b', 'c', 'd']) submit(p);
    clock.runAll();
    expect(backend.batches.map((b) => b.batch.items.map((i) => i.payload))).toEqual([['a'], ['b', 'c', 'd']]);
    expect(outcomes.find((o) => o.kind === 'completed' && o.output === 'c')).toMatchObject({
      queueMs: 11,
      batchRows: 3,
    });
  });

  it('answers a request stuck behind a busy instance at its deadline with DEADLINE_EXCEEDED', () => {
    const { clock, outcomes, submit } = setup({ latency: () => 500, batching: { admission: 'drop' } });
    submit('long', { budget: { sloMs: 1000 } });
    submit('short', { budget: { sloMs: 30 } });
    clock.runAll();
    const short = outcomes.find((o) => o.kind === 'expired');
    expect(short).toMatchObject({ kind: 'expired', error: { code: 'DEADLINE_EXCEEDED' } });
    expect(short!.finishedMs).toBeLessThanOrEqual(30);
  });

  it('rejects at admission what the calibrated latency model says cannot be met', () => {
    const { clock, engine, outcomes, submit } = setup({ instances: 0, latency: () => 50 });
    engine.addInstance({ id: 'x', group: 'm/v1', cores: 1, calibration: [{ rows: 1, computeMs: 50 }] });
    submit('first', { budget: { sloMs: 200 } });
    submit('hopeless', { budget: { sloMs: 60 } });
    clock.runAll();
    expect(outcomes.map((o) => [o.kind, o.kind === 'completed' ? o.output : o.error.code])).toEqual([
      ['rejected', 'DEADLINE_UNMEETABLE'],
      ['completed', 'first'],
    ]);
    const rejected = outcomes[0]!;
    expect(rejected.kind !== 'completed' && rejected.error.retryAfterMs).toBeGreaterThan(0);
  });

  it('retries a batch lost with its instance once, on another instance', () => {
    const { clock, outcomes, submit } = setup({ instances: 2, failures: ['retryable'] });
    submit('a');
    clock.runAll();
    expect(outcomes).toMatchObject([{ kind: 'completed', output: 'a', instanceId: 'v1-1' }]);
  });

  it('answers INSTANCE_FAILED when the retry fails too', () => {
    const { clock, outcomes, submit } = setup({ instances: 2, failures: ['retryable', 'retryable'] });
    submit('a');
    clock.runAll();
    expect(outcomes).toMatchObject([{ kind: 'failed', error: { code: 'INSTANCE_FAILED' } }]);
  });

  it('passes a non-retryable execution error to every request of the batch', () => {
    const { clock, outcomes, submit } = setup({ failures: ['none', 'fatal'] });
    submit('a');
    clock.runUntil(1);
    submit('b');
    submit('c');
    clock.runAll();
    expect(outcomes.map((o) => o.kind)).toEqual(['completed', 'failed', 'failed']);
  });

  it('refuses unknown models and versions, and versions with no instance', () => {
    const { engine, outcomes, submit } = setup();
    submit('a', { module: 'nope' });
    submit('b', { version: 'v9' });
    submit('c', { version: 'unloaded' });
    expect(outcomes.map((o) => (o.kind === 'completed' ? o.kind : o.error.code))).toEqual([
      'UNKNOWN_MODEL',
      'UNKNOWN_VERSION',
      'NOT_READY',
    ]);
    expect(engine.isReady('m')).toBe(true);
    expect(engine.isReady('m', 'unloaded')).toBe(false);
  });

  it('splits traffic by the route weights and honours a pinned version', () => {
    const { clock, engine, outcomes, submit } = setup({ variants: ['small', 'large'] });
    engine.setRoute('m', { small: 3, large: 1 });
    for (let i = 0; i < 8; i++) {
      submit(`r${i}`);
      clock.runAll();
    }
    submit('pinned', { version: 'large' });
    clock.runAll();
    const variants = outcomes.map((o) => (o.kind === 'completed' ? o.variant : 'x'));
    expect(variants.slice(0, 8).filter((v) => v === 'small')).toHaveLength(6);
    expect(variants[8]).toBe('large');
  });

  it('drains on shutdown: finishes what it accepted, refuses what comes after', () => {
    const { clock, engine, outcomes, submit } = setup();
    submit('a');
    submit('b');
    let drainedAt: number | undefined;
    engine.shutdown(() => {
      drainedAt = clock.nowMs();
    });
    submit('late');
    expect(drainedAt).toBeUndefined();
    clock.runAll();
    expect(outcomes.map((o) => (o.kind === 'completed' ? o.output : o.error.code))).toEqual([
      'NOT_READY',
      'a',
      'b',
    ]);
    expect(drainedAt).toBe(outcomes[2]!.finishedMs);
  });

  it('lets a removed instance finish its batch and then takes it out of service', () => {
    const { clock, engine, outcomes, submit } = setup();
    submit('a');
    engine.removeInstance('v1-0');
    submit('b');
    clock.runAll();
    expect(outcomes.map((o) => (o.kind === 'completed' ? o.output : o.error.code))).toEqual([
      'NOT_READY',
      'a',
    ]);
    expect(engine.stats()).toMatchObject([{ group: 'm/v1', instances: 0 }]);
  });

  it('waits for a fuller batch up to the maximum queue delay when configured', () => {
    const { clock, backend, submit } = setup({ batching: { maxQueueDelayMs: 5 } });
    submit('a');
    clock.runUntil(3);
    submit('b');
    clock.runAll();
    expect(backend.batches).toHaveLength(1);
    expect(backend.batches[0]!.startedMs).toBe(5);
  });
});

describe('Engine with a suspended instance', () => {
  it('keeps admitting and queueing while a lost instance restarts, then serves on resume', () => {
    const { clock, engine, outcomes, submit } = setup({ failures: ['retryable'] });
    submit('held', { budget: { sloMs: 1000 } });
    engine.suspendInstance('v1-0');
    clock.runUntil(20);
    submit('arrived-meanwhile', { budget: { sloMs: 1000 } });
    clock.runUntil(200);
    expect(outcomes).toEqual([]);
    engine.resumeInstance('v1-0');
    clock.runAll();
    expect(outcomes.map((o) => (o.kind === 'completed' ? o.output : o.error.code))).toEqual([
      'held',
      'arrived-meanwhile',
    ]);
  });

  it('still answers a queued request at its deadline if the instance does not come back in time', () => {
    const { clock, engine, outcomes, submit } = setup({ batching: { admission: 'drop' } });
    engine.suspendInstance('v1-0');
    submit('a', { budget: { sloMs: 30 } });
    clock.runAll();
    expect(outcomes).toMatchObject([{ kind: 'expired', finishedMs: 30 }]);
  });
});
