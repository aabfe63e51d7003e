/**
 * The oracle's best choice of module options as a plan: served rates per app, then each module's
 * tuples with rates by exact arguments (fill any tuple; accuracy: most accurate first; budget
 * classes: tightest class first into the tightest-held tuples, exact because classes are nested;
 * sizes: the small LP), assembled by `assemblePlan`.
 */
import type { Plan, PlanModule, PlanTuple } from '../../../src/planner/plan.js';
import { assemblePlan, indexProblem } from '../../../src/planner/planning-model.js';
import { utilisationCapOf, type PlanningProblem } from '../../../src/planner/planning-problem.js';
import { makeTuple } from '../../../src/planner/tuple-configs.js';
import { sizedLp, type ModuleContext, type ModuleOption } from './oracle-modules.js';

export function oraclePlan(problem: PlanningProblem, choice: readonly ModuleOption[]): Plan {
  const index = indexProblem(problem);
  if (Array.isArray(index)) throw new Error('unreachable');
  const contexts = problem.apps.flatMap((app) => app.modules.map((name) => ({ app, name })));
  const rho = utilisationCapOf(problem);
  const ctx = (i: number): ModuleContext => {
    const { app, name } = contexts[i]!;
    const module = index.modules.get(name)!;
    const multiplier = index.graphs.get(app.name)!.multiplier[name] ?? 1;
    return {
      problem,
      app,
      module,
      multiplier,
      sloMs: app.sloMs,
      budgets: [],
      rho,
      counter: { leaves: 0, limit: Infinity },
    };
  };
  const served = servedPerApp(
    problem,
    contexts.map((_, i) => ctx(i)),
    choice,
  );
  const modules: PlanModule[] = choice.map((option, i) => {
    const c = ctx(i);
    const want = served.get(c.app.name)! * c.multiplier;
    return { name: c.module.name, budgetMs: option.budgetMs, tuples: tuplesOf(c, option, want) };
  });
  return assemblePlan(problem, 'oracle', {
    modules,
    servedRps: Object.fromEntries(served),
    reason: 'brute force',
  });
}

function tuplesOf(context: ModuleContext, option: ModuleOption, wantRps: number): PlanTuple[] {
  const { app } = context;
  if (app.querySizes !== undefined) {
    const { rates } = sizedLp({ ...context, app: { ...app, rateRps: wantRps } }, option.picks);
    return option.picks.map((p, k) => {
      const sizes = app.querySizes!.map((s, i) => ({ rows: s.rows, rateRps: rates[k]![i]! }));
      return {
        variant: p.slot.config.variant.name,
        hardware: p.slot.config.hardware.name,
        cores: p.slot.config.cores,
        batch: 1,
        instances: p.instances,
        rateRps: sizes.reduce((s, x) => s + x.rateRps, 0),
        dummyRps: 0,
        ...(p.slot.holdMs === undefined ? {} : { budgetMs: p.slot.holdMs }),
        sizes,
      };
    });
  }
  const rates = option.picks.map(() => 0);
  const spare = (k: number): number =>
    option.picks[k]!.instances * option.picks[k]!.slot.config.instanceRps - rates[k]!;
  const classes =
    app.modules.length === 1 ? [...(app.budgets ?? [])].sort((a, b) => a.budgetMs - b.budgetMs) : [];
  const order = option.picks
    .map((p, k) => ({ p, k }))
    .sort((x, y) =>
      classes.length > 0
        ? (x.p.slot.holdMs ?? 0) - (y.p.slot.holdMs ?? 0)
        : y.p.slot.config.variant.accuracy - x.p.slot.config.variant.accuracy,
    );
  const demands =
    classes.length > 0
      ? classes.map((c) => ({ limit: c.budgetMs, rps: c.share * wantRps }))
      : [{ limit: Infinity, rps: wantRps }];
  for (const demand of demands) {
    let left = demand.rps;
    for (const { p, k } of order) {
      if ((p.slot.holdMs ?? 0) > demand.limit + 1e-12 || left <= 0) continue;
      const take = Math.min(left, spare(k));
      rates[k] = rates[k]! + take;
      left -= take;
    }
  }
  return option.picks.map((p, k) =>
    makeTuple(p.slot.config, p.instances, rates[k]!, option.budgetMs, p.slot.holdMs),
  );
}

/** Each app's served rate: the least any of its modules' options carries, at most the offered. */
export function servedPerApp(
  problem: PlanningProblem,
  contexts: readonly ModuleContext[],
  choice: readonly ModuleOption[],
): Map<string, number> {
  const served = new Map(problem.apps.map((a) => [a.name, a.rateRps]));
  contexts.forEach((c, i) => served.set(c.app.name, Math.min(served.get(c.app.name)!, choice[i]!.appRps)));
  return served;
}
