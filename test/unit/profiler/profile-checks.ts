// Structural checks every profile must pass, whether measured or imported: finite positive figures where
// the format expects them, points sorted by batch then cores, a fit and throughput that match the points.
import type { Profile } from '../../../src/core/profile.js';
import { PROFILE_FORMAT } from '../../../src/core/profile.js';

const positive = (x: number): boolean => Number.isFinite(x) && x > 0;
const positiveInteger = (x: number): boolean => Number.isInteger(x) && x > 0;

/** Every structural problem of `profile`, in words; empty when it is well formed. */
export function profileProblems(profile: Profile): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(`${profile.module}/${profile.variant} on ${profile.hardware.name}: ${what}`);
  };
  check(profile.format === PROFILE_FORMAT, `format ${profile.format}`);
  check(profile.module !== '' && profile.variant !== '', 'empty module or variant');
  check(positive(profile.hardware.maxCores), `maxCores ${profile.hardware.maxCores}`);
  check(profile.hardware.description !== '', 'empty hardware description');
  check(
    profile.threads === 'ceil-cores' || positiveInteger(profile.threads),
    `threads ${String(profile.threads)}`,
  );
  check(profile.points.length > 0, 'no points');
  profile.points.forEach((p, i) => {
    const at = `point ${i} (batch ${p.batch}, cores ${p.cores})`;
    check(positiveInteger(p.batch), `${at}: batch`);
    check(positive(p.cores) && p.cores <= profile.hardware.maxCores, `${at}: cores`);
    check(positiveInteger(p.instances), `${at}: instances`);
    check(positiveInteger(p.samples), `${at}: samples`);
    for (const [name, value] of Object.entries({
      p50Ms: p.p50Ms,
      p99Ms: p.p99Ms,
      meanMs: p.meanMs,
      throughputRps: p.throughputRps,
    })) {
      check(positive(value), `${at}: ${name} ${value}`);
    }
    check(p.p50Ms <= p.p99Ms, `${at}: p50Ms above p99Ms`);
    const before = profile.points[i - 1];
    if (before !== undefined) {
      check(
        before.batch < p.batch || (before.batch === p.batch && before.cores < p.cores),
        `${at}: not sorted by batch then cores after (batch ${before.batch}, cores ${before.cores})`,
      );
    }
  });
  const { gamma, delta, epsilon, eta } = profile.fit.model;
  check(
    [gamma, delta, epsilon, eta].every((c) => Number.isFinite(c) && c >= 0),
    `fit coefficients ${[gamma, delta, epsilon, eta].join(', ')}`,
  );
  check(
    profile.fit.points.length === profile.points.filter((p) => p.instances === 1).length,
    'fit points do not match the single-instance points',
  );
  check(
    profile.fit.points.every((p) => Number.isFinite(p.relativeError) && positive(p.fittedMs)),
    'a fitted point is not finite and positive',
  );
  check(
    Number.isFinite(profile.fit.medianRelativeError) &&
      profile.fit.medianRelativeError <= profile.fit.maxRelativeError,
    'fit error summary',
  );
  check(profile.throughput.length === profile.points.length, 'throughput does not cover the points');
  check(
    profile.throughput.every((t) => positive(t.throughputRps)),
    'a throughput is not finite and positive',
  );
  if (profile.coldStart !== undefined) {
    const c = profile.coldStart;
    check(positive(c.cores) && positive(c.coldStartMs) && positive(c.loadMs), 'cold start figures');
    check(c.loadMs <= c.coldStartMs && positiveInteger(c.samples), 'cold start load or samples');
  }
  if (profile.capacity !== undefined) {
    const cap = profile.capacity;
    check(positive(cap.sloMs), `capacity sloMs ${cap.sloMs}`);
    cap.points.forEach((p, i) => {
      check(positive(p.cores) && positiveInteger(p.maxBatch), `capacity point ${i}: cores or maxBatch`);
      check(Number.isFinite(p.rateRps) && p.rateRps >= 0, `capacity point ${i}: rate ${p.rateRps}`);
      const before = cap.points[i - 1];
      if (before !== undefined) check(before.cores < p.cores, `capacity point ${i}: not sorted by cores`);
    });
  }
  return problems;
}
