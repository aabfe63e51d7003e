// Overhead of the serving path: the same tiny model at batch 1, called directly through onnxruntime-node in
// this process versus through Sluice over HTTP on loopback (binary and JSON tensors), one request at a
// time, interleaved in blocks so drifts in machine load hit all three alike. Prints the added median and p99.
//
//   npm run build && npx tsx bench/overhead.ts [--requests N] [--model resnet|simple]
import http from 'node:http';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { SeededRng } from '../src/core/seeded-rng.js';
import { defaultDemoRepositoryDir, ensureDemoRepository } from '../src/runtime/zoo/demo-repository.js';
import { oipBody, post } from './lib/http-client.js';
import { RawHttpClient } from './lib/raw-http-client.js';
import { spawnServe } from './lib/serve-process.js';
import { machine, summary, table } from './lib/stats.js';

const { values } = parseArgs({
  options: { requests: { type: 'string' }, model: { type: 'string' }, 'no-cgroup': { type: 'boolean' } },
});
const total = Number(values.requests ?? 3000);
const model = values.model ?? 'resnet';
const BLOCK = 250;

const repository = defaultDemoRepositoryDir();
ensureDemoRepository(repository);
const spec =
  model === 'simple'
    ? {
        file: `${repository}/simple/1/model.onnx`,
        inputs: [
          { name: 'INPUT0', shape: [1, 4] },
          { name: 'INPUT1', shape: [1, 4] },
        ],
        path: '/v2/models/simple/infer',
      }
    : {
        file: `${repository}/resnet/resnet18/model.onnx`,
        inputs: [{ name: 'input', shape: [1, 3, 32, 32] }],
        path: '/v2/models/resnet/versions/resnet18/infer',
      };
const rng = new SeededRng(7);
const inputs = spec.inputs.map((i) => ({
  ...i,
  data: Float32Array.from({ length: i.shape.reduce((a, b) => a * b, 1) }, () => rng.next()),
}));

// Direct: the session the way Sluice's instances create it (one intra-op thread, no spinning).
const session = await ort.InferenceSession.create(spec.file, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const feeds = Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float32', i.data, i.shape)]));

const server = await spawnServe([
  '--models',
  model,
  '--variants',
  'default',
  '--instances',
  '1',
  '--cores',
  '1',
  ...(values['no-cgroup'] === true ? ['--no-cgroup'] : []),
]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(spec.path, server.url);
const binary = oipBody(inputs, true);
const json = oipBody(inputs, false);

const raw = await RawHttpClient.open(url);
const rawBinary = RawHttpClient.request(url, binary.body, binary.headers);
const samples = { direct: [] as number[], binary: [] as number[], json: [] as number[], raw: [] as number[] };
const runDirect = async (): Promise<void> => {
  const t0 = performance.now();
  await session.run(feeds);
  samples.direct.push(performance.now() - t0);
};
const runRaw = async (): Promise<void> => {
  const t0 = performance.now();
  const reply = await raw.send(rawBinary);
  samples.raw.push(performance.now() - t0);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.body.toString()}`);
};
const runHttp = (which: 'binary' | 'json') => async (): Promise<void> => {
  const body = which === 'binary' ? binary : json;
  const t0 = performance.now();
  const reply = await post(agent, url, body.body, body.headers);
  samples[which].push(performance.now() - t0);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.body.toString()}`);
};

// Warm-up, not recorded.
for (let i = 0; i < 200; i++) {
  await session.run(feeds);
  await post(agent, url, binary.body, binary.headers);
  await post(agent, url, json.body, json.headers);
  await raw.send(rawBinary);
}
for (let done = 0; done < total; done += BLOCK) {
  for (const [name, run] of [
    ['direct', runDirect],
    ['binary', runHttp('binary')],
    ['json', runHttp('json')],
    ['raw', runRaw],
  ] as const) {
    for (let i = 0; i < BLOCK; i++) await run();
    process.stderr.write(`\roverhead: ${name.padEnd(6)} ${Math.min(total, done + BLOCK)}/${total}`);
  }
}
process.stderr.write('\n');
agent.destroy();
raw.close();
await server.stop();

const direct = summary(samples.direct);
const label = {
  binary: 'binary, node:http client',
  json: 'JSON, node:http client',
  raw: 'binary, minimal raw-socket client',
};
const rows = (['binary', 'json', 'raw'] as const).map((which) => {
  const s = summary(samples[which]);
  return [`Sluice over HTTP (${label[which]})`, s.n, s.p50, s.p99, s.p50 - direct.p50, s.p99 - direct.p99];
});
console.log(
  `# Overhead: ${model === 'simple' ? 'simple' : 'resnet18 (tiny)'} at batch 1, one request at a time (${machine()})\n`,
);
console.log(
  table(
    ['path', 'requests', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms'],
    [['onnxruntime-node direct (in process)', direct.n, direct.p50, direct.p99, 0, 0], ...rows],
  ),
);
console.log(
  `\ngoal: <= 0.5 ms added median; measured ${(summary(samples.raw).p50 - direct.p50).toFixed(3)} ms (binary, minimal client), ${(summary(samples.binary).p50 - direct.p50).toFixed(3)} ms (binary, node:http client), ${(summary(samples.json).p50 - direct.p50).toFixed(3)} ms (JSON)`,
);
