/**
 * The planning model every planner is held to (DESIGN.md §3). A tuple (variant v, hardware h, cores c,
 * batch b, instances n) runs batches in l(b,c) ms and serves μ = b / l(b,c) requests per ms per
 * instance. Given real rate r and dummy rate d (requests/ms) within a budget of L ms it is feasible when
 *   throughput:                 r + d ≤ n · μ · ρ
 *   latency, batch-aware:       (b − 1) / (r + d) + l(b,c) ≤ L.
 * A module's tuples carry its whole rate, budgets sum to at most the SLO along every path of its
 * application, and the plan stays within the cost and core budgets. `checkPlan` lists every violation;
 * `assemblePlan` computes a plan's cost, capacity, accuracy, latency and objective value and marks it
 * feasible only when `checkPlan` finds nothing.
 */
import { estimateLatencyMs } from '../core/latency-model.js';
import { appGraph, type AppGraph } from './app-graph.js';
import { infeasiblePlan, type Plan, type PlanApp, type PlanModule, type PlanTuple } from './plan.js';
import {
  coreOptionsOf,
  tupleCostPerHour,
  utilisationCapOf,
  type HardwareSpec,
  type PlanningApp,
  type PlanningModule,
  type PlanningProblem,
  type PlanningVariant,
} from './planning-problem.js';

/** Relative slack for floating-point comparisons. */
export const PLAN_TOLERANCE = 1e-6;

const within = (value: number, limit: number): boolean =>
  value <= limit + PLAN_TOLERANCE * Math.max(1, Math.abs(limit));

/** Batch latency l(b,c) of a variant on a hardware kind, in ms; undefined when it has no model there. */
export function tupleLatencyMs(
  variant: PlanningVariant,
  hardware: string,
  batch: number,
  cores: number,
): number | undefined {
  const model = variant.latency[hardware];
  return model === undefined ? undefined : estimateLatencyMs(model, batch, cores);
}

/** Requests per second one instance serves at the utilisation cap: 1000 · ρ · b / l(b,c). */
export function instanceCapacityRps(latencyMs: number, batch: number, rho: number): number {
  return (1000 * rho * batch) / latencyMs;
}

/** Worst-case latency of a tuple receiving `totalRps` (real + dummy) with batch-aware dispatch, in ms. */
export function worstLatencyMs(latencyMs: number, batch: number, totalRps: number): number {
  if (batch <= 1) return latencyMs;
  return totalRps > 0 ? (1000 * (batch - 1)) / totalRps + latencyMs : Number.POSITIVE_INFINITY;
}

/**
 * The dummy rate (requests/s) a tuple needs so that batches of `batch` fill within `budgetMs`, given its
 * real rate; +∞ when the budget does not exceed the batch latency.
 */
export function dummyRpsNeeded(latencyMs: number, batch: number, budgetMs: number, rateRps: number): number {
  if (batch <= 1) return latencyMs <= budgetMs ? 0 : Number.POSITIVE_INFINITY;
  if (budgetMs <= latencyMs) return Number.POSITIVE_INFINITY;
  return Math.max(0, (1000 * (batch - 1)) / (budgetMs - latencyMs) - rateRps);
}

/**
 * The most real requests per second `instances` instances of a configuration carry within `budgetMs`
 * (dummies fill batches as needed): n·μ·ρ when the batches can fill in time at that rate, else 0.
 */
export function tupleCapacityRps(
  latencyMs: number,
  batch: number,
  instances: number,
  rho: number,
  budgetMs: number,
): number {
  const capacity = instances * instanceCapacityRps(latencyMs, batch, rho);
  return within(worstLatencyMs(latencyMs, batch, capacity), budgetMs) ? capacity : 0;
}

interface Indexed {
  readonly modules: ReadonlyMap<string, PlanningModule>;
  readonly hardware: ReadonlyMap<string, HardwareSpec>;
  readonly graphs: ReadonlyMap<string, AppGraph>;
  readonly appOf: ReadonlyMap<string, PlanningApp>;
}

/** The problem's lookups, or the problems with its structure (unknown modules, cyclic graphs, ...). */
export function indexProblem(problem: PlanningProblem): Indexed | string[] {
  const issues: string[] = [];
  const modules = new Map(problem.modules.map((m) => [m.name, m]));
  const hardware = new Map(problem.hardware.map((h) => [h.name, h]));
  const graphs = new Map<string, AppGraph>();
  const appOf = new Map<string, PlanningApp>();
  for (const app of problem.apps) {
    const graph = appGraph(app);
    if (typeof graph === 'string') issues.push(graph);
    else graphs.set(app.name, graph);
    for (const m of app.modules) {
      if (!modules.has(m))
        issues.push(`app '${app.name}' uses module '${m}', which the problem does not define`);
      if (appOf.has(m))
        issues.push(`module '${m}' belongs to two apps ('${appOf.get(m)?.name}' and '${app.name}')`);
      appOf.set(m, app);
    }
  }
  return issues.length > 0 ? issues : { modules, hardware, graphs, appOf };
}

/** Every way `plan` breaks the planning model for `problem`; empty when it is feasible. */
export function checkPlan(problem: PlanningProblem, plan: Omit<Plan, 'feasible'>): string[] {
  const index = indexProblem(problem);
  if (!Array.isArray(index)) return violations(problem, plan, index);
  return index;
}

function violations(problem: PlanningProblem, plan: Omit<Plan, 'feasible'>, index: Indexed): string[] {
  const out: string[] = [];
  const rho = utilisationCapOf(problem);
  const planned = new Map<string, PlanModule>();
  for (const m of plan.modules) {
    if (planned.has(m.name)) out.push(`module '${m.name}' appears twice in the plan`);
    planned.set(m.name, m);
    if (!index.appOf.has(m.name)) out.push(`the plan has module '${m.name}', which no app uses`);
  }
  const instancesByHardware = new Map<string, number>();
  let cost = 0;
  let cores = 0;
  for (const app of problem.apps) {
    const graph = index.graphs.get(app.name);
    if (graph === undefined) continue;
    const served = plan.apps.find((a) => a.name === app.name)?.servedRps ?? 0;
    if (problem.objective.kind !== 'max-throughput' && !within(app.rateRps, served))
      out.push(`app '${app.name}': serves ${served} req/s of the ${app.rateRps} req/s offered`);
    if (!within(served, app.rateRps))
      out.push(`app '${app.name}': serves ${served} req/s, more than the ${app.rateRps} offered`);
    const classes = app.budgets ?? [];
    if (app.querySizes !== undefined && app.modules.length !== 1)
      out.push(`app '${app.name}': query sizes are supported for one-module apps only`);
    const tightest = Math.min(app.sloMs, ...classes.map((c) => c.budgetMs));
    for (const path of graph.paths) {
      const sum = path.reduce((s, m) => s + (planned.get(m)?.budgetMs ?? 0), 0);
      if (!within(sum, tightest))
        out.push(
          `app '${app.name}': budgets along ${path.join(' -> ')} sum to ${sum} ms, over the ${tightest} ms objective`,
        );
    }
    for (const name of app.modules) {
      const module = index.modules.get(name);
      const entry = planned.get(name);
      if (module === undefined) continue;
      if (entry === undefined) {
        if (served > 0) out.push(`module '${name}' of app '${app.name}' has no entry in the plan`);
        continue;
      }
      const want = served * (graph.multiplier[name] ?? 1);
      const carried = entry.tuples.reduce((s, t) => s + t.rateRps, 0);
      if (Math.abs(carried - want) > PLAN_TOLERANCE * Math.max(1, want))
        out.push(`module '${name}': tuples carry ${carried} req/s, but it receives ${want} req/s`);
      for (const [i, tuple] of entry.tuples.entries()) {
        const where = `module '${name}' tuple ${i} (${tuple.variant} on ${tuple.instances}x ${tuple.hardware}, ${tuple.cores} cores, batch ${tuple.batch})`;
        const problems = tupleViolations(
          module,
          tuple,
          entry.budgetMs,
          index,
          rho,
          app.modules.length === 1 && classes.length > 0,
          app.querySizes !== undefined,
        );
        out.push(...problems.map((p) => `${where}: ${p}`));
        const hardware = index.hardware.get(tuple.hardware);
        if (hardware !== undefined) {
          cost += tupleCostPerHour(hardware, tuple.cores, tuple.instances);
          if (hardware.kind === 'cpu') cores += tuple.instances * tuple.cores;
          instancesByHardware.set(
            hardware.name,
            (instancesByHardware.get(hardware.name) ?? 0) + tuple.instances,
          );
        }
      }
      if (classes.length > 0 && app.modules.length === 1)
        out.push(...classViolations(name, entry, classes, served));
      if (app.querySizes !== undefined) out.push(...sizeViolations(name, entry, app.querySizes, want));
    }
  }
  for (const [name, count] of instancesByHardware) {
    const limit = index.hardware.get(name)?.maxInstances;
    if (limit !== undefined && count > limit)
      out.push(`hardware '${name}': ${count} instances, over its limit of ${limit}`);
  }
  if (problem.budget?.costPerHour !== undefined && !within(cost, problem.budget.costPerHour))
    out.push(`cost ${round(cost)} $/h exceeds the budget of ${problem.budget.costPerHour} $/h`);
  if (problem.budget?.cores !== undefined && !within(cores, problem.budget.cores))
    out.push(`${round(cores)} cores exceed the budget of ${problem.budget.cores} cores`);
  if (Math.abs(cost - plan.costPerHour) > PLAN_TOLERANCE * Math.max(1, cost))
    out.push(`the plan states ${plan.costPerHour} $/h, but its tuples cost ${round(cost)} $/h`);
  return out;
}

function tupleViolations(
  module: PlanningModule,
  tuple: PlanTuple,
  moduleBudgetMs: number,
  index: Indexed,
  rho: number,
  classesAllowed: boolean,
  sized: boolean,
): string[] {
  const out: string[] = [];
  const variant = module.variants.find((v) => v.name === tuple.variant);
  const hardware = index.hardware.get(tuple.hardware);
  if (variant === undefined) return [`unknown variant '${tuple.variant}'`];
  if (hardware === undefined) return [`unknown hardware '${tuple.hardware}'`];
  if (!Number.isInteger(tuple.batch) || tuple.batch < 1 || tuple.batch > module.maxBatch)
    out.push(`batch ${tuple.batch} is not an integer in [1, ${module.maxBatch}]`);
  if (!Number.isInteger(tuple.instances) || tuple.instances < 1)
    out.push(`instances ${tuple.instances} is not an integer >= 1`);
  if (!coreOptionsOf(hardware).some((c) => Math.abs(c - tuple.cores) <= PLAN_TOLERANCE))
    out.push(`${tuple.cores} cores is not an allocation ${hardware.name} offers`);
  if (!(tuple.rateRps >= 0) || !(tuple.dummyRps >= 0)) out.push('rates must not be negative');
  const latency = tupleLatencyMs(variant, hardware.name, tuple.batch, tuple.cores);
  if (latency === undefined)
    return [...out, `variant '${variant.name}' has no latency model on '${hardware.name}'`];
  if (out.length > 0) return out;
  const budget = tuple.budgetMs ?? moduleBudgetMs;
  if (
    tuple.budgetMs !== undefined &&
    !classesAllowed &&
    Math.abs(tuple.budgetMs - moduleBudgetMs) > PLAN_TOLERANCE
  )
    out.push(
      `its own budget ${tuple.budgetMs} ms is allowed only in a one-module app with a budget distribution`,
    );
  if (tuple.budgetMs !== undefined && tuple.budgetMs < moduleBudgetMs - PLAN_TOLERANCE)
    out.push(`its own budget ${tuple.budgetMs} ms is below the module's ${moduleBudgetMs} ms`);
  if (sized || tuple.sizes !== undefined)
    return [...out, ...sizedTupleViolations(variant, hardware.name, tuple, budget, rho, sized)];
  const total = tuple.rateRps + tuple.dummyRps;
  const capacity = tuple.instances * instanceCapacityRps(latency, tuple.batch, rho);
  if (!within(total, capacity))
    out.push(`throughput: ${round(total)} req/s exceeds n·μ·ρ = ${round(capacity)} req/s`);
  if (tuple.rateRps > 0) {
    const worst = worstLatencyMs(latency, tuple.batch, total);
    if (!within(worst, budget))
      out.push(`latency: (b-1)/(r+d) + l(b,c) = ${round(worst)} ms exceeds the ${budget} ms budget`);
  }
  return out;
}

/**
 * A tuple serving sized requests: each runs alone (batch 1) in l(rows, cores) within the budget, and the
 * instances' time is the limit: Σ rate_s · l(rows_s) ≤ n · ρ · 1000 ms per second.
 */
function sizedTupleViolations(
  variant: PlanningVariant,
  hardware: string,
  tuple: PlanTuple,
  budgetMs: number,
  rho: number,
  sized: boolean,
): string[] {
  if (!sized) return ['it lists request sizes, but its app has no query sizes'];
  const sizes = tuple.sizes ?? [];
  const out: string[] = [];
  if (tuple.batch !== 1)
    out.push('a tuple serving sized requests must run batch 1 (each request is its own batch)');
  if (tuple.dummyRps !== 0) out.push('a tuple serving sized requests takes no dummy requests');
  const sum = sizes.reduce((t, c) => t + c.rateRps, 0);
  if (Math.abs(sum - tuple.rateRps) > PLAN_TOLERANCE * Math.max(1, tuple.rateRps))
    out.push(`its sizes carry ${round(sum)} req/s, but its rate is ${round(tuple.rateRps)} req/s`);
  let busyMsPerS = 0;
  for (const size of sizes) {
    if (!(size.rateRps >= 0)) out.push(`size ${size.rows}: negative rate`);
    const l = tupleLatencyMs(variant, hardware, size.rows, tuple.cores) ?? Number.POSITIVE_INFINITY;
    if (size.rateRps > 0 && !within(l, budgetMs))
      out.push(
        `latency: a request of ${size.rows} rows takes ${round(l)} ms, over the ${budgetMs} ms budget`,
      );
    busyMsPerS += size.rateRps * l;
  }
  const availableMsPerS = tuple.instances * rho * 1000;
  if (!within(busyMsPerS, availableMsPerS))
    out.push(
      `throughput: its requests need ${round(busyMsPerS)} ms of instance time per second, over n·ρ·1000 = ${round(availableMsPerS)}`,
    );
  return out;
}

/** Each size's requests are carried in full: Σ over tuples of its rate = module rate × its share. */
function sizeViolations(
  name: string,
  entry: PlanModule,
  sizes: readonly { readonly rows: number; readonly share: number }[],
  moduleRps: number,
): string[] {
  const out: string[] = [];
  for (const size of sizes) {
    const want = moduleRps * size.share;
    const carried = entry.tuples.reduce(
      (t, tuple) =>
        t + (tuple.sizes ?? []).filter((c) => c.rows === size.rows).reduce((u, c) => u + c.rateRps, 0),
      0,
    );
    if (Math.abs(carried - want) > PLAN_TOLERANCE * Math.max(1, want))
      out.push(
        `module '${name}': requests of ${size.rows} rows: tuples carry ${round(carried)} req/s of ${round(want)} req/s`,
      );
  }
  return out;
}

/** Requests with budget L can use only tuples held to at most L: for every L, enough such capacity. */
function classViolations(
  name: string,
  entry: PlanModule,
  classes: readonly { readonly budgetMs: number; readonly share: number }[],
  servedRps: number,
): string[] {
  const out: string[] = [];
  const levels = [...new Set(classes.map((c) => c.budgetMs))].sort((a, b) => a - b);
  for (const level of levels) {
    const need = servedRps * classes.filter((c) => c.budgetMs <= level).reduce((s, c) => s + c.share, 0);
    const have = entry.tuples
      .filter((t) => (t.budgetMs ?? entry.budgetMs) <= level + PLAN_TOLERANCE)
      .reduce((s, t) => s + t.rateRps, 0);
    if (!within(need, have))
      out.push(
        `module '${name}': ${round(need)} req/s have budgets of at most ${level} ms, but tuples held to ${level} ms or less carry ${round(have)} req/s`,
      );
  }
  const loosest = levels[levels.length - 1] ?? Number.POSITIVE_INFINITY;
  for (const t of entry.tuples) {
    if ((t.budgetMs ?? entry.budgetMs) > loosest + PLAN_TOLERANCE)
      out.push(
        `module '${name}': a tuple is held to ${t.budgetMs} ms, looser than any request's budget (${loosest} ms)`,
      );
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface PlanDraft {
  readonly modules: readonly PlanModule[];
  /** Served rate per app; default each app's offered rate. */
  readonly servedRps?: Readonly<Record<string, number>>;
  readonly reason: string;
}

/**
 * The full plan for `draft`: cost, cores, capacity, accuracy, predicted latency and objective value
 * computed under the planning model, `feasible` only when `checkPlan` finds no violation (the reason
 * then names the first).
 */
export function assemblePlan(problem: PlanningProblem, planner: string, draft: PlanDraft): Plan {
  const index = indexProblem(problem);
  if (Array.isArray(index)) {
    return infeasiblePlan(planner, `the problem is malformed: ${index.join('; ')}`);
  }
  const rho = utilisationCapOf(problem);
  let cost = 0;
  let cores = 0;
  const latencyMs: Record<string, number> = {};
  const moduleCapacity = new Map<string, number>();
  const moduleAccuracy = new Map<string, number>();
  for (const entry of draft.modules) {
    const module = index.modules.get(entry.name);
    let capacity = 0;
    let weighted = 0;
    let carried = 0;
    let worst = 0;
    for (const t of entry.tuples) {
      const hardware = index.hardware.get(t.hardware);
      const variant = module?.variants.find((v) => v.name === t.variant);
      if (hardware === undefined || variant === undefined) continue;
      cost += tupleCostPerHour(hardware, t.cores, t.instances);
      if (hardware.kind === 'cpu') cores += t.instances * t.cores;
      weighted += t.rateRps * variant.accuracy;
      carried += t.rateRps;
      const sizes = t.sizes ?? sizesOf(index.appOf.get(entry.name), t.rateRps);
      if (sizes !== undefined) {
        // Capacity at the tuple's own mix of sizes: instance time over mean time per request.
        const times = sizes.map((c) => ({
          rate: c.rateRps,
          ms: tupleLatencyMs(variant, hardware.name, c.rows, t.cores) ?? 0,
        }));
        const rate = times.reduce((u, c) => u + c.rate, 0);
        const meanMs = rate > 0 ? times.reduce((u, c) => u + c.rate * c.ms, 0) / rate : 0;
        if (meanMs > 0) capacity += (t.instances * rho * 1000) / meanMs;
        for (const c of times) if (c.rate > 0) worst = Math.max(worst, c.ms);
        continue;
      }
      const l = tupleLatencyMs(variant, hardware.name, t.batch, t.cores);
      if (l === undefined) continue;
      capacity += t.instances * instanceCapacityRps(l, t.batch, rho);
      if (t.rateRps > 0) worst = Math.max(worst, worstLatencyMs(l, t.batch, t.rateRps + t.dummyRps));
    }
    latencyMs[entry.name] = worst;
    moduleCapacity.set(entry.name, capacity);
    const fallback = module?.variants.find((v) => v.name === entry.tuples[0]?.variant)?.accuracy ?? 0;
    moduleAccuracy.set(entry.name, carried > 0 ? weighted / carried : fallback);
  }
  const apps: PlanApp[] = problem.apps.map((app) => {
    const graph = index.graphs.get(app.name);
    const capacity = Math.min(
      ...app.modules.map((m) => (moduleCapacity.get(m) ?? 0) / (graph?.multiplier[m] ?? 1)),
    );
    return {
      name: app.name,
      servedRps: draft.servedRps?.[app.name] ?? app.rateRps,
      capacityRps: Number.isFinite(capacity) ? capacity : 0,
      accuracy: app.modules.reduce((acc, m) => acc * (moduleAccuracy.get(m) ?? 0), 1),
    };
  });
  const served = apps.reduce((s, a) => s + a.servedRps, 0);
  const accuracy = served > 0 ? apps.reduce((s, a) => s + a.accuracy * a.servedRps, 0) / served : 0;
  const body: Omit<Plan, 'feasible'> = {
    planner,
    costPerHour: cost,
    cores,
    capacityRps: apps.reduce((s, a) => s + a.capacityRps, 0),
    accuracy,
    objectiveValue: 0,
    predicted: { latencyMs },
    apps,
    modules: draft.modules,
    reason: draft.reason,
  };
  const withObjective = { ...body, objectiveValue: objectiveValueOf(problem, body) };
  const problems = checkPlan(problem, withObjective);
  return problems.length === 0
    ? { feasible: true, ...withObjective }
    : {
        feasible: false,
        ...withObjective,
        reason: `${draft.reason}; violates the planning model: ${problems[0]}`,
      };
}

/** The app's size mix scaled to `rateRps` (for a tuple that lists none), or undefined for unsized apps. */
function sizesOf(
  app: PlanningApp | undefined,
  rateRps: number,
): { rows: number; rateRps: number }[] | undefined {
  if (app?.querySizes === undefined) return undefined;
  const total = rateRps > 0 ? rateRps : 1;
  return app.querySizes.map((q) => ({ rows: q.rows, rateRps: total * q.share }));
}

/**
 * The objective's value: `min-cost` → $/h (lower is better); `max-throughput` → served req/s (higher);
 * `accuracy-cost` → accuracy − α·cost/budget − β·reload/longest load (higher).
 */
export function objectiveValueOf(problem: PlanningProblem, plan: Omit<Plan, 'feasible'>): number {
  const objective = problem.objective;
  if (objective.kind === 'min-cost') return plan.costPerHour;
  if (objective.kind === 'max-throughput') return plan.apps.reduce((s, a) => s + a.servedRps, 0);
  const budget = problem.budget;
  const costTerm =
    budget?.cores !== undefined
      ? plan.cores / budget.cores
      : budget?.costPerHour !== undefined
        ? plan.costPerHour / budget.costPerHour
        : plan.costPerHour;
  return (
    plan.accuracy -
    objective.costWeight * costTerm -
    (objective.reloadWeight ?? 0) * reloadTerm(problem, plan)
  );
}

/** Load time of the variants the plan runs that `current` does not, over the longest load time of any variant. */
export function reloadTerm(problem: PlanningProblem, plan: Pick<Plan, 'modules'>): number {
  const longest = Math.max(0, ...problem.modules.flatMap((m) => m.variants.map((v) => v.loadMs ?? 0)));
  if (longest === 0) return 0;
  const running = new Set(
    (problem.current?.modules ?? []).flatMap((m) => m.tuples.map((t) => `${m.name}/${t.variant}`)),
  );
  let load = 0;
  for (const entry of plan.modules) {
    const module = problem.modules.find((m) => m.name === entry.name);
    for (const variant of new Set(entry.tuples.map((t) => t.variant))) {
      if (!running.has(`${entry.name}/${variant}`))
        load += module?.variants.find((v) => v.name === variant)?.loadMs ?? 0;
    }
  }
  return load / longest;
}
