// Batching gain: goodput (responses within their deadline per second) of a `full` ResNet variant under an
// open-loop Poisson load at 1.5x its batch-1 capacity, with three batchers on the same server, model,
// CPU allocation, load (same seed) and SLO, one after the other in one run:
//   - Sluice's deadline-aware EDF batcher (max batch 8, refuses unmeetable requests at admission);
//   - batch size 1 (the same Sluice policies with max batch 1);
//   - a fixed Triton-style batcher: FIFO, max batch B and max queue delay 5 ms, requests dropped only once
//     their timeout has passed (Triton's per-request timeout). B is the largest batch with l(B) <= SLO/2,
//     the static rule a Triton user (or Nexus) would pick for this SLO.
//
//   npm run build && npx tsx bench/batching-gain.ts [--variant resnet18] [--slo-ms 400] [--seconds 60]
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { runLoad } from '../src/loadgen/run-load.js';
import { buildWorkload } from '../src/sim/workload/build-workload.js';
import { parseWorkloadSpec } from '../src/sim/workload/workload-spec.js';
import { writeZoo } from '../src/runtime/zoo/write-zoo.js';
import { ROOT, spawnServe } from './lib/serve-process.js';
import { machine, table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    'slo-ms': { type: 'string' },
    seconds: { type: 'string' },
    load: { type: 'string' },
  },
});
const variant = values.variant ?? 'resnet18';
const sloMs = Number(values['slo-ms'] ?? 400);
const seconds = Number(values.seconds ?? 60);
const loadFactor = Number(values.load ?? 1.5);
const repository = `${ROOT}/bench/out/full-models`;

writeZoo({
  dir: repository,
  scale: 'full',
  variants: [variant as 'resnet18'],
  onFile: (f) => process.stderr.write(`zoo: ${f.path} ${f.status}\n`),
});
const modelFile = `${repository}/resnet/${variant}/model.onnx`;

// l(b) on one core, one thread, measured directly: the batch-1 capacity sets the rate, and l(b) the
// Triton-style configuration.
const session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const latencyMs = new Map<number, number>();
for (const b of [1, 2, 4, 8]) {
  const x = new ort.Tensor('float32', new Float32Array(b * 3 * 224 * 224).fill(0.1), [b, 3, 224, 224]);
  await session.run({ input: x });
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await session.run({ input: x });
    times.push(performance.now() - t0);
  }
  latencyMs.set(b, Math.min(...times));
}
await session.release();
const l1 = latencyMs.get(1)!;
const capacityRps = 1000 / l1;
const rateRps = Math.round(loadFactor * capacityRps * 10) / 10;
const tritonBatch = Math.max(1, ...[...latencyMs].filter(([, ms]) => ms <= sloMs / 2).map(([b]) => b));
process.stderr.write(
  `l(b) ms: ${[...latencyMs].map(([b, ms]) => `${b}:${ms.toFixed(1)}`).join(' ')}; batch-1 capacity ${capacityRps.toFixed(1)} req/s; offered ${rateRps} req/s; Triton-style max batch ${tritonBatch}\n`,
);

const common = [
  '--repository',
  repository,
  '--models',
  'resnet',
  '--variants',
  'default',
  '--instances',
  '1',
  '--cores',
  '1',
];
const configs = [
  {
    name: 'Sluice deadline-aware batcher (max batch 8)',
    args: [
      '--batcher',
      'deadline',
      '--max-batch',
      '8',
      '--preferred-batch',
      '8',
      '--max-queue-delay-ms',
      '0',
      '--admission',
      'reject',
    ],
  },
  {
    name: 'batch size 1 (Sluice EDF + admission)',
    args: ['--batcher', 'deadline', '--max-batch', '1', '--admission', 'reject'],
  },
  {
    name: `Triton-style FIFO (max batch ${tritonBatch}, max queue delay 5 ms)`,
    args: [
      '--batcher',
      'fifo',
      '--max-batch',
      String(tritonBatch),
      '--preferred-batch',
      String(tritonBatch),
      '--max-queue-delay-ms',
      '5',
      '--admission',
      'drop',
    ],
  },
];

const rows: (string | number)[][] = [];
const goodput: number[] = [];
for (const config of configs) {
  const server = await spawnServe([...common, ...config.args]);
  try {
    process.stderr.write(`batching: ${config.name}: Poisson ${rateRps} req/s for ${seconds} s\n`);
    const { report } = await runLoad({
      target: { url: new URL(server.url), model: 'resnet', version: undefined },
      workload: buildWorkload(parseWorkloadSpec(`poisson:${rateRps}:${seconds}`)),
      budgets: undefined,
      sloMs,
      binary: true,
      deadlineAs: 'slo',
      batch: 1,
      dim: 224,
      bodyVariants: 4,
      maxRequests: 1_000_000,
      maxSeconds: seconds + 5,
      drainSeconds: 10,
      requestTimeoutMs: 30_000,
      connections: 256,
      keepAlive: true,
      seed: 42,
    });
    goodput.push(report.goodputRps);
    const o = report.outcomes;
    rows.push([
      config.name,
      report.sent,
      report.goodputRps,
      report.sloAttainment * 100,
      report.latencyMs?.p50 ?? Number.NaN,
      report.latencyMs?.p99 ?? Number.NaN,
      o.ok ?? 0,
      (o.DEADLINE_UNMEETABLE ?? 0) + (o.OVERLOADED ?? 0),
      o.DEADLINE_EXCEEDED ?? 0,
      report.completedOk - report.okWithinDeadline,
    ]);
  } finally {
    await server.stop();
  }
}

console.log(
  `# Batching gain: ${variant} (full, 3x224x224) on 1 core, Poisson ${rateRps} req/s = ${loadFactor}x batch-1 capacity (${capacityRps.toFixed(1)} req/s), SLO ${sloMs} ms, ${seconds} s, seed 42 (${machine()})\n`,
);
console.log(
  `l(b) on one core: ${[...latencyMs].map(([b, ms]) => `b=${b}: ${ms.toFixed(1)} ms (${(ms / b).toFixed(1)} per item)`).join(', ')}\n`,
);
console.log(
  table(
    [
      'batcher',
      'sent',
      'goodput req/s',
      'attainment %',
      'p50 ms (200s)',
      'p99 ms (200s)',
      '200',
      'refused at admission',
      '504 expired',
      '200 but late',
    ],
    rows,
  ),
);
console.log(
  `\ngoodput ratio: Sluice / batch-1 = ${(goodput[0]! / goodput[1]!).toFixed(2)}, Sluice / Triton-style = ${(goodput[0]! / goodput[2]!).toFixed(2)}`,
);
