/**
 * Reads a model's input tensors from `GET /v2/models/<model>[/versions/<v>]` (OIP model metadata), so the
 * generator can send bodies the model accepts without being told their shape.
 */
import http from 'node:http';
import { isDatatype, type TensorMeta } from '../core/tensor.js';

/** Where a model is served. */
export interface OipTarget {
  /** Base URL, e.g. http://127.0.0.1:8000 (http only). */
  readonly url: URL;
  readonly model: string;
  /** Version (variant); undefined: the server's choice. */
  readonly version: string | undefined;
}

/** The metadata path of a target; `/infer` appended gives the inference path. */
export function modelPath(target: OipTarget): string {
  const base = target.url.pathname.replace(/\/+$/, '');
  const version = target.version === undefined ? '' : `/versions/${encodeURIComponent(target.version)}`;
  return `${base}/v2/models/${encodeURIComponent(target.model)}${version}`;
}

/** Model metadata, inputs only; shapes may hold -1 for dimensions of any size. */
export interface ModelMetadata {
  readonly name: string;
  readonly inputs: readonly TensorMeta[];
}

/** Fetches and validates the metadata; rejects with a message naming the URL on any failure. */
export async function fetchModelMetadata(
  target: OipTarget,
  agent: http.Agent,
  timeoutMs = 10_000,
): Promise<ModelMetadata> {
  const url = new URL(modelPath(target), target.url);
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  }).catch((error: unknown) => {
    throw new Error(
      `cannot read model metadata from ${url.href}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  if (status !== 200) throw new Error(`GET ${url.href} answered ${status}: ${body.slice(0, 300)}`);
  return parseModelMetadata(body, url.href);
}

/** Validates an OIP metadata body. */
export function parseModelMetadata(body: string, source: string): ModelMetadata {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`${source}: metadata is not JSON`);
  }
  const meta = json as { name?: unknown; inputs?: unknown };
  if (!Array.isArray(meta.inputs) || meta.inputs.length === 0)
    throw new Error(`${source}: metadata has no inputs`);
  const inputs = meta.inputs.map((input: unknown, i): TensorMeta => {
    const { name, datatype, shape } = (input ?? {}) as {
      name?: unknown;
      datatype?: unknown;
      shape?: unknown;
    };
    if (typeof name !== 'string' || !isDatatype(datatype) || !Array.isArray(shape)) {
      throw new Error(`${source}: input ${i} needs a name, an OIP datatype and a shape`);
    }
    if (!shape.every((d) => Number.isInteger(d) && (d as number) >= -1)) {
      throw new Error(`${source}: input ${name} has a bad shape ${JSON.stringify(shape)}`);
    }
    return { name, datatype, shape: shape as number[] };
  });
  return { name: typeof meta.name === 'string' ? meta.name : '', inputs };
}
