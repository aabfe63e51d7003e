// The frame codec between the pool and its instance workers (worker-protocol.ts, frame-encoder.ts,
// frame-parser.ts), without processes: any sequence of messages, encoded, concatenated and cut anywhere,
// parses back to the same messages, whether the chunks are fresh or one reused buffer; tensors are viewed
// in place or copied once; malformed streams fail loudly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/core/errors.js';
import { allocateTensorData, DATATYPES, type Datatype, type Tensor } from '../../src/core/tensor.js';
import { COALESCE_BYTES, encodeFrame } from '../../src/runtime/frame-encoder.js';
import { FrameParser } from '../../src/runtime/frame-parser.js';
import type { WireMessage } from '../../src/runtime/worker-protocol.js';

/** A tensor of `count` elements whose bytes follow from `seed`; optionally a view inside a larger array. */
function makeTensor(name: string, datatype: Datatype, count: number, seed: number, offset = 0): Tensor {
  if (datatype === 'BYTES') {
    // Cut at whole code points: a lone surrogate has no UTF-8 form (it would arrive as U+FFFD).
    const text = (i: number): string =>
      [...`${name}-${seed}-${i}-é€😀`].slice(-(Math.abs(seed + i) % 13)).join('');
    const data = Array.from({ length: count }, (_, i) => text(i));
    return { name, datatype, shape: [count], data };
  }
  const whole = allocateTensorData(datatype, count + offset);
  if (Array.isArray(whole)) throw new Error('unreachable');
  const bytes = new Uint8Array(whole.buffer);
  let state = seed | 1;
  for (let i = 0; i < bytes.length; i += 1) {
    state = (state * 1103515245 + 12345) | 0;
    bytes[i] = state >>> 24;
  }
  return { name, datatype, shape: [count], data: whole.subarray(offset, offset + count) };
}

/** What must survive the trip: names, types, shapes, the data's element type and its exact bytes. */
function normalise(message: WireMessage): unknown {
  const tensors = (list: readonly Tensor[]): unknown[] =>
    list.map((t) => ({
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      data: Array.isArray(t.data)
        ? t.data
        : [t.data.constructor.name, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)],
    }));
  if (message.kind === 'run') return { ...message, inputs: tensors(message.inputs) };
  if (message.kind === 'result') return { ...message, outputs: tensors(message.outputs) };
  return message;
}

/** Where two normalised values first differ, if they do; vitest's own diff of megabytes takes minutes. */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b) ? undefined : `${path}: bytes differ`;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return `${path}: ${String(a).slice(0, 80)} ≠ ${String(b).slice(0, 80)}`;
}

function encode(message: WireMessage): Buffer {
  return Buffer.concat(encodeFrame(message));
}

/** Feeds `stream` in chunks of the given sizes (cycled); with `reuse`, every chunk goes through one buffer. */
function parseInChunks(stream: Buffer, sizes: readonly number[], reuse: boolean): WireMessage[] {
  const parser = new FrameParser({ chunksReused: reuse });
  const scratch = Buffer.alloc(Math.max(1, ...sizes));
  const messages: WireMessage[] = [];
  for (let at = 0, i = 0; at < stream.length; i += 1) {
    const size = Math.min(sizes[i % sizes.length] ?? 1, stream.length - at);
    let chunk = stream.subarray(at, at + size);
    if (reuse) chunk = scratch.subarray(0, chunk.copy(scratch));
    messages.push(...parser.push(chunk));
    // Whatever the parser kept of a reused chunk must not be read again: spoil it.
    if (reuse) scratch.fill(0xa5);
    at += size;
  }
  expect(parser.buffered).toBe(0);
  return messages;
}

const tensorArb = (maxCount: number): fc.Arbitrary<Tensor> =>
  fc
    .record({
      name: fc.string({ unit: 'grapheme', maxLength: 6 }),
      datatype: fc.constantFrom(...DATATYPES),
      count: fc.integer({ min: 0, max: maxCount }),
      seed: fc.integer(),
      offset: fc.integer({ min: 0, max: 3 }),
    })
    // Strings are slow to make and add nothing at scale: a few thousand at most.
    .map(({ name, datatype, count, seed, offset }) =>
      makeTensor(name, datatype, datatype === 'BYTES' ? Math.min(count, 3000) : count, seed, offset),
    );

const controlArb: fc.Arbitrary<WireMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('load' as const),
    modelPath: fc.string({ unit: 'grapheme' }),
    intraOpThreads: fc.integer({ min: 1, max: 8 }),
    warmupShapes: fc.dictionary(fc.string(), fc.array(fc.integer({ min: -1, max: 64 }))),
    warmupRuns: fc.nat(5),
  }),
  fc.record({ kind: fc.constant('set-threads' as const), threads: fc.integer({ min: 1, max: 8 }) }),
  fc.constant({ kind: 'shutdown' as const }),
  fc.record({
    kind: fc.constant('error' as const),
    batchId: fc.nat(),
    code: fc.constantFrom('INVALID_INPUT' as const, 'INTERNAL' as const),
    message: fc.string({ unit: 'grapheme', maxLength: 200 }),
  }),
  fc.record({
    kind: fc.constant('ready' as const),
    pid: fc.nat(),
    loadMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
    warmupMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
    intraOpThreads: fc.integer({ min: 1, max: 8 }),
    inputs: fc.constant([{ name: 'x', type: 'float32', shape: ['N', 3, 48, 192] }]),
    outputs: fc.constant([{ name: 'y', type: undefined, shape: [] }]),
  }),
);

const messageArb = (maxCount: number, maxTensors: number): fc.Arbitrary<WireMessage> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('run' as const),
      batchId: fc.nat(),
      inputs: fc.array(tensorArb(maxCount), { maxLength: maxTensors }),
      outputNames: fc.option(fc.array(fc.string()), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant('result' as const),
      batchId: fc.nat(),
      outputs: fc.array(tensorArb(maxCount), { maxLength: maxTensors }),
      computeMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
    }),
    controlArb,
  );

describe('frame codec', () => {
  it('parses any sequence of messages back, however the stream is cut, from fresh or reused chunks', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb(600, 4), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (messages, sizes, reuse) => {
          const stream = Buffer.concat(messages.map(encode));
          const parsed = parseInChunks(stream, sizes, reuse);
          expect(firstDifference(parsed.map(normalise), messages.map(normalise))).toBeUndefined();
        },
      ),
      // Without shrinking: a counterexample of this size would take minutes to shrink; its seed replays it.
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('parses frames larger than 1 MB cut into random chunks, byte by byte at the edges', () => {
    fc.assert(
      fc.property(
        fc.array(tensorArb(400_000), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (tensors, sizes, reuse) => {
          const big = makeTensor('big', 'FP32', 300_000, 7);
          const messages: WireMessage[] = [
            { kind: 'set-threads', threads: 2 },
            { kind: 'run', batchId: 1, inputs: [big, ...tensors], outputNames: undefined },
            { kind: 'result', batchId: 1, outputs: tensors, computeMs: 1.5 },
          ];
          const stream = Buffer.concat(messages.map(encode));
          expect(stream.length).toBeGreaterThan(1_000_000);
          const cuts = [1, 3, 5, ...sizes];
          const parsed = parseInChunks(stream, cuts, reuse);
          expect(firstDifference(parsed.map(normalise), messages.map(normalise))).toBeUndefined();
        },
      ),
      { numRuns: 25, endOnFailure: true },
    );
  });

  it('lays a frame out as documented: lengths, JSON metadata, tensor data at multiples of 8', () => {
    const a = makeTensor('a', 'UINT8', 3, 1);
    const b = makeTensor('b', 'FP64', 2, 2);
    const frame = encode({ kind: 'result', batchId: 9, outputs: [a, b], computeMs: 2 });
    const metaBytes = frame.readUInt32LE(4);
    expect(frame.readUInt32LE(0)).toBe(frame.length);
    expect(frame.length % 8).toBe(0);
    expect(JSON.parse(frame.toString('utf8', 8, 8 + metaBytes))).toEqual({
      kind: 'result',
      batchId: 9,
      computeMs: 2,
      outputs: [
        { name: 'a', datatype: 'UINT8', shape: [3], byteLength: 3 },
        { name: 'b', datatype: 'FP64', shape: [2], byteLength: 16 },
      ],
    });
    const start = Math.ceil((8 + metaBytes) / 8) * 8;
    expect(frame.subarray(start, start + 3)).toEqual(Buffer.from(a.data as Uint8Array));
    expect(frame.subarray(start + 3, start + 8)).toEqual(Buffer.alloc(5));
    const fp64 = b.data as Float64Array;
    expect(frame.subarray(start + 8, start + 24)).toEqual(Buffer.from(fp64.buffer, fp64.byteOffset, 16));
    expect(frame.length).toBe(start + 24);
  });

  it('sends large tensors as views of their own memory and small frames as one buffer', () => {
    const large = makeTensor('x', 'FP32', 30_000, 3, 1);
    const chunks = encodeFrame({ kind: 'run', batchId: 1, inputs: [large], outputNames: undefined });
    expect(chunks).toHaveLength(2);
    expect(chunks[1]!.buffer).toBe((large.data as Float32Array).buffer);
    expect(chunks[1]!.byteOffset).toBe((large.data as Float32Array).byteOffset);
    const small = encodeFrame({
      kind: 'result',
      batchId: 1,
      outputs: [makeTensor('y', 'FP32', 16, 4)],
      computeMs: 1,
    });
    expect(small).toHaveLength(1);
    expect(small[0]!.length).toBeLessThanOrEqual(COALESCE_BYTES);
  });

  it('views a frame that arrives whole in place, copies it when misaligned, assembles a split one once', () => {
    const tensor = makeTensor('x', 'INT64', 1000, 5);
    const frame = encode({ kind: 'run', batchId: 1, inputs: [tensor], outputNames: undefined });
    const viewed = new FrameParser().push(frame)[0] as Extract<WireMessage, { kind: 'run' }>;
    expect(viewed.inputs[0]!.data).toBeInstanceOf(BigInt64Array);
    expect((viewed.inputs[0]!.data as BigInt64Array).buffer).toBe(frame.buffer);

    const shifted = Buffer.alloc(frame.length + 4);
    frame.copy(shifted, 4);
    const copied = new FrameParser().push(shifted.subarray(4))[0] as typeof viewed;
    expect((copied.inputs[0]!.data as BigInt64Array).buffer).not.toBe(shifted.buffer);
    expect(normalise(copied)).toEqual(normalise(viewed));

    const parser = new FrameParser();
    expect(parser.push(frame.subarray(0, 100))).toEqual([]);
    expect(parser.buffered).toBe(100);
    const assembled = parser.push(frame.subarray(100))[0] as typeof viewed;
    expect((assembled.inputs[0]!.data as BigInt64Array).buffer.byteLength).toBe(frame.length);
    expect(normalise(assembled)).toEqual(normalise(viewed));
  });

  it('refuses tensors whose data does not fit the datatype, before anything is written', () => {
    const wrong: Tensor = { name: 'x', datatype: 'FP32', shape: [2], data: new Float64Array(2) };
    const strings: Tensor = { name: 's', datatype: 'INT32', shape: [1], data: ['a'] };
    for (const input of [wrong, strings]) {
      const encoding = (): Buffer[] =>
        encodeFrame({ kind: 'run', batchId: 1, inputs: [input], outputNames: undefined });
      expect(encoding).toThrow(SluiceError);
      expect(encoding).toThrow(/cannot be framed/);
    }
  });

  it('fails a malformed stream loudly and for good', () => {
    const good = encode({ kind: 'shutdown' });
    const header = (frameBytes: number, metaBytes: number): Buffer => {
      const b = Buffer.alloc(Math.max(8, frameBytes));
      b.writeUInt32LE(frameBytes, 0);
      b.writeUInt32LE(metaBytes, 4);
      return b;
    };
    const notJson = header(16, 4);
    notJson.write('nope', 8);
    const pastEnd = encode({
      kind: 'result',
      batchId: 1,
      outputs: [makeTensor('x', 'FP32', 64, 1)],
      computeMs: 1,
    });
    pastEnd.writeUInt32LE(pastEnd.length - 64, 0);
    for (const bad of [header(12, 2), header(16, 0), header(16, 12), notJson, pastEnd]) {
      const parser = new FrameParser();
      expect(() => parser.push(bad)).toThrow(/malformed frame/);
      expect(() => parser.push(good)).toThrow(/malformed frame/);
    }
  });

  it('leaves a frame cut off by a crash behind with its stream: a new parser starts clean', () => {
    const frame = encode({
      kind: 'result',
      batchId: 1,
      outputs: [makeTensor('x', 'FP32', 5000, 1)],
      computeMs: 1,
    });
    const dying = new FrameParser();
    expect(dying.push(frame.subarray(0, frame.length / 2))).toEqual([]);
    expect(dying.buffered).toBeGreaterThan(0);
    const next = new FrameParser();
    expect(next.push(encode({ kind: 'shutdown' }))).toEqual([{ kind: 'shutdown' }]);
  });
});
