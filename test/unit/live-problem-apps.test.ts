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
});
