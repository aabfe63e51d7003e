/**
 * A planning module built from profiles (measured here or imported): one variant per profiled variant,
 * its latency on each hardware kind from that kind's profile (the Sponge fit, or the measured points as
 * a table where the fit is poor), its load time from the profile's cold start.
 */
import type { LatencyModel } from '../core/latency-model.js';
import { profileLatencyModel, type ProfileModelChoice, type Profile } from '../core/profile.js';
import type { PlanningModule, PlanningVariant } from './planning-problem.js';

export type { ProfileModelChoice };

/** The latency model a planner should use from one profile (core/profile.ts: the engine uses the same). */
export function latencyFromProfile(profile: Profile, choice: ProfileModelChoice = {}): LatencyModel {
  return profileLatencyModel(profile, choice);
}

/**
 * The module `name` from `profiles` (any order; each names its variant and hardware), with accuracies by
 * variant (default 1: unknown accuracy does not steer variant choice) and the module's largest batch.
 */
export function moduleFromProfiles(
  name: string,
  profiles: readonly Profile[],
  options: {
    readonly maxBatch: number;
    readonly accuracy?: Readonly<Record<string, number>>;
  } & ProfileModelChoice,
): PlanningModule {
  const byVariant = new Map<string, Profile[]>();
  for (const p of profiles) {
    if (p.module !== name) continue;
    byVariant.set(p.variant, [...(byVariant.get(p.variant) ?? []), p]);
  }
  const variants: PlanningVariant[] = [...byVariant].map(([variant, list]) => {
    const loads = list.map((p) => p.coldStart?.coldStartMs).filter((x): x is number => x !== undefined);
    return {
      name: variant,
      accuracy: options.accuracy?.[variant] ?? 1,
      ...(loads.length === 0 ? {} : { loadMs: Math.max(...loads) }),
      latency: Object.fromEntries(list.map((p) => [p.hardware.name, latencyFromProfile(p, options)])),
    };
  });
  return { name, maxBatch: options.maxBatch, variants };
}
