/**
 * Validates one module's parsed `config.yaml` (format: docs/model-repository.md) into a `ModuleSpec`
 * with every default filled in. Pure apart from `resolveFile`, which the caller supplies, so the rules
 * can be tested without a file system. All problems are collected, each with its key path.
 */
import type { BatchingSpec, InstanceSpec, ModuleSpec, TensorSpec, VariantSpec } from '../core/model-spec.js';
import { DATATYPES } from '../core/tensor.js';
import { ConfigReader, type ConfigIssue } from './model-config-reader.js';

/** Module and variant names appear in URLs (`/v2/models/<module>/versions/<variant>`). */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_TEXT = 'letters, digits, ".", "_" or "-", starting with a letter or digit';

const TOP_KEYS = [
  'name',
  'description',
  'platform',
  'maxBatch',
  'defaultSloMs',
  'inputs',
  'outputs',
  'variants',
  'defaultVariant',
  'batching',
  'instances',
];
const TENSOR_KEYS = ['name', 'datatype', 'shape'];
const VARIANT_KEYS = ['name', 'file', 'accuracy', 'accuracySource'];
const BATCHING_KEYS = ['preferredBatch', 'maxQueueDelayMs', 'policy', 'admission', 'maxQueueLength'];
const INSTANCE_KEYS = ['count', 'cores', 'intraOpThreads'];

/** Defaults of the optional keys (see docs/model-repository.md). */
export const MODULE_CONFIG_DEFAULTS = {
  maxBatch: 0,
  defaultSloMs: 1000,
  maxQueueDelayMs: 0,
  policy: 'deadline',
  admission: 'reject',
  maxQueueLength: 1024,
  instanceCount: 1,
  cores: 1,
} as const;

export interface ModuleConfigContext {
  /** Name of the module's folder: the module's name. */
  readonly folderName: string;
  /** Absolute path of the module's folder. */
  readonly dir: string;
  /** Resolves a variant's `file` to an absolute path of an existing file, or says why it cannot. */
  readonly resolveFile: (file: string) => { readonly path: string } | { readonly error: string };
}

export interface ModuleConfigResult {
  /** Present exactly when there are no issues. */
  readonly module: ModuleSpec | undefined;
  readonly issues: readonly ConfigIssue[];
}

function readShape(r: ConfigReader): number[] | undefined {
  const list = r.list('shape', { nonEmpty: false });
  if (list === undefined) return undefined;
  let ok = true;
  list.forEach((dim, i) => {
    if (!(Number.isSafeInteger(dim) && ((dim as number) >= 1 || dim === -1))) {
      r.issues.push({
        path: ConfigReader.join(ConfigReader.join(r.path, 'shape'), i),
        message: 'must be a positive integer, or -1 for any size',
      });
      ok = false;
    }
  });
  return ok ? (list as number[]) : undefined;
}

/** Reads a list of `{name, datatype, shape}` at `key` (names unique), recording issues. */
export function readTensors(top: ConfigReader, key: 'inputs' | 'outputs'): TensorSpec[] | undefined {
  const list = top.list(key);
  if (list === undefined) return undefined;
  const tensors: TensorSpec[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const r = ConfigReader.of(item, ConfigReader.join(key, i), top.issues, TENSOR_KEYS);
    if (r === undefined) return;
    const name = r.string('name');
    const datatype = r.oneOf('datatype', DATATYPES);
    const shape = readShape(r);
    if (name !== undefined && seen.has(name)) r.fail('name', `duplicate ${key.slice(0, -1)} name ${name}`);
    if (name !== undefined) seen.add(name);
    if (name !== undefined && datatype !== undefined && shape !== undefined)
      tensors.push({ name, datatype, shape });
  });
  return tensors.length === list.length ? tensors : undefined;
}

function readVariants(top: ConfigReader, context: ModuleConfigContext): VariantSpec[] | undefined {
  const list = top.list('variants');
  if (list === undefined) return undefined;
  const variants: VariantSpec[] = [];
  const seen = new Set<string>();
  // Accuracy only matters for choosing among variants, so a lone variant may leave it out.
  const accuracyDefault = list.length === 1 ? 1 : undefined;
  list.forEach((item, i) => {
    const r = ConfigReader.of(item, ConfigReader.join('variants', i), top.issues, VARIANT_KEYS);
    if (r === undefined) return;
    const name = r.string('name', { pattern: NAME_PATTERN, patternText: NAME_TEXT });
    const file = r.string('file');
    const accuracy = r.number('accuracy', { min: 0, max: 1 }, accuracyDefault);
    const stated = r.has('accuracy');
    const accuracySource = r.string('accuracySource', {
      default: stated ? 'stated in config.yaml' : 'not stated (only variant): 1 assumed',
    });
    if (name !== undefined && seen.has(name)) r.fail('name', `duplicate variant name ${name}`);
    if (name !== undefined) seen.add(name);
    let path: string | undefined;
    if (file !== undefined) {
      const resolved = context.resolveFile(file);
      if ('error' in resolved) r.fail('file', resolved.error);
      else path = resolved.path;
    }
    if (name !== undefined && path !== undefined && accuracy !== undefined && accuracySource !== undefined) {
      variants.push({ name, file: path, accuracy, accuracySource });
    }
  });
  return variants.length === list.length ? variants : undefined;
}

function readBatching(top: ConfigReader, maxBatch: number | undefined): BatchingSpec | undefined {
  const r = top.mapping('batching', BATCHING_KEYS);
  if (r === undefined) return undefined;
  const limit = Math.max(1, maxBatch ?? 1);
  const preferredBatch = r.number('preferredBatch', { integer: true, min: 1 }, limit);
  if (preferredBatch !== undefined && maxBatch !== undefined && preferredBatch > limit) {
    r.fail(
      'preferredBatch',
      `must be <= maxBatch (${maxBatch}${maxBatch === 0 ? ': the module does not batch, so 1' : ''})`,
    );
  }
  const d = MODULE_CONFIG_DEFAULTS;
  const maxQueueDelayMs = r.number('maxQueueDelayMs', { min: 0 }, d.maxQueueDelayMs);
  const policy = r.oneOf('policy', ['deadline', 'fifo'], d.policy);
  const admission = r.oneOf('admission', ['reject', 'drop', 'serve'], d.admission);
  const maxQueueLength = r.number('maxQueueLength', { integer: true, min: 1 }, d.maxQueueLength);
  if (
    preferredBatch === undefined ||
    preferredBatch > limit ||
    maxQueueDelayMs === undefined ||
    policy === undefined
  )
    return undefined;
  if (admission === undefined || maxQueueLength === undefined) return undefined;
  return { preferredBatch, maxQueueDelayMs, policy, admission, maxQueueLength };
}

function readInstances(top: ConfigReader): InstanceSpec | undefined {
  const r = top.mapping('instances', INSTANCE_KEYS);
  if (r === undefined) return undefined;
  const count = r.number('count', { integer: true, min: 1 }, MODULE_CONFIG_DEFAULTS.instanceCount);
  const cores = r.number('cores', { min: 0, exclusiveMin: true }, MODULE_CONFIG_DEFAULTS.cores);
  const intraOpThreads = r.number('intraOpThreads', { integer: true, min: 1 }, Math.ceil(cores ?? 1));
  if (count === undefined || cores === undefined || intraOpThreads === undefined) return undefined;
  return { count, cores, intraOpThreads };
}

/** Validates a parsed config.yaml document against the module folder it was found in. */
export function parseModuleConfig(document: unknown, context: ModuleConfigContext): ModuleConfigResult {
  const issues: ConfigIssue[] = [];
  const top = ConfigReader.of(document, '', issues, TOP_KEYS);
  if (top === undefined) return { module: undefined, issues };
  if (!NAME_PATTERN.test(context.folderName)) {
    issues.push({
      path: '',
      message: `folder name '${context.folderName}' is not a valid module name (${NAME_TEXT})`,
    });
  }
  const name = top.string('name', { default: context.folderName });
  if (name !== undefined && name !== context.folderName)
    top.fail('name', `must equal the folder name '${context.folderName}' (or be left out)`);
  const description = top.string('description', { default: '' }) ?? '';
  const platform = top.oneOf('platform', ['onnxruntime'], 'onnxruntime');
  const maxBatch = top.number('maxBatch', { integer: true, min: 0 }, MODULE_CONFIG_DEFAULTS.maxBatch);
  const defaultSloMs = top.number(
    'defaultSloMs',
    { min: 0, exclusiveMin: true },
    MODULE_CONFIG_DEFAULTS.defaultSloMs,
  );
  const inputs = readTensors(top, 'inputs');
  const outputs = readTensors(top, 'outputs');
  const variants = readVariants(top, context);
  const defaultVariant = top.string('defaultVariant', { default: variants?.[0]?.name ?? '' });
  if (
    variants !== undefined &&
    defaultVariant !== undefined &&
    !variants.some((v) => v.name === defaultVariant)
  ) {
    top.fail('defaultVariant', `must name one of the variants (${variants.map((v) => v.name).join(', ')})`);
  }
  const batching = readBatching(top, maxBatch);
  const instances = readInstances(top);
  if (issues.length > 0 || platform === undefined || maxBatch === undefined || defaultSloMs === undefined)
    return { module: undefined, issues };
  if (inputs === undefined || outputs === undefined || variants === undefined || defaultVariant === undefined)
    return { module: undefined, issues };
  if (batching === undefined || instances === undefined) return { module: undefined, issues };
  const module: ModuleSpec = {
    name: context.folderName,
    platform,
    dir: context.dir,
    inputs,
    outputs,
    maxBatch,
    defaultSloMs,
    variants,
    defaultVariant,
    batching,
    instances,
    description,
  };
  return { module, issues };
}
