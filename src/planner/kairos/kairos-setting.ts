/**
 * What KAIROS reads from a planning problem: one application of one module, its latency target, its
 * query-size classes, and the instance types it may buy, each as whole instances at their full cores.
 * Anything else is a reason the planner cannot plan the problem.
 */
import type { PlanningApp, PlanningModule, PlanningProblem } from '../planning-problem.js';
import { coreOptionsOf, tupleCostPerHour, utilisationCapOf, type HardwareSpec } from '../planning-problem.js';
import type { PoolBudget, PoolType } from './pool-mixes.js';

/** One size class: requests of `rows` rows, a `share` of all requests. */
export interface SizeClass {
  readonly rows: number;
  readonly share: number;
}

/** An instance type KAIROS may buy, as whole instances. */
export interface KairosType extends PoolType {
  readonly hardware: HardwareSpec;
  /** Cores of each instance: all a fixed kind has, the largest allocation of a cpu kind. */
  readonly instanceCores: number;
}

export interface KairosSetting {
  readonly app: PlanningApp;
  readonly module: PlanningModule;
  /** The module's budget: the app's SLO, or its tightest budget class if tighter, in ms. */
  readonly targetMs: number;
  /** ρ. */
  readonly rho: number;
  /** The app's query sizes (duplicates merged); one class of 1 row when it has none. */
  readonly classes: readonly SizeClass[];
  /** Whether the app has query sizes (its tuples must then list the sizes they carry). */
  readonly sized: boolean;
  /** Every hardware kind in problem order. */
  readonly types: readonly KairosType[];
  /** The problem's $/h and cores budgets. */
  readonly budget: PoolBudget;
}

/** The setting of `problem`, or why KAIROS cannot plan it. */
export function kairosSetting(problem: PlanningProblem): KairosSetting | string {
  const objective = problem.objective.kind;
  if (objective !== 'max-throughput' && objective !== 'min-cost')
    return `KAIROS maximises throughput (or, serving the whole rate, minimises cost), not '${objective}'`;
  const [app, ...otherApps] = problem.apps;
  if (app === undefined || otherApps.length > 0 || app.modules.length !== 1)
    return `KAIROS plans one application of one module; the problem has ${problem.apps.length} applications${
      app === undefined ? '' : ` (the first with ${app.modules.length} modules)`
    }`;
  const module = problem.modules.find((m) => m.name === app.modules[0]);
  if (module === undefined) return `application '${app.name}' uses a module the problem does not define`;
  if (module.variants.length === 0) return `module '${module.name}' has no variants`;
  const targetMs = Math.min(app.sloMs, ...(app.budgets ?? []).map((b) => b.budgetMs));
  if (!(targetMs > 0)) return `the latency target of ${targetMs} ms leaves no time to serve`;
  const byRows = new Map<number, number>();
  for (const q of app.querySizes ?? [{ rows: 1, share: 1 }])
    byRows.set(q.rows, (byRows.get(q.rows) ?? 0) + q.share);
  const classes = [...byRows].map(([rows, share]) => ({ rows, share }));
  if (!classes.some((c) => c.share > 0)) return `application '${app.name}' has no query size with a share`;
  const unusable = problem.hardware.find((h) => coreOptionsOf(h).length === 0);
  if (unusable !== undefined) return `hardware '${unusable.name}' offers no core allocation`;
  const types = problem.hardware.map((hardware): KairosType => {
    const cores = Math.max(...coreOptionsOf(hardware));
    return {
      name: hardware.name,
      hardware,
      instanceCores: cores,
      pricePerHour: tupleCostPerHour(hardware, cores, 1),
      cores: hardware.kind === 'cpu' ? cores : 0,
      ...(hardware.maxInstances === undefined ? {} : { maxInstances: hardware.maxInstances }),
    };
  });
  return {
    app,
    module,
    targetMs,
    rho: utilisationCapOf(problem),
    classes,
    sized: app.querySizes !== undefined,
    types,
    budget: {
      ...(problem.budget?.costPerHour === undefined ? {} : { costPerHour: problem.budget.costPerHour }),
      ...(problem.budget?.cores === undefined ? {} : { cores: problem.budget.cores }),
    },
  };
}
