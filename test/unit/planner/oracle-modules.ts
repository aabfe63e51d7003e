/**
 * The oracle's per-module enumeration: every budget a module may WLOG take, every instance vector over
 * its configurations (and class holds) within the budgets, each summarised by what the whole-plan
 * search needs (cost, cores, instances per hardware, the app rate it can serve, accuracy, reload).
 *
 * Why the candidate budgets suffice (pipelines): lowering a module's budget to the most any of its
 * tuples needs, λ(n) = l + (b−1)/(n·μ·ρ) (l for batch 1), and then dropping instances a tuple no
 * longer needs, repeated, ends where the budget is λₖ(nₖ) of some tuple with nₖ either its fewest at
 * that budget or ⌈rate/capacity⌉; so budgets λₖ(j) for j up to max(⌈rate/capacity⌉, ceiling/cost)
 * are enough, with `ceiling` a cost no optimal plan exceeds.
 */
import { instanceCapacityRps, tupleLatencyMs } from '../../../src/planner/planning-model.js';
import {
  coreOptionsOf,
  tupleCostPerHour,
  type PlanningApp,
  type PlanningModule,
  type PlanningProblem,
} from '../../../src/planner/planning-problem.js';
import { minInstancesForBudget, tupleConfigs, type TupleConfig } from '../../../src/planner/tuple-configs.js';
import { maximizeLp } from './oracle-lp.js';

export interface Slot {
  readonly config: TupleConfig;
  readonly holdMs?: number;
  readonly fewest: number;
  readonly most: number;
  /** Sized apps: ms per request of each size, undefined where over budget. */
  readonly sizeMs?: readonly (number | undefined)[];
}

export interface ModuleOption {
  readonly budgetMs: number;
  readonly picks: readonly { readonly slot: Slot; readonly instances: number }[];
  readonly cost: number;
  readonly cores: number;
  /** Instances per hardware kind, aligned with problem.hardware. */
  readonly perHardware: readonly number[];
  /** App requests per second this option can carry (at most the app's offered rate). */
  readonly appRps: number;
  /** Traffic-weighted accuracy at the app's full rate, filling the most accurate tuples first. */
  readonly accuracy: number;
  /** Load time (ms) of variants it starts that are not running. */
  readonly loadMs: number;
}

export interface ModuleContext {
  readonly problem: PlanningProblem;
  readonly app: PlanningApp;
  readonly module: PlanningModule;
  readonly multiplier: number;
  /** Tightest objective of the app. */
  readonly sloMs: number;
  /** Candidate budgets; one-module apps: [sloMs]. */
  readonly budgets: readonly number[];
  readonly rho: number;
  /** Vectors enumerated so far (shared counter, to stop runaway problems). */
  readonly counter: { leaves: number; readonly limit: number };
}

/** Every option of one module: all budgets × all instance vectors within the budgets. */
export function moduleOptions(context: ModuleContext): ModuleOption[] {
  const out: ModuleOption[] = [];
  for (const budgetMs of context.budgets) {
    const slots = slotsAt(context, budgetMs);
    enumerate(context, slots, budgetMs, out);
  }
  return out;
}

/** λₖ(j) for every configuration and j up to its bound, within [least, loosest]. */
export function candidateBudgets(
  problem: PlanningProblem,
  module: PlanningModule,
  moduleRps: number,
  rho: number,
  loosestMs: number,
  ceilingPerHour: number | undefined,
  deeper = 0,
): number[] {
  const out = new Set<number>();
  for (const config of tupleConfigs(problem, module, rho)) {
    if (config.latencyMs > loosestMs) continue;
    if (config.batch === 1) {
      out.add(config.latencyMs);
      continue;
    }
    const fewest = minInstancesForBudget(config, loosestMs);
    let top = Math.max(fewest, deeper, Math.ceil(moduleRps / config.instanceRps - 1e-9));
    if (ceilingPerHour !== undefined)
      top = Math.max(top, Math.floor(ceilingPerHour / config.instanceCostPerHour + 1e-9));
    for (let j = fewest; j <= top; j++)
      out.add(config.latencyMs + (1000 * (config.batch - 1)) / (j * config.instanceRps));
  }
  return [...out].filter((b) => b <= loosestMs * (1 + 1e-12)).sort((a, b) => a - b);
}

function slotsAt(context: ModuleContext, budgetMs: number): Slot[] {
  const { problem, app, module, rho } = context;
  const moduleRps = app.rateRps * context.multiplier;
  const holds: (number | undefined)[] =
    app.budgets !== undefined && app.modules.length === 1
      ? [...new Set(app.budgets.map((c) => c.budgetMs))]
      : [undefined];
  const configs =
    app.querySizes !== undefined ? batchOne(problem, module, rho) : tupleConfigs(problem, module, rho);
  const slots: Slot[] = [];
  for (const config of configs) {
    for (const holdMs of holds) {
      const budget = holdMs ?? budgetMs;
      let fewest: number;
      let need: number;
      let sizeMs: (number | undefined)[] | undefined;
      if (app.querySizes !== undefined) {
        sizeMs = app.querySizes.map((s) => {
          const ms = tupleLatencyMs(config.variant, config.hardware.name, s.rows, config.cores) ?? Infinity;
          return ms <= budget * (1 + 1e-6) ? ms : undefined;
        });
        if (sizeMs.every((t) => t === undefined)) continue;
        fewest = 1;
        const busy = app.querySizes.reduce((t, s, i) => t + moduleRps * s.share * (sizeMs?.[i] ?? 0), 0);
        need = Math.ceil(busy / (1000 * rho) - 1e-9);
      } else {
        fewest = minInstancesForBudget(config, budget);
        if (!Number.isFinite(fewest)) continue;
        need = Math.ceil(moduleRps / config.instanceRps - 1e-9);
      }
      let most = Math.max(fewest, need, 1);
      const limit = config.hardware.maxInstances;
      if (limit !== undefined) most = Math.min(most, limit);
      const dollars = problem.budget?.costPerHour;
      if (dollars !== undefined && config.instanceCostPerHour > 0)
        most = Math.min(most, Math.floor(dollars / config.instanceCostPerHour + 1e-9));
      const cores = problem.budget?.cores;
      if (cores !== undefined && config.hardware.kind === 'cpu')
        most = Math.min(most, Math.floor(cores / config.cores + 1e-9));
      if (most < fewest) continue;
      slots.push({
        config,
        fewest,
        most,
        ...(holdMs === undefined ? {} : { holdMs }),
        ...(sizeMs ? { sizeMs } : {}),
      });
    }
  }
  return slots;
}

function batchOne(problem: PlanningProblem, module: PlanningModule, rho: number): TupleConfig[] {
  const out: TupleConfig[] = [];
  for (const variant of module.variants)
    for (const hardware of problem.hardware)
      for (const cores of coreOptionsOf(hardware)) {
        const latencyMs = tupleLatencyMs(variant, hardware.name, 1, cores);
        if (latencyMs === undefined) continue;
        out.push({
          module: module.name,
          variant,
          hardware,
          cores,
          batch: 1,
          latencyMs,
          instanceRps: instanceCapacityRps(latencyMs, 1, rho),
          instanceCostPerHour: tupleCostPerHour(hardware, cores, 1),
        });
      }
  return out;
}

function enumerate(
  context: ModuleContext,
  slots: readonly Slot[],
  budgetMs: number,
  out: ModuleOption[],
): void {
  const { problem } = context;
  const kind = problem.objective.kind;
  const counts = slots.map(() => 0);
  // One module in the whole problem and min-cost: a vector costing no less than a full one found
  // cannot be better, nor can anything that extends it.
  const alone = kind === 'min-cost' && problem.apps.length === 1 && problem.apps[0]?.modules.length === 1;
  let bestFull = Number.POSITIVE_INFINITY;
  const hardwareIndex = new Map(problem.hardware.map((h, i) => [h.name, i]));
  const visit = (k: number, cost: number, cores: number): void => {
    let floor = Number.NEGATIVE_INFINITY;
    if (++context.counter.leaves > context.counter.limit)
      throw new RangeError('oracle: problem too large to enumerate');
    const picks = slots.map((slot, i) => ({ slot, instances: counts[i]! })).filter((p) => p.instances > 0);
    if (picks.length > 0) {
      const option = summarise(context, budgetMs, picks, cost, cores, hardwareIndex);
      const full = option.appRps >= context.app.rateRps * (1 - 1e-9);
      if (full || kind === 'max-throughput') out.push(option);
      const limited = problem.hardware.some(
        (h, i) => h.maxInstances !== undefined && option.perHardware[i]! > h.maxInstances,
      );
      if (full && alone && !limited) bestFull = Math.min(bestFull, cost);
      // Adding instances to a plan that already serves everything only costs more; for
      // accuracy-cost, unless they are of a variant more accurate than the least accurate one that
      // carries traffic now (any other addition would carry nothing, or at no better accuracy).
      if (full && kind !== 'accuracy-cost') return;
      if (full) floor = leastServingAccuracy(context, picks);
    }
    for (let i = k; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.config.variant.accuracy <= floor) continue;
      for (let n = slot.fewest; n <= slot.most; n++) {
        const c = cost + n * slot.config.instanceCostPerHour;
        const q = cores + (slot.config.hardware.kind === 'cpu' ? n * slot.config.cores : 0);
        if (problem.budget?.costPerHour !== undefined && c > problem.budget.costPerHour * (1 + 1e-9)) break;
        if (alone && c >= bestFull) break;
        if (problem.budget?.cores !== undefined && q > problem.budget.cores * (1 + 1e-9)) break;
        counts[i] = n;
        visit(i + 1, c, q);
        counts[i] = 0;
      }
    }
  };
  visit(0, 0, 0);
}

/** Accuracy of the least accurate variant that carries traffic when the most accurate fill first. */
function leastServingAccuracy(
  context: ModuleContext,
  picks: readonly { slot: Slot; instances: number }[],
): number {
  let left = context.app.rateRps * context.multiplier;
  let floor = Number.POSITIVE_INFINITY;
  for (const p of [...picks].sort(
    (x, y) => y.slot.config.variant.accuracy - x.slot.config.variant.accuracy,
  )) {
    if (left <= 1e-9 * Math.max(1, context.app.rateRps)) break;
    left -= p.instances * p.slot.config.instanceRps;
    floor = p.slot.config.variant.accuracy;
  }
  return floor;
}

function summarise(
  context: ModuleContext,
  budgetMs: number,
  picks: { slot: Slot; instances: number }[],
  cost: number,
  cores: number,
  hardwareIndex: ReadonlyMap<string, number>,
): ModuleOption {
  const { problem, app } = context;
  const perHardware = problem.hardware.map(() => 0);
  for (const p of picks) {
    const h = hardwareIndex.get(p.slot.config.hardware.name) ?? 0;
    perHardware[h] = (perHardware[h] ?? 0) + p.instances;
  }
  const appRps = servable(context, picks);
  const moduleRps = app.rateRps * context.multiplier;
  let accuracy = 0;
  let left = moduleRps;
  for (const p of [...picks].sort(
    (x, y) => y.slot.config.variant.accuracy - x.slot.config.variant.accuracy,
  )) {
    const take = Math.min(left, p.instances * p.slot.config.instanceRps);
    accuracy += (take * p.slot.config.variant.accuracy) / Math.max(moduleRps, 1e-300);
    left -= take;
  }
  const running = new Set(
    (problem.current?.modules ?? [])
      .filter((m) => m.name === context.module.name)
      .flatMap((m) => m.tuples.map((t) => t.variant)),
  );
  let loadMs = 0;
  for (const v of new Set(picks.map((p) => p.slot.config.variant)))
    if (!running.has(v.name)) loadMs += v.loadMs ?? 0;
  return { budgetMs, picks, cost, cores, perHardware, appRps, accuracy, loadMs };
}

/** The most app requests per second `picks` carry (classes: nested capacity; sizes: an LP). */
export function servable(
  context: ModuleContext,
  picks: readonly { slot: Slot; instances: number }[],
): number {
  const { app } = context;
  const mult = context.multiplier;
  if (app.querySizes !== undefined) return sizedLp(context, picks).served;
  let served = app.rateRps;
  const classes = app.modules.length === 1 ? (app.budgets ?? []) : [];
  const levels =
    classes.length > 0 ? [...new Set(classes.map((c) => c.budgetMs))] : [Number.POSITIVE_INFINITY];
  for (const level of levels) {
    const share =
      classes.length > 0 ? classes.filter((c) => c.budgetMs <= level).reduce((s, c) => s + c.share, 0) : 1;
    const capacity = picks
      .filter((p) => (p.slot.holdMs ?? 0) <= level)
      .reduce((s, p) => s + p.instances * p.slot.config.instanceRps, 0);
    if (share > 0) served = Math.min(served, capacity / (share * mult));
  }
  return served;
}

/** Max served s: Σₖ rₖᵢ ≥ shareᵢ·s per size, Σᵢ timeₖᵢ·rₖᵢ ≤ 1000·ρ·nₖ, s ≤ offered. */
export function sizedLp(
  context: ModuleContext,
  picks: readonly { slot: Slot; instances: number }[],
): { served: number; rates: number[][] } {
  const sizes = context.app.querySizes ?? [];
  const vars: { k: number; i: number; ms: number }[] = [];
  picks.forEach((p, k) => p.slot.sizeMs?.forEach((ms, i) => ms !== undefined && vars.push({ k, i, ms })));
  const width = 1 + vars.length;
  const rows: number[][] = [];
  const rhs: number[] = [];
  sizes.forEach((size, i) => {
    rows.push([size.share, ...vars.map((v) => (v.i === i ? -1 : 0))]);
    rhs.push(0);
  });
  picks.forEach((p, k) => {
    rows.push([0, ...vars.map((v) => (v.k === k ? v.ms : 0))]);
    rhs.push(1000 * context.rho * p.instances);
  });
  rows.push([1, ...vars.map(() => 0)]);
  rhs.push(context.app.rateRps);
  const objective = Array.from({ length: width }, (_, j) => (j === 0 ? 1 : 0));
  const { x } = maximizeLp(objective, rows, rhs);
  const served = x[0] ?? 0;
  const rates = picks.map(() => sizes.map(() => 0));
  vars.forEach((v, j) => {
    rates[v.k]![v.i] = x[j + 1] ?? 0;
  });
  // Carry exactly share·s of each size: trim any surplus the LP left.
  sizes.forEach((size, i) => {
    let surplus = rates.reduce((s, r) => s + r[i]!, 0) - size.share * served;
    for (const r of rates) {
      const cut = Math.min(r[i]!, Math.max(0, surplus));
      r[i] = r[i]! - cut;
      surplus -= cut;
    }
  });
  return { served, rates };
}
