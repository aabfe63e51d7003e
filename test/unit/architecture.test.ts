// DESIGN.md §2: the layer table (layers.json) holds, and no module imports itself through a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import layersFile from '../../layers.json' with { type: 'json' };

const SRC = resolve(import.meta.dirname, '../../src');
const layers: Record<string, string[]> = Object.fromEntries(
  Object.entries(layersFile).filter(([key]) => key !== '$comment'),
) as Record<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to absolute .ts paths (type-only imports included: they couple too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2] ?? '');
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

const layerOf = (file: string): string => relative(SRC, file).split('/')[0] ?? '';

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('every folder under src/ is in the layer table', () => {
    const folders = new Set(files.map(layerOf).filter((f) => !f.endsWith('.ts')));
    for (const folder of folders) expect(Object.keys(layers)).toContain(folder);
  });

  it('imports follow the layer table', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const allowed = new Set([from, ...(layers[from] ?? [])]);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (!allowed.has(to)) violations.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
