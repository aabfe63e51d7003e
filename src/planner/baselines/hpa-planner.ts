/**
 * The Kubernetes Horizontal Pod Autoscaler baseline (Sponge's "FA2", papers.md §1): identical 1-core
 * replicas (the smallest core option when 1 is not one) at batch 1, scaled on observed CPU utilisation
 * by HPA's own rule (kubernetes.io, "Horizontal Pod Autoscaling", algorithm details):
 *   desiredReplicas = ⌈currentReplicas × currentUtilisation / targetUtilisation⌉,
 * skipped while the ratio is within the tolerance (0.1) of 1, and capped per sync period by the default
 * scale-up policies (at most double, or 4 pods more, whichever allows more). It is a feedback planner:
 * the utilisation is the latest CPU usage sample the control loop hands over (problem.observations), so
 * it sees a rise in load only once the replicas are busy, and it never reads the arrival rate then.
 * Replicas still starting report no usage, which is how HPA counts not-yet-ready pods when scaling up
 * (as 0%): the rule then reduces to ⌈usage / (cores per replica × target)⌉.
 *
 * What the planner leaves to the control loop that runs it: the sync period (the loop's interval; HPA's
 * default is 15 s, and the scale-up cap holds per call) and the scale-down stabilisation (the loop's
 * window, where the most expensive plan proposed wins, as HPA keeps the highest recommendation of the
 * last 300 s by default). Without usage samples or a running plan (the deployment it starts from, or
 * `sluice plan`), there is no HPA decision to make: it sizes the replicas the user would deploy, as many
 * as carry the rate at the planning model's utilisation cap ρ: replicas = ⌈rate / (ρ · 1000 / l(1, c))⌉.
 */
import type { Plan } from '../plan.js';
import { infeasiblePlan } from '../plan.js';
import { PLAN_TOLERANCE } from '../planning-model.js';
import { coreOptionsOf, utilisationCapOf, type PlanningProblem } from '../planning-problem.js';
import type { PlannerEntry } from '../planner.js';
import { assembleFixedPlan, offeredModuleRps, type FixedModule } from './assemble-fixed-plan.js';
import { moduleBudgets } from './module-budgets.js';
import { configFor } from '../tuple-configs.js';
import { modulePlacement } from './module-placement.js';

const NAME = 'hpa';

/** Target CPU utilisation: 80%, autoscaling/v1's default `targetCPUUtilizationPercentage`. */
export const HPA_TARGET_UTILISATION = 0.8;
/** `--horizontal-pod-autoscaler-tolerance`: no change while |ratio − 1| ≤ 0.1. */
export const HPA_TOLERANCE = 0.1;
/** Default scale-up policy `Pods`: 4 more pods per period (with `Percent` 100: double; the larger wins). */
export const HPA_SCALE_UP_PODS = 4;

export interface HpaInput {
  /** Replicas running now (ready or starting). */
  readonly currentReplicas: number;
  /** CPU used by all the replicas together over the last period, cores. */
  readonly usageCores: number;
  /** CPU request of one replica, cores. */
  readonly coresPerReplica: number;
  /** `maxReplicas`; default unlimited. */
  readonly maxReplicas?: number;
}

export interface HpaDecision {
  readonly replicas: number;
  /** currentUtilisation / target. */
  readonly ratio: number;
  /** Why the count is what it is: `tolerance`, `rule`, `scale-up-cap`, `max-replicas`, or `min-replicas`. */
  readonly bound: 'tolerance' | 'rule' | 'scale-up-cap' | 'max-replicas' | 'min-replicas';
}

/** One HPA sync: the replica count for the observed usage (before scale-down stabilisation). */
export function hpaDesiredReplicas(input: HpaInput): HpaDecision {
  const current = Math.max(1, input.currentReplicas);
  const utilisation = input.usageCores / (current * input.coresPerReplica);
  const ratio = utilisation / HPA_TARGET_UTILISATION;
  if (Math.abs(ratio - 1) <= HPA_TOLERANCE)
    return { replicas: Math.ceil(current - PLAN_TOLERANCE), ratio, bound: 'tolerance' };
  let replicas = Math.ceil(current * ratio - PLAN_TOLERANCE);
  let bound: HpaDecision['bound'] = 'rule';
  const cap = Math.max(2 * current, current + HPA_SCALE_UP_PODS);
  if (replicas > cap) [replicas, bound] = [cap, 'scale-up-cap'];
  if (input.maxReplicas !== undefined && replicas > input.maxReplicas)
    [replicas, bound] = [input.maxReplicas, 'max-replicas'];
  if (replicas < 1) [replicas, bound] = [1, 'min-replicas'];
  return { replicas, ratio, bound };
}

function planHpa(problem: PlanningProblem): Plan {
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
    const options = coreOptionsOf(hardware);
    const cores = options.includes(1) ? 1 : (options[0] ?? 1);
    const running = placement.running.filter((t) => t.hardware === hardware.name);
    const runningReplicas = running.reduce((n, t) => n + t.instances, 0);
    // What the running replicas are worth in replicas of `cores` (they differ only when another planner ran).
    const runningCores = running.reduce((n, t) => n + t.instances * t.cores, 0);
    const samples = problem.observations?.cpuUsageCores?.[name];
    const usageCores = samples?.[samples.length - 1];
    let replicas: number;
    if (usageCores !== undefined && runningReplicas > 0) {
      const decision = hpaDesiredReplicas({
        currentReplicas: runningCores / cores,
        usageCores,
        coresPerReplica: cores,
        ...(hardware.maxInstances === undefined ? {} : { maxReplicas: hardware.maxInstances }),
      });
      replicas = decision.replicas;
      notes.push(
        `module '${name}': usage ${fmt(usageCores)} cores on ${fmt(runningReplicas)} replica${runningReplicas === 1 ? '' : 's'}, ` +
          `${fmt(100 * decision.ratio * HPA_TARGET_UTILISATION)}% of the request vs the ${100 * HPA_TARGET_UTILISATION}% target` +
          ` -> ${replicas} replica${replicas === 1 ? '' : 's'} (${describe(decision.bound)})`,
      );
    } else {
      const config = configFor(name, variant, hardware, cores, 1, rho);
      const rateRps = offered.get(name) ?? 0;
      replicas =
        config === undefined ? 1 : Math.max(1, Math.ceil(rateRps / config.instanceRps - PLAN_TOLERANCE));
      notes.push(
        `module '${name}': ${replicas} replica${replicas === 1 ? '' : 's'} x ${cores} core${cores === 1 ? '' : 's'} at batch 1 ` +
          `for ${fmt(rateRps)} req/s` +
          (config === undefined ? '' : ` (${fmt(config.instanceRps)} req/s each at ρ = ${rho})`) +
          '; no usage observed yet',
      );
    }
    modules.push({ name, budgetMs, tuples: [{ variant, hardware, cores, batch: 1, instances: replicas }] });
  }
  return assembleFixedPlan(problem, NAME, modules, `hpa: ${notes.join('; ')}`);
}

function describe(bound: HpaDecision['bound']): string {
  switch (bound) {
    case 'tolerance':
      return 'within the 10% tolerance: unchanged';
    case 'rule':
      return 'HPA rule';
    case 'scale-up-cap':
      return 'capped by the scale-up policy: double or +4 per period';
    case 'max-replicas':
      return 'capped by the instance limit';
    case 'min-replicas':
      return 'at least one replica';
  }
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Kubernetes HPA: 1-core replicas at batch 1, as many as the observed CPU utilisation asks at an 80% target. */
export const hpaPlanner: PlannerEntry = {
  name: NAME,
  summary:
    'HPA: horizontal 1-core replicas at batch 1, scaled on observed CPU utilisation to an 80% target (Kubernetes rule, tolerance and scale-up cap)',
  exact: false,
  feedback: true,
  plan: planHpa,
};
