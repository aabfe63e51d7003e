/** `sluice profile --report`: each chosen variant's profile.json rendered as profile.svg beside it. */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModuleSpec } from '../core/model-spec.js';
import { renderProfileChart } from '../profiler/profile-chart.js';
import { displayPath } from '../runtime/display-path.js';
import { profileExists, profilePath, readProfile } from '../runtime/profile-file.js';
import { UsageError } from './command.js';

export interface ReportOptions {
  readonly modules: readonly ModuleSpec[];
  readonly variants?: readonly string[];
  /** The SVG file (one variant only); default profile.svg beside each profile. */
  readonly out?: string;
  readonly log: (line: string) => void;
}

/** Returns how many charts it wrote; says why for each profile it could not use. */
export async function reportProfiles(options: ReportOptions): Promise<number> {
  const chosen = options.modules.flatMap((module) =>
    module.variants
      .filter((v) => options.variants === undefined || options.variants.includes(v.name))
      .map((variant) => ({ module, variant, path: profilePath(module.dir, variant.name) })),
  );
  const present = chosen.filter((c) => profileExists(c.path));
  if (options.out !== undefined && present.length !== 1)
    throw new UsageError(`--out writes one chart, but ${present.length} profiles are chosen`);
  if (present.length === 0) {
    options.log('no profile.json among the chosen variants: run sluice profile first');
    return 0;
  }
  let written = 0;
  for (const { module, variant, path } of present) {
    const read = await readProfile(path, {
      module: module.name,
      variant: variant.name,
      modelPath: variant.file,
    });
    if (!read.ok) {
      options.log(read.problem);
      continue;
    }
    const svg = options.out ?? join(dirname(path), 'profile.svg');
    await writeFile(svg, renderProfileChart(read.profile));
    options.log(`${module.name}/${variant.name}: ${displayPath(svg)}`);
    written += 1;
  }
  return written;
}
