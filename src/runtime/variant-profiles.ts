/**
 * Attaches each variant's profile (`<module>/<variant>/profile.json`) to a loaded repository: the fitted
 * latency model becomes the variant's `latency`, which the engine takes as its prior and the planners as
 * their model. A profile that cannot be used (malformed, of another variant, stale) is reported, never
 * silently used: the variant then runs on its start-up calibration alone.
 */
import type { ModuleSpec, VariantSpec } from '../core/model-spec.js';
import { profileLatencyModel, type Profile } from '../core/profile.js';
import { profileExists, profilePath, readProfile } from './profile-file.js';

export interface AttachedProfiles {
  readonly modules: ModuleSpec[];
  /** Profiles used, by `module/variant`. */
  readonly profiles: ReadonlyMap<string, Profile>;
  /** One sentence per profile that exists but was refused (file and reason). */
  readonly problems: readonly string[];
}

export async function attachProfiles(modules: readonly ModuleSpec[]): Promise<AttachedProfiles> {
  const profiles = new Map<string, Profile>();
  const problems: string[] = [];
  const attached = await Promise.all(
    modules.map(async (module) => {
      const variants = await Promise.all(
        module.variants.map(async (variant): Promise<VariantSpec> => {
          const path = profilePath(module.dir, variant.name);
          if (!profileExists(path)) return variant;
          const read = await readProfile(path, {
            module: module.name,
            variant: variant.name,
            modelPath: variant.file,
          });
          if (!read.ok) {
            problems.push(`${read.problem}; not used`);
            return variant;
          }
          profiles.set(`${module.name}/${variant.name}`, read.profile);
          return { ...variant, latency: profileLatencyModel(read.profile) };
        }),
      );
      return { ...module, variants };
    }),
  );
  return { modules: attached, profiles, problems };
}
