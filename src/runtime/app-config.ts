/**
 * Validates one parsed `apps/<name>.yaml` (format: docs/model-repository.md) into an `AppSpec`: its
 * modules must be modules of the repository, its edges a DAG over them, every step it names one of the
 * TypeScript steps (by kind), and its inputs and outputs well-formed. Pure: the modules and step names
 * are given, so the rules are tested without a file system. All problems are collected, each with its
 * key path.
 */
import { FORWARD_STEP, type AppStepNames } from '../core/app-steps.js';
import type { AppDispatch, AppEdgeSpec, AppSpec } from '../core/app-spec.js';
import { ConfigReader, type ConfigIssue } from './model-config-reader.js';
import { readTensors } from './model-config.js';

const TOP_KEYS = [
  'name',
  'description',
  'sloMs',
  'modules',
  'edges',
  'inputs',
  'outputs',
  'input',
  'output',
  'dispatch',
];
const EDGE_KEYS = ['from', 'to', 'fanout', 'expectedFanout', 'post', 'pre'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface AppConfigContext {
  /** The file's name without `.yaml`: the application's name. */
  readonly fileName: string;
  /** Absolute path of the file. */
  readonly file: string;
  /** Names of the repository's modules. */
  readonly modules: readonly string[];
  /** Names of the TypeScript steps, by kind (`forward` is always known for edges). */
  readonly steps: AppStepNames;
}

export interface AppConfigResult {
  /** Present exactly when there are no issues. */
  readonly app: AppSpec | undefined;
  readonly issues: readonly ConfigIssue[];
}

/** Validates a parsed application file. */
export function parseAppConfig(document: unknown, context: AppConfigContext): AppConfigResult {
  const issues: ConfigIssue[] = [];
  const top = ConfigReader.of(document, '', issues, TOP_KEYS);
  if (top === undefined) return { app: undefined, issues };
  if (!NAME_PATTERN.test(context.fileName))
    issues.push({ path: '', message: `file name '${context.fileName}' is not a valid application name` });
  const name = top.string('name', { default: context.fileName });
  if (name !== undefined && name !== context.fileName)
    top.fail('name', `must equal the file name '${context.fileName}' (or be left out)`);
  if (context.modules.includes(context.fileName))
    issues.push({ path: '', message: `'${context.fileName}' is already a module's name` });
  const description = top.string('description', { default: '' }) ?? '';
  const sloMs = top.number('sloMs', { min: 0, exclusiveMin: true });
  const modules = readModules(top, context.modules);
  const edges = readEdges(top, modules ?? [], context.steps);
  if (modules !== undefined && edges !== undefined) checkGraph(top, modules, edges);
  const inputs = readTensors(top, 'inputs');
  const outputs = readTensors(top, 'outputs');
  const input = step(top, 'input', context.steps.input);
  const output = step(top, 'output', context.steps.output);
  const dispatch = top.oneOf<AppDispatch>('dispatch', ['batch', 'per-request'], 'batch');
  if (issues.length > 0 || sloMs === undefined || modules === undefined || edges === undefined)
    return { app: undefined, issues };
  if (inputs === undefined || outputs === undefined || input === undefined || output === undefined)
    return { app: undefined, issues };
  if (dispatch === undefined) return { app: undefined, issues };
  return {
    app: {
      name: context.fileName,
      file: context.file,
      description,
      modules,
      edges,
      sloMs,
      inputs,
      outputs,
      input,
      output,
      dispatch,
    },
    issues,
  };
}

function step(r: ConfigReader, key: string, known: readonly string[], fallback?: string): string | undefined {
  const name = r.string(key, fallback === undefined ? {} : { default: fallback });
  if (name === undefined || name === FORWARD_STEP || known.includes(name)) return name;
  r.fail(key, `no step named '${name}' (known: ${[...known].sort().join(', ') || 'none'})`);
  return undefined;
}

function readModules(top: ConfigReader, repository: readonly string[]): string[] | undefined {
  const list = top.list('modules');
  if (list === undefined) return undefined;
  const seen = new Set<string>();
  let ok = true;
  list.forEach((item, i) => {
    const path = ConfigReader.join('modules', i);
    if (typeof item !== 'string' || item === '') {
      top.issues.push({ path, message: 'must be a module name' });
      ok = false;
    } else if (!repository.includes(item)) {
      top.issues.push({
        path,
        message: `unknown module '${item}' (the repository has ${repository.join(', ') || 'none'})`,
      });
      ok = false;
    } else if (seen.has(item)) {
      top.issues.push({ path, message: `module '${item}' is listed twice` });
      ok = false;
    }
    if (typeof item === 'string') seen.add(item);
  });
  return ok ? (list as string[]) : undefined;
}

function readEdges(
  top: ConfigReader,
  modules: readonly string[],
  steps: AppStepNames,
): AppEdgeSpec[] | undefined {
  if (!top.has('edges')) return [];
  const list = top.list('edges', { nonEmpty: false });
  if (list === undefined) return undefined;
  const edges: AppEdgeSpec[] = [];
  list.forEach((item, i) => {
    const r = ConfigReader.of(item, ConfigReader.join('edges', i), top.issues, EDGE_KEYS);
    if (r === undefined) return;
    const end = (key: 'from' | 'to'): string | undefined => {
      const name = r.string(key);
      if (name === undefined || modules.includes(name)) return name;
      r.fail(key, `'${name}' is not one of the app's modules (${modules.join(', ')})`);
      return undefined;
    };
    const from = end('from');
    const to = end('to');
    const fanout = r.oneOf('fanout', ['each', 'one'] as const, 'one');
    const expectedFanout = r.number('expectedFanout', { min: 0, exclusiveMin: true }, 1);
    if (fanout === 'one' && r.has('expectedFanout') && expectedFanout !== 1)
      r.fail('expectedFanout', 'must be 1 (or left out) with fanout: one');
    const post = step(r, 'post', steps.post, FORWARD_STEP);
    const pre = step(r, 'pre', steps.pre, FORWARD_STEP);
    if (from !== undefined && from === to) r.fail('to', `an edge from '${from}' to itself is a cycle`);
    if (from === undefined || to === undefined || fanout === undefined || expectedFanout === undefined)
      return;
    if (post === undefined || pre === undefined || from === to) return;
    if (edges.some((e) => e.from === from && e.to === to)) {
      r.fail('to', `a second edge ${from} -> ${to}`);
      return;
    }
    edges.push({ from, to, fanout, expectedFanout, post, pre });
  });
  return edges.length === list.length ? edges : undefined;
}

/** Cycles, and modules a request could never reach or leave, are errors at the `edges` key. */
function checkGraph(top: ConfigReader, modules: readonly string[], edges: readonly AppEdgeSpec[]): void {
  const incoming = new Map(modules.map((m) => [m, 0]));
  for (const e of edges) incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
  const ready = modules.filter((m) => incoming.get(m) === 0);
  let visited = 0;
  while (ready.length > 0) {
    const m = ready.pop() ?? '';
    visited += 1;
    for (const e of edges.filter((x) => x.from === m)) {
      const left = (incoming.get(e.to) ?? 0) - 1;
      incoming.set(e.to, left);
      if (left === 0) ready.push(e.to);
    }
  }
  if (visited < modules.length) {
    const inCycle = modules.filter((m) => (incoming.get(m) ?? 0) > 0);
    top.fail('edges', `form a cycle through ${inCycle.join(', ')}`);
    return;
  }
  if (modules.length > 1) {
    const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
    const alone = modules.filter((m) => !linked.has(m));
    if (alone.length > 0) top.fail('edges', `connect ${alone.join(', ')} to no other module of the app`);
  }
}
