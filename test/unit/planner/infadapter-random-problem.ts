// Seeded random InfAdapter problems for the oracle and timing tests: one-module apps with sponge4
// latency models, cpu kinds with explicit core options (sometimes a fixed kind the planner must ignore),
// budgets of cores and/or $/h, budget classes, a current plan for reload costs, accuracy-cost or min-cost;
// and the timing helpers the oracle and timing tests print with.
import { performance } from 'node:perf_hooks';
import type { LatencyModel } from '../../../src/core/latency-model.js';
import type { SeededRng } from '../../../src/core/seeded-rng.js';
import { infeasiblePlan } from '../../../src/planner/plan.js';
import type {
  HardwareSpec,
  Objective,
  PlanningApp,
  PlanningModule,
  PlanningProblem,
  PlanningVariant,
} from '../../../src/planner/planning-problem.js';
import type { Solver } from '../../../src/ports/solver.js';

export const uniform = (rng: SeededRng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
const integer = (rng: SeededRng, lo: number, hi: number): number => Math.floor(uniform(rng, lo, hi + 1));
const chance = (rng: SeededRng, p: number): boolean => rng.next() < p;

export function distinctSorted(rng: SeededRng, count: number, max: number): number[] {
  const values = new Set<number>();
  while (values.size < count) values.add(integer(rng, 1, max));
  return [...values].sort((a, b) => a - b);
}

export interface Shape {
  readonly apps: number;
  readonly variants: number;
  readonly cpuKinds: number;
  readonly coreOptions: readonly number[];
  readonly maxBatch: number;
}

function randomVariant(rng: SeededRng, name: string, hardware: readonly HardwareSpec[]): PlanningVariant {
  const scale = uniform(rng, 0.3, 3);
  const latency: Record<string, LatencyModel> = {};
  for (const h of hardware)
    latency[h.name] = {
      kind: 'sponge4',
      gamma: scale * uniform(rng, 10, 120),
      delta: chance(rng, 0.5) ? scale * uniform(rng, 0, 3) : 0,
      epsilon: scale * uniform(rng, 0, 60),
      eta: uniform(rng, 1, 20),
    };
  return {
    name,
    accuracy: uniform(rng, 0.5, 0.95),
    ...(chance(rng, 0.85) ? { loadMs: uniform(rng, 500, 9000) } : {}),
    latency,
  };
}

export function randomProblem(rng: SeededRng, shape: Shape): PlanningProblem {
  const hardware: HardwareSpec[] = Array.from({ length: shape.cpuKinds }, (_, h) => ({
    name: `cpu${h}`,
    kind: 'cpu',
    pricePerHour: uniform(rng, 0.01, 0.2),
    maxCores: Math.max(...shape.coreOptions),
    coreOptions: shape.coreOptions,
    ...(chance(rng, 0.15) ? { maxInstances: integer(rng, 1, 2) } : {}),
  }));
  // A fixed kind the planner must leave alone (InfAdapter allocates cores).
  const all: HardwareSpec[] = chance(rng, 0.1)
    ? [...hardware, { name: 'gpu', kind: 'fixed', pricePerHour: 0.5, maxCores: 8 }]
    : hardware;
  const modules: PlanningModule[] = [];
  const apps: PlanningApp[] = [];
  for (let a = 0; a < shape.apps; a++) {
    const variants = Array.from({ length: shape.variants }, (_, v) => randomVariant(rng, `v${v}`, all));
    modules.push({
      name: `m${a}`,
      maxBatch: shape.maxBatch,
      ...(chance(rng, 0.1) ? { batchOptions: [1, 3, 6].filter((b) => b <= shape.maxBatch) } : {}),
      variants,
    });
    const sloMs = chance(rng, 0.04) ? uniform(rng, 3, 20) : uniform(rng, 30, 800);
    apps.push({
      name: `app${a}`,
      modules: [`m${a}`],
      edges: [],
      sloMs,
      rateRps: chance(rng, 0.02) ? 0 : Math.exp(uniform(rng, Math.log(2), Math.log(200))),
      ...(chance(rng, 0.15)
        ? {
            budgets: [
              { budgetMs: sloMs * uniform(rng, 0.5, 0.9), share: 0.3 },
              { budgetMs: sloMs, share: 0.7 },
            ],
          }
        : {}),
    });
  }
  const objective: Objective = chance(rng, 0.25)
    ? { kind: 'min-cost' }
    : {
        kind: 'accuracy-cost',
        costWeight: chance(rng, 0.1) ? 0 : uniform(rng, 0, 0.3),
        ...(chance(rng, 0.7) ? { reloadWeight: uniform(rng, 0, 0.05) } : {}),
      };
  const cores = chance(rng, 0.85) ? integer(rng, 3, 30) : undefined;
  const costPerHour = chance(rng, 0.3) ? uniform(rng, 0.1, 3) : undefined;
  const running = modules.map((m) => ({
    name: m.name,
    budgetMs: 1,
    tuples: m.variants
      .filter(() => chance(rng, 0.3))
      .map((v) => ({
        variant: v.name,
        hardware: 'cpu0',
        cores: 1,
        batch: 1,
        instances: 1,
        rateRps: 1,
        dummyRps: 0,
      })),
  }));
  return {
    objective,
    ...(cores !== undefined || costPerHour !== undefined
      ? {
          budget: {
            ...(cores === undefined ? {} : { cores }),
            ...(costPerHour === undefined ? {} : { costPerHour }),
          },
        }
      : {}),
    hardware: all,
    modules,
    apps,
    ...(chance(rng, 0.5) ? { utilisationCap: uniform(rng, 0.5, 1) } : {}),
    ...(chance(rng, 0.5) ? { current: { ...infeasiblePlan('current', ''), modules: running } } : {}),
  };
}

/** 2-4 variants, 3-5 core options; some problems with two cpu kinds or two apps (kept small). */
export function smallShape(rng: SeededRng): Shape {
  const kind = rng.next();
  const maxBatch = [1, 2, 4, 8][integer(rng, 0, 3)]!;
  if (kind < 0.15)
    return { apps: 2, variants: 2, cpuKinds: 1, coreOptions: distinctSorted(rng, 3, 8), maxBatch };
  if (kind < 0.3)
    return {
      apps: 1,
      variants: integer(rng, 2, 3),
      cpuKinds: 2,
      coreOptions: distinctSorted(rng, 3, 8),
      maxBatch,
    };
  return {
    apps: 1,
    variants: integer(rng, 2, 4),
    cpuKinds: 1,
    coreOptions: distinctSorted(rng, integer(rng, 3, 5), 12),
    maxBatch,
  };
}

/** A solver that records how long each solve of `solver` takes, in ms. */
export function timed(solver: Solver): { solver: Solver; solveMs: number[] } {
  const solveMs: number[] = [];
  return {
    solveMs,
    solver: {
      solve: (model) => {
        const start = performance.now();
        const solution = solver.solve(model);
        solveMs.push(performance.now() - start);
        return solution;
      },
    },
  };
}

/** The q-quantile (0..1) of `xs`, NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
