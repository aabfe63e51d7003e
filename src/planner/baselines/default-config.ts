/**
 * The configuration a fixed baseline starts a module with when nothing runs it yet: the variant and cpu
 * hardware of `modulePlacement`, the hardware's largest core option, and the largest batch option whose
 * batch latency fits the module's budget (a Triton user's usual pick: the biggest batch the SLO allows;
 * batch 1 when none fits), sized for the offered rate.
 */
import {
  batchOptionsOf,
  coreOptionsOf,
  type HardwareSpec,
  type PlanningModule,
  type PlanningVariant,
} from '../planning-problem.js';
import type { TupleConfig } from '../tuple-configs.js';
import { configFor } from '../tuple-configs.js';
import { instancesForRate } from './instances-for-rate.js';

/** The largest core option of `hardware` (its maxCores for a fixed kind). */
export function largestCores(hardware: HardwareSpec): number {
  const options = coreOptionsOf(hardware);
  return options[options.length - 1] ?? hardware.maxCores;
}

export interface DefaultConfig {
  readonly config: TupleConfig | undefined;
  readonly cores: number;
  readonly batch: number;
  /** At least 1 (1 when the configuration cannot meet the budget at all). */
  readonly instances: number;
}

/** The default configuration of `module` for `rateRps` within `budgetMs`. */
export function defaultConfig(
  module: PlanningModule,
  variant: PlanningVariant,
  hardware: HardwareSpec,
  rateRps: number,
  budgetMs: number,
  rho: number,
): DefaultConfig {
  const cores = largestCores(hardware);
  const configs = batchOptionsOf(module)
    .map((b) => configFor(module.name, variant, hardware, cores, b, rho))
    .filter((c): c is TupleConfig => c !== undefined);
  const fitting = configs.filter((c) => Number.isFinite(instancesForRate(c, 0, budgetMs)));
  const config = fitting[fitting.length - 1] ?? configs[0];
  const instances = config === undefined ? 1 : instancesForRate(config, rateRps, budgetMs);
  return {
    config,
    cores,
    batch: config?.batch ?? 1,
    instances: Number.isFinite(instances) ? instances : 1,
  };
}
