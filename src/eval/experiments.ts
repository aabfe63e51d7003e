/** Every evaluation experiment by name (`sluice eval [NAME...]`). */
import { dnnscalerExperiment } from './dnnscaler/dnnscaler-experiment.js';
import type { Experiment } from './experiment.js';
import { harpagonExperiment } from './harpagon/harpagon-experiment.js';
import { infadapterExperiment } from './infadapter/infadapter-experiment.js';
import { kairosExperiment } from './kairos/kairos-experiment.js';
import { sluiceExperiment } from './sluice/sluice-experiment.js';
import { spongeExperiment } from './sponge/sponge-experiment.js';

export const EXPERIMENTS: readonly Experiment[] = [
  spongeExperiment,
  infadapterExperiment,
  harpagonExperiment,
  kairosExperiment,
  dnnscalerExperiment,
  sluiceExperiment,
];

export function experimentByName(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
