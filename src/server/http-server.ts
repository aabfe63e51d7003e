/**
 * The HTTP front end: the Open Inference Protocol (KServe v2 / Triton HTTP) on fastify, plus `/metrics`.
 * The factory builds the fastify instance without listening; the caller listens (on 127.0.0.1 unless it
 * deliberately chooses otherwise, see `DEFAULT_HOST`). `shutdownHttpServer` (or `app.close()`, which runs
 * the same drain first) shuts down gracefully.
 */
import { readFileSync } from 'node:fs';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { SluiceError } from '../core/errors.js';
import type { ModuleSpec } from '../core/model-spec.js';
import type { Clock, TimerId } from '../ports/clock.js';
import {
  createInferHandler,
  recordRejection,
  sendError,
  UNKNOWN_MODULE_LABEL,
  type InferenceEngine,
  type InferRouteParams,
} from './infer-handler.js';
import { createAppInferHandler } from './app-infer-handler.js';
import type { AppServing } from './app-serving.js';
import { appMetadata, modelMetadata } from './model-metadata.js';
import type { PrometheusMetrics } from './prometheus-metrics.js';
import { openRequestBody, registerRawBodyParser, type RequestPayload } from './request-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Arrival of an inference request on the server's Clock (ms), stamped before its body is read; null on other routes. */
    sluiceArrivalMs: number | null;
  }
}

/** The address the serve command should bind unless told otherwise: loopback, never all interfaces by default. */
export const DEFAULT_HOST = '127.0.0.1';

/** Extensions reported in the server metadata. */
export const EXTENSIONS: readonly string[] = ['binary_tensor_data'];

export interface HttpServerOptions {
  /** Largest request body in bytes, after decompression too; default 64 MiB. Larger bodies answer 413. */
  readonly bodyLimitBytes?: number;
  /** Deepest JSON nesting accepted in a request (objects and arrays); default 64. */
  readonly maxJsonDepth?: number;
  /** How long a graceful shutdown waits for the engine to answer accepted requests, ms; default 30 000. */
  readonly drainTimeoutMs?: number;
  /**
   * How long a client may take to send a whole request (headers and body), ms; default 60 000. A client
   * trickling its body gets Node's 408 and loses the connection instead of holding it forever.
   */
  readonly requestTimeoutMs?: number;
  /** fastify's logger; default off (the request path stays lean). */
  readonly logger?: boolean;
}

export interface HttpServerDeps {
  readonly engine: InferenceEngine;
  /** The served modules; their names and variants are the models and versions of the OIP. */
  readonly modules: readonly ModuleSpec[];
  /** Arrival times and the drain timeout use this clock (the engine's). */
  readonly clock: Clock;
  /** Serves `GET /metrics`; also counts requests the server rejects before they reach the engine. */
  readonly metrics: PrometheusMetrics;
  readonly options?: HttpServerOptions;
  /** The control loop, when the server adapts: `GET /sluice/plan` and `GET /sluice/decisions`. */
  readonly control?: ControlView;
  /** Applications (`apps/<name>.yaml`), served at `/v2/models/<app>/...` like models. */
  readonly apps?: AppServing;
}

/** What the HTTP front end shows of the control loop (JSON values: the plan and decision formats). */
export interface ControlView {
  /** The plan in force; undefined before the first. */
  plan(): unknown;
  /** The latest decisions, oldest first, at most `limit`. */
  decisions(limit: number): readonly unknown[];
}

interface CompiledOptions {
  readonly bodyLimitBytes: number;
  readonly maxJsonDepth: number;
  readonly drainTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly logger: boolean;
}

const SERVER_VERSION = readPackageVersion();
const drains = new WeakMap<FastifyInstance, () => Promise<void>>();

/** Builds the OIP server on fastify; it does not listen. */
export function createHttpServer(deps: HttpServerDeps): FastifyInstance {
  const options = compileOptions(deps.options ?? {});
  const { engine, clock, metrics } = deps;
  const modules = new Map(deps.modules.map((m) => [m.name, m]));
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: options.requestTimeoutMs,
    // Draining answers new requests itself, with an OIP body (NOT_READY), instead of fastify's plain 503.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  });
  registerRawBodyParser(app, options.bodyLimitBytes);
  app.decorateRequest('sluiceArrivalMs', null);

  let draining = false;
  let drained: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    drained ??= new Promise<void>((resolve) => {
      draining = true;
      // Refuse new connections now; fastify's close() later finds the listener closed and carries on.
      if (app.server.listening) app.server.close();
      let done = false;
      let timer: TimerId | undefined = undefined;
      const finish = (): void => {
        if (done) return;
        done = true;
        if (timer !== undefined) clock.clearTimer(timer);
        resolve();
      };
      // drainTimeoutMs > 0, so the timer cannot fire before it is assigned.
      timer = clock.setTimer(clock.nowMs() + options.drainTimeoutMs, () => {
        app.log.warn(
          `shutdown: the engine did not drain within ${options.drainTimeoutMs} ms; closing anyway`,
        );
        finish();
      });
      engine.shutdown(finish);
    });
    return drained;
  };
  drains.set(app, drain);
  app.addHook('preClose', async () => {
    await drain();
  });

  app.setNotFoundHandler((request, reply) => {
    sendError(
      reply,
      new SluiceError('UNKNOWN_ROUTE', `no endpoint ${request.method} ${request.url.slice(0, 200)}`),
    );
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const sluiceError = fromFastifyError(error, options.bodyLimitBytes);
    if (request.sluiceArrivalMs !== null) {
      const model = (request.params as Partial<InferRouteParams> | undefined)?.model;
      const label = model !== undefined && modules.has(model) ? model : UNKNOWN_MODULE_LABEL;
      recordRejection(metrics, label, sluiceError, clock.nowMs() - request.sluiceArrivalMs);
    }
    if (draining) void reply.header('connection', 'close');
    sendError(reply, sluiceError);
  });

  const metadataServer = JSON.stringify({ name: 'sluice', version: SERVER_VERSION, extensions: EXTENSIONS });
  const metadataModels = new Map(
    [...modules.values()].map((m) => [m.name, JSON.stringify(modelMetadata(m))]),
  );
  const sendJson = (reply: FastifyReply, json: string): void => {
    void reply.code(200).type('application/json').send(json);
  };
  /** The module named by the route, or an error response already sent. */
  const routeModule = (
    request: FastifyRequest<{ Params: InferRouteParams }>,
    reply: FastifyReply,
  ): ModuleSpec | undefined => {
    const { model, version } = request.params;
    const module = modules.get(model);
    if (module === undefined) {
      sendError(reply, new SluiceError('UNKNOWN_MODEL', `no model named '${model.slice(0, 200)}'`));
    } else if (version !== undefined && !module.variants.some((v) => v.name === version)) {
      sendError(
        reply,
        new SluiceError('UNKNOWN_VERSION', `model '${model}' has no version '${version.slice(0, 200)}'`),
      );
    } else {
      return module;
    }
    return undefined;
  };

  app.get('/v2/health/live', (_request, reply) => sendJson(reply, '{"live":true}'));
  app.get('/v2/health/ready', (_request, reply) => {
    const notReady = draining
      ? 'the server is shutting down'
      : deps.modules.find((m) => !engine.isReady(m.name))?.name;
    if (notReady === undefined) return sendJson(reply, '{"ready":true}');
    const reason = draining ? notReady : `model '${notReady}' has no ready instance`;
    sendError(reply, new SluiceError('NOT_READY', reason));
  });
  app.get('/v2', (_request, reply) => sendJson(reply, metadataServer));

  const apps = deps.apps;
  const appMetadataJson = new Map(apps?.specs.map((a) => [a.name, JSON.stringify(appMetadata(a))]) ?? []);
  const metadata = (request: FastifyRequest<{ Params: InferRouteParams }>, reply: FastifyReply): void => {
    const appJson = appMetadataJson.get(request.params.model);
    if (appJson !== undefined && (request.params.version ?? '1') === '1') return sendJson(reply, appJson);
    const module = routeModule(request, reply);
    if (module !== undefined) sendJson(reply, metadataModels.get(module.name) ?? '{}');
  };
  app.get<{ Params: InferRouteParams }>('/v2/models/:model', metadata);
  app.get<{ Params: InferRouteParams }>('/v2/models/:model/versions/:version', metadata);

  const modelReady = (request: FastifyRequest<{ Params: InferRouteParams }>, reply: FastifyReply): void => {
    const app = apps?.spec(request.params.model);
    if (app !== undefined) {
      if (!draining && apps?.isReady(app.name) === true)
        return sendJson(reply, JSON.stringify({ name: app.name, ready: true }));
      const why = draining
        ? 'the server is shutting down'
        : `a module of application '${app.name}' has no ready instance`;
      return sendError(reply, new SluiceError('NOT_READY', why));
    }
    const module = routeModule(request, reply);
    if (module === undefined) return;
    const { version } = request.params;
    if (!draining && engine.isReady(module.name, version)) {
      return sendJson(reply, JSON.stringify({ name: module.name, ready: true }));
    }
    const what =
      version === undefined ? `model '${module.name}'` : `version '${version}' of model '${module.name}'`;
    sendError(
      reply,
      new SluiceError(
        'NOT_READY',
        draining ? 'the server is shutting down' : `${what} has no ready instance`,
      ),
    );
  };
  app.get<{ Params: InferRouteParams }>('/v2/models/:model/ready', modelReady);
  app.get<{ Params: InferRouteParams }>('/v2/models/:model/versions/:version/ready', modelReady);

  const modelInfer = createInferHandler({
    engine,
    modules,
    clock,
    metrics,
    maxJsonDepth: options.maxJsonDepth,
    isDraining: () => draining,
  });
  const appInfer =
    apps === undefined
      ? undefined
      : createAppInferHandler({
          apps,
          clock,
          metrics,
          maxJsonDepth: options.maxJsonDepth,
          isDraining: () => draining,
        });
  const infer = (request: FastifyRequest<{ Params: InferRouteParams }>, reply: FastifyReply): void =>
    appInfer !== undefined && apps?.spec(request.params.model) !== undefined
      ? appInfer(request, reply)
      : modelInfer(request, reply);
  const preParsing = (
    request: FastifyRequest,
    _reply: FastifyReply,
    payload: RequestPayload,
    done: (error?: Error | null, payload?: RequestPayload) => void,
  ): void => {
    request.sluiceArrivalMs = clock.nowMs();
    const opened = openRequestBody(request.headers, payload);
    if (opened instanceof SluiceError) done(opened);
    else done(null, opened);
  };
  app.post<{ Params: InferRouteParams }>('/v2/models/:model/infer', { preParsing }, infer);
  app.post<{ Params: InferRouteParams }>('/v2/models/:model/versions/:version/infer', { preParsing }, infer);

  const control = deps.control;
  app.get('/sluice/plan', (_request, reply) => {
    if (control === undefined)
      return sendError(
        reply,
        new SluiceError('UNKNOWN_ROUTE', 'this server does not adapt (--policy static): it has no plan'),
      );
    const plan = control.plan();
    if (plan === undefined) return sendError(reply, new SluiceError('NOT_READY', 'no plan yet'));
    return reply.code(200).type('application/json').send(JSON.stringify(plan));
  });
  app.get<{ Querystring: { limit?: string } }>('/sluice/decisions', (request, reply) => {
    if (control === undefined)
      return sendError(
        reply,
        new SluiceError(
          'UNKNOWN_ROUTE',
          'this server does not adapt (--policy static): it makes no decisions',
        ),
      );
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000)
      return sendError(reply, new SluiceError('INVALID_REQUEST', 'limit must be an integer in [1, 10000]'));
    return reply
      .code(200)
      .type('application/json')
      .send(JSON.stringify(control.decisions(limit)));
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.render();
    return reply.code(200).type(metrics.contentType).send(text);
  });
  return app;
}

/**
 * Graceful shutdown: new inference requests answer NOT_READY (503) and the listener stops accepting
 * connections; every request the engine accepted is answered (`engine.shutdown`), up to the drain
 * timeout; then fastify closes. `app.close()` does the same, this only names it.
 */
export async function shutdownHttpServer(app: FastifyInstance): Promise<void> {
  await drains.get(app)?.();
  await app.close();
}

function fromFastifyError(error: FastifyError, bodyLimitBytes: number): SluiceError | Error {
  if (error instanceof SluiceError) return error;
  const status = error.statusCode;
  if (status === 413)
    return new SluiceError('PAYLOAD_TOO_LARGE', `the request body is larger than ${bodyLimitBytes} bytes`);
  if (status === 415) return new SluiceError('UNSUPPORTED_MEDIA_TYPE', error.message);
  if (status !== undefined && status >= 400 && status < 500)
    return new SluiceError('INVALID_REQUEST', error.message);
  return error;
}

function compileOptions(options: HttpServerOptions): CompiledOptions {
  const positiveInteger = (
    key: keyof HttpServerOptions,
    value: number | undefined,
    fallback: number,
  ): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v <= 0) {
      throw new SluiceError(
        'INVALID_CONFIG',
        `http server option ${key} must be a positive integer, got ${String(value)}`,
      );
    }
    return v;
  };
  return {
    bodyLimitBytes: positiveInteger('bodyLimitBytes', options.bodyLimitBytes, 64 * 1024 * 1024),
    maxJsonDepth: positiveInteger('maxJsonDepth', options.maxJsonDepth, 64),
    drainTimeoutMs: positiveInteger('drainTimeoutMs', options.drainTimeoutMs, 30_000),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', options.requestTimeoutMs, 60_000),
    logger: options.logger ?? false,
  };
}

function readPackageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const version =
      typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
