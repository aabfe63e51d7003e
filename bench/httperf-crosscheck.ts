// Cross-checks `sluice load` against Debian's httperf: both drive the same trivial OIP-like server (a separate
// process) with open-loop Poisson arrivals at the same rate and POST bodies, and their achieved request rate
// and median / p99 latency are printed side by side. httperf opens one connection per request (a --wsesslog
// session of one call, sessions started at exponential intervals, --period e<mean>), so sluice runs twice: with
// its keep-alive pool (its default) and with a new connection per request (like httperf).
//
// Run: npx tsx bench/httperf-crosscheck.ts [RATE] [SECONDS]    (defaults 200 req/s for 5 s per tool, ~20 s)
// Needs httperf on the PATH (apt-get install -y httperf); without it only sluice's numbers are printed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRng } from '../src/core/seeded-rng.js';
import { concreteInputs, OipBodyBuilder } from '../src/loadgen/oip-body-builder.js';
import { percentile } from '../src/loadgen/load-report.js';
import { runLoad } from '../src/loadgen/run-load.js';
import { buildWorkload } from '../src/sim/workload/build-workload.js';
import { parseWorkloadSpec } from '../src/sim/workload/workload-spec.js';

const RATE = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 5);
const INPUTS = [{ name: 'x', datatype: 'FP32' as const, shape: [-1, 32] }];

// The server answers at once: what is compared is the load generators, not the server.
const SERVER = `
const http = require('node:http');
const meta = JSON.stringify({ name: 'm', platform: 'onnxruntime', inputs: ${JSON.stringify(INPUTS)}, outputs: [] });
const server = http.createServer((req, res) => {
  if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(meta); return; }
  let bytes = 0;
  req.on('data', (c) => { bytes += c.length; });
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ model_name: 'm', outputs: [{ name: 'y', datatype: 'INT32', shape: [1], data: [bytes] }] }));
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

interface Row {
  readonly tool: string;
  readonly sent: number;
  readonly ok: number;
  /** Requests per second of test duration (start to last answer), as httperf's "Request rate". */
  readonly achievedRps: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly note: string;
}

async function startServer(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, stop: () => child.kill() };
}

async function sluice(port: number, keepAlive: boolean): Promise<Row> {
  const { report, log } = await runLoad({
    target: { url: new URL(`http://127.0.0.1:${port}`), model: 'm', version: undefined },
    workload: buildWorkload(parseWorkloadSpec(`poisson:${RATE}:${SECONDS}`)),
    budgets: undefined,
    sloMs: 1000,
    binary: false,
    deadlineAs: 'slo',
    batch: 1,
    dim: 32,
    bodyVariants: 4,
    maxRequests: 1_000_000,
    maxSeconds: SECONDS + 1,
    drainSeconds: 5,
    requestTimeoutMs: 5000,
    connections: 256,
    keepAlive,
    seed: 1,
  });
  let lastDoneMs = 0;
  for (const r of log.records()) if (Number.isFinite(r.doneMs)) lastDoneMs = Math.max(lastDoneMs, r.doneMs);
  return {
    tool: keepAlive ? 'sluice load (keep-alive)' : 'sluice load (new conn/request)',
    sent: report.sent,
    ok: report.completedOk,
    achievedRps: report.sent / (lastDoneMs / 1000),
    meanMs: report.latencyMs?.mean ?? Number.NaN,
    p50Ms: report.latencyMs?.p50 ?? Number.NaN,
    p99Ms: report.latencyMs?.p99 ?? Number.NaN,
    note: `send lag mean ${report.sendLagMs.mean.toFixed(2)} ms, p99 ${report.sendLagMs.p99.toFixed(2)} ms`,
  };
}

async function httperf(port: number): Promise<Row | string> {
  if (spawnSync('httperf', ['--version']).error !== undefined)
    return 'httperf not found (apt-get install -y httperf)';
  // The same kind of body sluice sends (request 0 of its seeded bodies), as a one-call session.
  const body = new OipBodyBuilder(
    concreteInputs(INPUTS, 1, 32),
    { binary: false },
    SeededRng.stream(1, 'bodies'),
  ).build(0, { slo_ms: 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'sluice-httperf-'));
  const sessions = join(dir, 'sessions.txt');
  writeFileSync(
    sessions,
    `/v2/models/m/infer method=POST contents='${Buffer.concat(body.chunks).toString('utf8')}'\n`,
  );
  const count = Math.round(RATE * SECONDS);
  const args = [
    '--server',
    '127.0.0.1',
    '--port',
    String(port),
    '--hog',
    '--timeout',
    '5',
    `--wsesslog=${count},0,${sessions}`,
    `--period=e${1 / RATE}`,
    '--add-header',
    'Content-Type: application/json\\n',
    '-v',
    '-v',
  ];
  const out = await new Promise<string>((resolve) => {
    const child = spawn('httperf', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('close', () => resolve(text));
  });
  rmSync(dir, { recursive: true, force: true });
  // "Connection lifetime histogram (time in ms):" then lines "   <bin centre> <count>" (1-ms bins).
  const lifetimes: number[] = [];
  const histogram = out.split('Connection lifetime histogram')[1]?.split('\n\n')[0] ?? '';
  for (const m of histogram.matchAll(/^\s+(\d+(?:\.\d+)?) (\d+)$/gm)) {
    for (let i = 0; i < Number(m[2]); i++) lifetimes.push(Number(m[1]));
  }
  const requestRate = /Request rate: ([\d.]+) req\/s/.exec(out)?.[1];
  const ok = /Reply status: 1xx=\d+ 2xx=(\d+)/.exec(out)?.[1];
  const requests = /Total: connections \d+ requests (\d+)/.exec(out)?.[1];
  const connection = /Connection time \[ms\]: min [\d.]+ avg ([\d.]+) max [\d.]+ median ([\d.]+)/.exec(out);
  const errors = /Errors: total (\d+)/.exec(out)?.[1];
  if (requestRate === undefined || lifetimes.length === 0)
    return `could not read httperf's output:\n${out.slice(-1500)}`;
  lifetimes.sort((a, b) => a - b);
  return {
    tool: 'httperf --wsesslog, --period e',
    sent: Number(requests),
    ok: Number(ok),
    achievedRps: Number(requestRate),
    meanMs: Number(connection?.[1]),
    p50Ms: percentile(lifetimes, 0.5),
    p99Ms: percentile(lifetimes, 0.99),
    note: `connection lifetime, 1-ms bins (centres); mean is httperf's exact average, its own median ${connection?.[2]} ms; errors ${errors}`,
  };
}

async function main(): Promise<void> {
  const server = await startServer();
  const rows: (Row | string)[] = [];
  try {
    rows.push(await sluice(server.port, true));
    rows.push(await sluice(server.port, false));
    rows.push(await httperf(server.port));
  } finally {
    server.stop();
  }
  const version = spawnSync('httperf', ['--version']).stdout?.toString().trim().split('\n')[0] ?? '-';
  console.log(
    `httperf cross-check: Poisson ${RATE} req/s for ${SECONDS} s per tool, loopback, trivial server in its own process`,
  );
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}; ${version}; ${new Date().toISOString()}\n`,
  );
  const header = ['tool', 'sent', 'ok', 'achieved req/s', 'mean ms', 'p50 ms', 'p99 ms'];
  const table = rows
    .filter((r): r is Row => typeof r !== 'string')
    .map((r) => [
      r.tool,
      String(r.sent),
      String(r.ok),
      r.achievedRps.toFixed(1),
      r.meanMs.toFixed(2),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log('');
  for (const r of rows) console.log(typeof r === 'string' ? r : `${r.tool}: ${r.note}`);
  console.log(
    "\nsluice latency runs from each request's scheduled send time to its last byte; httperf's from connection start to close.",
  );
}

await main();
