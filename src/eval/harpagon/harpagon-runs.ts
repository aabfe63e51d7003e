/**
 * The Harpagon comparison's runs: for every workload and every planner, the equal-attainment search
 * (equal-attainment.ts), each plan run as a static deployment under Poisson arrivals at the workload's
 * rate. Plans that run alike (same tuples and budgets) are simulated once per workload, whichever planner
 * made them.
 *
 * How the plans are executed: greedy batching (`fifo` with no queue delay: an idle instance takes what
 * is queued, up to its tuple's batch) and no early refusal (admission `serve`), each request counting
 * only if it finishes within its end-to-end SLO. That runs exactly the instances and batch sizes a plan
 * buys and judges them end to end, whatever budget split the plan states. Each chosen plan is run once
 * more with Sluice's admission control on (`reject`: each module holds a request to its share of the
 * time left, in proportion to the plan's module budgets, and refuses it early when it would miss),
 * reported beside it: that measures the plan's budget split as well as its capacity.
 *
 * Sluice's deadline-aware batcher is not used: under `serve` a head already past its deadline shrinks
 * every batch to one request, so a plan that falls behind once never recovers; under `reject` its expiry
 * timer can fire at the very instant that does not yet count as expired (deadline − mean + mean <
 * deadline in floating point), and the run spins there forever (reported, src/policy/batcher.ts).
 */
import { appGraph } from '../../planner/app-graph.js';
import type { Plan } from '../../planner/plan.js';
import type { PlanningApp } from '../../planner/planning-problem.js';
import { plannerByName } from '../../planner/planner-registry.js';
import type { Solver } from '../../ports/solver.js';
import { compileScenario } from '../../sim/scenario.js';
import { runSimulation } from '../../sim/run-simulation.js';
import type { SimulationResult } from '../../sim/simulation-types.js';
import { equalAttainment, planKey, type EqualAttainment, type GridPoint } from './equal-attainment.js';
import type { HarpagonWorkload } from './harpagon-workloads.js';

/** The planners compared: Harpagon's two splits and Nexus's two. */
export const PLANNERS = ['harpagon', 'harpagon-exact', 'nexus', 'nexus-dp'] as const;
export type PlannerName = (typeof PLANNERS)[number];

/** Smallest queue cap, requests (see queueCap). */
const MIN_QUEUE_CAP = 100;

export interface RunSettings {
  readonly solver: Solver;
  readonly grid: readonly GridPoint[];
  readonly target: number;
  /** Length of every simulated workload, s. */
  readonly seconds: number;
  readonly seed: number;
  readonly maxSimulations: number;
  readonly log: (line: string) => void;
}

export interface WorkloadRuns {
  readonly workload: HarpagonWorkload;
  readonly byPlanner: Readonly<Record<PlannerName, EqualAttainment>>;
  /** Attainment of each planner's chosen plan with module budgets enforced; undefined without one. */
  readonly budgetedAttainment: Readonly<Record<PlannerName, number | undefined>>;
  /** Distinct simulations run for this workload (both admission modes). */
  readonly simulations: number;
}

/** Every planner's search on `workload`. */
export function runWorkload(workload: HarpagonWorkload, settings: RunSettings): WorkloadRuns {
  const app = workload.problem.apps[0];
  if (app === undefined) throw new Error(`workload ${workload.name} has no application`);
  const maxQueueLength = queueCap(app);
  const memo = new Map<string, SimulationResult>();
  const simulate = (plan: Plan, admission: 'serve' | 'reject'): SimulationResult => {
    const key = `${admission}|${planKey(plan)}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const spec = compileScenario(
      {
        workloads: { [app.name]: `poisson:${app.rateRps}:${settings.seconds}` },
        policy: 'static',
        batching: { policy: 'fifo', admission, maxQueueDelayMs: 0, maxQueueLength },
        seed: settings.seed,
      },
      { problem: workload.problem, trace: () => '', solver: settings.solver },
    );
    const result = runSimulation({ ...spec, fixedPlan: plan });
    memo.set(key, result);
    return result;
  };
  const byPlanner = {} as Record<PlannerName, EqualAttainment>;
  const budgetedAttainment = {} as Record<PlannerName, number | undefined>;
  for (const name of PLANNERS) {
    const planner = plannerByName(name);
    if (planner === undefined) throw new Error(`planner '${name}' is not registered`);
    const found = equalAttainment(workload.problem, planner, {
      solver: settings.solver,
      grid: settings.grid,
      target: settings.target,
      maxSimulations: settings.maxSimulations,
      simulate: (plan) => simulate(plan, 'serve'),
    });
    byPlanner[name] = found;
    budgetedAttainment[name] =
      found.chosen === undefined ? undefined : simulate(found.chosen.plan, 'reject').attainment;
    const chosen = found.chosen;
    settings.log(
      `${workload.name} ${name}: ${
        chosen === undefined
          ? `no plan reached the target (closest ${pct(found.closest.result.attainment)})`
          : `$${chosen.plan.costPerHour.toFixed(3)}/h at ρ ${chosen.rho}, margin ${chosen.margin}, ${pct(chosen.result.attainment)}`
      }; model alone $${found.modelOnly.plan.costPerHour.toFixed(3)}/h (${pct(found.modelOnly.result.attainment)} when run)`,
    );
  }
  return { workload, byPlanner, budgetedAttainment, simulations: memo.size };
}

/**
 * Requests one module group may hold queued: two SLOs' worth of arrivals at the busiest module. A plan
 * that falls that far behind has lost its SLO for the requests behind (draining the queue at about the
 * arrival rate takes two SLOs); refusing them keeps such a run to seconds instead of a queue of tens of
 * thousands that every insertion walks.
 */
function queueCap(app: PlanningApp): number {
  const graph = appGraph(app);
  const busiest = typeof graph === 'string' ? 1 : Math.max(1, ...Object.values(graph.multiplier));
  return Math.max(MIN_QUEUE_CAP, Math.ceil((2 * app.rateRps * busiest * app.sloMs) / 1000));
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
