/**
 * Runs a planner and the brute-force oracle on the same problems and lists every disagreement:
 * feasibility, the objective (relative 1e-6), and any planning-model violation of a plan called
 * feasible. Also reports how long each side took, for the test's console line.
 */
import { performance } from 'node:perf_hooks';
import type { Plan } from '../../../src/planner/plan.js';
import type { Planner } from '../../../src/planner/planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import type { Solver } from '../../../src/ports/solver.js';
import { planningOracle } from './planning-oracle.js';

export interface OracleComparison {
  readonly failures: string[];
  readonly feasible: number;
  readonly infeasible: number;
  readonly plannerMs: number[];
  readonly oracleMs: number;
  /** Reasons given for infeasible problems, by their first words. */
  readonly reasons: Map<string, number>;
  /** The planner's plans, in the order of the problems. */
  readonly plans: Plan[];
}

export function compareWithOracle(
  problems: readonly { readonly seed: number; readonly problem: PlanningProblem }[],
  planner: Planner,
  solver: Solver,
): OracleComparison {
  const failures: string[] = [];
  const plannerMs: number[] = [];
  const plans: Plan[] = [];
  const reasons = new Map<string, number>();
  let oracleMs = 0;
  let feasible = 0;
  for (const { seed, problem } of problems) {
    const start = performance.now();
    const plan = planner(problem, { solver });
    plannerMs.push(performance.now() - start);
    plans.push(plan);
    const oracleStart = performance.now();
    const oracle = planningOracle(problem);
    oracleMs += performance.now() - oracleStart;
    if (plan.feasible !== oracle.feasible) {
      failures.push(
        `seed ${seed}: planner feasible=${plan.feasible} (${plan.reason}), oracle ${oracle.feasible} (${oracle.objective})`,
      );
      continue;
    }
    if (!plan.feasible) {
      if (plan.reason.length === 0) failures.push(`seed ${seed}: infeasible without a reason`);
      const key = plan.reason
        .replace(/[\d.]+/g, '#')
        .split(' ')
        .slice(0, 6)
        .join(' ');
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
      continue;
    }
    feasible++;
    const gap = Math.abs(plan.objectiveValue - oracle.objective);
    if (gap > 1e-6 * Math.max(1, Math.abs(oracle.objective)))
      failures.push(`seed ${seed}: objective ${plan.objectiveValue}, oracle ${oracle.objective}`);
    const violations = checkPlan(problem, plan);
    if (violations.length > 0) failures.push(`seed ${seed}: checkPlan: ${violations.join('; ')}`);
  }
  return { failures, feasible, infeasible: problems.length - feasible, plannerMs, oracleMs, reasons, plans };
}

/** Median and 99th percentile of `ms`, as text for a console line. */
export function timing(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${at(1).toFixed(1)} ms`;
}
