/**
 * Admission's first check: does the request's set of input tensors fit the module's declared inputs
 * (names, datatypes, shapes, element counts)? Also derives the request's rows along the batch dimension
 * and its shape key: only requests with equal shape keys may share a batch.
 */
import { SluiceError } from '../core/errors.js';
import type { TensorSpec } from '../core/model-spec.js';
import { elementCount, type TensorMeta } from '../core/tensor.js';

export interface ReceivedInput extends TensorMeta {
  /** Data elements actually received. */
  readonly elements: number;
}

export interface InputsFit {
  /** Rows along the batch dimension (1 for a module that does not batch). */
  readonly rows: number;
  /** Equal for requests whose non-batch dimensions are equal. */
  readonly shapeKey: string;
}

/**
 * @param batched the module's inputs carry a leading batch dimension
 * @param maxBatch the most rows one request may carry (the module's max batch)
 */
export function validateInputs(
  module: string,
  declared: readonly TensorSpec[],
  batched: boolean,
  maxBatch: number,
  received: readonly ReceivedInput[],
): InputsFit | SluiceError {
  const bad = (message: string): SluiceError =>
    new SluiceError('INVALID_INPUT', `model '${module}': ${message}`);
  const byName = new Map<string, ReceivedInput>();
  for (const input of received) {
    if (byName.has(input.name)) return bad(`input '${input.name}' appears more than once`);
    byName.set(input.name, input);
  }
  for (const name of byName.keys()) {
    if (!declared.some((d) => d.name === name)) {
      return bad(`unexpected input '${name}'; expected ${declared.map((d) => `'${d.name}'`).join(', ')}`);
    }
  }
  let rows: number | undefined;
  const keyParts: string[] = [];
  for (const spec of declared) {
    const input = byName.get(spec.name);
    if (input === undefined) return bad(`missing input '${spec.name}'`);
    if (input.datatype !== spec.datatype) {
      return bad(`input '${spec.name}' has datatype ${input.datatype}, expected ${spec.datatype}`);
    }
    const expectedRank = spec.shape.length + (batched ? 1 : 0);
    if (input.shape.length !== expectedRank) {
      return bad(
        `input '${spec.name}' has shape [${input.shape.join(',')}], expected ${describeShape(spec, batched)}`,
      );
    }
    let count: number;
    try {
      count = elementCount(input.shape, `input '${spec.name}'`);
    } catch (error) {
      return error instanceof SluiceError ? bad(error.message) : bad(String(error));
    }
    if (count !== input.elements) {
      return bad(
        `input '${spec.name}' has ${input.elements} elements but shape [${input.shape.join(',')}] needs ${count}`,
      );
    }
    const inner = batched ? input.shape.slice(1) : input.shape;
    for (let i = 0; i < spec.shape.length; i++) {
      const want = spec.shape[i];
      if (want !== undefined && want !== -1 && inner[i] !== want) {
        return bad(
          `input '${spec.name}' has shape [${input.shape.join(',')}], expected ${describeShape(spec, batched)}`,
        );
      }
    }
    if (batched) {
      const r = input.shape[0] ?? 0;
      if (r < 1) return bad(`input '${spec.name}' has an empty batch dimension`);
      if (r > maxBatch)
        return bad(`input '${spec.name}' has batch size ${r}, more than the model's max batch ${maxBatch}`);
      if (rows !== undefined && r !== rows)
        return bad(`inputs disagree on the batch size (${rows} and ${r})`);
      rows = r;
    }
    keyParts.push(inner.join('x'));
  }
  return { rows: rows ?? 1, shapeKey: keyParts.join('|') };
}

function describeShape(spec: TensorSpec, batched: boolean): string {
  const dims = spec.shape.map((d) => (d === -1 ? '*' : String(d)));
  return `[${(batched ? ['batch', ...dims] : dims).join(',')}]`;
}
