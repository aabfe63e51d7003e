/**
 * `sluice serve`: serves a model repository over the Open Inference Protocol until SIGINT/SIGTERM, then
 * drains (answers everything accepted) and stops the instances.
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import { startServer, type ServerOptions } from '../start-server.js';

const help = `usage: sluice serve [--repository DIR] [--host H] [--port N] [options]

Serves every module of a model repository over the Open Inference Protocol (KServe v2 / Triton HTTP,
JSON and binary tensors). Without --repository, the built-in demo repository (simple, resnet, ocr-*),
whose small models are generated on first use.

options:
  --repository DIR         model repository (config.yaml per module; see docs/model-repository.md)
  --host H                 address to bind (default 127.0.0.1)
  --port N                 port (default 8000; 0 picks a free one)
  --models LIST            serve only these modules (comma-separated)
  --variants all|default   start instances for every variant (default) or only the default one
  --instances N            instances per variant (overrides config.yaml)
  --cores C                CPU cores per instance, fractional allowed (overrides config.yaml)
  --threads N              onnxruntime intra-op threads per instance (default ceil(cores))
  --batcher deadline|fifo  deadline-aware EDF batcher (default) or Triton-style FIFO
  --max-batch N            largest batch (overrides config.yaml)
  --preferred-batch N      dispatch as soon as this many rows are queued
  --max-queue-delay-ms MS  with an idle instance, wait at most this long for a batch to fill
  --admission MODE         reject (refuse unmeetable deadlines at arrival) | drop (answer 504 when one
                           can no longer be met) | serve (serve everything)
  --no-cgroup              confine instances by thread count and affinity instead of cgroup CPU quotas
  --body-limit-mb MB       largest request body (default 64)
applications (apps/<name>.yaml; --models also takes an app's name for its modules):
  --app-dispatch MODE      batch (whole batches to one instance) | per-request (each request alone to
                           the next idle instance, Nexus-style); default each app's dispatch key
  --app-split plan|even    module budgets in proportion to the plan's (default) or even along each path
adaptation (the control loop: observe, forecast, plan, resize/start/stop instances in place):
  --policy NAME            a planner (sluice plan --help lists them; default sluice); static keeps
                           the config's instances fixed (no control loop)
  --forecaster NAME        window-max (default), ewma, holt-winters, lstm, none
  --interval-ms MS         control interval (default 1000)
  --variant-interval-ms MS variants change at most this often (default 30000)
  --objective OBJ          min-cost | accuracy-cost:ALPHA (default accuracy-cost:0.05)
  --decision-log FILE      JSON lines of every decision (default .sluice/decisions.jsonl)
  --quiet                  no progress lines
  -h, --help               show this help`;

export const command: Command = {
  help,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        repository: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        models: { type: 'string' },
        variants: { type: 'string' },
        instances: { type: 'string' },
        cores: { type: 'string' },
        threads: { type: 'string' },
        batcher: { type: 'string' },
        'max-batch': { type: 'string' },
        'preferred-batch': { type: 'string' },
        'max-queue-delay-ms': { type: 'string' },
        admission: { type: 'string' },
        'no-cgroup': { type: 'boolean' },
        'body-limit-mb': { type: 'string' },
        'app-dispatch': { type: 'string' },
        'app-split': { type: 'string' },
        policy: { type: 'string' },
        forecaster: { type: 'string' },
        'interval-ms': { type: 'string' },
        'variant-interval-ms': { type: 'string' },
        objective: { type: 'string' },
        'decision-log': { type: 'string' },
        quiet: { type: 'boolean' },
      },
      strict: true,
    });
    const options = toServerOptions(values);
    const log =
      values.quiet === true ? undefined : (line: string) => process.stderr.write(`sluice: ${line}\n`);
    const server = await startServer({ ...options, ...(log === undefined ? {} : { log }) });
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        log?.(`${signal}: draining (answering every accepted request), then stopping the instances`);
        server.close().then(resolve, (error: unknown) => {
          process.stderr.write(`sluice: shutdown failed: ${String(error)}\n`);
          resolve();
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    log?.('stopped');
    return 0;
  },
};

type Values = Partial<Record<string, string | boolean>>;

/** Turns the command line into `ServerOptions`, failing with a UsageError that names the option. */
export function toServerOptions(values: Values): ServerOptions {
  const str = (key: string): string | undefined => {
    const v = values[key];
    return typeof v === 'string' ? v : undefined;
  };
  const num = (key: string, check: (n: number) => boolean, what: string): number | undefined => {
    const text = str(key);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !check(n))
      throw new UsageError(`--${key} must be ${what}, got '${text}'`);
    return n;
  };
  const int = (key: string, min: number): number | undefined =>
    num(key, (n) => Number.isInteger(n) && n >= min, `an integer >= ${min}`);
  const oneOf = <T extends string>(key: string, choices: readonly T[]): T | undefined => {
    const text = str(key);
    if (text === undefined) return undefined;
    if (!(choices as readonly string[]).includes(text))
      throw new UsageError(`--${key} must be one of ${choices.join(', ')}`);
    return text as T;
  };

  const port = int('port', 0);
  if (port !== undefined && port > 65535) throw new UsageError('--port must be at most 65535');
  const instances = {
    ...defined('count', int('instances', 0)),
    ...defined(
      'cores',
      num('cores', (n) => n > 0 && n <= 1024, 'a positive number of cores'),
    ),
    ...defined('intraOpThreads', int('threads', 1)),
  };
  const batching = {
    ...defined('policy', oneOf('batcher', ['deadline', 'fifo'] as const)),
    ...defined('maxBatch', int('max-batch', 1)),
    ...defined('preferredBatch', int('preferred-batch', 1)),
    ...defined(
      'maxQueueDelayMs',
      num('max-queue-delay-ms', (n) => n >= 0, 'a non-negative number of ms'),
    ),
    ...defined('admission', oneOf('admission', ['reject', 'drop', 'serve'] as const)),
  };
  const bodyLimitMb = num('body-limit-mb', (n) => n > 0, 'a positive number');
  const models = str('models')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const policy = str('policy') ?? 'sluice';
  const objectiveText = str('objective');
  let objective: NonNullable<ServerOptions['adaptive']>['objective'];
  if (objectiveText === 'min-cost') objective = { kind: 'min-cost' };
  else if (objectiveText !== undefined) {
    const m = /^accuracy-cost:(\d+(?:\.\d+)?)$/.exec(objectiveText);
    if (m === null)
      throw new UsageError(`--objective must be min-cost or accuracy-cost:ALPHA, not '${objectiveText}'`);
    objective = { kind: 'accuracy-cost', costWeight: Number(m[1]) };
  }
  const interval = num('interval-ms', (n) => n >= 100, 'at least 100 ms');
  const variantInterval = num('variant-interval-ms', (n) => n >= 0, 'a non-negative number of ms');
  const adaptive =
    policy === 'static'
      ? undefined
      : {
          policy,
          ...defined('forecaster', str('forecaster')),
          ...defined('decisionLog', str('decision-log')),
          ...defined('objective', objective),
          control: { ...defined('intervalMs', interval), ...defined('variantIntervalMs', variantInterval) },
        };
  return {
    ...defined('adaptive', adaptive),
    ...defined('repository', str('repository')),
    ...defined('host', str('host')),
    ...defined('port', port),
    ...defined('modules', models),
    ...defined('variants', oneOf('variants', ['all', 'default'] as const)),
    ...defined('appDispatch', oneOf('app-dispatch', ['batch', 'per-request'] as const)),
    ...defined('appSplit', oneOf('app-split', ['plan', 'even'] as const)),
    instances,
    batching,
    noCgroup: values['no-cgroup'] === true,
    ...(bodyLimitMb === undefined ? {} : { http: { bodyLimitBytes: Math.round(bodyLimitMb * 1024 * 1024) } }),
  };
}

/** `{ [key]: value }` when the value is defined, else `{}` (exactOptionalPropertyTypes). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
