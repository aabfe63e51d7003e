/** Every evaluation experiment by name (`sluice eval [NAME...]`). */
import type { Experiment } from './experiment.js';

export const EXPERIMENTS: readonly Experiment[] = [];

export function experimentByName(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
