/**
 * Cost at equal attainment (the crux of the Harpagon comparison): the planning model is a fluid one that
 * ignores queueing, so a plan sized at ρ = 0.9 may miss its SLO once requests arrive in bursts. For one
 * planner and one workload, every plan on a grid of utilisation caps ρ and SLO margins m (the planner
 * plans for m·SLO; the run still holds requests to the SLO) is made; distinct plans are then simulated
 * as static deployments in ascending order of cost, and the first whose simulated attainment reaches
 * the target is the cheapest plan on the grid that meets it. The ρ = 0.9, m = 1 plan is simulated too:
 * the planning-model-only figure, before simulation corrects it.
 */
import type { Plan } from '../../planner/plan.js';
import type { PlannerEntry } from '../../planner/planner.js';
import type { PlanningProblem } from '../../planner/planning-problem.js';
import type { Solver } from '../../ports/solver.js';
import type { SimulationResult } from '../../sim/simulation-types.js';

/** One grid point: plan with utilisation cap `rho` for `margin` × the SLO. */
export interface GridPoint {
  readonly rho: number;
  readonly margin: number;
}

/** A simulated plan. */
export interface TriedPlan {
  readonly rho: number;
  readonly margin: number;
  readonly plan: Plan;
  readonly result: SimulationResult;
}

export interface EqualAttainment {
  readonly planner: string;
  /** The ρ = 0.9, m = 1 plan as the planning model sizes it, and how it fares when run. */
  readonly modelOnly: TriedPlan;
  /** The cheapest plan on the grid reaching the target; undefined when none did. */
  readonly chosen: TriedPlan | undefined;
  /** When none reached the target: the one that came closest. */
  readonly closest: TriedPlan;
  /** Distinct plans simulated (the grid's plans are often the same plan). */
  readonly simulations: number;
  /** Grid points whose plan had no tuples at all (nothing to run). */
  readonly empty: number;
}

export interface EqualAttainmentOptions {
  readonly solver: Solver;
  readonly grid: readonly GridPoint[];
  /** Attainment the chosen plan must reach, in [0, 1]. */
  readonly target: number;
  /** Simulates a plan as a static deployment under the workload (the caller may memoise by `planKey`). */
  readonly simulate: (plan: Plan) => SimulationResult;
  /** Distinct plans simulated at most, the model-only one included. */
  readonly maxSimulations: number;
}

/** The equal-attainment search for `planner` on `problem` (whose SLOs are the ones requests are held to). */
export function equalAttainment(
  problem: PlanningProblem,
  planner: PlannerEntry,
  options: EqualAttainmentOptions,
): EqualAttainment {
  const byKey = new Map<string, { point: GridPoint; plan: Plan }>();
  let empty = 0;
  let reference: { point: GridPoint; plan: Plan; key: string } | undefined;
  for (const point of options.grid) {
    const plan = planner.plan(planningProblem(problem, point), { solver: options.solver });
    if (plan.modules.length === 0) {
      empty += 1;
      continue;
    }
    const key = planKey(plan);
    if (!byKey.has(key)) byKey.set(key, { point, plan });
    if (point.rho === 0.9 && point.margin === 1) reference = { point, plan, key };
  }
  if (reference === undefined) {
    // The reference point is off the grid or had no plan: plan it anyway, it is what the model alone says.
    const point = { rho: 0.9, margin: 1 };
    const plan = planner.plan(planningProblem(problem, point), { solver: options.solver });
    reference = { point, plan, key: planKey(plan) };
  }
  const results = new Map<string, TriedPlan>();
  const run = (key: string, point: GridPoint, plan: Plan): TriedPlan => {
    const known = results.get(key);
    if (known !== undefined) return known;
    const tried = { rho: point.rho, margin: point.margin, plan, result: options.simulate(plan) };
    results.set(key, tried);
    return tried;
  };
  const modelOnly = run(reference.key, reference.point, reference.plan);
  // Cheapest first; at equal cost the model's own plan, then the looser grid point (higher ρ, larger margin).
  const referenceKey = reference.key;
  const order = [...byKey].sort(
    ([ka, a], [kb, b]) =>
      a.plan.costPerHour - b.plan.costPerHour ||
      Number(kb === referenceKey) - Number(ka === referenceKey) ||
      b.point.rho - a.point.rho ||
      b.point.margin - a.point.margin,
  );
  let chosen: TriedPlan | undefined;
  for (const [key, { point, plan }] of order) {
    // Out of simulations: only plans already run (the model-only one) can still be chosen.
    if (!results.has(key) && results.size >= options.maxSimulations) continue;
    const tried = run(key, point, plan);
    if (tried.result.attainment >= options.target) {
      chosen = tried;
      break;
    }
  }
  const closest = [...results.values()].reduce((a, b) => (b.result.attainment > a.result.attainment ? b : a));
  return { planner: planner.name, modelOnly, chosen, closest, simulations: results.size, empty };
}

/** The problem a grid point plans: ρ set, every app's SLO (and budget classes) times the margin. */
export function planningProblem(problem: PlanningProblem, point: GridPoint): PlanningProblem {
  return {
    ...problem,
    utilisationCap: point.rho,
    apps: problem.apps.map((app) => ({
      ...app,
      sloMs: app.sloMs * point.margin,
      ...(app.budgets === undefined
        ? {}
        : { budgets: app.budgets.map((c) => ({ ...c, budgetMs: c.budgetMs * point.margin })) }),
    })),
  };
}

/**
 * What makes two plans run alike: their tuples and module budgets (budgets shape the run's deadlines).
 * Plans of different planners with one key run identically, so their simulations can be shared.
 */
export function planKey(plan: Plan): string {
  return plan.modules
    .map(
      (m) =>
        `${m.name}@${m.budgetMs.toFixed(1)}:` +
        m.tuples.map((t) => `${t.instances}x${t.variant}/${t.hardware}/${t.cores}/${t.batch}`).join(','),
    )
    .join(';');
}
