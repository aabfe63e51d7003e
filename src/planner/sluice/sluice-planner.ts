/**
 * Sluice's own planner: one MILP over tuples (variant, hardware, cores, batch, instances, dummy rate)
 * that holds every knob of the planning model at once: variant choice, vertical cores, batch size,
 * co-location (several instances, several tuples per module with dummies), a hardware mix under $/h,
 * core and per-hardware instance budgets, the split of a pipeline's SLO into module budgets (a
 * decision along every path), budget classes (tuples held to looser classes), query sizes, and the
 * three objectives. The specialised planners optimise restrictions of this space (Sponge: one variant,
 * one cpu tuple; InfAdapter: one instance per variant; Harpagon: min-cost pipelines; KAIROS: sized
 * max-throughput on a fixed mix; DNNScaler: batching vs co-location), so on their problems Sluice is at
 * least as good.
 *
 * Pieces: sluice-candidates.ts (what may run) with candidate-bounds.ts (exact instance bounds) and
 * candidate-dominance.ts (exact pruning); sluice-model.ts with model-rows.ts (the MILP as data);
 * sluice-solve.ts, solve-min-cost.ts, solve-accuracy-cost.ts, solve-ceilings.ts (the solve sequence
 * per objective); decomposed-solve.ts with cheapest-cover.ts (the same model solved without a MILP
 * where no budget couples modules: min-cost); sluice-solution.ts (values → plan); sluice-diagnosis.ts
 * (the binding constraint when infeasible). Apps that no budget couples are solved separately (the
 * objective is a sum over apps): exact, and each model stays small.
 *
 * Exact with respect to the planning model (checked against a brute-force oracle) except:
 * - accuracy-cost pipelines where two or more modules of one app have variants of different accuracy:
 *   the product of accuracies is maximised through its tangent, a few rounds (a local optimum);
 * - pipelines whose optimum needs more instances than their rate does (to fill batches faster) when
 *   nothing bounds cost: max-throughput serving less than the offered rate with no $/h budget, or free
 *   hardware; and a latency-first plan that breaks the core or instance budgets with instance counts
 *   not bounded by them;
 * - a MILP that stops at the solver's time limit: min-cost with a core budget or instance limits
 *   then returns a feasible plan from a Lagrangian search, and its reason says it is not proven
 *   optimal; other objectives report the solver's failure.
 */
import type { Solver } from '../../ports/solver.js';
import { infeasiblePlan, type Plan, type PlanModule } from '../plan.js';
import type { Planner, PlannerEntry } from '../planner.js';
import { assemblePlan } from '../planning-model.js';
import type { PlanningProblem } from '../planning-problem.js';
import { sluiceCandidates } from './sluice-candidates.js';
import type { SluiceCandidates } from './candidate-types.js';
import { diagnoseInfeasible } from './sluice-diagnosis.js';
import { solveGroup } from './sluice-solve.js';
import { draftFromSolution } from './sluice-solution.js';

const NAME = 'sluice';

export interface SluicePlannerOptions {
  /** Solve min-cost problems without coupling budgets by exact decomposition (no MILP); default true. */
  readonly decompose?: boolean;
  /** Drop dominated candidates before building the MILP (exact); default true. */
  readonly prune?: boolean;
  /** Solve groups of one-module apps by the exact frontier programme, no MILP; default true. */
  readonly frontier?: boolean;
}

/** A Sluice planner with non-default options (tests compare the decomposition and pruning with the plain MILP). */
export function createSluicePlanner(options: SluicePlannerOptions = {}): Planner {
  return (problem, deps) => planSluice(problem, deps.solver, options);
}

/** The default planner: the optimum of the whole planning model (exceptions: the file header). */
export const sluicePlanner: Planner = createSluicePlanner();

/** Registry entry for `sluicePlanner`. */
export const sluicePlannerEntry: PlannerEntry = {
  name: NAME,
  summary:
    'One MILP over variants, cores, batches, instances, hardware mix, SLO split, budget classes and query sizes (default)',
  exact: true,
  plan: sluicePlanner,
};

function planSluice(problem: PlanningProblem, solver: Solver, options: SluicePlannerOptions): Plan {
  const all = sluiceCandidates(problem, { prune: options.prune !== false });
  if (all.malformed !== undefined) return infeasiblePlan(NAME, all.malformed);
  const throughput = problem.objective.kind === 'max-throughput';
  const blocked = all.apps.find((a) => a.blocked !== undefined)?.blocked;
  if (!throughput && blocked !== undefined) return infeasiblePlan(NAME, blocked);
  if (throughput && all.apps.every((a) => a.blocked !== undefined || a.app.rateRps <= 0))
    return infeasiblePlan(NAME, blocked ?? 'no app offers any traffic to serve');
  const groups = coupled(problem) ? [all] : all.apps.map((app) => ({ ...all, apps: [app] }));
  const modules: PlanModule[] = [];
  const servedRps: Record<string, number> = {};
  let solves = 0;
  let served = 0;
  const notes: string[] = [];
  for (const group of groups) {
    const outcome = solveGroup(problem, group, solver, options);
    solves += outcome.solves;
    if (outcome.status === 'error') return infeasiblePlan(NAME, `the MILP solver failed: ${outcome.message}`);
    if (outcome.status === 'infeasible') {
      if (!throughput)
        return infeasiblePlan(
          NAME,
          diagnoseInfeasible(
            problem,
            outcome.candidates.apps.map((a) => a.app.name),
            solver,
          ),
        );
      for (const app of group.apps) {
        servedRps[app.app.name] = 0;
        for (const m of app.modules) modules.push({ name: m.module.name, budgetMs: 0, tuples: [] });
      }
      continue;
    }
    if (outcome.note !== undefined) notes.push(outcome.note);
    const draft = draftFromSolution(outcome.candidates, outcome.values, '');
    modules.push(...draft.modules);
    Object.assign(servedRps, draft.servedRps);
    served += Object.values(draft.servedRps ?? {}).reduce((s, r) => s + r, 0);
  }
  if (throughput && served <= 0) return infeasiblePlan(NAME, nothingServed(problem, solver));
  return assemblePlan(problem, NAME, {
    modules,
    servedRps,
    reason: [summary(problem, all, solves, notes.length === 0), ...notes].join('; '),
  });
}

/** Whether a budget couples the apps (then they are solved together). */
function coupled(problem: PlanningProblem): boolean {
  return (
    problem.objective.kind === 'accuracy-cost' ||
    problem.budget?.costPerHour !== undefined ||
    problem.budget?.cores !== undefined ||
    problem.hardware.some((h) => h.maxInstances !== undefined)
  );
}

/** Max-throughput serving nothing: what stops even a trickle (the same diagnosis at a tiny rate). */
function nothingServed(problem: PlanningProblem, solver: Solver): string {
  const trickle: PlanningProblem = {
    ...problem,
    objective: { kind: 'min-cost' },
    apps: problem.apps.map((a) => ({ ...a, rateRps: a.rateRps * 1e-6 })),
  };
  const names = problem.apps.map((a) => `'${a.name}'`).join(', ');
  return diagnoseInfeasible(
    trickle,
    trickle.apps.map((a) => a.name),
    solver,
    `serving any traffic of ${names}`,
  );
}

function summary(problem: PlanningProblem, all: SluiceCandidates, solves: number, proven: boolean): string {
  const modules = all.apps.flatMap((a) => a.modules);
  const kept = modules.reduce((s, m) => s + m.candidates.length, 0);
  const generated = modules.reduce((s, m) => s + m.generated, 0);
  const what = proven ? 'optimum' : 'best plan found';
  return `sluice: ${problem.objective.kind} ${what} over ${kept} candidate tuples (${generated} before pruning), ${solves} MILP solve${solves === 1 ? '' : 's'}`;
}
