/**
 * Every planner by name: the five systems' optimisers, Sluice's own, and the baselines they beat.
 * `sluice plan --planner NAME`, `sluice serve --policy NAME` and the evaluation look planners up here.
 */
import type { PlannerEntry } from './planner.js';

export const PLANNERS: readonly PlannerEntry[] = [];

export const DEFAULT_PLANNER = 'sluice';

export function plannerByName(name: string): PlannerEntry | undefined {
  return PLANNERS.find((p) => p.name === name);
}
