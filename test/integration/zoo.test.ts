// The zoo's generated ONNX files load in onnxruntime-node and compute what they claim.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelRepository } from '../../src/runtime/model-repository.js';
import { encodeOnnxModel } from '../../src/runtime/zoo/onnx-writer.js';
import { RESNET_VARIANTS, ZOO_SCALE_SPECS, buildResnet } from '../../src/runtime/zoo/resnet.js';
import { writeZoo, type ZooFile } from '../../src/runtime/zoo/write-zoo.js';

const TINY = ZOO_SCALE_SPECS.tiny;
const ROW = 3 * TINY.imageSize * TINY.imageSize;

/** Deterministic, distinct image rows in [0, 1). */
function images(rows: number, salt = 0): Float32Array {
  return Float32Array.from(
    { length: rows * ROW },
    (_, i) => ((Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453) % 1) * 0.5 + 0.5,
  );
}

async function session(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

async function classify(
  s: ort.InferenceSession,
  data: Float32Array,
  rows: number,
  size = TINY.imageSize,
): Promise<ort.Tensor> {
  const out = await s.run({ input: new ort.Tensor('float32', data, [rows, 3, size, size]) });
  return out.probabilities!;
}

function expectProbabilityRows(t: ort.Tensor, rows: number, classes: number): void {
  expect(t.dims).toEqual([rows, classes]);
  const data = t.data as Float32Array;
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * classes, (r + 1) * classes);
    expect(row.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)).toBe(true);
    expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
  }
}

describe('zoo (tiny scale)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-zoo-'));
    writeZoo({ dir, scale: 'tiny' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(RESNET_VARIANTS)(
    '%s runs: finite probabilities; a batch of 3 equals 3 single runs',
    async (variant) => {
      const s = await session(join(dir, 'resnet', variant, 'model.onnx'));
      const batch = images(3);
      const batched = await classify(s, batch, 3);
      expectProbabilityRows(batched, 3, TINY.classes);
      for (let r = 0; r < 3; r++) {
        const single = await classify(s, batch.slice(r * ROW, (r + 1) * ROW), 1);
        expectProbabilityRows(single, 1, TINY.classes);
        const expected = (batched.data as Float32Array).subarray(r * TINY.classes, (r + 1) * TINY.classes);
        const actual = single.data as Float32Array;
        actual.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 6));
      }
      // Random weights still separate inputs: different images, different outputs.
      const a = batched.data as Float32Array;
      expect(a.subarray(0, TINY.classes)).not.toEqual(a.subarray(TINY.classes, 2 * TINY.classes));
      await s.release();
    },
  );

  it('simple computes the sum and the difference exactly', async () => {
    const s = await ort.InferenceSession.create(join(dir, 'simple', '1', 'model.onnx'));
    const a = Float32Array.from({ length: 8 }, (_, i) => i * 1.5 - 3);
    const b = Float32Array.from({ length: 8 }, (_, i) => 100 - i * 0.25);
    const out = await s.run({
      INPUT0: new ort.Tensor('float32', a, [2, 4]),
      INPUT1: new ort.Tensor('float32', b, [2, 4]),
    });
    expect(out.OUTPUT0!.dims).toEqual([2, 4]);
    expect(Array.from(out.OUTPUT0!.data as Float32Array)).toEqual(
      Array.from(a, (x, i) => Math.fround(x + b[i]!)),
    );
    expect(Array.from(out.OUTPUT1!.data as Float32Array)).toEqual(
      Array.from(a, (x, i) => Math.fround(x - b[i]!)),
    );
    await s.release();
  });

  it('config.yaml declares what onnxruntime reports', async () => {
    const modules = await loadModelRepository(dir);
    expect(modules.map((m) => m.name)).toEqual(['resnet', 'simple']);
    const resnet = modules[0]!;
    expect(resnet.variants.map((v) => v.name)).toEqual([...RESNET_VARIANTS]);
    expect(resnet.variants.every((v) => v.accuracySource.startsWith('nominal'))).toBe(true);
    for (const module of modules) {
      const s = await session(module.variants[0]!.file);
      const declared = (specs: typeof module.inputs): unknown[] =>
        specs.map((t) => ({ name: t.name, type: 'float32', shape: ['N', ...t.shape] }));
      const reported = (meta: readonly ort.InferenceSession.ValueMetadata[]): unknown[] =>
        meta.map((m) => ({
          name: m.name,
          type: m.isTensor ? m.type : 'non-tensor',
          shape: m.isTensor ? m.shape : [],
        }));
      expect(reported(s.inputMetadata)).toEqual(declared(module.inputs));
      expect(reported(s.outputMetadata)).toEqual(declared(module.outputs));
      await s.release();
    }
  });

  it('same seed: byte-identical files; another seed: same graph, different weights', () => {
    const a = encodeOnnxModel(buildResnet('resnet34', 'tiny', 7));
    const b = encodeOnnxModel(buildResnet('resnet34', 'tiny', 7));
    const c = encodeOnnxModel(buildResnet('resnet34', 'tiny', 8));
    expect(Buffer.compare(a, b)).toBe(0);
    expect(c.length).toBe(a.length);
    expect(Buffer.compare(a, c)).not.toBe(0);
    // The file written by writeZoo (default seed 1) is the same bytes as the in-memory encoding.
    const written = readFileSync(join(dir, 'resnet', 'resnet18', 'model.onnx'));
    expect(Buffer.compare(written, encodeOnnxModel(buildResnet('resnet18', 'tiny', 1)))).toBe(0);
  });

  it('keeps existing files unless forced', () => {
    const kept = writeZoo({ dir, scale: 'tiny', variants: ['resnet18'], config: 'keep' });
    expect(kept.filter((f) => f.path.endsWith('.onnx')).map((f) => f.status)).toEqual(['kept', 'kept']);
    const forced = writeZoo({
      dir,
      scale: 'tiny',
      variants: ['resnet18'],
      seed: 1,
      force: true,
      config: 'keep',
    });
    expect(forced.filter((f) => f.path.endsWith('.onnx')).map((f) => f.status)).toEqual([
      'written',
      'written',
    ]);
  });

  it('replaces, even unforced, a file that other settings (seed, scale) or nothing valid made', () => {
    const path = join(dir, 'resnet', 'resnet18', 'model.onnx');
    const statusOf = (files: ZooFile[]): string | undefined => files.find((f) => f.path === path)?.status;
    expect(statusOf(writeZoo({ dir, variants: ['resnet18'], seed: 2, config: 'keep' }))).toBe('written');
    expect(statusOf(writeZoo({ dir, variants: ['resnet18'], seed: 2, config: 'keep' }))).toBe('kept');
    writeFileSync(path, 'not a model');
    expect(statusOf(writeZoo({ dir, variants: ['resnet18'], config: 'keep' }))).toBe('written');
    expect(Buffer.compare(readFileSync(path), encodeOnnxModel(buildResnet('resnet18', 'tiny', 1)))).toBe(0);
  });
});

describe('zoo (full scale)', () => {
  it('resnet18 loads and outputs [1, 1000] probabilities', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-zoo-full-'));
    try {
      const files = writeZoo({ dir, scale: 'full', variants: ['resnet18'] });
      const model = files.find((f) => f.path.endsWith(join('resnet18', 'model.onnx')))!;
      expect(model.bytes).toBeGreaterThan(11_000_000 * 4);
      const full = ZOO_SCALE_SPECS.full;
      const s = await session(model.path);
      const input = Float32Array.from(
        { length: 3 * full.imageSize * full.imageSize },
        (_, i) => (i % 255) / 255,
      );
      expectProbabilityRows(await classify(s, input, 1, full.imageSize), 1, full.classes);
      await s.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
