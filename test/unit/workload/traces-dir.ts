// Where the shared traces live relative to the repository: <repo>/../shared/traces.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const TRACES_DIR = resolve(import.meta.dirname, '../../..', '../shared/traces');

export const hasTraces = existsSync(resolve(TRACES_DIR, 'twitter-2021-08-rps.txt'));

export function readTrace(file: string): string {
  return readFileSync(resolve(TRACES_DIR, file), 'utf8');
}

export function stats(values: ArrayLike<number>): { min: number; mean: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, mean: sum / values.length, max };
}
