// InstanceProcess against fake workers that speak raw frames on fd 3 (no onnxruntime): a worker that dies
// in the middle of a frame, one that sends garbage, and the fresh process after them, which must not see
// anything of its predecessor's stream. The real worker is covered by onnx-worker-pool*.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/core/tensor.js';
import { InstanceProcess, resolveWorkerEntry, type ProcessExit } from '../../src/runtime/instance-process.js';

/** Frames as worker-protocol.ts lays them out, for messages without tensors. */
const FRAMING = `
import { Socket } from 'node:net';
export const socket = new Socket({ fd: 3, readable: true, writable: true });
export function frame(message) {
  const json = Buffer.from(JSON.stringify(message));
  const bytes = Math.ceil((8 + json.length) / 8) * 8;
  const out = Buffer.alloc(bytes);
  out.writeUInt32LE(bytes, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  return out;
}
/** Calls back with each complete frame's metadata. */
export function onFrames(callback) {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8 && pending.length >= pending.readUInt32LE(0)) {
      const bytes = pending.readUInt32LE(0);
      callback(JSON.parse(pending.toString('utf8', 8, 8 + pending.readUInt32LE(4))));
      pending = pending.subarray(bytes);
    }
  });
}
`;

const WORKERS = {
  // Announces a 1 MiB result, writes a few bytes of it and dies.
  cutOff: `import { socket, onFrames } from './framing.mjs';
    onFrames(() => {
      const header = Buffer.alloc(1000);
      header.writeUInt32LE(1 << 20, 0);
      header.writeUInt32LE(100, 4);
      socket.write(header, () => process.exit(7));
    });`,
  // A header that no encoder writes (the length is not a multiple of 8), then it waits to be killed.
  garbage: `import { socket, onFrames } from './framing.mjs';
    onFrames(() => socket.write(Buffer.from([12, 0, 0, 0, 2, 0, 0, 0, 123, 125, 0, 0])));`,
  // Answers every run with an error reply naming the batch.
  answers: `import { socket, frame, onFrames } from './framing.mjs';
    onFrames((m) => {
      if (m.kind === 'run') socket.write(frame({ kind: 'error', batchId: m.batchId, code: 'INTERNAL', message: 'fake ' + m.inputs.length }));
    });`,
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-instance-process-'));
  await writeFile(join(dir, 'framing.mjs'), FRAMING);
  for (const [name, source] of Object.entries(WORKERS)) await writeFile(join(dir, `${name}.mjs`), source);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(worker: keyof typeof WORKERS): { child: InstanceProcess; exits: ProcessExit[] } {
  const exits: ProcessExit[] = [];
  const child = new InstanceProcess({ script: join(dir, `${worker}.mjs`), execArgv: [] }, (exit) =>
    exits.push(exit),
  );
  return { child, exits };
}

const input: Tensor = { name: 'x', datatype: 'FP32', shape: [1, 25_000], data: new Float32Array(25_000) };

describe('InstanceProcess over the frame socket', () => {
  it('fails the batch of a worker that dies mid-frame once; the next process starts on a clean stream', async () => {
    const dying = start('cutOff');
    await expect(dying.child.run(1, [input], undefined)).rejects.toMatchObject({ code: 'INSTANCE_FAILED' });
    expect((await dying.child.exited).code).toBe(7);
    expect(dying.exits).toHaveLength(1);
    expect(dying.child.pending).toBe(0);

    const next = start('answers');
    expect(await next.child.run(2, [input, input], undefined)).toEqual({
      kind: 'error',
      batchId: 2,
      code: 'INTERNAL',
      message: 'fake 2',
    });
    next.child.kill();
    await next.child.exited;
  });

  it('kills a worker that sends a malformed frame and fails its batch', async () => {
    const { child, exits } = start('garbage');
    await expect(child.run(1, [input], undefined)).rejects.toMatchObject({ code: 'INSTANCE_FAILED' });
    expect(exits).toEqual([expect.objectContaining({ signal: 'SIGKILL' })]);
  });

  it('answers a batch that cannot be framed with a non-retryable error, without sending it', async () => {
    const { child } = start('answers');
    const misfit: Tensor = { name: 'x', datatype: 'FP32', shape: [2], data: new Float64Array(2) };
    expect(await child.run(1, [misfit], undefined)).toMatchObject({ kind: 'error', code: 'INTERNAL' });
    expect(await child.run(2, [input], undefined)).toMatchObject({ kind: 'error', batchId: 2 });
    child.kill();
    await child.exited;
  });

  it('the real worker refuses to run without the frame socket', () => {
    const entry = resolveWorkerEntry(new URL('../../src/runtime/instance-process.ts', import.meta.url).href);
    const run = spawnSync(process.execPath, [...entry.execArgv, entry.script], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no socket on fd 3/);
  });
});
