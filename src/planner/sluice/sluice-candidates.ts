/**
 * The tuples Sluice chooses from. A candidate is a configuration (variant, hardware, cores, batch) of
 * one module, held to one budget, with the fewest and the most instances it may run; the MILP
 * (sluice-model.ts) decides each candidate's instance count and rates.
 *
 * - One-module app: its budget is fixed at the SLO (a larger budget never hurts, so nothing is lost),
 *   and a candidate's fewest instances is `minInstancesForBudget` at that budget. With a budget
 *   distribution, each configuration is a candidate once per class budget (a tuple held to budget L
 *   serves requests whose budget is at least L); the module itself is held to the tightest budget.
 *   With query sizes, candidates run batch 1 and know the time of each size they can serve in budget.
 * - Pipeline: each module's budget is a decision in [minBudgetMs, maxBudgetMs]; n instances of a
 *   candidate need a budget of at least λ(n) = l + fillMs/n (batch-aware dispatch with dummies), so the
 *   candidate's fewest instances is its need at the loosest budget its module can get.
 *
 * The most instances worth running: candidate-bounds.ts. Dominated candidates are dropped
 * (candidate-dominance.ts). An app whose objective no configuration can meet gets `blocked`, naming
 * why (latency only: budgets that leave nothing are named by sluice-diagnosis.ts).
 */
import { fastestConfigs, minInstancesForBudget, tupleConfigs, type TupleConfig } from '../tuple-configs.js';
import { indexProblem, PLAN_TOLERANCE, tupleLatencyMs } from '../planning-model.js';
import {
  utilisationCapOf,
  type PlanningApp,
  type PlanningModule,
  type PlanningProblem,
  type QuerySize,
} from '../planning-problem.js';
import { instanceBound, leastBudget } from './candidate-bounds.js';
import { pruneDominated } from './candidate-dominance.js';
import { sizedCandidate, sizedConfigs } from './sized-candidates.js';
import type { SluiceApp, SluiceCandidate, SluiceCandidates, SluiceModule } from './candidate-types.js';

export interface CandidateOptions {
  /** Drop dominated candidates (exact; see candidate-dominance.ts). Default true. */
  readonly prune?: boolean;
  /** $ per hour no optimal plan exceeds: bounds latency-bound instance counts in pipelines. */
  readonly ceilingPerHour?: number;
  /** Only these apps (by name); default all. */
  readonly apps?: readonly string[];
}

/** The candidates of every module of every app of `problem`. */
export function sluiceCandidates(problem: PlanningProblem, options: CandidateOptions = {}): SluiceCandidates {
  const rho = utilisationCapOf(problem);
  const index = indexProblem(problem);
  if (Array.isArray(index))
    return {
      apps: [],
      rho,
      coresBudgeted: false,
      malformed: `the problem is malformed: ${index.join('; ')}`,
    };
  const chosen =
    options.apps === undefined ? problem.apps : problem.apps.filter((a) => options.apps?.includes(a.name));
  const apps = chosen.map((app): SluiceApp => {
    const graph = index.graphs.get(app.name);
    const classes = app.budgets ?? [];
    const sloMs = Math.min(app.sloMs, ...classes.map((c) => c.budgetMs));
    const base = { app, paths: graph?.paths ?? [], sloMs, classLevels: [], modules: [] };
    if (app.querySizes !== undefined && app.modules.length !== 1)
      return { ...base, blocked: `app '${app.name}': query sizes are supported for one-module apps only` };
    const modules = app.modules.map((name) => index.modules.get(name)).filter((m) => m !== undefined);
    const multiplier = (m: PlanningModule): number => graph?.multiplier[m.name] ?? 1;
    if (modules.length === 1 && modules[0] !== undefined)
      return singleModuleApp(problem, options, rho, { ...base, classes }, modules[0]);
    return pipelineApp(problem, options, rho, base, modules, multiplier);
  });
  return { apps, rho, coresBudgeted: problem.budget?.cores !== undefined };
}

type Base = Pick<SluiceApp, 'app' | 'paths' | 'sloMs'>;

function singleModuleApp(
  problem: PlanningProblem,
  options: CandidateOptions,
  rho: number,
  base: Base & { classes: readonly { budgetMs: number; share: number }[] },
  module: PlanningModule,
): SluiceApp {
  const { app, sloMs } = base;
  const levels = [...new Set(base.classes.map((c) => c.budgetMs))].sort((a, b) => a - b);
  const classLevels = levels.map((budgetMs) => ({
    budgetMs,
    cumulativeShare: base.classes.filter((c) => c.budgetMs <= budgetMs).reduce((s, c) => s + c.share, 0),
  }));
  const offeredRps = app.rateRps;
  const sizes = app.querySizes;
  const configs =
    sizes !== undefined ? sizedConfigs(problem, module, rho) : tupleConfigs(problem, module, rho);
  const holds: (number | undefined)[] = levels.length > 0 ? levels : [undefined];
  const generated: SluiceCandidate[] = [];
  for (const config of configs) {
    for (const holdMs of holds) {
      const budgetMs = holdMs ?? sloMs;
      const candidate =
        sizes !== undefined
          ? sizedCandidate(problem, config, sizes, budgetMs, offeredRps, rho)
          : plainCandidate(problem, config, budgetMs, offeredRps, options);
      if (candidate !== undefined)
        generated.push(holdMs === undefined ? candidate : { ...candidate, holdMs });
    }
  }
  const candidates =
    options.prune === false ? generated : pruneDominated(problem, generated, { pipeline: false, module });
  const entry: SluiceModule = {
    module,
    multiplier: 1,
    offeredRps,
    fixedBudgetMs: sloMs,
    minBudgetMs: sloMs,
    maxBudgetMs: sloMs,
    candidates,
    generated: generated.length,
  };
  const result: SluiceApp = { ...base, classLevels, modules: [entry], ...(sizes ? { sizes } : {}) };
  if (offeredRps <= 0) return result;
  const blocked = singleModuleBlock(app, module, configs, sloMs, levels, sizes);
  return blocked === undefined ? result : { ...result, blocked };
}

function pipelineApp(
  problem: PlanningProblem,
  options: CandidateOptions,
  rho: number,
  base: Base,
  modules: readonly PlanningModule[],
  multiplier: (m: PlanningModule) => number,
): SluiceApp {
  // An objective blind to variants (min-cost, max-throughput): at each hardware, cores and batch the
  // fastest variant dominates the others (the same price and cores, no less capacity, a λ(n) no longer
  // for any n: candidate-dominance.ts would drop them one comparison at a time), so only it is made.
  const variantBlind = problem.objective.kind !== 'accuracy-cost';
  const configs = new Map(
    modules.map((m) => [
      m.name,
      variantBlind ? fastestConfigs(problem, m, rho) : tupleConfigs(problem, m, rho),
    ]),
  );
  // The loosest budget of a module leaves every other module on its paths its fastest execution:
  // a bound that does not depend on instance counts, so a cost ceiling changes only `maxInstances`.
  const fastest = new Map(
    modules.map((m) => [m.name, Math.min(...(configs.get(m.name) ?? []).map((c) => c.latencyMs))]),
  );
  const built = modules.map((module): SluiceModule => {
    const offeredRps = base.app.rateRps * multiplier(module);
    const maxBudgetMs = loosestBudget(base, module.name, fastest);
    const generated: SluiceCandidate[] = [];
    for (const config of configs.get(module.name) ?? []) {
      const candidate = plainCandidate(problem, config, maxBudgetMs, offeredRps, options, true);
      if (candidate !== undefined) generated.push(candidate);
    }
    const candidates =
      options.prune === false ? generated : pruneDominated(problem, generated, { pipeline: true, module });
    return {
      module,
      multiplier: multiplier(module),
      offeredRps,
      minBudgetMs: leastBudget(candidates),
      maxBudgetMs,
      candidates,
      generated: generated.length,
    };
  });
  const unfit = built.find(
    (m) =>
      !(configs.get(m.module.name) ?? []).some((c) =>
        Number.isFinite(minInstancesForBudget(c, m.maxBudgetMs)),
      ),
  );
  return withBlock(base, built, fastest, unfit);
}

/** The app, with the reason no plan can meet its SLO when the fastest modules already miss it. */
function withBlock(
  base: Base,
  built: SluiceModule[],
  fastest: ReadonlyMap<string, number>,
  unfit: SluiceModule | undefined,
): SluiceApp {
  const result: SluiceApp = { ...base, classLevels: [], modules: built };
  if (base.app.rateRps <= 0) return result;
  const tooSlow = (need: ReadonlyMap<string, number>): string | undefined => {
    for (const path of base.paths) {
      const total = path.reduce((s, m) => s + (need.get(m) ?? 0), 0);
      if (total > base.sloMs * (1 + PLAN_TOLERANCE))
        return `app '${base.app.name}': along ${path.join(' -> ')} the fastest configurations need ${round(total)} ms (${path.map((m) => `${m} ${round(need.get(m) ?? 0)} ms`).join(', ')}), over the ${round(base.sloMs)} ms SLO`;
    }
    return undefined;
  };
  const blocked = tooSlow(fastest);
  if (blocked !== undefined) return { ...result, blocked };
  if (unfit !== undefined)
    return {
      ...result,
      blocked: `app '${base.app.name}': module '${unfit.module.name}' has no configuration that fits its budget within the ${round(base.sloMs)} ms SLO (its fastest batch takes ${round(fastest.get(unfit.module.name) ?? 0)} ms)`,
    };
  // Candidates' least budgets (l + fill/most) are no proof: a cost ceiling may allow more instances.
  return result;
}

/** The most budget `name` can get: on each path through it, the SLO less the others' least budgets. */
function loosestBudget(base: Base, name: string, least: ReadonlyMap<string, number>): number {
  let loosest = base.sloMs;
  for (const path of base.paths) {
    if (!path.includes(name)) continue;
    const others = path.filter((m) => m !== name).reduce((s, m) => s + (least.get(m) ?? 0), 0);
    loosest = Math.min(loosest, base.sloMs - others);
  }
  return loosest;
}

function plainCandidate(
  problem: PlanningProblem,
  config: TupleConfig,
  budgetMs: number,
  offeredRps: number,
  options: CandidateOptions,
  pipeline = false,
): SluiceCandidate | undefined {
  const minInstances = minInstancesForBudget(config, budgetMs);
  if (!Number.isFinite(minInstances) || offeredRps <= 0) return undefined;
  const maxInstances = instanceBound(
    problem,
    config,
    minInstances,
    offeredRps,
    pipeline,
    options.ceilingPerHour,
  );
  if (maxInstances < minInstances) return undefined;
  const fillMs = (1000 * (config.batch - 1)) / config.instanceRps;
  return { config, minInstances, maxInstances, fillMs };
}

/**
 * Why no request (or no request of some class or size) can be served within its objective on any
 * configuration, whatever the budgets: latency alone, so a budget that leaves no candidate is left
 * to the diagnosis (sluice-diagnosis.ts), which names it.
 */
function singleModuleBlock(
  app: PlanningApp,
  module: PlanningModule,
  configs: readonly TupleConfig[],
  sloMs: number,
  levels: readonly number[],
  sizes: readonly QuerySize[] | undefined,
): string | undefined {
  const fastest = [...configs].sort((a, b) => a.latencyMs - b.latencyMs)[0];
  const where =
    fastest === undefined
      ? ''
      : ` (the fastest is ${round(fastest.latencyMs)} ms: '${fastest.variant.name}' on ${fastest.cores} cores of '${fastest.hardware.name}', batch ${fastest.batch})`;
  const loosest = levels[levels.length - 1] ?? sloMs;
  if (sizes !== undefined) {
    for (const size of sizes) {
      const ms = (c: TupleConfig): number =>
        tupleLatencyMs(c.variant, c.hardware.name, size.rows, c.cores) ?? Number.POSITIVE_INFINITY;
      if (size.share > 0 && !configs.some((c) => ms(c) <= loosest * (1 + PLAN_TOLERANCE)))
        return `app '${app.name}': requests of ${size.rows} rows take longer than the ${round(loosest)} ms SLO on every configuration`;
    }
    return undefined;
  }
  const fitsAt = (budgetMs: number): boolean =>
    configs.some((c) => Number.isFinite(minInstancesForBudget(c, budgetMs)));
  if (levels.length === 0 && !fitsAt(sloMs))
    return `app '${app.name}': its ${round(sloMs)} ms SLO is below every configuration's batch latency${where}`;
  const tightest = levels[0];
  if (tightest !== undefined && !fitsAt(tightest))
    return `app '${app.name}': requests with a ${round(tightest)} ms budget fit no configuration of '${module.name}'${where}`;
  return undefined;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
