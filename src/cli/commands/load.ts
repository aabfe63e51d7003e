/**
 * `sluice load`: open-loop, trace-driven load against an Open Inference Protocol server, each request carrying
 * its own deadline; latency measured from the scheduled send time. Reads trace files here (the workload code
 * is pure) and compiles the command line into a `LoadConfig`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatLoadReport } from '../../loadgen/load-report.js';
import type { LoadProgress } from '../../loadgen/open-loop-sender.js';
import { runLoad, type LoadConfig } from '../../loadgen/run-load.js';
import { buildWorkload } from '../../sim/workload/build-workload.js';
import { BusLogBudgets, DEFAULT_PAYLOAD_KB } from '../../sim/workload/bus-log-budgets.js';
import { WorkloadError } from '../../sim/workload/workload-error.js';
import {
  parseWorkloadSpec,
  TRACE_FILES,
  traceFileOf,
  WORKLOAD_SPEC_SUMMARY,
} from '../../sim/workload/workload-spec.js';
import { nonNegative, nonNegativeInteger, positive, positiveInteger } from '../option-parsers.js';
import { progressLine } from '../progress-line.js';
import { UsageError, type Command } from '../command.js';

/** <repo>/../shared/traces, from src/cli/commands or dist/cli/commands alike. */
const DEFAULT_TRACES = resolve(dirname(fileURLToPath(import.meta.url)), '../../..', '../shared/traces');

const help = `usage: sluice load --model NAME [options]

Open-loop load: every request is sent at its scheduled time whatever happened to earlier ones, and its
latency is measured from that time. Requests go to POST <url>/v2/models/<model>[/versions/<v>]/infer with
random inputs shaped by the model's metadata, and carry their deadline.

options:
  --url URL             server (default http://127.0.0.1:8000)
  --model NAME          model or application to load (required)
  --version V           model version (variant)
  --workload SPEC       arrival process (default poisson:10:10):
                          ${WORKLOAD_SPEC_SUMMARY.split(' | ').join('\n                          ')}
                        e.g. poisson:50:30, twitter:1301160:1302360:8, azure-code:0:120
  --traces DIR          trace files (default ${DEFAULT_TRACES}, if present)
  --slo-ms MS           end-to-end SLO of every request (default 1000)
  --budgets bus-log[:KB|:MIN-MAX]
                        per-request budgets from the 4G bus log (Sponge): network time = payload
                        upload time at that second's bandwidth; the server gets SLO − network.
                        KB: payload size (default ${DEFAULT_PAYLOAD_KB}); MIN-MAX draws it per request.
                        A file path may replace 'bus-log'.
  --binary              Triton binary tensor extension instead of JSON bodies
  --deadline-as MODE    slo: parameters.slo_ms (+ network_ms); timeout: parameters.timeout in µs (default slo)
  --batch N             rows per request for a leading -1 dimension (default 1)
  --dim N               size of any other -1 dimension (default 32)
  --max-requests N      stop after N requests (default 1000000)
  --max-seconds S       stop sending after S seconds (default 3600)
  --drain-seconds S     then wait at most S seconds for answers; the rest count as timeouts (default 5)
  --timeout-ms MS       abandon a request unanswered MS after its scheduled time (default 30000)
  --connections N       most open connections (default 256)
  --seed N              seed of arrivals, payloads and bodies (default 1)
  --json                print the report as JSON (fields: see LoadReport in src/loadgen/load-report.ts)
  --quiet               no progress line on stderr`;

export const command: Command = {
  help,
  async run(argv) {
    const config = compile(argv);
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    // Progress goes to stderr even with --json: stdout carries only the report.
    const progress = config.quiet ? undefined : progressWriter();
    if (!config.quiet) {
      const { workload, target } = config.load;
      process.stderr.write(
        `sluice load: ${workload.description} → ${target.url.href} (${target.model}), ~${Math.round(workload.expectedCount)} requests\n`,
      );
    }
    try {
      const { report } = await runLoad({
        ...config.load,
        ...(progress ? { onProgress: progress.write } : {}),
        signal: controller.signal,
      });
      progress?.end();
      process.stdout.write(
        config.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatLoadReport(report)}\n`,
      );
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};

function compile(argv: readonly string[]): { load: LoadConfig; json: boolean; quiet: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:8000' },
        model: { type: 'string' },
        version: { type: 'string' },
        workload: { type: 'string', default: 'poisson:10:10' },
        traces: { type: 'string' },
        'slo-ms': { type: 'string', default: '1000' },
        budgets: { type: 'string' },
        binary: { type: 'boolean', default: false },
        'deadline-as': { type: 'string', default: 'slo' },
        batch: { type: 'string', default: '1' },
        dim: { type: 'string', default: '32' },
        'max-requests': { type: 'string', default: '1000000' },
        'max-seconds': { type: 'string', default: '3600' },
        'drain-seconds': { type: 'string', default: '5' },
        'timeout-ms': { type: 'string', default: '30000' },
        connections: { type: 'string', default: '256' },
        seed: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.model === undefined || values.model === '') throw new UsageError('--model is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url: '${values.url}' is not a URL`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--url: only http:// is supported, not ${url.protocol}`);
  const deadlineAs = values['deadline-as'];
  if (deadlineAs !== 'slo' && deadlineAs !== 'timeout')
    throw new UsageError(`--deadline-as must be slo or timeout, not '${deadlineAs}'`);
  const tracesDir = values.traces ?? (existsSync(DEFAULT_TRACES) ? DEFAULT_TRACES : undefined);
  const readTrace = (file: string, option: string): string => {
    const path = tracesDir === undefined || file.includes('/') ? file : join(tracesDir, file);
    if (tracesDir === undefined && !file.includes('/'))
      throw new UsageError(`${option} needs the trace ${file}: pass --traces DIR`);
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new UsageError(`${option}: cannot read ${path}`);
    }
  };
  const workload = asUsage('--workload', () => {
    const spec = parseWorkloadSpec(values.workload);
    const traceFile = traceFileOf(spec);
    return buildWorkload(spec, traceFile === undefined ? undefined : readTrace(traceFile, '--workload'));
  });
  const budgets =
    values.budgets === undefined
      ? undefined
      : asUsage('--budgets', () => parseBudgets(values.budgets ?? '', readTrace));
  return {
    json: values.json,
    quiet: values.quiet,
    load: {
      target: { url, model: values.model, version: values.version },
      workload,
      budgets,
      sloMs: positive(values['slo-ms'], '--slo-ms'),
      binary: values.binary,
      deadlineAs,
      batch: positiveInteger(values.batch, '--batch'),
      dim: positiveInteger(values.dim, '--dim'),
      bodyVariants: 4,
      maxRequests: positiveInteger(values['max-requests'], '--max-requests'),
      maxSeconds: positive(values['max-seconds'], '--max-seconds'),
      drainSeconds: nonNegative(values['drain-seconds'], '--drain-seconds'),
      requestTimeoutMs: positive(values['timeout-ms'], '--timeout-ms'),
      connections: Math.min(positiveInteger(values.connections, '--connections'), 10_000),
      keepAlive: true,
      seed: nonNegativeInteger(values.seed, '--seed'),
    },
  };
}

/** Runs `build`, turning a WorkloadError (bad spec or trace text) into a usage error for `option`. */
function asUsage<T>(option: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof WorkloadError) throw new UsageError(`${option}: ${error.message}`);
    throw error;
  }
}

/** `bus-log[:KB|:MIN-MAX]`, or a file path in place of `bus-log`. */
function parseBudgets(
  text: string,
  readTrace: (file: string, option: string) => string,
): NonNullable<LoadConfig['budgets']> {
  const match = /^(.*?)(?::(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?)?$/.exec(text);
  const source = match?.[1] ?? '';
  if (source === '') throw new UsageError(`--budgets: expected bus-log[:KB|:MIN-MAX], not '${text}'`);
  const min = match?.[2] === undefined ? DEFAULT_PAYLOAD_KB : Number(match[2]);
  const max = match?.[3] === undefined ? min : Number(match[3]);
  if (!(min > 0 && max >= min))
    throw new UsageError(`--budgets: payload must be KB > 0 or MIN-MAX with MIN ≤ MAX`);
  const log = BusLogBudgets.parse(
    readTrace(source === 'bus-log' ? TRACE_FILES['bus-log'] : source, '--budgets'),
  );
  return { log, payloadKB: min === max ? min : [min, max] };
}

/** One progress line a second on stderr. */
function progressWriter(): { write: (p: LoadProgress) => void; end: () => void } {
  const line = progressLine();
  return {
    write: (p) =>
      line.write(
        `${p.elapsedS.toFixed(0).padStart(5)} s  sent ${p.sent}  in flight ${p.inFlight}  ok ${p.ok}  failed ${p.failed}`,
      ),
    end: () => line.end(),
  };
}
