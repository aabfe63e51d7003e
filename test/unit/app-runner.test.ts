// Applications over the engine: fan-out into the next module, module budgets shared out of each
// request's own remaining time in proportion to the plan's, exactly one answer per app request, and a
// failure named by its module.
import { describe, expect, it } from 'vitest';
import type { BatchingSpec } from '../../src/core/model-spec.js';
import { AppRunner, type AppOutcome } from '../../src/engine/app-runner.js';
import { Engine } from '../../src/engine/engine.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';
import { TimedFakeBackend, type FailureMode } from '../support/timed-fake-backend.js';

const batching: BatchingSpec = {
  preferredBatch: 1,
  maxQueueDelayMs: 0,
  policy: 'deadline',
  admission: 'serve',
  maxQueueLength: 100,
};

function setup(fail: (module: string) => FailureMode = () => 'none') {
  const clock = new VirtualClock();
  const backend = new TimedFakeBackend<string>(
    clock,
    () => 10,
    (b) => fail(b.group.split('/')[0] ?? ''),
  );
  const engine = new Engine<string, string>({ clock, backend });
  for (const m of ['det', 'rec']) {
    engine.addModule({
      name: m,
      inputs: [],
      batched: false,
      defaultSloMs: 1000,
      variants: ['v'],
      defaultVariant: 'v',
    });
    engine.addGroup({ module: m, variant: 'v', maxBatch: 1, batching });
    engine.addInstance({ id: `${m}#0`, group: `${m}/v`, cores: 1 });
  }
  const budgets: { module: string; budgetMs: number }[] = [];
  const runner = new AppRunner<string, string>(
    engine,
    clock,
    [{ name: 'ocr', modules: ['det', 'rec'], edges: [{ from: 'det', to: 'rec' }], sloMs: 1000 }],
    // Each detection output becomes as many recognition requests as the payload says.
    (_edge, _output, payload) => Array.from({ length: Number(payload) }, () => payload),
  );
  const original = engine.submit.bind(engine);
  engine.submit = (request, respond) => {
    budgets.push({ module: request.module, budgetMs: request.budget.sloMs ?? Number.NaN });
    return original(request, respond);
  };
  return { clock, runner, budgets };
}

describe('AppRunner', () => {
  it('fans out, waits for every module request, and answers once', () => {
    const { clock, runner } = setup();
    const outcomes: AppOutcome<string>[] = [];
    runner.submit('ocr', { arrivalMs: 0, budget: {}, payload: '3' }, (o) => outcomes.push(o));
    clock.runAll();
    expect(outcomes).toHaveLength(1);
    const o = outcomes[0]!;
    expect(o.kind).toBe('completed');
    if (o.kind !== 'completed') return;
    expect(o.moduleRequests).toBe(4);
    expect(o.outputs.map((x) => x.module)).toEqual(['rec', 'rec', 'rec']);
    // det 10 ms, then three recognitions one after another on one instance.
    expect(o.finishedMs).toBe(40);
  });

  it('shares each request\u2019s remaining time among the modules ahead, in proportion to the plan', () => {
    const { clock, runner, budgets } = setup();
    runner.setBudgets('ocr', { det: 300, rec: 100 });
    runner.submit('ocr', { arrivalMs: 0, budget: { sloMs: 800 }, payload: '1' }, () => undefined);
    clock.runAll();
    // det gets 3/4 of 800 ms; rec, starting at 10 ms, all of the 790 ms left.
    expect(budgets).toEqual([
      { module: 'det', budgetMs: 600 },
      { module: 'rec', budgetMs: 790 },
    ]);
  });

  it('completes at once when the fan-out is empty, and names the module that failed', () => {
    const none = setup();
    const out: AppOutcome<string>[] = [];
    none.runner.submit('ocr', { arrivalMs: 0, budget: {}, payload: '0' }, (o) => out.push(o));
    none.clock.runAll();
    expect(out.map((o) => o.kind)).toEqual(['completed']);

    const failing = setup((m) => (m === 'rec' ? 'fatal' : 'none'));
    const failed: AppOutcome<string>[] = [];
    failing.runner.submit('ocr', { arrivalMs: 0, budget: {}, payload: '2' }, (o) => failed.push(o));
    failing.clock.runAll();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ kind: 'failed', module: 'rec' });
    expect(failed[0]!.kind !== 'completed' && failed[0]!.error.message).toMatch(
      /^module 'rec': injected fatal failure/,
    );
  });
});
