// The OCR application (models/apps/ocr.yaml: ocr-det → ocr-cls → ocr-rec) live at a fixed end-to-end SLO
// and a fixed open-loop Poisson load, two configurations side by side in one run:
//   sluice: the planner's module budgets (--app-split plan) with batch-aware dispatch (whole batches to one
//           instance), and
//   nexus:  an even SLO split (--app-split even) with per-request dispatch (each request alone to the next
//           idle instance, Nexus-style round-robin),
// both with the same planner for instances (--policy, default harpagon), on the same images and arrivals.
// Reports end-to-end goodput (answers within the SLO per second), attainment, p99, core-seconds (the
// plan's allocated cores over the run, sampled each second from GET /sluice/plan, and the CPU time the
// server's processes used), and the ratios; prints a table and writes bench/out/ocr-pipeline.svg (+ .json).
//
//   npm run bench:pipeline -- [--seconds 150] [--rate 3] [--slo-ms 1500] [--policy harpagon] [--seed 1]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SeededRng } from '../src/core/seeded-rng.js';
import { summarizeLoad, type LoadReport } from '../src/loadgen/load-report.js';
import { OipBodyBuilder, type OipRequestBody } from '../src/loadgen/oip-body-builder.js';
import { runOpenLoop } from '../src/loadgen/open-loop-sender.js';
import { renderBarChart } from '../src/report/bar-chart.js';
import { rateArrivals } from '../src/sim/workload/rate-arrivals.js';
import { encodePng } from '../test/support/png-encode.js';
import { renderText } from '../test/support/render-text.js';
import { ROOT, spawnServe } from './lib/serve-process.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '150' },
    rate: { type: 'string', default: '3' },
    'slo-ms': { type: 'string', default: '1500' },
    policy: { type: 'string', default: 'harpagon' },
    seed: { type: 'string', default: '1' },
  },
});
const seconds = Number(values.seconds);
const rateRps = Number(values.rate);
const sloMs = Number(values['slo-ms']);
const seed = Number(values.seed);
const policy = values.policy;

/** Pages of one to three lines, all the same size so their detection requests can share a batch. */
const PAGES = [
  ['SLUICE 42'],
  ['Hello World', 'Queue 7'],
  ['Batch 2048', 'Deadline 15 ms', 'OCR'],
  ['Goodput'],
].map((lines) => encodePng(renderText(lines, { width: 480, height: 240, fontSizePx: 40 })));

/** Binary-tensor bodies carrying one page each, in turn. */
class PageBodies extends OipBodyBuilder {
  constructor(private readonly pages: readonly Buffer[]) {
    super([], { binary: true, variants: 1 }, SeededRng.stream(seed, 'bodies'));
  }
  override build(index: number, parameters: Readonly<Record<string, number>>): OipRequestBody {
    const page = this.pages[index % this.pages.length] ?? this.pages[0]!;
    const element = Buffer.alloc(4 + page.length);
    element.writeUInt32LE(page.length, 0);
    element.set(page, 4);
    const header = Buffer.from(
      JSON.stringify({
        id: String(index),
        parameters,
        inputs: [
          { name: 'image', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: element.length } },
        ],
        outputs: [{ name: 'texts' }],
      }),
    );
    return {
      chunks: [header, element],
      contentLength: header.length + element.length,
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      },
    };
  }
}

interface ConfigResult {
  readonly name: string;
  readonly report: LoadReport;
  /** Allocated cores integrated over the measured window, core-s. */
  readonly allocatedCoreSeconds: number;
  /** CPU time the server and its instance processes used during the window, s. */
  readonly usedCpuSeconds: number;
  readonly budgetsMs: Readonly<Record<string, number>>;
}

/** utime + stime of `pid` and its descendants, s (Linux /proc). */
function treeCpuSeconds(pid: number): number {
  const tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let total = 0;
  const visit = (p: number): void => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const c of children === '' ? [] : children.split(' ')) visit(Number(c));
    } catch {
      // The process ended meanwhile.
    }
  };
  visit(pid);
  return total;
}

async function planOf(
  url: string,
): Promise<{ cores: number; modules: { name: string; budgetMs: number }[] }> {
  const reply = await fetch(`${url}/sluice/plan`);
  return (await reply.json()) as { cores: number; modules: { name: string; budgetMs: number }[] };
}

async function runConfig(name: string, args: readonly string[]): Promise<ConfigResult> {
  process.stderr.write(`${name}: starting sluice serve ${args.join(' ')}\n`);
  const server = await spawnServe(['--models', 'ocr', '--policy', policy, ...args]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    // Warm up: a few requests through every module before the clock starts.
    const warm = new PageBodies(PAGES);
    for (let i = 0; i < 8; i += 1) {
      const body = warm.build(i, { slo_ms: 60_000 });
      await fetch(`${server.url}/v2/models/ocr/infer`, {
        method: 'POST',
        headers: body.headers,
        body: Buffer.concat(body.chunks),
      });
    }
    const cpuBefore = treeCpuSeconds(server.child.pid ?? 0);
    let coreSeconds = 0;
    let lastCores = (await planOf(server.url)).cores;
    const sampler = setInterval(() => {
      void planOf(server.url).then(
        (p) => (lastCores = p.cores),
        () => undefined,
      );
      coreSeconds += lastCores;
    }, 1000);
    const arrivals = [...rateArrivals([{ rateRps, durationS: seconds }], SeededRng.stream(seed, 'arrivals'))];
    const run = await runOpenLoop({
      target: { url: new URL(server.url), model: 'ocr', version: undefined },
      arrivals: arrivals.map((atMs) => ({ atMs })),
      scheduleEndMs: seconds * 1000,
      bodies: new PageBodies(PAGES),
      agent,
      defaultSloMs: sloMs,
      deadlineAs: 'slo',
      maxRequests: Number.MAX_SAFE_INTEGER,
      maxSeconds: seconds + 5,
      drainSeconds: 10,
      requestTimeoutMs: 4 * sloMs,
      onProgress: (p) =>
        process.stderr.write(
          `\r${name}: ${p.elapsedS.toFixed(0)} s, ${p.sent} sent, ${p.ok} ok, ${p.failed} failed `,
        ),
    });
    clearInterval(sampler);
    process.stderr.write('\n');
    const usedCpuSeconds = treeCpuSeconds(server.child.pid ?? 0) - cpuBefore;
    const plan = await planOf(server.url);
    const report = summarizeLoad(run.log, {
      workload: `poisson:${rateRps}:${seconds}`,
      url: server.url,
      model: 'ocr',
      encoding: 'binary',
      deadlineAs: 'slo',
      sloMs,
      budgets: null,
      seed,
      stoppedBy: run.stoppedBy,
      scheduleMs: run.scheduleMs,
      durationMs: run.durationMs,
    });
    return {
      name,
      report,
      allocatedCoreSeconds: coreSeconds,
      usedCpuSeconds,
      budgetsMs: Object.fromEntries(plan.modules.map((m) => [m.name, Math.round(m.budgetMs)])),
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

const results = [
  await runConfig('sluice', ['--app-split', 'plan', '--app-dispatch', 'batch']),
  await runConfig('nexus', ['--app-split', 'even', '--app-dispatch', 'per-request']),
];
const [a, b] = results as [ConfigResult, ConfigResult];
const ratio = (x: number, y: number): string => (y === 0 ? '—' : `${(x / y).toFixed(2)}x`);
const p99 = (r: ConfigResult): number => r.report.latencyMs?.p99 ?? Number.NaN;
const rows = results.map((r) => [
  r.name,
  r.report.sent,
  r.report.goodputRps.toFixed(2),
  `${(100 * r.report.sloAttainment).toFixed(1)}%`,
  p99(r).toFixed(0),
  r.allocatedCoreSeconds.toFixed(0),
  r.usedCpuSeconds.toFixed(0),
  Object.entries(r.budgetsMs)
    .map(([m, ms]) => `${m} ${ms}`)
    .join(', '),
]);
rows.push([
  'sluice / nexus',
  '',
  ratio(a.report.goodputRps, b.report.goodputRps),
  ratio(a.report.sloAttainment, b.report.sloAttainment),
  ratio(p99(a), p99(b)),
  ratio(a.allocatedCoreSeconds, b.allocatedCoreSeconds),
  ratio(a.usedCpuSeconds, b.usedCpuSeconds),
  '',
]);
console.log(
  `OCR app, poisson ${rateRps} req/s for ${seconds} s, SLO ${sloMs} ms, planner ${policy}, seed ${seed}`,
);
console.log(
  table(
    [
      'config',
      'sent',
      'goodput req/s',
      'attainment',
      'p99 ms',
      'alloc core-s',
      'cpu s',
      'plan budgets, ms (nexus: split evenly)',
    ],
    rows,
  ),
);
console.log(
  `goodput per allocated core-s: sluice ${(a.report.okWithinDeadline / Math.max(1e-9, a.allocatedCoreSeconds)).toFixed(3)}, nexus ${(b.report.okWithinDeadline / Math.max(1e-9, b.allocatedCoreSeconds)).toFixed(3)}`,
);

const out = join(ROOT, 'bench/out');
mkdirSync(out, { recursive: true });
const svg = renderBarChart({
  title: `OCR application: Sluice's split + batch-aware vs even split + per-request`,
  subtitle: `poisson ${rateRps} req/s, ${seconds} s, SLO ${sloMs} ms, planner ${policy}`,
  yLabel: 'value (sluice / nexus side by side)',
  categories: ['goodput (req/s)', 'attainment (%)', 'p99 (s)', 'alloc core-s / 100'],
  series: results.map((r) => ({
    name: r.name,
    values: [r.report.goodputRps, 100 * r.report.sloAttainment, p99(r) / 1000, r.allocatedCoreSeconds / 100],
  })),
});
writeFileSync(join(out, 'ocr-pipeline.svg'), svg);
writeFileSync(
  join(out, 'ocr-pipeline.json'),
  JSON.stringify({ rateRps, seconds, sloMs, policy, seed, results }, null, 2),
);
console.log(`wrote ${join('bench/out', 'ocr-pipeline.svg')} and ocr-pipeline.json`);
