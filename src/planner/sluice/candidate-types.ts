/**
 * The data Sluice plans over: candidates (a configuration held to a budget, with its instance bounds)
 * per module, modules per app. Built by sluice-candidates.ts, read by the MILP builder, the
 * decomposition, pruning and decoding.
 */
import type { PlanningApp, PlanningModule, QuerySize } from '../planning-problem.js';
import type { TupleConfig } from '../tuple-configs.js';

export interface SluiceCandidate {
  readonly config: TupleConfig;
  /** Budget classes only: the class budget (ms) its tuples are held to; absent: the module's budget. */
  readonly holdMs?: number;
  /** Fewest instances: at its budget (one-module apps) or at its module's loosest budget (pipelines). */
  readonly minInstances: number;
  /** Most instances worth running (see the file header); at least `minInstances`. */
  readonly maxInstances: number;
  /** Time to fill a batch at one instance's capacity, ms: n instances need a budget of l + fillMs/n. */
  readonly fillMs: number;
  /**
   * Apps with query sizes: ms per request of each size (aligned with the app's `querySizes`),
   * undefined for sizes whose requests take longer than the budget on this configuration.
   */
  readonly sizeMs?: readonly (number | undefined)[];
}

export interface SluiceModule {
  readonly module: PlanningModule;
  /** Module requests per application request (fan-out). */
  readonly multiplier: number;
  /** The module's rate when its app serves its whole offered rate, req/s. */
  readonly offeredRps: number;
  /** One-module apps: the module's budget, ms; undefined for a pipeline module (budget is decided). */
  readonly fixedBudgetMs?: number;
  /** The least budget any candidate can work in, ms. */
  readonly minBudgetMs: number;
  /** The most budget the module can get with every other module on its paths at its least, ms. */
  readonly maxBudgetMs: number;
  readonly candidates: readonly SluiceCandidate[];
  /** Candidates before dominance pruning. */
  readonly generated: number;
}

export interface SluiceApp {
  readonly app: PlanningApp;
  /** Every source-to-sink path of the app's graph. */
  readonly paths: readonly (readonly string[])[];
  /** The tightest end-to-end objective: min of the SLO and every class budget, ms. */
  readonly sloMs: number;
  /** One-module apps with budget classes: per class budget (ascending), the share with at most it. */
  readonly classLevels: readonly { readonly budgetMs: number; readonly cumulativeShare: number }[];
  readonly sizes?: readonly QuerySize[];
  readonly modules: readonly SluiceModule[];
  /** Why no request of this app can be served within its objective, when none can. */
  readonly blocked?: string;
}

export interface SluiceCandidates {
  readonly apps: readonly SluiceApp[];
  /** ρ. */
  readonly rho: number;
  /** Whether a core budget caps instance counts (dominance must then compare cores too). */
  readonly coresBudgeted: boolean;
  /** Why the problem cannot be planned at all (malformed), when so. */
  readonly malformed?: string;
}
