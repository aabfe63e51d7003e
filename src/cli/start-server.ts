/**
 * Assembles a live Sluice server: model repository → engine (with the system clock and Prometheus
 * metrics) → onnxruntime instance processes confined to their CPU allocation → OIP over HTTP. Used by
 * `sluice serve`, the end-to-end tests and the benchmarks, so all three run the same wiring.
 */
import type { AppDispatch, AppSpec } from '../core/app-spec.js';
import { stepNames } from '../core/app-steps.js';
import { SluiceError } from '../core/errors.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import { groupId, type BatchingSpec, type ModuleSpec } from '../core/model-spec.js';
import { Engine } from '../engine/engine.js';
import { registerModule } from '../engine/register-module.js';
import { calibrateInstance } from '../runtime/calibrate-instance.js';
import { CgroupCpuAllocator, type CpuMechanism } from '../runtime/cgroup-cpu-allocator.js';
import { loadApps } from '../runtime/app-repository.js';
import { loadModelRepository } from '../runtime/model-repository.js';
import { attachProfiles } from '../runtime/variant-profiles.js';
import { ControlObserver } from '../control/control-observer.js';
import { teeMetrics } from '../ports/metrics-sink.js';
import { startControl } from './start-control.js';
import type { AdaptiveServing } from './adaptive-serving.js';
import type { AdaptiveOptions } from './start-control.js';
import { OnnxWorkerPool } from '../runtime/onnx-worker-pool.js';
import { SystemClock } from '../runtime/system-clock.js';
import { defaultDemoRepositoryDir, ensureDemoRepository } from '../runtime/zoo/demo-repository.js';
import { createHttpServer, DEFAULT_HOST, type HttpServerOptions } from '../server/http-server.js';
import { PrometheusMetrics } from '../server/prometheus-metrics.js';
import { AppServing, type AppSplit } from '../server/app-serving.js';
import { builtInAppSteps } from './built-in-app-steps.js';
import type { FastifyInstance } from 'fastify';

export interface ServerOptions {
  /** Model repository directory; default the built-in demo repository (generated on first use). */
  readonly repository?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  /**
   * Serve only these modules (an application's name stands for its modules); default all. An
   * application is served when all its modules are.
   */
  readonly modules?: readonly string[];
  /** How the applications' module requests reach instances; default each app's `dispatch`. */
  readonly appDispatch?: AppDispatch;
  /** How an app request's time is shared among its modules; default `plan` (the plan's budgets). */
  readonly appSplit?: AppSplit;
  /** Start instances for every variant (`all`, default) or only each module's default variant. */
  readonly variants?: 'all' | 'default';
  /** Overrides of every module's `instances` settings. */
  readonly instances?: { readonly count?: number; readonly cores?: number; readonly intraOpThreads?: number };
  /** Overrides of every module's `batching` settings (and max batch). */
  readonly batching?: Partial<BatchingSpec> & { readonly maxBatch?: number };
  /** Use thread counts (and affinity) instead of cgroups even where cgroups are writable. */
  readonly noCgroup?: boolean;
  readonly http?: HttpServerOptions;
  /** Progress lines (instance starts, listening address); default silent. */
  readonly log?: (line: string) => void;
  /** Adapt with the control loop (`--policy NAME`); undefined or policy `static`: the config's instances, fixed. */
  readonly adaptive?: AdaptiveOptions;
}

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly engine: Engine<InferencePayload, InferenceResult>;
  readonly pool: OnnxWorkerPool;
  readonly modules: readonly ModuleSpec[];
  /** The applications served (`apps/<name>.yaml`). */
  readonly apps: readonly AppSpec[];
  readonly cpuMechanism: CpuMechanism;
  /** The control loop, when adapting. */
  readonly adaptive: AdaptiveServing | undefined;
  /** Graceful: refuse new requests, answer every accepted one, stop the instances. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const repository = options.repository ?? defaultDemoRepositoryDir();
  if (options.repository === undefined) {
    const written = ensureDemoRepository(repository).filter((f) => f.status !== 'kept');
    if (written.length > 0) log(`generated ${written.length} demo model files in ${repository}`);
  }
  // Profiled latency models seed each group's estimate; a profile that cannot be used is said, not used.
  const {
    modules: loaded,
    problems: profileProblems,
    profiles,
  } = await attachProfiles(await loadModelRepository(repository));
  for (const problem of profileProblems) log(problem);
  const steps = builtInAppSteps();
  const allApps = await loadApps(
    repository,
    loaded.map((m) => m.name),
    stepNames(steps),
  );
  // An application's name stands for its modules.
  const wanted =
    options.modules === undefined
      ? undefined
      : new Set(options.modules.flatMap((n) => allApps.find((a) => a.name === n)?.modules ?? [n]));
  const modules = loaded
    .filter((m) => wanted === undefined || wanted.has(m.name))
    .map((m) => applyOverrides(m, options));
  const apps = allApps.filter((a) => a.modules.every((name) => modules.some((m) => m.name === name)));
  if (options.modules !== undefined) {
    const missing = options.modules.filter(
      (name) => !modules.some((m) => m.name === name) && !apps.some((a) => a.name === name),
    );
    if (missing.length > 0)
      throw new SluiceError('INVALID_CONFIG', `${repository}: no module named ${missing.join(', ')}`);
  }

  const clock = new SystemClock();
  const metrics = new PrometheusMetrics();
  const allocator = new CgroupCpuAllocator(
    options.noCgroup === true ? { cgroupV1Root: '/nonexistent', cgroupV2Root: '/nonexistent' } : {},
  );
  const cpuMechanism = await allocator.mechanism();
  const pool = new OnnxWorkerPool({ allocator, clock });
  const adaptive =
    options.adaptive !== undefined && options.adaptive.policy !== 'static' ? options.adaptive : undefined;
  const observer = new ControlObserver(clock.nowMs());
  const engine = new Engine<InferencePayload, InferenceResult>({
    clock,
    backend: pool,
    metrics: adaptive === undefined ? metrics : teeMetrics(metrics, observer),
  });
  const dispatchOf = new Map(
    apps.flatMap((a) => a.modules.map((m) => [m, options.appDispatch ?? a.dispatch] as const)),
  );
  for (const module of modules) {
    const dispatch = dispatchOf.get(module.name);
    // Per-request dispatch is the engine's first-come-first-served assignment: one request per execution.
    registerModule(engine, module, dispatch === 'per-request' ? { dispatch: 'fcfs' } : {});
  }
  const appServing = new AppServing({
    engine,
    clock,
    apps,
    steps,
    ...(options.appSplit === undefined ? {} : { split: options.appSplit }),
  });

  // A lost instance is suspended, not removed: its group keeps queueing (deadlines permitting) while the
  // pool restarts it, instead of refusing every request for the half second a restart takes.
  pool.onInstanceLost(({ instanceId, error }) => {
    log(`instance ${instanceId} lost: ${error.message}; restarting`);
    engine.suspendInstance(instanceId);
  });
  pool.onInstanceReady(({ instanceId, info, attempt }) => {
    log(`instance ${instanceId} restarted (attempt ${attempt}, pid ${info.pid})`);
    engine.resumeInstance(instanceId);
  });
  pool.onInstanceFailed(({ instanceId, group, error, attempts }) => {
    log(`instance ${instanceId} could not be restarted after ${attempts} attempts: ${error.message}`);
    engine.removeInstance(instanceId);
    const [module, variant] = splitGroup(group);
    if (!engine.isReady(module, variant)) {
      engine.failQueued(
        group,
        new SluiceError('NOT_READY', `every instance of '${group}' failed: ${error.message}`),
      );
    }
  });

  let control: AdaptiveServing | undefined;
  try {
    if (adaptive === undefined) await startInstances(pool, engine, modules, options.variants ?? 'all', log);
    else {
      control = await startControl({
        adaptive,
        pool,
        engine,
        clock,
        observer,
        modules,
        profiles,
        metrics,
        log,
        apps,
        onPlan: (plan) => appServing.applyPlan(plan),
      });
      await control.ready;
    }
  } catch (error) {
    control?.stop();
    await pool.close();
    throw error;
  }

  const app = createHttpServer({
    engine,
    modules,
    clock,
    metrics,
    apps: appServing,
    ...(options.http ? { options: options.http } : {}),
    ...(control === undefined ? {} : { control: control.view }),
  });
  const address = await app.listen({ host: options.host ?? DEFAULT_HOST, port: options.port ?? 8000 });
  const served = [...modules.map((m) => m.name), ...apps.map((a) => `${a.name} (${a.modules.join(' → ')})`)];
  log(`serving ${served.join(', ')} at ${address} (CPU allocation: ${cpuMechanism})`);

  let closing: Promise<void> | undefined;
  return {
    url: address,
    app,
    engine,
    pool,
    modules,
    apps,
    cpuMechanism,
    adaptive: control,
    close: () =>
      (closing ??= (async () => {
        control?.stop();
        await app.close();
        await pool.close();
      })()),
  };
}

async function startInstances(
  pool: OnnxWorkerPool,
  engine: Engine<InferencePayload, InferenceResult>,
  modules: readonly ModuleSpec[],
  which: 'all' | 'default',
  log: (line: string) => void,
): Promise<void> {
  const jobs = modules.flatMap((module) =>
    module.variants
      .filter((v) => which === 'all' || v.name === module.defaultVariant)
      .flatMap((variant) =>
        Array.from({ length: module.instances.count }, (_, index) => ({ module, variant, index })),
      ),
  );
  // Two at a time: loading is CPU-bound and this machine class has two cores.
  const queue = [...jobs];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const { module, variant, index } = job;
      const group = groupId(module.name, variant.name);
      const instanceId = `${group}#${index}`;
      const info = await pool.startInstance({
        instanceId,
        group,
        modelPath: variant.file,
        cores: module.instances.cores,
        intraOpThreads: module.instances.intraOpThreads,
        expected: { inputs: module.inputs, outputs: module.outputs, maxBatch: module.maxBatch },
      });
      const calibration = await calibrateInstance(pool, { instanceId, group, module });
      engine.addInstance({ id: instanceId, group, cores: info.cores, calibration });
      const timing = calibration.map((p) => `${p.computeMs.toFixed(1)} ms at batch ${p.rows}`).join(', ');
      log(
        `instance ${instanceId} ready: pid ${info.pid}, ${info.cores} cores (${info.cpuMechanism}), ` +
          `${info.intraOpThreads} threads, loaded in ${info.loadMs.toFixed(0)} ms; ${timing}`,
      );
    }
  };
  await Promise.all([worker(), worker()]);
}

function applyOverrides(module: ModuleSpec, options: ServerOptions): ModuleSpec {
  const { maxBatch, ...batching } = options.batching ?? {};
  const effectiveMaxBatch = maxBatch === undefined || module.maxBatch === 0 ? module.maxBatch : maxBatch;
  const merged: BatchingSpec = { ...module.batching, ...batching };
  const cores = options.instances?.cores ?? module.instances.cores;
  return {
    ...module,
    maxBatch: effectiveMaxBatch,
    batching: { ...merged, preferredBatch: Math.min(merged.preferredBatch, Math.max(1, effectiveMaxBatch)) },
    instances: {
      count: options.instances?.count ?? module.instances.count,
      cores,
      intraOpThreads:
        options.instances?.intraOpThreads ??
        (options.instances?.cores === undefined
          ? module.instances.intraOpThreads
          : Math.max(1, Math.ceil(cores))),
    },
  };
}

function splitGroup(group: string): [string, string] {
  const slash = group.indexOf('/');
  return [group.slice(0, slash), group.slice(slash + 1)];
}
