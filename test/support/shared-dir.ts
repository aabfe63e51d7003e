// The read-only `../shared` folder beside the checkout (CI has it there too). Tests that need its
// traces or profiles fail with this message when it is missing: they never pass by skipping.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DIR = resolve(import.meta.dirname, '../..', '../shared');

/** The text of `<shared>/<path>`; throws naming the path when it is missing. */
export function readShared(path: string): string {
  const full = resolve(SHARED_DIR, path);
  if (!existsSync(full)) {
    throw new Error(`${full} is missing: these tests need the shared folder beside the checkout (../shared)`);
  }
  return readFileSync(full, 'utf8');
}
