/**
 * Batch assembly for the worker pool: the items' input tensors are concatenated along dimension 0 into one
 * tensor per input, and every output is split back along dimension 0 by the items' rows. Pure functions
 * over `Tensor` values; numeric data is copied byte-wise (any typed array: BigInt64, FP16 as Uint16, ...),
 * BYTES (string lists) element-wise.
 *
 * The engine guarantees that the items of a batch have the same inputs with equal non-batch dimensions;
 * a violation is an internal error (`INTERNAL`), not the client's, and is reported before anything runs.
 */
import { SluiceError } from '../core/errors.js';
import { allocateTensorData, elementCount, type Tensor, type TensorData } from '../core/tensor.js';

/** One batch item's share: its rows along dimension 0 and its tensors. */
export interface ItemInputs {
  readonly rows: number;
  readonly inputs: readonly Tensor[];
}

/** One batch item's share of the outputs and which outputs it asked for (all when undefined). */
export interface ItemOutputs {
  readonly rows: number;
  readonly outputs: readonly string[] | undefined;
}

/**
 * Concatenates the items' inputs, tensor by tensor (matched by name, in the first item's order). A batch of
 * one item is passed through as is, without a copy, whatever its shape (models that do not batch).
 */
export function concatBatchInputs(items: readonly ItemInputs[]): Tensor[] {
  const first = items[0];
  if (first === undefined) throw internal('a batch needs at least one item');
  if (items.length === 1) return [...first.inputs];
  for (const [index, item] of items.entries()) {
    if (item.inputs.length !== first.inputs.length) {
      throw internal(`item ${index} has ${item.inputs.length} inputs, item 0 has ${first.inputs.length}`);
    }
  }
  return first.inputs.map((tensor) => {
    const parts = items.map((item, index) => {
      const part = item.inputs.find((t) => t.name === tensor.name);
      if (part === undefined) throw internal(`item ${index} has no input '${tensor.name}'`);
      if (part.shape[0] !== item.rows) {
        throw internal(
          `input '${tensor.name}' of item ${index} has ${String(part.shape[0])} rows, the item says ${item.rows}`,
        );
      }
      return part;
    });
    return concatRows(parts);
  });
}

/**
 * Splits each output by the items' rows and keeps, per item, the outputs it asked for (in the order it
 * asked, or the model's order when it asked for all). With one item nothing is split.
 */
export function splitBatchOutputs(outputs: readonly Tensor[], items: readonly ItemOutputs[]): Tensor[][] {
  const byItem: Tensor[][] = items.map(() => []);
  const rows = items.map((item) => item.rows);
  const split = new Map<string, Tensor[]>();
  for (const output of outputs)
    split.set(output.name, items.length === 1 ? [output] : splitRows(output, rows));
  for (const [index, item] of items.entries()) {
    const names = item.outputs ?? outputs.map((o) => o.name);
    for (const name of names) {
      const part = split.get(name)?.[index];
      if (part === undefined) throw internal(`the model returned no output '${name}'`);
      byItem[index]?.push(part);
    }
  }
  return byItem;
}

/**
 * The outputs to fetch for a batch: the union of the items' requests, or undefined (all) when an item
 * asks for all. An unknown name fails the batch with `INVALID_INPUT`.
 * @param known the model's output names
 * @param requests each item's requested outputs, undefined for all
 */
export function outputsToFetch(
  model: string,
  known: readonly string[],
  requests: readonly (readonly string[] | undefined)[],
): string[] | undefined {
  const wanted = new Set<string>();
  for (const request of requests) {
    if (request === undefined) return undefined;
    for (const name of request) wanted.add(name);
  }
  for (const name of wanted) {
    if (!known.includes(name)) {
      const list = known.map((n) => `'${n}'`).join(', ');
      throw new SluiceError('INVALID_INPUT', `model '${model}' has no output '${name}' (outputs: ${list})`);
    }
  }
  return [...wanted];
}

/** Concatenates tensors of one input along dimension 0; all must share datatype and non-batch dimensions. */
export function concatRows(parts: readonly Tensor[]): Tensor {
  const first = parts[0];
  if (first === undefined) throw internal('nothing to concatenate');
  const rest = first.shape.slice(1);
  let rows = 0;
  for (const part of parts) {
    checkData(part);
    if (part.datatype !== first.datatype) {
      throw internal(
        `input '${first.name}' is ${first.datatype} in one item and ${part.datatype} in another`,
      );
    }
    if (
      part.shape.length === 0 ||
      part.shape.length !== first.shape.length ||
      part.shape.slice(1).some((d, i) => d !== rest[i])
    ) {
      throw internal(
        `input '${first.name}': shapes [${first.shape.join(',')}] and [${part.shape.join(',')}] cannot be concatenated along dimension 0`,
      );
    }
    rows += part.shape[0] ?? 0;
  }
  const shape = [rows, ...rest];
  const data = allocateTensorData(first.datatype, elementCount(shape, `input '${first.name}'`));
  let offset = 0;
  for (const part of parts) {
    copyInto(data, part.data, offset);
    offset += part.data.length;
  }
  return { name: first.name, datatype: first.datatype, shape, data };
}

/** Splits a tensor along dimension 0 into parts of `rows` rows each (views of the same data, not copies). */
export function splitRows(tensor: Tensor, rows: readonly number[]): Tensor[] {
  checkData(tensor);
  const total = rows.reduce((sum, r) => sum + r, 0);
  if (tensor.shape.length === 0 || tensor.shape[0] !== total) {
    throw internal(
      `output '${tensor.name}' has shape [${tensor.shape.join(',')}], which cannot be split into ${total} rows: ` +
        'the model must keep the batch as the first dimension of every output',
    );
  }
  const rest = tensor.shape.slice(1);
  const perRow = elementCount(rest, `output '${tensor.name}'`);
  let start = 0;
  return rows.map((r) => {
    const data = slice(tensor.data, start * perRow, (start + r) * perRow);
    start += r;
    return { name: tensor.name, datatype: tensor.datatype, shape: [r, ...rest], data };
  });
}

function slice(data: TensorData, begin: number, end: number): TensorData {
  return Array.isArray(data) ? data.slice(begin, end) : data.subarray(begin, end);
}

/** Copies `source` into `target` from element `offset`; both have the same element type (checked before). */
function copyInto(target: TensorData, source: TensorData, offset: number): void {
  if (Array.isArray(target) || Array.isArray(source)) {
    if (!Array.isArray(target) || !Array.isArray(source)) throw internal('string and numeric data mixed');
    for (let i = 0; i < source.length; i += 1) target[offset + i] = source[i] ?? '';
    return;
  }
  // Byte-wise so one path serves every typed array, BigInt ones included.
  const to = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  to.set(
    new Uint8Array(source.buffer, source.byteOffset, source.byteLength),
    offset * target.BYTES_PER_ELEMENT,
  );
}

/** The data's representation matches the datatype and its length matches the shape. */
function checkData(tensor: Tensor): void {
  const expected = allocateTensorData(tensor.datatype, 0);
  const fits = Array.isArray(expected)
    ? Array.isArray(tensor.data)
    : !Array.isArray(tensor.data) && tensor.data.constructor === expected.constructor;
  if (!fits) {
    throw internal(
      `tensor '${tensor.name}': ${tensor.datatype} data held in a ${tensor.data.constructor.name}`,
    );
  }
  const count = elementCount(tensor.shape, `tensor '${tensor.name}'`);
  if (tensor.data.length !== count) {
    throw internal(
      `tensor '${tensor.name}': shape [${tensor.shape.join(',')}] needs ${count} elements, data has ${tensor.data.length}`,
    );
  }
}

function internal(message: string): SluiceError {
  return new SluiceError('INTERNAL', `batch assembly: ${message}`);
}
