/**
 * `POST /v2/models/{m}[/versions/{v}]/infer`: everything between the parsed HTTP request and
 * `engine.submit`, and from the engine's outcome back to the HTTP response. Exactly one response per
 * request: the engine promises one outcome, and a guard drops a (buggy) second one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SluiceError, toOipError } from '../core/errors.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import type { ModuleSpec } from '../core/model-spec.js';
import type { Clock } from '../ports/clock.js';
import type { MetricsSink } from '../ports/metrics-sink.js';
import type { CompletedOutcome, Outcome, SubmittedRequest } from '../engine/types.js';
import { readBudgetHints } from './budget-hints.js';
import {
  decodeInferRequest,
  encodeInferResponse,
  type DecodedInferRequest,
  type DecodeOptions,
} from './oip-codec.js';

/** What the HTTP front end needs of the engine (src/engine/engine.ts implements it). */
export interface InferenceEngine {
  /** Submits a request; `respond` is called exactly once, possibly synchronously. Returns the engine's request id. */
  submit(
    request: SubmittedRequest<InferencePayload>,
    respond: (outcome: Outcome<InferenceResult>) => void,
  ): number;
  /** At least one ready instance of the module (of that variant, when given). */
  isReady(module: string, version?: string): boolean;
  /** Stops admitting and calls back once every accepted request was answered. */
  shutdown(onDrained: () => void): void;
}

export interface InferRouteParams {
  readonly model: string;
  readonly version?: string;
}

export interface InferHandlerContext {
  readonly engine: InferenceEngine;
  readonly modules: ReadonlyMap<string, ModuleSpec>;
  readonly clock: Clock;
  readonly metrics: MetricsSink;
  readonly maxJsonDepth: number;
  /** True once a graceful shutdown began: new requests answer NOT_READY (503). */
  readonly isDraining: () => boolean;
}

/** Label for metrics of requests naming no served module: request-chosen names must not mint label values. */
export const UNKNOWN_MODULE_LABEL = '(unknown)';

/** Sends an error as an OIP error body with its status (and Retry-After) from `toOipError`. */
export function sendError(reply: FastifyReply, error: unknown): void {
  const oip = toOipError(error);
  void reply.code(oip.status).headers(oip.headers).type('application/json').send(JSON.stringify(oip.body));
}

/** Records a request the server answered itself, before or instead of the engine. */
export function recordRejection(
  metrics: MetricsSink,
  module: string,
  error: unknown,
  latencyMs: number,
): void {
  metrics.requestFinished({
    module,
    group: undefined,
    outcome: 'rejected',
    code: error instanceof SluiceError ? error.code : 'INTERNAL',
    latencyMs,
    queueMs: undefined,
    computeMs: undefined,
    withinDeadline: false,
  });
}

/**
 * The infer route's handler: checks the model and version, decodes the body, validates the requested
 * outputs and the deadline hints, then submits to the engine and answers from its outcome. Errors before
 * the engine are answered here (and counted in `metrics`); the engine's own are answered from its outcome.
 * Expects `request.body` as a Buffer and `request.sluiceArrivalMs` stamped (see http-server.ts).
 */
export function createInferHandler(
  context: InferHandlerContext,
): (request: FastifyRequest<{ Params: InferRouteParams }>, reply: FastifyReply) => void {
  const { engine, modules, clock, metrics } = context;
  const outputNames = new Map(
    [...modules.values()].map((m) => [m.name, new Set(m.outputs.map((o) => o.name))]),
  );

  return (request, reply) => {
    const arrivalMs = request.sluiceArrivalMs ?? clock.nowMs();
    const { model, version } = request.params;
    const module = modules.get(model);
    const reject = (error: SluiceError): void => {
      recordRejection(
        metrics,
        module === undefined ? UNKNOWN_MODULE_LABEL : model,
        error,
        clock.nowMs() - arrivalMs,
      );
      sendError(reply, error);
    };
    if (context.isDraining()) {
      void reply.header('connection', 'close');
      return reject(new SluiceError('NOT_READY', 'the server is shutting down'));
    }
    if (module === undefined)
      return reject(new SluiceError('UNKNOWN_MODEL', `no model named '${model.slice(0, 200)}'`));
    if (version !== undefined && !module.variants.some((v) => v.name === version)) {
      return reject(
        new SluiceError('UNKNOWN_VERSION', `model '${model}' has no version '${version.slice(0, 200)}'`),
      );
    }
    const decoded = decodeInferBody(request, { maxJsonDepth: context.maxJsonDepth });
    if (decoded instanceof SluiceError) return reject(decoded);
    const known = outputNames.get(model);
    for (const wanted of decoded.outputs ?? []) {
      if (known !== undefined && !known.has(wanted.name)) {
        return reject(new SluiceError('INVALID_INPUT', `model '${model}' has no output '${wanted.name}'`));
      }
    }
    const budget = readBudgetHints(decoded.parameters, request.headers);
    if (budget instanceof SluiceError) return reject(budget);

    let answered = false;
    const respond = (outcome: Outcome<InferenceResult>): void => {
      if (answered) return;
      answered = true;
      // The engine calls this from its completion path: nothing may be thrown back into it.
      try {
        if (outcome.kind !== 'completed') sendError(reply, outcome.error);
        else sendCompleted(reply, model, decoded, outcome);
      } catch (error) {
        if (!reply.sent) sendError(reply, error);
        else reply.log.error(error, 'failed while answering an inference request');
      }
    };
    engine.submit(
      {
        module: model,
        version,
        arrivalMs,
        budget,
        inputs: decoded.inputs.map((t) => ({
          name: t.name,
          datatype: t.datatype,
          shape: t.shape,
          elements: t.data.length,
        })),
        payload: { inputs: decoded.inputs, outputs: decoded.outputs?.map((o) => o.name) },
      },
      respond,
    );
  };
}

function sendCompleted(
  reply: FastifyReply,
  model: string,
  request: DecodedInferRequest,
  outcome: CompletedOutcome<InferenceResult>,
): void {
  const parameters: Record<string, string | number> = {
    variant: outcome.variant,
    instance: outcome.instanceId,
  };
  putNumber(parameters, 'queue_ms', outcome.queueMs);
  putNumber(parameters, 'compute_ms', outcome.computeMs);
  putNumber(parameters, 'batch_size', outcome.batchRows);
  const encoded = encodeInferResponse(
    {
      modelName: model,
      modelVersion: outcome.variant,
      ...(request.id === undefined ? {} : { id: request.id }),
      parameters,
      outputs: outcome.output.outputs,
    },
    request,
  );
  if (encoded instanceof SluiceError) return sendError(reply, encoded);
  void reply.code(200).type(encoded.contentType);
  if (encoded.headerLength !== undefined)
    void reply.header('inference-header-content-length', String(encoded.headerLength));
  void reply.send(encoded.body);
}

/** Milliseconds rounded to the microsecond keep the JSON short; a non-finite figure is left out, not sent as null. */
function putNumber(parameters: Record<string, string | number>, key: string, value: number): void {
  if (Number.isFinite(value)) parameters[key] = Math.round(value * 1000) / 1000;
}

/**
 * The OIP request in an infer request's raw body (JSON, or JSON plus Triton's binary tensors after
 * `Inference-Header-Content-Length` bytes), or the error to answer with; models and applications alike.
 */
export function decodeInferBody(
  request: FastifyRequest,
  options: Omit<DecodeOptions, 'inferenceHeaderLength'>,
): DecodedInferRequest | SluiceError {
  const body = request.body;
  if (!Buffer.isBuffer(body)) return new SluiceError('INVALID_REQUEST', 'the request has no body');
  const headerLength = request.headers['inference-header-content-length'];
  return decodeInferRequest(body, {
    ...options,
    inferenceHeaderLength: Array.isArray(headerLength) ? headerLength.join(',') : headerLength,
  });
}
