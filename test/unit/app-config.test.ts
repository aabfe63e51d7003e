// Application files (`apps/<name>.yaml`): what a valid one compiles to, and that every problem (an
// unknown module or step, a cycle, a missing input, an unknown key) is reported with its key path, and
// with the file's name when loaded from a repository.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/core/errors.js';
import { parseAppConfig, type AppConfigContext } from '../../src/runtime/app-config.js';
import { loadApps } from '../../src/runtime/app-repository.js';

const context: AppConfigContext = {
  fileName: 'ocr',
  file: '/repo/apps/ocr.yaml',
  modules: ['det', 'cls', 'rec', 'simple'],
  steps: { input: ['ocr.in'], post: ['ocr.crops'], pre: ['ocr.cls-in'], output: ['ocr.out'] },
};

const valid = {
  sloMs: 500,
  modules: ['det', 'cls', 'rec'],
  edges: [
    { from: 'det', to: 'cls', fanout: 'each', expectedFanout: 3, post: 'ocr.crops', pre: 'ocr.cls-in' },
    { from: 'cls', to: 'rec' },
  ],
  inputs: [{ name: 'image', datatype: 'BYTES', shape: [1] }],
  outputs: [{ name: 'texts', datatype: 'BYTES', shape: [-1] }],
  input: 'ocr.in',
  output: 'ocr.out',
};

const issuesOf = (document: unknown): string[] =>
  parseAppConfig(document, context).issues.map((i) =>
    i.path === '' ? i.message : `${i.path}: ${i.message}`,
  );

describe('parseAppConfig', () => {
  it('compiles a valid file with every default filled in', () => {
    const { app, issues } = parseAppConfig(valid, context);
    expect(issues).toEqual([]);
    expect(app).toEqual({
      name: 'ocr',
      file: '/repo/apps/ocr.yaml',
      description: '',
      modules: ['det', 'cls', 'rec'],
      edges: [
        { from: 'det', to: 'cls', fanout: 'each', expectedFanout: 3, post: 'ocr.crops', pre: 'ocr.cls-in' },
        { from: 'cls', to: 'rec', fanout: 'one', expectedFanout: 1, post: 'forward', pre: 'forward' },
      ],
      sloMs: 500,
      inputs: [{ name: 'image', datatype: 'BYTES', shape: [1] }],
      outputs: [{ name: 'texts', datatype: 'BYTES', shape: [-1] }],
      input: 'ocr.in',
      output: 'ocr.out',
      dispatch: 'batch',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown module', { modules: ['det', 'cls', 'ocr-xx'] }, "modules[2]: unknown module 'ocr-xx'"],
    [
      'an edge to a module the app does not list',
      { edges: [{ from: 'det', to: 'simple' }] },
      "edges[0].to: 'simple' is not one of the app's modules",
    ],
    [
      'an unknown step',
      {
        edges: [
          { from: 'det', to: 'cls', post: 'ocr.nope' },
          { from: 'cls', to: 'rec' },
        ],
      },
      "edges[0].post: no step named 'ocr.nope' (known: ocr.crops)",
    ],
    ['an unknown input step', { input: 'ocr.decode' }, "input: no step named 'ocr.decode' (known: ocr.in)"],
    [
      'a cycle',
      {
        edges: [
          { from: 'det', to: 'cls' },
          { from: 'cls', to: 'rec' },
          { from: 'rec', to: 'cls' },
        ],
      },
      'edges: form a cycle through cls, rec',
    ],
    ['a self-loop', { edges: [{ from: 'det', to: 'det' }] }, "edges[0].to: an edge from 'det' to itself"],
    ['a module left unconnected', { edges: [{ from: 'det', to: 'cls' }] }, 'edges: connect rec to no other'],
    ['missing inputs', { inputs: undefined }, 'inputs: is required'],
    ['a missing SLO', { sloMs: undefined }, 'sloMs: is required'],
    [
      'a bad datatype',
      { outputs: [{ name: 't', datatype: 'TEXT', shape: [1] }] },
      'outputs[0].datatype: must be one of',
    ],
    ['an unknown key', { slo: 3 }, 'slo: unknown key'],
    ['a bad dispatch', { dispatch: 'round' }, 'dispatch: must be one of batch, per-request'],
    [
      'a fan-out stated on a one-to-one edge',
      {
        edges: [
          { from: 'det', to: 'cls', expectedFanout: 2 },
          { from: 'cls', to: 'rec' },
        ],
      },
      'edges[0].expectedFanout: must be 1',
    ],
    ['a name other than the file', { name: 'pipeline' }, "name: must equal the file name 'ocr'"],
  ])('reports %s', (_what, change, expected) => {
    const issues = issuesOf({ ...valid, ...change });
    expect(
      issues.some((i) => i.startsWith(expected)),
      issues.join('\n'),
    ).toBe(true);
  });

  it('refuses an app named like a module', () => {
    const { issues } = parseAppConfig(valid, { ...context, fileName: 'simple' });
    expect(issues.map((i) => i.message)).toContain("'simple' is already a module's name");
  });
});

describe('loadApps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-apps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no applications without an apps folder', async () => {
    expect(await loadApps(dir, context.modules, context.steps)).toEqual([]);
  });

  it('loads every file, or reports every problem naming the file and the key', async () => {
    mkdirSync(join(dir, 'apps'), { recursive: true });
    writeFileSync(join(dir, 'apps', 'ocr.yaml'), JSON.stringify(valid));
    const apps = await loadApps(dir, context.modules, context.steps);
    expect(apps.map((a) => a.name)).toEqual(['ocr']);

    writeFileSync(join(dir, 'apps', 'broken.yaml'), 'sloMs: -1\nmodules: [det, nothing]\n');
    writeFileSync(join(dir, 'apps', 'notes.txt'), 'hello');
    const error = await loadApps(dir, context.modules, context.steps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    const message = (error as SluiceError).message;
    expect((error as SluiceError).code).toBe('INVALID_CONFIG');
    expect(message).toMatch(/broken\.yaml: sloMs: must be a number > 0/);
    expect(message).toMatch(/broken\.yaml: modules\[1\]: unknown module 'nothing'/);
    expect(message).toMatch(/broken\.yaml: inputs: is required/);
    expect(message).toMatch(/notes\.txt: application files are named <name>\.yaml/);
  });
});
