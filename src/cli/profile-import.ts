/**
 * `sluice profile --import`: turns published measurements (`../shared/profiles/`) into Sluice profiles,
 * one file per (module, variant, hardware) at `<out>/<module>/<variant>/profile-<hardware>.json`, plus
 * `<out>/hardware.json` (name, kind, price, cores of each hardware kind) for the planners.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../core/profile.js';
import { importInfadapterProfiles } from '../profiler/import/infadapter-capacity.js';
import { importKairosProfiles } from '../profiler/import/kairos-aws.js';
import { displayPath } from '../runtime/display-path.js';
import { readProfile, writeProfile } from '../runtime/profile-file.js';
import { UsageError } from './command.js';

export const IMPORT_SOURCES = ['kairos-aws', 'infadapter'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** <repo>/../shared/profiles, from src/cli or dist/cli alike. */
export const SHARED_PROFILES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../..',
  '../shared/profiles',
);

const SOURCE_DIRS: Readonly<Record<ImportSource, string>> = {
  'kairos-aws': 'kairos-aws',
  infadapter: 'infadapter-resnet-cpu',
};

export interface ImportOptions {
  readonly source: ImportSource;
  /** Folder of the published files; default `../shared/profiles/<source folder>`. */
  readonly from?: string;
  /** Default `profiles/<source>` in the working directory. */
  readonly out?: string;
  /** InfAdapter: the SLO whose measured capacities are imported (default 750 ms). */
  readonly sloMs?: number;
  readonly log: (line: string) => void;
}

export interface ImportedProfile {
  readonly path: string;
  readonly profile: Profile;
}

/** The file an imported profile is written to under `out`. */
export function importedProfilePath(out: string, profile: Profile): string {
  return join(out, profile.module, profile.variant, `profile-${profile.hardware.name}.json`);
}

export async function importProfiles(options: ImportOptions): Promise<ImportedProfile[]> {
  const from = resolve(options.from ?? join(SHARED_PROFILES, SOURCE_DIRS[options.source]));
  const out = resolve(options.out ?? join('profiles', options.source));
  const read = (file: string): string => {
    const path = join(from, file);
    if (!existsSync(path)) throw new UsageError(`--from: ${displayPath(path)} not found`);
    return readFileSync(path, 'utf8');
  };
  let profiles: Profile[];
  let hardware: unknown[];
  if (options.source === 'kairos-aws') {
    const imported = importKairosProfiles(read('latency.csv'), read('price.csv'), {
      from: displayPath(join(from, 'latency.csv')),
    });
    profiles = imported.profiles;
    hardware = imported.hardware;
  } else {
    profiles = importInfadapterProfiles(read('capacity.csv'), {
      from: displayPath(join(from, 'capacity.csv')),
      ...(options.sloMs === undefined ? {} : { sloMs: options.sloMs }),
    });
    const kinds = new Map(profiles.map((p) => [p.hardware.name, p.hardware]));
    hardware = [...kinds.values()];
  }
  const written: ImportedProfile[] = [];
  for (const profile of profiles) {
    const path = importedProfilePath(out, profile);
    await writeProfile(path, profile);
    // Read back through the same checks `sluice plan` and `sluice simulate` apply.
    const check = await readProfile(path);
    if (!check.ok) throw new Error(`imported profile does not validate: ${check.problem}`);
    written.push({ path, profile });
  }
  await writeFile(join(out, 'hardware.json'), `${JSON.stringify(hardware, null, 2)}\n`);
  options.log(
    `imported ${written.length} profiles (${new Set(profiles.map((p) => p.module)).size} modules, ` +
      `${hardware.length} hardware kinds) from ${displayPath(from)} into ${displayPath(out)}`,
  );
  return written;
}
