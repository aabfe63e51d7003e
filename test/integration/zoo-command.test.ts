// `sluice zoo`: options, progress on stderr, JSON on stdout, usage errors.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { command } from '../../src/cli/commands/zoo.js';
import { loadModelRepository } from '../../src/runtime/model-repository.js';

let out: string;
let stdout: string[];
let stderr: string[];
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'sluice-zoo-cli-'));
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(out, { recursive: true, force: true });
});

describe('sluice zoo', () => {
  it('writes the chosen variants and a config listing exactly them, with progress per file', async () => {
    expect(
      await command.run(['--out', out, '--variants', 'resnet50,resnet18', '--seed', '3', '--json']),
    ).toBe(0);
    expect(existsSync(join(out, 'resnet', 'resnet50', 'model.onnx'))).toBe(true);
    expect(existsSync(join(out, 'resnet', 'resnet34', 'model.onnx'))).toBe(false);
    expect(existsSync(join(out, 'simple', '1', 'model.onnx'))).toBe(true);
    const modules = await loadModelRepository(out);
    const resnet = modules.find((m) => m.name === 'resnet')!;
    expect(resnet.variants.map((v) => v.name)).toEqual(['resnet50', 'resnet18']);
    expect(resnet.defaultVariant).toBe('resnet50');
    expect(resnet.inputs[0]!.shape).toEqual([3, 32, 32]);
    const progress = stderr.join('');
    expect(progress).toMatch(/resnet50\/model\.onnx {2}\d+\.\d (kB|MB) {2}\d+\.\d\d s/);
    const files = JSON.parse(stdout.join('')) as { path: string; status: string }[];
    expect(files).toHaveLength(5); // 2 config.yaml + simple + 2 variants
    expect(files.every((f) => f.status === 'written')).toBe(true);
  });

  it.each([
    [['--scale', 'huge'], /--scale must be one of tiny, full/],
    [['--variants', 'resnet18,vgg16'], /unknown variant vgg16/],
    [['--seed=-1'], /--seed must be an integer/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--colour'], /Unknown option '--colour'/],
    [['extra'], /positional/],
  ])('rejects %j', async (argv, message) => {
    await expect(command.run(['--out', out, ...argv])).rejects.toThrow(UsageError);
    await expect(command.run(['--out', out, ...argv])).rejects.toThrow(message);
  });
});
