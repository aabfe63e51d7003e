/**
 * Clipper's AIMD batch control (DNNScaler's baseline, papers.md §5): from the running batch and the
 * observed p95 latency, add 4 when p95 < 0.85·L, cut to ⌊0.9·b⌋ (at least 1) when p95 > L, else keep;
 * within [1, maxBatch]. The instances and cores stay as they run (Clipper does not autoscale replicas);
 * with nothing running it starts at batch 1 (no step: a p95 without a running batch judges nothing) on
 * the hardware's largest core option, with as many instances as carry the rate at that batch. L is the module's budget (`module-budgets.ts`).
 */
import type { Plan } from '../plan.js';
import { infeasiblePlan } from '../plan.js';
import { utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { largestCores } from './default-config.js';
import { assembleFixedPlan, offeredModuleRps, type FixedModule } from './assemble-fixed-plan.js';
import { moduleBudgets } from './module-budgets.js';
import { modulePlacement } from './module-placement.js';
import { configFor } from '../tuple-configs.js';
import { instancesForRate } from './instances-for-rate.js';

const NAME = 'clipper';

/** Additive increase, in requests per batch. */
export const CLIPPER_INCREASE = 4;
/** Multiplicative decrease factor. */
export const CLIPPER_DECREASE = 0.9;

/** AIMD's next batch from `batch` and the observed p95 (ms) against the target L (ms); unchanged without p95. */
export function clipperNextBatch(
  batch: number,
  p95Ms: number | undefined,
  targetMs: number,
  maxBatch: number,
): number {
  let next = batch;
  if (p95Ms !== undefined && p95Ms < 0.85 * targetMs) next = batch + CLIPPER_INCREASE;
  else if (p95Ms !== undefined && p95Ms > targetMs) next = Math.floor(CLIPPER_DECREASE * batch);
  return Math.min(Math.max(1, maxBatch), Math.max(1, next));
}

function planClipper(problem: PlanningProblem): Plan {
  const rho = utilisationCapOf(problem);
  const budgets = moduleBudgets(problem);
  const offered = offeredModuleRps(problem);
  const modules: FixedModule[] = [];
  const notes: string[] = [];
  for (const name of problem.apps.flatMap((a) => a.modules)) {
    const module = problem.modules.find((m) => m.name === name);
    const budgetMs = budgets.get(name);
    if (module === undefined || budgetMs === undefined) continue;
    const placement = modulePlacement(problem, module);
    if (typeof placement === 'string') return infeasiblePlan(NAME, placement);
    const { variant, hardware } = placement;
    const running = placement.running.find((t) => t.hardware === hardware.name && t.variant === variant.name);
    const p95 = problem.observations?.latencyMs?.[name]?.p95;
    // The p95 judges the running batch; with nothing running, AIMD starts from 1.
    const batch = running === undefined ? 1 : clipperNextBatch(running.batch, p95, budgetMs, module.maxBatch);
    const cores = running?.cores ?? largestCores(hardware);
    let instances = running?.instances;
    if (instances === undefined) {
      const config = configFor(name, variant, hardware, cores, batch, rho);
      const sized = config === undefined ? 1 : instancesForRate(config, offered.get(name) ?? 0, budgetMs);
      instances = Number.isFinite(sized) ? sized : 1;
    }
    modules.push({ name, budgetMs, tuples: [{ variant, hardware, cores, batch, instances }] });
    const seen = p95 === undefined ? 'no p95 observed' : `p95 ${fmt(p95)} ms vs L ${fmt(budgetMs)} ms`;
    notes.push(
      `module '${name}': batch ${running?.batch ?? 1} -> ${batch} (${seen}), ${instances} x ${fmt(cores)} cores`,
    );
  }
  return assembleFixedPlan(problem, NAME, modules, `clipper: ${notes.join('; ')}`);
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Clipper: AIMD batch size from the observed p95, instances as they run. */
export const clipperPlanner: PlannerEntry = {
  feedback: true,
  name: NAME,
  summary:
    'Clipper: AIMD batch size (+4 under 0.85 L, x0.9 over L) from the observed p95; instances as they run',
  exact: false,
  plan: planClipper,
};
