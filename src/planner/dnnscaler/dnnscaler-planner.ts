/**
 * DNNScaler (papers.md §5) as a planner: per module, on the cpu allocation it may use, batching or
 * co-location, whichever carries more within the latency target (`dnnscaler-verdict.ts`), at that
 * approach's best knob. DNNScaler maximises throughput on a fixed allocation: with `max-throughput`
 * each app serves min(offered, capacity); with any other objective the plan must carry the whole rate,
 * else it is infeasible with the numbers. It never trades cost for rate: it always uses the allocation.
 *
 * Rules where the paper (one model per GPU) is silent:
 * - variant: the running one, else the module's first; hardware: the running cpu kind, else the first
 *   cpu kind the variant has a latency model for;
 * - allocation C per module: the core budget split evenly over the problem's modules, else the
 *   hardware's maxCores;
 * - latency target L: the app's worst request budget (SLO or tightest class) for one-module apps; for a
 *   pipeline, split evenly along the longest path through the module (`module-budgets.ts`).
 */
import { assembleFixedPlan, offeredModuleRps, type FixedModule } from '../baselines/assemble-fixed-plan.js';
import { moduleBudgets } from '../baselines/module-budgets.js';
import { modulePlacement } from '../baselines/module-placement.js';
import { infeasiblePlan, type Plan } from '../plan.js';
import { indexProblem, PLAN_TOLERANCE } from '../planning-model.js';
import { utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { dnnscalerVerdict, type DnnscalerKnob, type DnnscalerVerdict } from './dnnscaler-verdict.js';

const NAME = 'dnnscaler';

function planDnnscaler(problem: PlanningProblem): Plan {
  const index = indexProblem(problem);
  if (Array.isArray(index)) return infeasiblePlan(NAME, `the problem is malformed: ${index.join('; ')}`);
  const rho = utilisationCapOf(problem);
  const budgets = moduleBudgets(problem);
  const offered = offeredModuleRps(problem);
  const planned = problem.apps.flatMap((a) => a.modules);
  const modules: FixedModule[] = [];
  const notes: string[] = [];
  const short: string[] = [];
  for (const name of planned) {
    const module = index.modules.get(name);
    const targetMs = budgets.get(name);
    if (module === undefined || targetMs === undefined) continue;
    const placement = modulePlacement(problem, module);
    if (typeof placement === 'string') return infeasiblePlan(NAME, placement);
    const { variant, hardware } = placement;
    const totalCores =
      problem.budget?.cores === undefined ? hardware.maxCores : problem.budget.cores / planned.length;
    const verdict = dnnscalerVerdict({ module, variant, hardware, totalCores, targetMs, rho });
    if (verdict === undefined)
      return infeasiblePlan(
        NAME,
        `module '${name}': neither batching nor co-location on ${fmt(totalCores)} cores of ` +
          `${hardware.name} meets the ${fmt(targetMs)} ms target at any knob value`,
      );
    const { knob } = verdict;
    modules.push({
      name,
      budgetMs: targetMs,
      tuples: [{ variant, hardware, cores: knob.cores, batch: knob.batch, instances: knob.instances }],
    });
    notes.push(`module '${name}': ${describe(verdict, targetMs)}`);
    const needRps = offered.get(name) ?? 0;
    if (problem.objective.kind !== 'max-throughput' && knob.throughputRps < needRps * (1 - PLAN_TOLERANCE))
      short.push(
        `module '${name}': the best knob carries ${fmt(knob.throughputRps)} req/s of the ${fmt(needRps)} req/s needed`,
      );
  }
  const reason = short.length > 0 ? `${short.join('; ')} (${notes.join('; ')})` : notes.join('; ');
  return assembleFixedPlan(problem, NAME, modules, reason);
}

/** "co-location: 4 instances x 0.5 cores, 92 req/s vs batching b=8 on 2 cores at 71 req/s within 100 ms". */
function describe(verdict: DnnscalerVerdict, targetMs: number): string {
  const text = (
    approach: DnnscalerVerdict['approach'],
    k: DnnscalerKnob | undefined,
    sep: string,
  ): string => {
    if (k === undefined) return `${approach} (nothing within the target)`;
    const what =
      approach === 'co-location'
        ? `co-location: ${k.instances} instance${k.instances === 1 ? '' : 's'} x ${cores(k.cores)}`
        : `batching b=${k.batch} on ${cores(k.cores)}`;
    return `${what}${sep}${fmt(k.throughputRps)} req/s`;
  };
  const other = verdict.approach === 'co-location' ? 'batching' : 'co-location';
  const otherKnob = verdict.approach === 'co-location' ? verdict.batching : verdict.colocation;
  return `${text(verdict.approach, verdict.knob, ', ')} vs ${text(other, otherKnob, ' at ')} within ${fmt(targetMs)} ms`;
}

function cores(n: number): string {
  return `${fmt(n)} core${n === 1 ? '' : 's'}`;
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** DNNScaler: batching or co-location, whichever serves more within the latency target (papers.md §5). */
export const dnnscalerPlanner: PlannerEntry = {
  name: NAME,
  summary:
    "DNNScaler: per model, batching or co-located instances on its allocation, whichever carries more within the target (exact for DNNScaler's own knobs)",
  exact: true,
  plan: planDnnscaler,
};
