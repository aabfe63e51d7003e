/**
 * Reading and writing `profile.json`. A profile is refused, with a sentence naming the file and the
 * reason, when it is not valid JSON, does not match the schema (the field's path is named), belongs to
 * another module or variant, or is stale: the model file it measured has changed since (size or SHA-256).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { displayPath } from './display-path.js';
import { PROFILE_FILE, type Profile, type ProfiledModelFile } from '../core/profile.js';
import { PROFILE_SCHEMA } from './profile-schema.js';

const validate = new Ajv({ allErrors: true, strict: true }).compile<Profile>(PROFILE_SCHEMA);

export type ProfileReadResult =
  | { readonly ok: true; readonly profile: Profile; readonly path: string }
  | { readonly ok: false; readonly path: string; readonly problem: string };

/** Where the local machine's profile of a variant lives: `<module dir>/<variant>/profile.json`. */
export function profilePath(moduleDir: string, variant: string): string {
  return join(moduleDir, variant, PROFILE_FILE);
}

export interface ProfileExpectation {
  readonly module?: string;
  readonly variant?: string;
  /** The model file as it is now; a profile that names another file's bytes is stale. */
  readonly modelPath?: string;
}

/** Reads and checks a profile (see the file's header); never throws for a bad file, only returns why. */
export async function readProfile(path: string, expect: ProfileExpectation = {}): Promise<ProfileReadResult> {
  const shown = displayPath(path);
  const refuse = (problem: string): ProfileReadResult => ({
    ok: false,
    path,
    problem: `${shown}: ${problem}`,
  });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return refuse(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!validate(document)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((e) => {
      const at = e.instancePath === '' ? 'the document' : e.instancePath.slice(1).replaceAll('/', '.');
      const extra =
        e.keyword === 'additionalProperties'
          ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
          : '';
      return `${at}: ${e.message ?? 'is invalid'}${extra}`;
    });
    return refuse(`is not a valid profile: ${problems.join('; ')}`);
  }
  const profile = document;
  if (expect.module !== undefined && profile.module !== expect.module)
    return refuse(`is the profile of module '${profile.module}', not '${expect.module}'`);
  if (expect.variant !== undefined && profile.variant !== expect.variant)
    return refuse(`is the profile of variant '${profile.variant}', not '${expect.variant}'`);
  if (expect.modelPath !== undefined && profile.modelFile !== undefined) {
    const now = await describeModelFile(expect.modelPath, profile.modelFile.file);
    if (now.bytes !== profile.modelFile.bytes || now.sha256 !== profile.modelFile.sha256) {
      return refuse(
        `is stale: ${displayPath(expect.modelPath)} changed since it was profiled ` +
          `(${profile.modelFile.bytes} bytes, sha256 ${profile.modelFile.sha256.slice(0, 12)}… then; ` +
          `${now.bytes} bytes, sha256 ${now.sha256.slice(0, 12)}… now); ` +
          `profile it again: sluice profile --module ${profile.module} --variant ${profile.variant}`,
      );
    }
  }
  return { ok: true, profile, path };
}

/** Writes a profile as indented JSON, creating its folder. */
export async function writeProfile(path: string, profile: Profile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`);
}

/** The identity of a model file as a profile records it. */
export async function describeModelFile(path: string, file: string): Promise<ProfiledModelFile> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { file, bytes: size, sha256: hash.digest('hex') };
}

/** True when a profile file exists at `path` (it may still be refused by `readProfile`). */
export function profileExists(path: string): boolean {
  return existsSync(path);
}
