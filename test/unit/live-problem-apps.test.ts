// The live planning problem with an application: its modules are planned as one app (edges with the
// expected fan-out, the app's SLO), the other modules as apps of their own.
import { describe, expect, it } from 'vitest';
import type { ModuleSpec } from '../../src/core/model-spec.js';
import { liveProblem } from '../../src/planner/live-problem.js';

const module = (name: string): ModuleSpec => ({
  name,
  platform: 'onnxruntime',
  dir: `/repo/${name}`,
  inputs: [],
  outputs: [],
  maxBatch: 4,
  defaultSloMs: 100,
  variants: [{ name: 'v', file: '/x.onnx', accuracy: 1, accuracySource: 'test' }],
  defaultVariant: 'v',
  batching: {
    preferredBatch: 4,
    maxQueueDelayMs: 0,
    policy: 'deadline',
    admission: 'reject',
    maxQueueLength: 10,
  },
  instances: { count: 1, cores: 1, intraOpThreads: 1 },
  description: '',
});

describe('liveProblem with applications', () => {
  it('plans the app as one and every other module alone', () => {
    const latency = { kind: 'sponge4', gamma: 1, delta: 0, epsilon: 1, eta: 0 } as const;
    const problem = liveProblem([module('det'), module('rec'), module('simple')], {
      machineCores: 2,
      objective: { kind: 'min-cost' },
      latency: new Map(['det/v', 'rec/v', 'simple/v'].map((g) => [g, latency])),
      apps: [
        {
          name: 'ocr',
          modules: ['det', 'rec'],
          edges: [{ from: 'det', to: 'rec', expectedFanout: 3 }],
          sloMs: 900,
        },
      ],
    });
    expect(problem.apps).toEqual([
      {
        name: 'ocr',
        modules: ['det', 'rec'],
        edges: [{ from: 'det', to: 'rec', fanout: 3 }],
        sloMs: 900,
        rateRps: 1,
      },
      { name: 'simple', modules: ['simple'], edges: [], sloMs: 100, rateRps: 1 },
    ]);
  });

  it('offers a quarter core only when half a core per module would not fit the machine', () => {
    const latency = { kind: 'sponge4', gamma: 1, delta: 0, epsilon: 1, eta: 0 } as const;
    const optionsFor = (names: readonly string[]): readonly number[] | undefined =>
      liveProblem(
        names.map((n) => module(n)),
        {
          machineCores: 2,
          objective: { kind: 'min-cost' },
          latency: new Map(names.map((n) => [`${n}/v`, latency])),
        },
      ).hardware[0]?.coreOptions;
    expect(optionsFor(['a'])).toEqual([0.5, 0.75, 1, 1.5, 2]);
    expect(optionsFor(['a', 'b', 'c', 'd', 'e'])).toEqual([0.25, 0.5, 0.75, 1, 1.5, 2]);
  });
});
