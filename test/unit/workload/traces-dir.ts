// Where the shared traces live relative to the repository: <repo>/../shared/traces.
import { resolve } from 'node:path';
import { readShared, SHARED_DIR } from '../../support/shared-dir.js';

export const TRACES_DIR = resolve(SHARED_DIR, 'traces');

export function readTrace(file: string): string {
  return readShared(`traces/${file}`);
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
