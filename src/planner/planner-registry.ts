/**
 * Every planner by name: the five systems' optimisers, Sluice's own, and the baselines they beat.
 * `sluice plan --planner NAME`, `sluice serve --policy NAME` and the evaluation look planners up here.
 */
import { clipperPlanner } from './baselines/clipper-planner.js';
import { hpaPlanner } from './baselines/hpa-planner.js';
import { staticPlanner } from './baselines/static-planner.js';
import { tritonPlanner } from './baselines/triton-planner.js';
import { vpaPlanner } from './baselines/vpa-planner.js';
import { dnnscalerPlanner } from './dnnscaler/dnnscaler-planner.js';
import { harpagonExactEntry } from './harpagon/harpagon-exact-planner.js';
import { harpagonEntry } from './harpagon/harpagon-planner.js';
import { infadapterEntry } from './infadapter/infadapter-planner.js';
import { kairosEntry, kairosHomogeneousEntry } from './kairos/kairos-planner.js';
import { nexusDpEntry } from './nexus/nexus-dp-planner.js';
import { nexusEntry } from './nexus/nexus-planner.js';
import type { PlannerEntry } from './planner.js';
import { sluicePlannerEntry } from './sluice/sluice-planner.js';
import { spongePlanner } from './sponge/sponge-planner.js';

export const PLANNERS: readonly PlannerEntry[] = [
  sluicePlannerEntry,
  spongePlanner,
  infadapterEntry,
  harpagonEntry,
  harpagonExactEntry,
  kairosEntry,
  dnnscalerPlanner,
  staticPlanner,
  vpaPlanner,
  hpaPlanner,
  clipperPlanner,
  tritonPlanner,
  nexusEntry,
  nexusDpEntry,
  kairosHomogeneousEntry,
];

export const DEFAULT_PLANNER = 'sluice';

export function plannerByName(name: string): PlannerEntry | undefined {
  return PLANNERS.find((p) => p.name === name);
}
