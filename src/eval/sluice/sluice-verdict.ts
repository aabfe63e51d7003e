/**
 * The mission's claim ("meets the latency objective at the lowest cost") as a test on the runs: Sluice's
 * attainment is at least the best single technique's minus 0.5 points, and no other policy that reaches
 * that bar (a technique or the Triton baseline; sensitivity rows never count) holds fewer core-seconds.
 */
import type { PolicySummary } from './sluice-runs.js';

/** How far below the best single technique's attainment Sluice may be, as a share (0.5 points). */
export const ATTAINMENT_TOLERANCE = 0.005;

export interface SluiceVerdict {
  readonly sluice: PolicySummary;
  /** The single technique with the highest attainment (fewer core-seconds on a tie). */
  readonly bestTechnique: PolicySummary;
  /** Best technique's attainment − tolerance. */
  readonly bar: number;
  readonly reachesBar: boolean;
  /** The other policies at or above the bar, cheapest first. */
  readonly rivals: readonly PolicySummary[];
  /** The cheapest of them, when there is one. */
  readonly cheapestRival: PolicySummary | undefined;
  readonly cheapest: boolean;
  readonly met: boolean;
}

/** The verdict over `summaries` (one per policy, in any order). */
export function sluiceVerdict(summaries: readonly PolicySummary[]): SluiceVerdict {
  const sluice = summaries.find((s) => s.role === 'sluice');
  const techniques = summaries.filter((s) => s.role === 'technique');
  const bestTechnique = techniques.reduce<PolicySummary | undefined>(
    (best, s) =>
      best === undefined ||
      s.attainment > best.attainment ||
      (s.attainment === best.attainment && s.coreSeconds < best.coreSeconds)
        ? s
        : best,
    undefined,
  );
  if (sluice === undefined || bestTechnique === undefined)
    throw new Error('sluice verdict: needs the sluice run and at least one technique');
  const bar = bestTechnique.attainment - ATTAINMENT_TOLERANCE;
  const rivals = summaries
    .filter((s) => (s.role === 'technique' || s.role === 'baseline') && s.attainment >= bar)
    .sort((a, b) => a.coreSeconds - b.coreSeconds);
  const cheapestRival = rivals[0];
  const reachesBar = sluice.attainment >= bar;
  const cheapest = cheapestRival === undefined || sluice.coreSeconds <= cheapestRival.coreSeconds;
  return {
    sluice,
    bestTechnique,
    bar,
    reachesBar,
    rivals,
    cheapestRival,
    cheapest,
    met: reachesBar && cheapest,
  };
}

/** The claim's measured line. */
export function verdictLine(v: SluiceVerdict): string {
  const pts = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const attainment =
    `attainment ${pts(v.sluice.attainment)} against the best single technique's ${pts(v.bestTechnique.attainment)} ` +
    `(${v.bestTechnique.label}; the bar is ${pts(v.bar)}): ${v.reachesBar ? 'reached' : 'not reached'}`;
  const rival = v.cheapestRival;
  const cost =
    rival === undefined
      ? 'no other policy reaches the bar'
      : `${Math.round(v.sluice.coreSeconds)} core-seconds against ${Math.round(rival.coreSeconds)} for ` +
        `${rival.label}, the cheapest other policy at the bar: ${v.cheapest ? 'the lowest' : 'not the lowest'}`;
  return `${attainment}; ${cost}`;
}
