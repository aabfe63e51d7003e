// Throughput of the front end with a trivial model (`simple`: a sum and a difference of 4 floats), JSON and
// binary tensors, closed loop over keep-alive connections on loopback, next to a bare fastify route that
// parses the body and answers without any inference. Same client, same machine, one run; prints the ratio.
//
//   npm run build && npx tsx bench/frontend-throughput.ts [--seconds S] [--connections C]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { closedLoop, type ClosedLoopResult } from './lib/closed-loop.js';
import { oipBody } from './lib/http-client.js';
import { ROOT, spawnServe, type ServeProcess } from './lib/serve-process.js';
import { machine, table } from './lib/stats.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, connections: { type: 'string' } } });
const seconds = Number(values.seconds ?? 10);
const connections = Number(values.connections ?? 32);

const inputs = [
  { name: 'INPUT0', shape: [1, 4], data: Float32Array.from([1, 2, 3, 4]) },
  { name: 'INPUT1', shape: [1, 4], data: Float32Array.from([10, 20, 30, 40]) },
];

async function spawnBare(): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      const m = /at (http:\/\/\S+)/.exec(String(d));
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited ${String(code)}`)));
  });
  return {
    url,
    child,
    stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGINT'))),
  };
}

const results: { server: string; encoding: string; r: ClosedLoopResult }[] = [];
for (const [server, start] of [
  ['bare fastify route (no inference)', spawnBare],
  [
    'Sluice (simple model, 1 instance, 1 core)',
    () => spawnServe(['--models', 'simple', '--instances', '1', '--cores', '1']),
  ],
] as const) {
  const proc = await start();
  try {
    for (const binary of [false, true]) {
      const encoding = binary ? 'binary' : 'JSON';
      process.stderr.write(`throughput: ${server}, ${encoding}, ${seconds} s ...\n`);
      const r = await closedLoop(new URL('/v2/models/simple/infer', proc.url), oipBody(inputs, binary), {
        connections,
        seconds,
        warmupSeconds: 2,
      });
      results.push({ server, encoding, r });
    }
  } finally {
    await proc.stop();
  }
}

console.log(
  `# Front-end throughput: ${connections} keep-alive connections, closed loop, ${seconds} s per row (${machine()})\n`,
);
const bare = (encoding: string) =>
  results.find((x) => x.server.startsWith('bare') && x.encoding === encoding)!.r.requestsPerSecond;
console.log(
  table(
    ['server', 'encoding', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'ratio to bare fastify'],
    results.map(({ server, encoding, r }) => [
      server,
      encoding,
      r.requestsPerSecond,
      r.p50Ms,
      r.p99Ms,
      r.errors,
      r.requestsPerSecond / bare(encoding),
    ]),
  ),
);
