/** `sluice profile --report` (placeholder until the chart renderer lands). */
import type { ModuleSpec } from '../core/model-spec.js';

export async function reportProfiles(_options: {
  readonly modules: readonly ModuleSpec[];
  readonly variants?: readonly string[];
  readonly out?: string;
  readonly log: (line: string) => void;
}): Promise<number> {
  return Promise.resolve(0);
}
