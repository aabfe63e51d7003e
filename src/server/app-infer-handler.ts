/**
 * `POST /v2/models/{app}/infer` for an application: the same body formats as a model's (JSON, or binary
 * tensors where a BYTES element may be a whole file, e.g. a PNG image), the same deadline hints, and one
 * answer per request from `AppServing`. The response's `parameters` say how many module requests the
 * app request caused and its end-to-end latency.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SluiceError } from '../core/errors.js';
import type { Clock } from '../ports/clock.js';
import type { MetricsSink } from '../ports/metrics-sink.js';
import type { AppServing } from './app-serving.js';
import { readBudgetHints } from './budget-hints.js';
import { decodeInferBody, recordRejection, sendError, type InferRouteParams } from './infer-handler.js';
import { encodeInferResponse } from './oip-codec.js';

/** The version every application reports (an app has no variants of its own). */
export const APP_VERSION = '1';

export interface AppInferContext {
  readonly apps: AppServing;
  readonly clock: Clock;
  readonly metrics: MetricsSink;
  readonly maxJsonDepth: number;
  readonly isDraining: () => boolean;
}

export function createAppInferHandler(
  context: AppInferContext,
): (request: FastifyRequest<{ Params: InferRouteParams }>, reply: FastifyReply) => void {
  const { apps, clock, metrics } = context;
  return (request, reply) => {
    const arrivalMs = request.sluiceArrivalMs ?? clock.nowMs();
    const { model, version } = request.params;
    const reject = (error: SluiceError): void => {
      recordRejection(metrics, model, error, clock.nowMs() - arrivalMs);
      sendError(reply, error);
    };
    if (context.isDraining()) {
      void reply.header('connection', 'close');
      return reject(new SluiceError('NOT_READY', 'the server is shutting down'));
    }
    const app = apps.spec(model);
    if (app === undefined) return reject(new SluiceError('UNKNOWN_MODEL', `no application named '${model}'`));
    if (version !== undefined && version !== APP_VERSION)
      return reject(
        new SluiceError('UNKNOWN_VERSION', `application '${model}' has only version '${APP_VERSION}'`),
      );
    const decoded = decodeInferBody(request, {
      maxJsonDepth: context.maxJsonDepth,
      binaryBytesAsLatin1: true,
    });
    if (decoded instanceof SluiceError) return reject(decoded);
    for (const wanted of decoded.outputs ?? [])
      if (!app.outputs.some((o) => o.name === wanted.name))
        return reject(
          new SluiceError('INVALID_INPUT', `application '${model}' has no output '${wanted.name}'`),
        );
    const budget = readBudgetHints(decoded.parameters, request.headers);
    if (budget instanceof SluiceError) return reject(budget);

    let answered = false;
    apps.submit(model, { arrivalMs, budget, inputs: decoded.inputs }, (answer) => {
      if (answered) return;
      answered = true;
      try {
        if (answer.kind === 'failed') return sendError(reply, answer.error);
        const encoded = encodeInferResponse(
          {
            modelName: model,
            modelVersion: APP_VERSION,
            ...(decoded.id === undefined ? {} : { id: decoded.id }),
            parameters: {
              module_requests: answer.moduleRequests,
              e2e_ms: Math.round(answer.latencyMs * 1000) / 1000,
            },
            outputs: answer.outputs,
          },
          decoded,
        );
        if (encoded instanceof SluiceError) return sendError(reply, encoded);
        void reply.code(200).type(encoded.contentType);
        if (encoded.headerLength !== undefined)
          void reply.header('inference-header-content-length', String(encoded.headerLength));
        void reply.send(encoded.body);
      } catch (error) {
        if (!reply.sent) sendError(reply, error);
        else reply.log.error(error, 'failed while answering an application request');
      }
    });
  };
}
