/**
 * An evaluation experiment (`sluice eval NAME`): reproduces one paper's headline comparison with Sluice's
 * own code (simulator, planners, profiles), side by side with the baseline it beat, and reports it as a
 * Markdown page with a table and charts, plus the figures as JSON. `quick` runs a reduced version (a
 * shorter slice, fewer seeds) that must finish in seconds: it runs inside `npm test`.
 */
import type { Solver } from '../ports/solver.js';

export interface ExperimentContext {
  readonly quick: boolean;
  readonly solver: Solver;
  /** The text of a file under ../shared (traces/…, profiles/…), read by the caller. */
  readonly shared: (path: string) => string;
  /** Progress lines for long runs. */
  readonly log: (line: string) => void;
}

export interface ExperimentChart {
  /** File name without extension, e.g. `attainment`. */
  readonly name: string;
  readonly svg: string;
}

export interface ExperimentReport {
  readonly name: string;
  readonly title: string;
  /** The Markdown page (its charts referred to as `<name>.svg` beside it). */
  readonly markdown: string;
  readonly charts: readonly ExperimentChart[];
  /** The figures behind the page, for machines (`--json`) and tests. */
  readonly figures: Readonly<Record<string, unknown>>;
  /** The paper's claim and Sluice's measured figure for it, in one line each. */
  readonly claim: { readonly paper: string; readonly measured: string; readonly met: boolean };
}

export interface Experiment {
  readonly name: string;
  readonly title: string;
  /** What the paper claims, in one line. */
  readonly paperClaim: string;
  run(context: ExperimentContext): ExperimentReport;
}
