/**
 * Loads the applications of a model repository: every `apps/<name>.yaml` (format:
 * docs/model-repository.md), validated against the repository's modules and the TypeScript steps.
 * Like the modules, all problems of all files are reported at once, each naming the file and the key,
 * as one `SluiceError('INVALID_CONFIG')`. A repository without an `apps/` folder has no applications.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { AppSpec } from '../core/app-spec.js';
import type { AppStepNames } from '../core/app-steps.js';
import { SluiceError } from '../core/errors.js';
import { parseAppConfig } from './app-config.js';
import { displayPath } from './display-path.js';

/** The folder of a repository holding application files (so never a module's name). */
export const APPS_FOLDER = 'apps';

/** Every application of the repository at `dir`, sorted by name. */
export async function loadApps(
  dir: string,
  modules: readonly string[],
  steps: AppStepNames,
): Promise<AppSpec[]> {
  const folder = join(resolve(dir), APPS_FOLDER);
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, { withFileTypes: true });
  const problems: string[] = [];
  const apps: AppSpec[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || !entry.isFile()) continue;
    const file = join(folder, entry.name);
    if (!entry.name.endsWith('.yaml')) {
      problems.push(`${displayPath(file)}: application files are named <name>.yaml`);
      continue;
    }
    const document = parseDocument(await readFile(file, 'utf8'));
    if (document.errors.length > 0) {
      for (const e of document.errors)
        problems.push(
          `${displayPath(file)}: line ${e.linePos?.[0].line ?? '?'}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '')}`,
        );
      continue;
    }
    const { app, issues } = parseAppConfig(document.toJS(), {
      fileName: entry.name.slice(0, -'.yaml'.length),
      file,
      modules,
      steps,
    });
    for (const issue of issues)
      problems.push(
        issue.path === ''
          ? `${displayPath(file)}: ${issue.message}`
          : `${displayPath(file)}: ${issue.path}: ${issue.message}`,
      );
    if (app !== undefined) apps.push(app);
  }
  if (problems.length > 0) {
    const header =
      problems.length === 1 ? '' : `${problems.length} problems in applications ${displayPath(folder)}:\n`;
    throw new SluiceError('INVALID_CONFIG', `${header}${problems.join('\n')}`);
  }
  return apps;
}
