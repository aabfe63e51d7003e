// `sluice profile`: a tiny variant measured end to end from the command line (progress on stderr,
// JSON on stdout, profile.json beside the model), --report writing a chart, --import of the published
// measurements, and usage errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { command } from '../../src/cli/commands/profile.js';
import type { Profile } from '../../src/core/profile.js';
import { readProfile } from '../../src/runtime/profile-file.js';
import { writeZoo } from '../../src/runtime/zoo/write-zoo.js';

let repo: string;
let stdout: string[];
let stderr: string[];
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'sluice-profile-cli-'));
  writeZoo({ dir: repo, scale: 'tiny', variants: ['resnet18'] });
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
});
afterEach(() => vi.restoreAllMocks());

describe('sluice profile', () => {
  it('measures a variant, writes profile.json beside the model, and renders it', async () => {
    const argv = ['--repository', repo, '--module', 'resnet', '--variant', 'resnet18'];
    const grid = ['--batches', '1,2', '--cores', '0.5,1', '--instances', '2', '--colocation-cores', '1'];
    const sampling = [
      '--min-samples',
      '3',
      '--max-samples',
      '20',
      '--point-seconds',
      '0.1',
      '--no-capacity-check',
    ];
    expect(await command.run([...argv, ...grid, ...sampling, '--json'])).toBe(0);
    const path = join(repo, 'resnet', 'resnet18', 'profile.json');
    const read = await readProfile(path, { module: 'resnet', variant: 'resnet18' });
    expect(read.ok).toBe(true);
    const printed = JSON.parse(stdout.join('')) as Profile[];
    expect(printed).toHaveLength(1);
    expect(printed[0]!.points.filter((p) => p.instances === 1)).toHaveLength(4);
    expect(printed[0]!.source).toMatchObject({
      kind: 'measured',
      command: expect.stringContaining('sluice profile --repository'),
    });
    const log = stderr.join('');
    expect(log).toMatch(/\[[#.]{24}\] +\d+% .* left {2}resnet18: /);
    expect(log).toMatch(/resnet\/resnet18: l\(b,c\) = .* ms; fit error median/);

    expect(await command.run([...argv, '--report'])).toBe(0);
    const svg = readFileSync(join(repo, 'resnet', 'resnet18', 'profile.svg'), 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('batch latency, measured and fitted');
    expect(svg).toContain('batching or co-location');
  });

  it('imports the published KAIROS and InfAdapter measurements as profiles', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sluice-import-'));
    try {
      expect(await command.run(['--import', 'kairos-aws', '--out', out])).toBe(0);
      expect(stderr.join('')).toMatch(/imported 20 profiles \(5 modules, 4 hardware kinds\)/);
      const gpu = await readProfile(join(out, 'dien', 'dien', 'profile-g4dn.xlarge.json'));
      expect(gpu.ok && gpu.profile.hardware.kind).toBe('fixed');
      const hardware = JSON.parse(readFileSync(join(out, 'hardware.json'), 'utf8')) as {
        name: string;
        pricePerHour: number;
      }[];
      expect(hardware.find((h) => h.name === 'g4dn.xlarge')?.pricePerHour).toBe(0.526);
      expect(
        await command.run(['--import', 'infadapter', '--out', join(out, 'ia'), '--slo-ms', '1000']),
      ).toBe(0);
      const r50 = await readProfile(join(out, 'ia', 'resnet', 'resnet50', 'profile-infadapter-cpu.json'));
      expect(r50.ok && r50.profile.capacity?.sloMs).toBe(1000);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.each([
    [['--module', 'nope'], /--module: no module 'nope'/],
    [['--variant', 'resnet99'], /--variant: no variant resnet99/],
    [['--cores', '0,1'], /--cores must be greater than 0/],
    [['--batches', '1,x'], /--batches must be a number/],
    [['--percentile', 'p90'], /--percentile must be one of p99, p50/],
    [['--shape', 'input'], /--shape must be NAME=DxDxD/],
    [['--import', 'mlperf'], /--import must be one of kairos-aws, infadapter/],
  ])('rejects %j', async (argv, message) => {
    await expect(command.run(['--repository', repo, ...argv])).rejects.toThrow(UsageError);
    await expect(command.run(['--repository', repo, ...argv])).rejects.toThrow(message);
  });
});
