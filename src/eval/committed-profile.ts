/**
 * A profile measured on the development machine and committed under `experiments/profiles/`, read by
 * path relative to it (e.g. `resnet-full/resnet50.json`), from `src/eval` and `dist/eval` alike.
 */
import { readFileSync } from 'node:fs';
import type { Profile } from '../core/profile.js';

const PROFILES = new URL('../../experiments/profiles/', import.meta.url);

export function committedProfile(path: string): Profile {
  return JSON.parse(readFileSync(new URL(path, PROFILES), 'utf8')) as Profile;
}
