// Where the published measurements live relative to the repository: <repo>/../shared/profiles.
import { resolve } from 'node:path';
import { readShared, SHARED_DIR } from '../../support/shared-dir.js';

export const PROFILES_DIR = resolve(SHARED_DIR, 'profiles');

export const KAIROS_LATENCY = 'kairos-aws/latency.csv';
export const KAIROS_PRICE = 'kairos-aws/price.csv';
export const INFADAPTER_CAPACITY = 'infadapter-resnet-cpu/capacity.csv';

export function readProfileCsv(file: string): string {
  return readShared(`profiles/${file}`);
}
