/**
 * Loads a Triton-like model repository: one folder per module, each holding `config.yaml` (format:
 * docs/model-repository.md) and its variants' model files. Everything is validated at start-up; all
 * problems of all files are reported at once, each naming the file and the key path, as one
 * `SluiceError('INVALID_CONFIG')`.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { SluiceError } from '../core/errors.js';
import type { ModuleSpec } from '../core/model-spec.js';
import { displayPath } from './display-path.js';
import { APPS_FOLDER } from './app-repository.js';
import { parseModuleConfig } from './model-config.js';
import type { ConfigIssue } from './model-config-reader.js';
import { resolveModelFile } from './model-file.js';

/** The file every module folder holds. */
export const MODULE_CONFIG_FILE = 'config.yaml';

export interface LoadRepositoryOptions {
  /** Where `npm:` variant files are looked up from; default Sluice's own installation. */
  readonly packageSearchDir?: string;
}

function formatIssues(file: string, issues: readonly ConfigIssue[]): string[] {
  const shown = displayPath(file);
  return issues.map((issue) =>
    issue.path === '' ? `${shown}: ${issue.message}` : `${shown}: ${issue.path}: ${issue.message}`,
  );
}

/** Reads and validates one module folder; returns the module or the formatted problems. */
async function loadModuleFolder(
  dir: string,
  options: LoadRepositoryOptions,
): Promise<{ module?: ModuleSpec; problems: string[] }> {
  const file = join(dir, MODULE_CONFIG_FILE);
  const folderName = dir.split(/[\\/]/).pop() ?? '';
  if (!existsSync(file)) {
    const hint = existsSync(join(dir, 'config.yml')) ? ' (found config.yml: rename it to config.yaml)' : '';
    return {
      problems: [
        `${displayPath(dir)}: no ${MODULE_CONFIG_FILE}${hint}; every folder of a model repository is a module`,
      ],
    };
  }
  const document = parseDocument(await readFile(file, 'utf8'));
  if (document.errors.length > 0) {
    // The library's message ends with " at line L, column C:" and a code frame; keep the sentence only.
    const sentence = (message: string): string =>
      (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '');
    return {
      problems: document.errors.map(
        (e) => `${displayPath(file)}: line ${e.linePos?.[0].line ?? '?'}: ${sentence(e.message)}`,
      ),
    };
  }
  const { module, issues } = parseModuleConfig(document.toJS(), {
    folderName,
    dir,
    resolveFile: (ref) => resolveModelFile(ref, dir, options.packageSearchDir),
  });
  return module === undefined ? { problems: formatIssues(file, issues) } : { module, problems: [] };
}

/**
 * Loads every module of the repository at `dir` (folders starting with `.` are skipped, and `apps/`,
 * which holds the applications: app-repository.ts), sorted by name.
 * Throws `SluiceError('INVALID_CONFIG')` listing every problem, one per line, when any file is invalid,
 * when a variant file is missing, or when the repository holds no module.
 */
export async function loadModelRepository(
  dir: string,
  options: LoadRepositoryOptions = {},
): Promise<ModuleSpec[]> {
  const root = resolve(dir);
  if (!existsSync(root) || !(await stat(root)).isDirectory()) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `${displayPath(root)}: model repository not found (a directory of module folders)`,
    );
  }
  const entries = await readdir(root, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== APPS_FOLDER)
    .map((e) => join(root, e.name));
  folders.sort();
  const results = await Promise.all(folders.map((folder) => loadModuleFolder(folder, options)));
  const problems = results.flatMap((r) => r.problems);
  if (folders.length === 0)
    problems.push(
      `${displayPath(root)}: no module folders (each module is a folder with a ${MODULE_CONFIG_FILE})`,
    );
  if (problems.length > 0) {
    const header =
      problems.length === 1 ? '' : `${problems.length} problems in model repository ${displayPath(root)}:\n`;
    throw new SluiceError('INVALID_CONFIG', `${header}${problems.join('\n')}`);
  }
  return results.flatMap((r) => (r.module === undefined ? [] : [r.module]));
}

/** Loads one module folder (`<repo>/<module>`), with the same validation as `loadModelRepository`. */
export async function loadModule(dir: string, options: LoadRepositoryOptions = {}): Promise<ModuleSpec> {
  const { module, problems } = await loadModuleFolder(resolve(dir), options);
  if (module === undefined) throw new SluiceError('INVALID_CONFIG', problems.join('\n'));
  return module;
}
