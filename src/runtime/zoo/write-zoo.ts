/**
 * Writes the zoo's modules into a model repository: `<dir>/resnet/<variant>/model.onnx` with the module's
 * `config.yaml`, and `<dir>/simple/`. Synchronous: at tiny scale the whole zoo takes well under a second;
 * at full scale about ten seconds, dominated by drawing ~160M Gaussian weights.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileMatchesOnnxModel, writeOnnxModel } from './onnx-writer.js';
import type { OnnxModel } from './onnx-model.js';
import { RESNET_VARIANTS, buildResnet, type ResnetVariant, type ZooScale } from './resnet.js';
import { buildSimpleModel } from './simple-model.js';
import {
  RESNET_MODULE,
  SIMPLE_MODULE,
  SIMPLE_VARIANT,
  resnetModuleConfig,
  simpleModuleConfig,
  zooModelFile,
} from './zoo-config.js';

/** Seed of the zoo's weights when none is given (the demo repository's models use it). */
export const DEFAULT_ZOO_SEED = 1;

export interface ZooOptions {
  /** Repository directory; created if missing. */
  readonly dir: string;
  /** Default `tiny`. */
  readonly scale?: ZooScale;
  /** ResNet variants to write, in the order the module's config lists them; default all five. */
  readonly variants?: readonly ResnetVariant[];
  /** Default `DEFAULT_ZOO_SEED`. */
  readonly seed?: number;
  /**
   * Rewrite every model file; default false: a file that these settings (variant, scale, seed) already made
   * is kept, any other file at the path is replaced.
   */
  readonly force?: boolean;
  /** `overwrite` (default) rewrites each module's config.yaml; `keep` writes it only when missing. */
  readonly config?: 'overwrite' | 'keep';
  /** Called after each file is written or kept, in order. */
  readonly onFile?: (file: ZooFile) => void;
}

export interface ZooFile {
  /** Absolute path. */
  readonly path: string;
  /** Size on disk in bytes. */
  readonly bytes: number;
  /** Time spent generating and writing it, in seconds (0 when kept). */
  readonly seconds: number;
  readonly status: 'written' | 'kept';
}

/** Writes the zoo and returns what it did with each file, in order. */
export function writeZoo(options: ZooOptions): ZooFile[] {
  const scale = options.scale ?? 'tiny';
  const variants = options.variants ?? RESNET_VARIANTS;
  const seed = options.seed ?? DEFAULT_ZOO_SEED;
  const files: ZooFile[] = [];
  const report = (file: ZooFile): void => {
    files.push(file);
    options.onFile?.(file);
  };
  const model = (path: string, build: () => OnnxModel): void => {
    const onnx = build();
    // Keep only a file these settings made: one from another scale or seed would contradict the
    // config.yaml written beside it.
    if (options.force !== true && fileMatchesOnnxModel(path, onnx)) {
      report({ path, bytes: statSync(path).size, seconds: 0, status: 'kept' });
      return;
    }
    const started = performance.now();
    mkdirSync(dirname(path), { recursive: true });
    const bytes = writeOnnxModel(path, onnx);
    report({ path, bytes, seconds: (performance.now() - started) / 1000, status: 'written' });
  };
  const config = (path: string, text: string): void => {
    if (options.config === 'keep' && existsSync(path)) {
      report({ path, bytes: statSync(path).size, seconds: 0, status: 'kept' });
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    report({ path, bytes: Buffer.byteLength(text), seconds: 0, status: 'written' });
  };

  const simpleDir = join(options.dir, SIMPLE_MODULE);
  config(join(simpleDir, 'config.yaml'), simpleModuleConfig());
  model(join(simpleDir, zooModelFile(SIMPLE_VARIANT)), buildSimpleModel);
  if (variants.length > 0) {
    const resnetDir = join(options.dir, RESNET_MODULE);
    config(join(resnetDir, 'config.yaml'), resnetModuleConfig(scale, variants, seed));
    for (const variant of variants)
      model(join(resnetDir, zooModelFile(variant)), () => buildResnet(variant, scale, seed));
  }
  return files;
}
