// The demo repository: generated from nothing, matching the committed configs, and every module's declared
// inputs and outputs agree with what onnxruntime reports for its model files (the OCR ones included).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleSpec, TensorSpec } from '../../src/core/model-spec.js';
import { loadModelRepository } from '../../src/runtime/model-repository.js';
import { defaultDemoRepositoryDir, ensureDemoRepository } from '../../src/runtime/zoo/demo-repository.js';

/** Size given to a dimension declared as -1 when running the model: a multiple of 32, as the OCR models need. */
const ANY_DIM = 64;

function dimsMatch(declared: readonly number[], actual: readonly (number | string)[]): boolean {
  return (
    declared.length === actual.length &&
    declared.every((d, i) => d === -1 || typeof actual[i] === 'string' || actual[i] === d)
  );
}

function expectDeclared(
  module: ModuleSpec,
  specs: readonly TensorSpec[],
  meta: readonly ort.InferenceSession.ValueMetadata[],
): void {
  expect(meta.map((m) => m.name)).toEqual(specs.map((s) => s.name));
  specs.forEach((spec, i) => {
    const m = meta[i]!;
    expect(m.isTensor).toBe(true);
    if (!m.isTensor) return;
    expect(spec.datatype).toBe('FP32');
    expect(m.type).toBe('float32');
    const [batch, ...rest] = m.shape;
    expect(module.maxBatch).toBeGreaterThan(0);
    expect(typeof batch, `${module.name}: the batch dimension must be dynamic`).toBe('string');
    expect(
      dimsMatch(spec.shape, rest),
      `${module.name}.${spec.name}: declared [${spec.shape.join(',')}], onnxruntime [${rest.join(',')}]`,
    ).toBe(true);
  });
}

describe('demo repository', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated from nothing, then kept as it is', () => {
    const first = ensureDemoRepository(dir);
    expect(first.every((f) => f.status === 'written')).toBe(true);
    expect(first.filter((f) => f.path.endsWith('.onnx'))).toHaveLength(6);
    const again = ensureDemoRepository(dir);
    expect(again.every((f) => f.status === 'kept')).toBe(true);
  });

  it('the committed models/*/config.yaml are exactly what the generator writes', () => {
    const committed = defaultDemoRepositoryDir();
    const modules = readdirSync(committed, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'apps')
      .map((e) => e.name);
    expect(modules.sort()).toEqual(['ocr-cls', 'ocr-det', 'ocr-rec', 'resnet', 'simple']);
    for (const name of modules) {
      const expected = readFileSync(join(dir, name, 'config.yaml'), 'utf8');
      expect(
        readFileSync(join(committed, name, 'config.yaml'), 'utf8'),
        `models/${name}/config.yaml drifted from src/runtime/zoo`,
      ).toBe(expected);
    }
    expect(
      readFileSync(join(committed, 'apps', 'ocr.yaml'), 'utf8'),
      'models/apps/ocr.yaml drifted from src/runtime/zoo',
    ).toBe(readFileSync(join(dir, 'apps', 'ocr.yaml'), 'utf8'));
  });

  it('every variant loads; declared inputs and outputs match onnxruntime, and a run has the declared shapes', async () => {
    const modules = await loadModelRepository(dir);
    expect(modules.map((m) => m.name)).toEqual(['ocr-cls', 'ocr-det', 'ocr-rec', 'resnet', 'simple']);
    for (const module of modules) {
      for (const variant of module.variants) {
        const s = await ort.InferenceSession.create(variant.file, {
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
        });
        expectDeclared(module, module.inputs, s.inputMetadata);
        expectDeclared(module, module.outputs, s.outputMetadata);
        const feeds = Object.fromEntries(
          module.inputs.map((t) => {
            const dims = [2, ...t.shape.map((d) => (d === -1 ? ANY_DIM : d))];
            const data = Float32Array.from(
              { length: dims.reduce((p, d) => p * d, 1) },
              (_, i) => (i % 97) / 97,
            );
            return [t.name, new ort.Tensor('float32', data, dims)];
          }),
        );
        const out = await s.run(feeds);
        for (const t of module.outputs) {
          const result = out[t.name]!;
          expect(result.dims[0]).toBe(2);
          expect(
            dimsMatch(t.shape, result.dims.slice(1)),
            `${module.name}/${variant.name} ${t.name}: [${result.dims.join(',')}]`,
          ).toBe(true);
          expect((result.data as Float32Array).every(Number.isFinite)).toBe(true);
        }
        await s.release();
      }
    }
  });
});
