/**
 * The Kubernetes Vertical Pod Autoscaler baseline (InfAdapter's, papers.md §2): one pod per module,
 * scaled vertically by the VPA recommender. Its CPU target is the 90th percentile of the observed usage
 * plus a 15% safety margin (the recommender's defaults `--target-cpu-percentile=0.9` and
 * `--recommendation-margin-fraction=0.15`, with a floor of `--pod-recommendation-min-cpu-millicores=25`:
 * kubernetes/autoscaler, vertical-pod-autoscaler/docs/flags.md), rounded up to a core option. The real
 * recommender keeps a decaying histogram over days; a percentile of the samples the control loop hands
 * over is our reading of it. Without samples, the usage the rate implies: rate × l(1, c) · c, the CPU time
 * of a request at the running cores c (onnxruntime's intra-op threads spin while a batch runs, so a busy
 * instance uses its whole allocation). A VPA user keeps the model server's batching off (batch 1): VPA
 * sizes CPU for the load, not for batches. Changing the request recreates the pod (VPA's Recreate mode),
 * so a new size is applied by a restart; the simulator charges it.
 */
import { percentile } from '../../core/percentile.js';
import type { Plan } from '../plan.js';
import { infeasiblePlan } from '../plan.js';
import { PLAN_TOLERANCE, tupleLatencyMs } from '../planning-model.js';
import { coreOptionsOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { assembleFixedPlan, offeredModuleRps, type FixedModule } from './assemble-fixed-plan.js';
import { moduleBudgets } from './module-budgets.js';
import { modulePlacement } from './module-placement.js';

const NAME = 'vpa';

/** `--target-cpu-percentile`. */
export const VPA_TARGET_PERCENTILE = 0.9;
/** `--recommendation-margin-fraction`. */
export const VPA_SAFETY_MARGIN = 0.15;
/** `--pod-recommendation-min-cpu-millicores` (25), in cores. */
export const VPA_MIN_CORES = 0.025;

/** The recommender's CPU target in cores: p90 of `samplesCores` (else `impliedCores`) × 1.15, at least 0.025. */
export function vpaTargetCores(samplesCores: readonly number[] | undefined, impliedCores: number): number {
  const base =
    samplesCores !== undefined && samplesCores.length > 0
      ? percentile(
          [...samplesCores].sort((a, b) => a - b),
          VPA_TARGET_PERCENTILE,
        )
      : impliedCores;
  return Math.max(VPA_MIN_CORES, base * (1 + VPA_SAFETY_MARGIN));
}

/** The smallest option at least `targetCores`, else the largest (the pod cannot grow further). */
export function roundUpToOption(options: readonly number[], targetCores: number): number | undefined {
  return options.find((c) => c >= targetCores * (1 - PLAN_TOLERANCE)) ?? options[options.length - 1];
}

function planVpa(problem: PlanningProblem): Plan {
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
    const options = coreOptionsOf(hardware);
    const running = placement.running.find((t) => t.hardware === hardware.name);
    const nowCores = running?.cores ?? options[0] ?? 1;
    const samples = problem.observations?.cpuUsageCores?.[name];
    const perRequestMs = tupleLatencyMs(variant, hardware.name, 1, nowCores) ?? 0;
    const impliedCores = ((offered.get(name) ?? 0) * perRequestMs * nowCores) / 1000;
    const target = vpaTargetCores(samples, impliedCores);
    const cores = roundUpToOption(options, target) ?? nowCores;
    modules.push({ name, budgetMs, tuples: [{ variant, hardware, cores, batch: 1, instances: 1 }] });
    const source = samples !== undefined && samples.length > 0 ? 'observed' : 'implied by the rate';
    const applied =
      running === undefined
        ? 'a new pod'
        : running.cores === cores && placement.running.length === 1 && running.instances === 1
          ? 'unchanged'
          : `applied by restarting the pod (from ${fmt(running.cores)} cores)`;
    notes.push(
      `module '${name}': p90 usage ${fmt(target / (1 + VPA_SAFETY_MARGIN))} cores (${source}) + 15% -> ` +
        `${fmt(cores)} cores, one pod at batch 1, ${applied}`,
    );
  }
  return assembleFixedPlan(problem, NAME, modules, `vpa: ${notes.join('; ')}`);
}

function fmt(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** Kubernetes VPA: one pod per model, its cores the p90 CPU usage + 15%, batch 1, resized by restart. */
export const vpaPlanner: PlannerEntry = {
  feedback: true,
  resizesByRestart: true,
  name: NAME,
  summary:
    'VPA: one pod per model at batch 1, cores = p90 CPU usage + 15% (rounded up), resized by restarting',
  exact: false,
  plan: planVpa,
};
