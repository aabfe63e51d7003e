// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { readFileSync } from 'node:fs';

import { join } from 'node:path';

/** @type {Record<string, string[]>} */
const layers = /** @type {Record<string, string[]>} */ (
  JSON.parse(readFileSync(join(import.meta.dirname, 'layers.json'), 'utf8'))
);
delete layers.$comment;
const folders = Object.keys(layers);

/** Folders whose code must run the same live and simulated: no wall clock, timers, randomness or I/O. */
const pure = ['policy', 'planner', 'forecast', 'engine', 'control', 'sim'];

const layerRules = folders.map((folder) => {
  const allowed = new Set([folder, ...(layers[folder] ?? [])]);
  const forbidden = folders.filter((f) => !allowed.has(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.length
            ? [
                {
                  group: forbidden.flatMap((f) => [`**/${f}/*`, `**/${f}/**`]),
                  message: `src/${folder}/ may import only ${[...allowed].join(', ')} (DESIGN.md §2, layers.json).`,
                },
              ]
            : [],
          ...(pure.includes(folder)
            ? {
                paths: [
                  'fs',
                  'node:fs',
                  'fs/promises',
                  'node:fs/promises',
                  'node:child_process',
                  'node:timers',
                  'node:timers/promises',
                  'node:perf_hooks',
                  'node:crypto',
                ].map((name) => ({
                  name,
                  message: 'Pure layers take time, randomness and I/O through ports.',
                })),
              }
            : {}),
        },
      ],
    },
  };
});

const pureRules = {
  files: pure.map((f) => `src/${f}/**/*.ts`),
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-globals': [
      'error',
      ...[
        'setTimeout',
        'setInterval',
        'setImmediate',
        'clearTimeout',
        'clearInterval',
        'performance',
        'process',
        'fetch',
      ].map((name) => ({
        name,
        message: 'Pure layers take time, timers and I/O through ports (Clock, Backend, ...).',
      })),
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Math', property: 'random', message: 'Use the Rng port.' },
      { object: 'Date', property: 'now', message: 'Use the Clock port.' },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "NewExpression[callee.name='Date']", message: 'Use the Clock port.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'bench/out/**', 'coverage/**', '.sluice/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  ...layerRules,
  pureRules,
  {
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
