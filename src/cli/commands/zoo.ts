/**
 * `sluice zoo`: generates the model zoo (the ResNet family and `simple`) into a model repository, with
 * one progress line per file on stderr and, with --json, the list of files on stdout.
 */
import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  RESNET_VARIANTS,
  ZOO_SCALES,
  isResnetVariant,
  type ResnetVariant,
  type ZooScale,
} from '../../runtime/zoo/resnet.js';
import { DEFAULT_ZOO_SEED, writeZoo, type ZooFile } from '../../runtime/zoo/write-zoo.js';
import { UsageError, type Command } from '../command.js';

const help = `usage: sluice zoo [--scale tiny|full] [--out DIR] [--variants LIST] [--seed N] [--force] [--json]

Writes ONNX image classifiers with the real ResNet topologies and random, seeded weights:
  <out>/resnet/<variant>/model.onnx and <out>/resnet/config.yaml, plus <out>/simple/ (Triton's "simple").

options:
  --scale tiny|full   tiny (default): base width 8, 3x32x32 input, 10 classes, well under 1 ms per inference;
                      full: the real widths, 3x224x224 input, 1000 classes, 50-400 ms per inference on one core
                      (about 10 s and 650 MB for all five variants)
  --out DIR           repository to write into (default: models)
  --variants LIST     comma-separated subset of ${RESNET_VARIANTS.join(',')} (default: all);
                      the module's config.yaml lists exactly these
  --seed N            weights seed, a non-negative integer (default: ${DEFAULT_ZOO_SEED}); same seed, same bytes
  --force             rewrite every model file (default: keep a file these settings already made,
                      replace any other)
  --json              print the files written as JSON on stdout
  -h, --help          show this help

Accuracies in config.yaml are the published torchvision ImageNet top-1 of each architecture (nominal:
the weights are random).`;

function parseVariants(text: string | undefined): readonly ResnetVariant[] {
  if (text === undefined) return RESNET_VARIANTS;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isResnetVariant(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown variant ${unknown.join(', ')} (choose from ${RESNET_VARIANTS.join(', ')})`);
  const chosen = names.filter(isResnetVariant);
  if (chosen.length === 0) throw new UsageError('--variants lists no variant');
  return [...new Set(chosen)];
}

function parseScale(text: string | undefined): ZooScale {
  if (text === undefined) return 'tiny';
  if (!(ZOO_SCALES as readonly string[]).includes(text))
    throw new UsageError(`--scale must be one of ${ZOO_SCALES.join(', ')}`);
  return text as ZooScale;
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ZOO_SEED;
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > 0xffffffff)
    throw new UsageError('--seed must be an integer in [0, 4294967295]');
  return seed;
}

function progressLine(file: ZooFile): string {
  const size =
    file.bytes >= 1e6 ? `${(file.bytes / 1e6).toFixed(1)} MB` : `${(file.bytes / 1e3).toFixed(1)} kB`;
  const what = file.status === 'kept' ? 'kept (exists; --force rewrites)' : `${file.seconds.toFixed(2)} s`;
  const rel = relative(process.cwd(), file.path);
  const shown = rel.startsWith('..') || isAbsolute(rel) ? file.path : rel;
  return `  ${shown}  ${size}  ${what}\n`;
}

function runZoo(argv: readonly string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        scale: { type: 'string' },
        out: { type: 'string' },
        variants: { type: 'string' },
        seed: { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const scale = parseScale(values.scale);
  const variants = parseVariants(values.variants);
  const seed = parseSeed(values.seed);
  const dir = values.out ?? 'models';
  process.stderr.write(`sluice zoo: ${scale} scale, seed ${seed}, into ${dir}\n`);
  const started = performance.now();
  const files = writeZoo({
    dir,
    scale,
    variants,
    seed,
    force: values.force === true,
    onFile: (f) => process.stderr.write(progressLine(f)),
  });
  const written = files.filter((f) => f.status === 'written').length;
  process.stderr.write(
    `sluice zoo: ${written} written, ${files.length - written} kept in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (values.json === true) process.stdout.write(`${JSON.stringify(files, null, 2)}\n`);
  return 0;
}

export const command: Command = {
  help,
  // The work is synchronous; the executor turns a thrown UsageError into a rejection, as callers expect.
  run: (argv) => new Promise((resolve) => resolve(runZoo(argv))),
};
