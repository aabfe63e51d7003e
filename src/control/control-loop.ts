/**
 * The control loop (DESIGN.md §1): every interval, observe → forecast → plan → compare with the running
 * plan → actuate. The same code runs live (system clock, local actuator) and in the simulator (virtual
 * clock, simulated actuator). Knobs change at their own pace: cores, batch sizes and instance counts
 * every interval, variants only every `variantIntervalMs` (between those the planner keeps the running
 * variants, unless those cannot carry the forecast at all: then they may change at once); a plan that
 * costs less is applied only once every plan proposed over the stabilisation window would cost as little (the most expensive of them wins, like Kubernetes' HPA); and at most
 * `maxChangesPerMinute` plans are applied per minute. Every decision is logged, applied or not.
 */
import type { AnyForecaster } from '../forecast/forecaster.js';
import type { Plan } from '../planner/plan.js';
import { objectiveValueOf } from '../planner/planning-model.js';
import type { PlannerEntry } from '../planner/planner.js';
import type { PlanningApp, PlanningProblem } from '../planner/planning-problem.js';
import type { Clock } from '../ports/clock.js';
import type { Solver } from '../ports/solver.js';
import { budgetClassesOf } from './budget-classes.js';
import type { ControlObserver, Observation } from './control-observer.js';
import type { Deployment, DeploymentChange } from './deployment.js';
import { planProblem } from './plan-problem.js';
import { samePlanShape } from './plan-shape.js';

export interface ControlLoopOptions {
  /** Observe and plan every this often, ms. Default 1000. */
  readonly intervalMs?: number;
  /** Variants may change only this often, ms. Default 30000. */
  readonly variantIntervalMs?: number;
  /** Window over which a cheaper plan must persist before it is applied, ms. Default 30000. */
  readonly scaleDownStabilisationMs?: number;
  /** Plans applied per minute, at most. Default 12. */
  readonly maxChangesPerMinute?: number;
  /** How far ahead the forecast looks, ms. Default 30000. */
  readonly horizonMs?: number;
  /** Budget classes made from the budgets observed at arrival (one-module apps); 0: the SLO only. Default 3. */
  readonly budgetClasses?: number;
  /** Plan for at least this rate per app, so no app is scaled to zero (a first request would find nothing). Default 0. */
  readonly minRateRps?: number;
  /**
   * Accuracy-cost objective: while the running plan carries the forecast, a new plan is applied only when it
   * improves the objective by at least this much (accuracy points; changes cost starts and traffic moves).
   * Default 0.005.
   */
  readonly minObjectiveGain?: number;
  /** Reuse the plan of an identical problem (rates rounded to 1%); never for feedback planners. Default true. */
  readonly memoize?: boolean;
}

export interface Decision {
  readonly atMs: number;
  readonly planner: string;
  /**
   * `applied` (even a plan the model calls infeasible, when it has tuples: the best the planner could do), or
   * why not: `unchanged`, `stabilising`, `rate-capped`, `infeasible` (no tuples at all: kept the running plan).
   */
  readonly outcome: 'applied' | 'unchanged' | 'stabilising' | 'rate-capped' | 'infeasible';
  /** Per app: the rate observed over the interval, the forecast planned for, and the budget classes used. */
  readonly apps: readonly {
    readonly name: string;
    readonly observedRps: number;
    readonly forecastRps: number;
    readonly attainment: number;
    readonly budgets: readonly { readonly budgetMs: number; readonly share: number }[] | undefined;
  }[];
  readonly plan: PlanSummary;
  readonly reason: string;
  readonly change: DeploymentChange | undefined;
  /** What the plan running during the interval predicted, against what was observed. */
  readonly previous:
    { readonly capacityRps: number; readonly observedRps: number; readonly attainment: number } | undefined;
}

export interface PlanSummary {
  readonly feasible: boolean;
  readonly costPerHour: number;
  readonly cores: number;
  readonly capacityRps: number;
  readonly accuracy: number;
  readonly tuples: readonly string[];
}

export interface ControlLoopDeps {
  readonly clock: Clock;
  readonly planner: PlannerEntry;
  readonly solver: Solver;
  /** One forecaster per application (by name). */
  readonly forecasters: ReadonlyMap<string, AnyForecaster>;
  /** The problem to plan: its apps' rates are replaced by the forecasts each interval. */
  readonly problem: PlanningProblem;
  readonly deployment: Deployment;
  readonly observer: ControlObserver;
  readonly onDecision?: (decision: Decision) => void;
}

export class ControlLoop {
  private readonly intervalMs: number;
  private readonly variantIntervalMs: number;
  private readonly minObjectiveGain: number;
  private readonly stabilisationMs: number;
  private readonly maxChangesPerMinute: number;
  private readonly horizonMs: number;
  private readonly classes: number;
  private readonly memoize: boolean;
  private readonly minRateRps: number;
  private readonly forecastState = new Map<string, unknown>();
  private readonly budgets = new Map<string, PlanningApp['budgets']>();
  private readonly cache = new Map<string, Plan>();
  private readonly usage = new Map<string, number[]>();
  private proposals: { atMs: number; plan: Plan }[] = [];
  private appliedAtMs: number[] = [];
  private nextVariantChangeMs = 0;
  private running: Plan | undefined;
  private timer: number | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ControlLoopDeps,
    options: ControlLoopOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.variantIntervalMs = options.variantIntervalMs ?? 30_000;
    this.minObjectiveGain = options.minObjectiveGain ?? 0.005;
    this.stabilisationMs = options.scaleDownStabilisationMs ?? 30_000;
    this.maxChangesPerMinute = options.maxChangesPerMinute ?? 12;
    this.horizonMs = options.horizonMs ?? 30_000;
    this.classes = options.budgetClasses ?? 3;
    this.minRateRps = options.minRateRps ?? 0;
    this.memoize = (options.memoize ?? true) && deps.planner.feedback !== true;
    for (const [app, f] of deps.forecasters) this.forecastState.set(app, f.initial());
  }

  /** The plan in force (the last applied). */
  get plan(): Plan | undefined {
    return this.running;
  }

  /**
   * Plans for the problem's own rates (or takes `given`) and applies the plan at once (the deployment at
   * start-up).
   */
  bootstrap(given?: Plan): Plan {
    const plan = given ?? this.deps.planner.plan(this.deps.problem, { solver: this.deps.solver });
    this.running = plan;
    // The start-up plan counts as a proposal: the first decisions cannot scale below it before the window.
    this.proposals = [{ atMs: this.deps.clock.nowMs(), plan }];
    this.nextVariantChangeMs = this.deps.clock.nowMs() + this.variantIntervalMs;
    this.deps.deployment.apply(plan);
    return plan;
  }

  /** Ticks every interval until `stop()`. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(this.deps.clock.nowMs() + this.intervalMs, () => {
      this.timer = undefined;
      this.tick();
      this.schedule();
    });
  }

  /** One observe → forecast → plan → actuate step (public for tests and for manual stepping). */
  tick(): Decision {
    const nowMs = this.deps.clock.nowMs();
    const observation = this.deps.observer.snapshot(nowMs);
    const apps = this.deps.problem.apps.map((app) => this.forecastApp(app, observation));
    let variantsMayChange = nowMs >= this.nextVariantChangeMs;
    const cpuUsageCores = this.recordUsage(observation);
    const rates: Record<string, number> = Object.fromEntries(
      apps.map((a) => [a.name, Math.max(this.minRateRps, a.forecastRps)]),
    );
    const problemFor = (keepVariants: boolean): PlanningProblem =>
      planProblem(this.deps.problem, {
        rates,
        budgets: Object.fromEntries(apps.map((a) => [a.name, a.budgets])),
        current: this.running,
        keepVariants,
        observation,
        cpuUsageCores,
      });
    let problem = problemFor(!variantsMayChange);
    let proposed = this.planFor(problem);
    if (!proposed.feasible && !variantsMayChange) {
      // The running variants cannot carry the forecast (a burst): switching now beats missing the SLO until
      // the variant interval is over.
      const freeProblem = problemFor(false);
      const free = this.planFor(freeProblem);
      if (free.feasible) {
        problem = freeProblem;
        proposed = free;
        variantsMayChange = true;
      }
    }
    const previous = this.previousCheck(apps);
    const decide = (outcome: Decision['outcome'], change?: DeploymentChange): Decision => {
      const decision: Decision = {
        atMs: nowMs,
        planner: this.deps.planner.name,
        outcome,
        apps,
        plan: summarise(proposed),
        reason: proposed.reason,
        change,
        previous,
      };
      this.deps.onDecision?.(decision);
      return decision;
    };
    if (proposed.modules.length === 0) return decide('infeasible');
    this.proposals = [
      ...this.proposals.filter((p) => p.atMs > nowMs - this.stabilisationMs),
      { atMs: nowMs, plan: proposed },
    ];
    let chosen = proposed;
    // A cheaper plan is a scale-down only while the running plan still carries the forecast; otherwise it is
    // the way out of an overload (e.g. a faster, cheaper variant for a burst) and waits for nothing.
    const carries =
      this.running?.apps.every((a) => a.capacityRps >= (rates[a.name] ?? 0) * (1 - 1e-9)) ?? false;
    if (
      this.running !== undefined &&
      carries &&
      problem.objective.kind === 'accuracy-cost' &&
      !samePlanShape(proposed, this.running) &&
      proposed.objectiveValue - objectiveValueOf(problem, this.running) < this.minObjectiveGain
    )
      return decide('unchanged');
    if (this.running !== undefined && carries && proposed.costPerHour < this.running.costPerHour) {
      // Scale down only to the most expensive plan proposed over the window (never below what was needed).
      chosen = this.proposals.reduce((a, b) => (b.plan.costPerHour > a.costPerHour ? b.plan : a), proposed);
      if (chosen.costPerHour >= this.running.costPerHour) return decide('stabilising');
    }
    if (this.running !== undefined && samePlanShape(chosen, this.running)) {
      // Same instances: keep them, but take the new rates (the traffic split) when they moved.
      this.running = chosen;
      this.deps.deployment.apply(chosen);
      return decide('unchanged');
    }
    this.appliedAtMs = this.appliedAtMs.filter((t) => t > nowMs - 60_000);
    if (this.appliedAtMs.length >= this.maxChangesPerMinute) return decide('rate-capped');
    this.appliedAtMs.push(nowMs);
    if (variantsMayChange) this.nextVariantChangeMs = nowMs + this.variantIntervalMs;
    this.running = chosen;
    const change = this.deps.deployment.apply(chosen);
    return decide('applied', change);
  }

  private forecastApp(app: PlanningApp, observation: Observation): Decision['apps'][number] {
    const source = sourceModule(app);
    const seen = observation.modules[source];
    const observedRps = seen?.arrivalRps ?? 0;
    const forecaster = this.deps.forecasters.get(app.name);
    let forecastRps = observedRps;
    if (forecaster !== undefined) {
      const state = forecaster.observe(this.forecastState.get(app.name), {
        atMs: observation.fromMs,
        rateRps: observedRps,
      });
      this.forecastState.set(app.name, state);
      forecastRps = forecaster.predict(state, this.horizonMs);
    }
    // A backlog must drain too: plan for it to be gone within the horizon.
    const backlog = Object.entries(observation.queueDepth)
      .filter(([group]) => group.startsWith(`${source}/`))
      .reduce((n, [, depth]) => n + depth, 0);
    forecastRps += backlog / (this.horizonMs / 1000);
    if (this.classes > 0 && app.modules.length === 1 && seen !== undefined && seen.budgetsMs.length > 0) {
      this.budgets.set(app.name, budgetClassesOf(seen.budgetsMs, this.classes, app.sloMs));
    }
    return {
      name: app.name,
      observedRps,
      forecastRps,
      attainment: seen?.attainment ?? 1,
      budgets: this.budgets.get(app.name) ?? app.budgets,
    };
  }

  /** Adds this interval's CPU usage per module (utilisation × cores of its instances) to a 5-minute window. */
  private recordUsage(observation: Observation): Record<string, readonly number[]> {
    const perModule = new Map<string, number>();
    for (const instance of this.deps.deployment.serving) {
      const busy = observation.utilisation[instance.id] ?? 0;
      perModule.set(instance.module, (perModule.get(instance.module) ?? 0) + busy * instance.cores);
    }
    const keep = Math.max(1, Math.round(300_000 / this.intervalMs));
    for (const [module, cores] of perModule) {
      const samples = [...(this.usage.get(module) ?? []), cores];
      this.usage.set(module, samples.slice(-keep));
    }
    return Object.fromEntries(this.usage);
  }

  private planFor(problem: PlanningProblem): Plan {
    if (!this.memoize) return this.deps.planner.plan(problem, { solver: this.deps.solver });
    const key = cacheKey(problem);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const plan = this.deps.planner.plan(problem, { solver: this.deps.solver });
    if (this.cache.size > 2000) this.cache.clear();
    this.cache.set(key, plan);
    return plan;
  }

  private previousCheck(apps: Decision['apps']): Decision['previous'] {
    if (this.running === undefined) return undefined;
    const observedRps = apps.reduce((s, a) => s + a.observedRps, 0);
    const attainment = apps.length === 0 ? 1 : Math.min(...apps.map((a) => a.attainment));
    return { capacityRps: this.running.capacityRps, observedRps, attainment };
  }
}

function sourceModule(app: PlanningApp): string {
  const targets = new Set(app.edges.map((e) => e.to));
  return app.modules.find((m) => !targets.has(m)) ?? app.modules[0] ?? '';
}

function summarise(plan: Plan): PlanSummary {
  return {
    feasible: plan.feasible,
    costPerHour: plan.costPerHour,
    cores: plan.cores,
    capacityRps: plan.capacityRps,
    accuracy: plan.accuracy,
    tuples: plan.modules.flatMap((m) =>
      m.tuples.map((t) => `${m.name}: ${t.instances}x ${t.variant}@${t.hardware} ${t.cores}c b${t.batch}`),
    ),
  };
}

/** Rates rounded to 1% (in log steps), so near-identical problems share a plan. */
function cacheKey(problem: PlanningProblem): string {
  const round = (x: number): number => (x <= 0 ? 0 : Math.round(Math.log(x) / Math.log(1.01)));
  return JSON.stringify({
    apps: problem.apps.map((a) => [
      a.name,
      round(a.rateRps),
      a.budgets?.map((b) => [Math.round(b.budgetMs), Math.round(b.share * 100)]),
    ]),
    modules: problem.modules.map((m) => [m.name, m.variants.map((v) => v.name)]),
    current: problem.current?.modules.map((m) => [m.name, [...new Set(m.tuples.map((t) => t.variant))]]),
  });
}
