// AppServing over the real engine on a virtual clock, with a backend that echoes its inputs: the steps
// chain the modules (fan-out per element), a failure in a later module or in a step answers the request
// with an error naming it, bad input fails at the first module, and the plan's budgets set the split.
import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../../src/core/app-spec.js';
import type { AppPostStep, AppSteps } from '../../src/core/app-steps.js';
import { SluiceError } from '../../src/core/errors.js';
import type { InferencePayload, InferenceResult } from '../../src/core/inference.js';
import type { Tensor } from '../../src/core/tensor.js';
import { Engine } from '../../src/engine/engine.js';
import type { Backend, Batch, BatchResult } from '../../src/ports/backend.js';
import { AppServing, type AppAnswer } from '../../src/server/app-serving.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';

/** Each item's inputs come back as its outputs after 10 ms; a batch of `failing` fails. */
class EchoBackend implements Backend<InferencePayload, InferenceResult> {
  constructor(
    private readonly clock: VirtualClock,
    private readonly failing: string,
  ) {}
  execute(batch: Batch<InferencePayload>, done: (result: BatchResult<InferenceResult>) => void): void {
    this.clock.setTimer(this.clock.nowMs() + 10, () => {
      if (batch.group.startsWith(`${this.failing}/`))
        done({ ok: false, retryable: false, error: new SluiceError('INTERNAL', 'injected failure') });
      else
        done({ ok: true, computeMs: 10, outputs: batch.items.map((i) => ({ outputs: i.payload.inputs })) });
    });
  }
}

const vector = (values: number[]): Tensor => ({
  name: 'x',
  datatype: 'FP32',
  shape: [1, values.length],
  data: Float32Array.from(values),
});

const steps: AppSteps = {
  input: new Map([
    ['toy.in', (inputs) => ({ inputs: [vector([...(inputs.get('v')?.data as Float32Array)])], carry: null })],
  ]),
  post: new Map<string, AppPostStep>([
    ['toy.each', (outputs) => [...(outputs[0]?.data as Float32Array)]],
    [
      'toy.refuse-negative',
      (outputs) => {
        if ((outputs[0]?.data as Float32Array)[0]! < 0) throw new Error('negative');
        return [outputs];
      },
    ],
  ]),
  pre: new Map([['toy.scalar', (carry) => [vector([carry as number])]]]),
  output: new Map([
    [
      'toy.sum',
      (results) => {
        const sum = results.reduce((s, r) => s + (r.outputs[0]?.data as Float32Array)[0]!, 0);
        return [{ name: 'sum', datatype: 'FP32', shape: [1], data: Float32Array.from([sum]) }];
      },
    ],
  ]),
};

const app: AppSpec = {
  name: 'toy',
  file: '/repo/apps/toy.yaml',
  description: '',
  modules: ['a', 'b', 'c'],
  edges: [
    { from: 'a', to: 'b', fanout: 'each', expectedFanout: 2, post: 'toy.each', pre: 'toy.scalar' },
    { from: 'b', to: 'c', fanout: 'one', expectedFanout: 1, post: 'toy.refuse-negative', pre: 'forward' },
  ],
  sloMs: 1000,
  inputs: [{ name: 'v', datatype: 'FP32', shape: [-1] }],
  outputs: [{ name: 'sum', datatype: 'FP32', shape: [1] }],
  input: 'toy.in',
  output: 'toy.sum',
  dispatch: 'batch',
};

function setup(failing = '') {
  const clock = new VirtualClock();
  const engine = new Engine<InferencePayload, InferenceResult>({
    clock,
    backend: new EchoBackend(clock, failing),
  });
  for (const m of app.modules) {
    engine.addModule({
      name: m,
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1] }],
      batched: true,
      defaultSloMs: 1000,
      variants: ['v'],
      defaultVariant: 'v',
    });
    const batching = {
      preferredBatch: 4,
      maxQueueDelayMs: 0,
      policy: 'deadline',
      admission: 'serve',
      maxQueueLength: 100,
    } as const;
    engine.addGroup({ module: m, variant: 'v', maxBatch: 4, batching });
    engine.addInstance({ id: `${m}#0`, group: `${m}/v`, cores: 1 });
  }
  const budgets: { module: string; sloMs: number }[] = [];
  const submit = engine.submit.bind(engine);
  engine.submit = (request, respond) => {
    budgets.push({ module: request.module, sloMs: request.budget.sloMs ?? Number.NaN });
    return submit(request, respond);
  };
  const serving = new AppServing({ engine, clock, apps: [app], steps });
  const run = (values: number[]): AppAnswer[] => {
    const answers: AppAnswer[] = [];
    serving.submit(
      'toy',
      {
        arrivalMs: clock.nowMs(),
        budget: {},
        inputs: [{ name: 'v', datatype: 'FP32', shape: [values.length], data: Float32Array.from(values) }],
      },
      (a) => answers.push(a),
    );
    clock.runAll(10_000);
    return answers;
  };
  return { serving, run, budgets };
}

const errorOf = (answers: AppAnswer[]): string => {
  expect(answers).toHaveLength(1);
  const [answer] = answers;
  if (answer?.kind !== 'failed') throw new Error('expected a failure');
  return answer.error.message;
};

describe('AppServing', () => {
  it('fans out one request of b per element and assembles the sinks, answering once', () => {
    const { run, budgets } = setup();
    const answers = run([1, 2, 3]);
    expect(answers).toHaveLength(1);
    const [answer] = answers;
    expect(answer?.kind).toBe('completed');
    if (answer?.kind !== 'completed') return;
    expect([...(answer.outputs[0]?.data as Float32Array)]).toEqual([6]);
    expect(answer.moduleRequests).toBe(7);
    expect(budgets.map((b) => b.module)).toEqual(['a', 'b', 'b', 'b', 'c', 'c', 'c']);
    // An even split: a gets a third of the SLO.
    expect(budgets[0]?.sloMs).toBeCloseTo(1000 / 3, 6);
  });

  it('shares the time left by the plan budgets', () => {
    const { serving, run, budgets } = setup();
    serving.applyPlan({
      modules: [
        { name: 'a', budgetMs: 600 },
        { name: 'b', budgetMs: 200 },
        { name: 'c', budgetMs: 200 },
      ],
    });
    run([1]);
    expect(budgets[0]?.sloMs).toBeCloseTo(600, 6);
  });

  it('names the later module that failed', () => {
    expect(errorOf(setup('c').run([1, 2]))).toMatch(/^app 'toy': module 'c': injected failure/);
  });

  it('names the edge whose step failed', () => {
    expect(errorOf(setup().run([1, -2]))).toMatch(/module 'b' -> 'c': negative/);
  });

  it('fails bad input at the first module, naming the step', () => {
    const { serving } = setup();
    const answers: AppAnswer[] = [];
    serving.submit(
      'toy',
      {
        arrivalMs: 0,
        budget: {},
        inputs: [{ name: 'v', datatype: 'INT32', shape: [1], data: Int32Array.from([1]) }],
      },
      (a) => answers.push(a),
    );
    const message = errorOf(answers);
    expect(message).toBe("app 'toy', module 'a' (step 'toy.in'): input 'v' is INT32, the app takes FP32");
  });
});
