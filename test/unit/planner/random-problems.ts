/**
 * Seeded random planning problems (the core SeededRng) for comparing planners (Sluice against the oracle, and the
 * specialised planners against Sluice). The same seed and knobs always give the same problem.
 * Latencies follow Sponge's model l(b,c) = γ·b/c + δ·b + ε/c + η, more accurate variants are slower,
 * `fixed` kinds are fast per-instance machines (GPU-like); the SLO and the rate are drawn around a
 * typical configuration, so most problems are feasible and some are not.
 */
import type { LatencyModel } from '../../../src/core/latency-model.js';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import type {
  BudgetClass,
  HardwareSpec,
  Objective,
  PlanningApp,
  PlanningModule,
  PlanningProblem,
  QuerySize,
} from '../../../src/planner/planning-problem.js';
import type { Plan } from '../../../src/planner/plan.js';

export interface RandomProblemKnobs {
  readonly objective?: Objective['kind'];
  /** Applications; default 1. */
  readonly apps?: number;
  /** Modules per app (1 = a single model; more = a pipeline); default 1. */
  readonly modules?: number;
  /** Branching graphs (a diamond when an app has 4+ modules) and fan-outs above 1; default false. */
  readonly branching?: boolean;
  /** Variants per module; default 1. */
  readonly variants?: number;
  /** Hardware kinds; default 1. */
  readonly hardware?: number;
  /** Which kinds: all cpu, all fixed, or alternating cpu/fixed; default 'cpu'. */
  readonly kinds?: 'cpu' | 'fixed' | 'mixed';
  /** Core options per cpu kind (drawn from 1..16); default 2. */
  readonly coreOptions?: number;
  /** Batch options per module (from 1, 2, 4, 8, 16, 32, 64, 128); default 2. */
  readonly batchOptions?: number;
  /** Budget classes of a one-module app; default 0 (none). */
  readonly budgetClasses?: number;
  /** Query sizes of a one-module app; default 0 (none). */
  readonly querySizes?: number;
  /** Draw a $/h budget; default false (max-throughput always gets one). */
  readonly costBudget?: boolean;
  /** Draw a core budget; default false. */
  readonly coreBudget?: boolean;
  /** Draw per-kind instance limits; default false. */
  readonly instanceLimits?: boolean;
  /** Accuracy-cost: a current plan running some variants, and a reload weight; default false. */
  readonly current?: boolean;
  /** About how many instances of a typical configuration the rate needs; default 2. */
  readonly load?: number;
}

const CORES = [1, 2, 4, 8, 3, 6, 12, 16, 5, 7, 9, 10, 11, 13, 14, 15];
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128];

/** The problem of `seed` under `knobs`. */
export function randomProblem(seed: number, knobs: RandomProblemKnobs = {}): PlanningProblem {
  const rng = new SeededRng(seed);
  const rand = (): number => rng.next();
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  const pick = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0)
      out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
    return out;
  };
  const objectiveKind = knobs.objective ?? 'min-cost';
  const hardware = drawHardware(knobs, between, pick);
  const rho = 0.9;
  const modules: PlanningModule[] = [];
  const apps: PlanningApp[] = [];
  let costEstimate = 0;
  let coreEstimate = 0;
  for (let a = 0; a < (knobs.apps ?? 1); a++) {
    const count = knobs.modules ?? 1;
    const names = Array.from({ length: count }, (_, i) => `a${a}m${i}`);
    let sloMs = 0;
    let typicalRps = Number.POSITIVE_INFINITY;
    const sizes =
      count === 1 && (knobs.querySizes ?? 0) > 0 ? drawSizes(knobs.querySizes ?? 0, between) : undefined;
    const drawn = names.map((name) => {
      const module = drawModule(name, knobs, hardware, between, pick);
      // A typical configuration: the middle batch option (or the middle query size, which runs
      // alone) on the middle core option of the first kind.
      const batch = module.batchOptions?.[Math.floor((module.batchOptions.length - 1) / 2)] ?? 1;
      const rows = sizes?.[Math.floor((sizes.length - 1) / 2)]?.rows;
      const hw = hardware[0]!;
      const cores = hw.coreOptions?.[Math.floor((hw.coreOptions.length - 1) / 2)] ?? hw.maxCores;
      const l = latencyOf(module.variants[0]!.latency[hw.name]!, rows ?? batch, cores);
      sloMs += l * between(1.6, 4);
      typicalRps = Math.min(typicalRps, (1000 * rho * (rows === undefined ? batch : 1)) / l);
      costEstimate += hw.kind === 'cpu' ? hw.pricePerHour * cores : hw.pricePerHour;
      coreEstimate += hw.kind === 'cpu' ? cores : 0;
      return module;
    });
    modules.push(...drawn);
    const rateRps = round(typicalRps * between(0.3, knobs.load ?? 2), 3);
    const edges = drawEdges(names, knobs, between);
    const app: PlanningApp = {
      name: `app${a}`,
      modules: names,
      edges,
      sloMs: round(sloMs, 2),
      rateRps,
      ...(count === 1 && (knobs.budgetClasses ?? 0) > 0
        ? { budgets: drawClasses(knobs.budgetClasses ?? 0, sloMs, between) }
        : {}),
      ...(sizes !== undefined ? { querySizes: sizes } : {}),
    };
    apps.push(app);
  }
  const load = knobs.load ?? 2;
  const costBudget = knobs.costBudget || objectiveKind === 'max-throughput';
  const budget = {
    ...(costBudget ? { costPerHour: round(costEstimate * load * between(0.4, 1.6), 3) } : {}),
    ...(knobs.coreBudget ? { cores: Math.max(1, Math.round(coreEstimate * load * between(0.4, 1.6))) } : {}),
  };
  const objective: Objective =
    objectiveKind === 'accuracy-cost'
      ? {
          kind: 'accuracy-cost',
          costWeight: round(between(0.01, 0.2), 3),
          ...(knobs.current ? { reloadWeight: round(between(0.001, 0.1), 4) } : {}),
        }
      : { kind: objectiveKind };
  const problem: PlanningProblem = {
    objective,
    ...(Object.keys(budget).length > 0 ? { budget } : {}),
    hardware,
    modules,
    apps,
    utilisationCap: rho,
  };
  return knobs.current ? { ...problem, current: drawCurrent(problem, pick) } : problem;
}

function drawHardware(
  knobs: RandomProblemKnobs,
  between: (lo: number, hi: number) => number,
  pick: <T>(items: readonly T[], count: number) => T[],
): HardwareSpec[] {
  return Array.from({ length: knobs.hardware ?? 1 }, (_, h): HardwareSpec => {
    const kinds = knobs.kinds ?? 'cpu';
    const fixed = kinds === 'fixed' || (kinds === 'mixed' && h % 2 === 1);
    const limit = knobs.instanceLimits ? { maxInstances: 1 + Math.floor(between(0, 4)) } : {};
    if (fixed)
      return {
        name: `gpu${h}`,
        kind: 'fixed',
        pricePerHour: round(between(0.5, 3), 3),
        maxCores: 8,
        ...limit,
      };
    const coreOptions = pick(CORES, knobs.coreOptions ?? 2).sort((a, b) => a - b);
    return {
      name: `cpu${h}`,
      kind: 'cpu',
      pricePerHour: round(between(0.03, 0.2), 4),
      maxCores: Math.max(...coreOptions),
      coreOptions,
      ...limit,
    };
  });
}

function drawModule(
  name: string,
  knobs: RandomProblemKnobs,
  hardware: readonly HardwareSpec[],
  between: (lo: number, hi: number) => number,
  pick: <T>(items: readonly T[], count: number) => T[],
): PlanningModule {
  const batchOptions = pick(BATCHES, knobs.batchOptions ?? 2).sort((a, b) => a - b);
  const base = { gamma: between(2, 20), delta: between(0, 1), epsilon: between(0, 10), eta: between(0.5, 5) };
  const variants = Array.from({ length: knobs.variants ?? 1 }, (_, v) => {
    const slower = 1 + v * between(0.3, 0.9);
    const latency: Record<string, LatencyModel> = {};
    for (const hw of hardware) {
      const speed = hw.kind === 'fixed' ? between(0.05, 0.25) : between(0.8, 1.25);
      latency[hw.name] = {
        kind: 'sponge4',
        gamma: round(base.gamma * slower * speed, 4),
        delta: round(base.delta * slower * (hw.kind === 'fixed' ? 0.3 : 1), 4),
        epsilon: round(base.epsilon * slower * speed, 4),
        eta: round(base.eta * slower * (hw.kind === 'fixed' ? 2 : 1), 4),
      };
    }
    return {
      name: `v${v}`,
      accuracy: round(Math.min(0.99, 0.6 + 0.08 * v + between(0, 0.05)), 4),
      loadMs: round(between(500, 8000), 0),
      latency,
    };
  });
  return { name, maxBatch: Math.max(...batchOptions), batchOptions, variants };
}

function drawEdges(
  names: readonly string[],
  knobs: RandomProblemKnobs,
  between: (lo: number, hi: number) => number,
): PlanningApp['edges'] {
  const fanout = (): { fanout?: number } => (knobs.branching ? { fanout: round(between(1, 3), 2) } : {});
  if (knobs.branching && names.length >= 4) {
    // A diamond a → b, a → c, b → d, c → d, then a chain through the rest.
    const [a, b, c, d, ...rest] = names as [string, string, string, string, ...string[]];
    const edges = [
      { from: a, to: b, ...fanout() },
      { from: a, to: c, ...fanout() },
      { from: b, to: d },
      { from: c, to: d },
    ];
    let last = d;
    for (const next of rest) {
      edges.push({ from: last, to: next, ...fanout() });
      last = next;
    }
    return edges;
  }
  return names.slice(1).map((to, i) => ({ from: names[i]!, to, ...fanout() }));
}

function drawClasses(
  count: number,
  sloMs: number,
  between: (lo: number, hi: number) => number,
): BudgetClass[] {
  const weights = Array.from({ length: count }, () => between(0.1, 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const budgets = Array.from({ length: count }, () => round(sloMs * between(0.5, 1.8), 2)).sort(
    (a, b) => a - b,
  );
  return budgets.map((budgetMs, i) => ({ budgetMs, share: weights[i]! / total }));
}

function drawSizes(count: number, between: (lo: number, hi: number) => number): QuerySize[] {
  const weights = Array.from({ length: count }, () => between(0.1, 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const rows = new Set<number>();
  while (rows.size < count) rows.add(1 + Math.floor(between(0, 64)));
  return [...rows].sort((a, b) => a - b).map((r, i) => ({ rows: r, share: weights[i]! / total }));
}

/** A plan that runs one random variant of each module (only its variants matter: reload). */
function drawCurrent(problem: PlanningProblem, pick: <T>(items: readonly T[], count: number) => T[]): Plan {
  const hw = problem.hardware[0]!;
  return {
    feasible: true,
    planner: 'previous',
    costPerHour: 0,
    cores: 0,
    capacityRps: 0,
    accuracy: 0,
    objectiveValue: 0,
    predicted: { latencyMs: {} },
    apps: [],
    modules: problem.modules.map((m) => ({
      name: m.name,
      budgetMs: 0,
      tuples: pick(m.variants, 1).map((v) => ({
        variant: v.name,
        hardware: hw.name,
        cores: hw.maxCores,
        batch: 1,
        instances: 1,
        rateRps: 0,
        dummyRps: 0,
      })),
    })),
    reason: 'drawn',
  };
}

function latencyOf(model: LatencyModel, batch: number, cores: number): number {
  if (model.kind !== 'sponge4') return 1;
  return (model.gamma * batch) / cores + model.delta * batch + model.epsilon / cores + model.eta;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
