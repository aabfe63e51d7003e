// Seeded random min-cost problems for the Harpagon and Nexus tests: small pipelines (2-4 modules:
// chains, a fan-out and a diamond DAG) on 1-2 hardware kinds (a CPU kind with 2-3 core options, and
// sometimes a fixed GPU-like kind priced per instance), 2-4 batch options, SLOs between just feasible
// and loose; and realistic ones (5 variants x 3 kinds x 16 core options x 8 batch sizes, 3-6 modules).
import type { LatencyModel } from '../../../src/core/latency-model.js';
import type { SeededRng } from '../../../src/core/seeded-rng.js';
import type {
  HardwareSpec,
  PlanningEdge,
  PlanningModule,
  PlanningProblem,
  PlanningVariant,
} from '../../../src/planner/planning-problem.js';
import { tupleConfigs } from '../../../src/planner/tuple-configs.js';
import { appGraph } from '../../../src/planner/app-graph.js';

export const uniform = (rng: SeededRng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
export const integer = (rng: SeededRng, lo: number, hi: number): number =>
  Math.floor(uniform(rng, lo, hi + 1));
const pick = <T>(rng: SeededRng, values: readonly T[]): T => values[integer(rng, 0, values.length - 1)]!;

function distinct(rng: SeededRng, count: number, values: readonly number[]): number[] {
  const out = new Set<number>();
  while (out.size < count) out.add(pick(rng, values));
  return [...out].sort((a, b) => a - b);
}

export type GraphShape = 'chain' | 'fan-out' | 'diamond';

/** Module names and edges of a graph of `count` modules (fan-out needs 3, diamond 4). */
export function graphOf(
  shape: GraphShape,
  count: number,
  fanout: () => number,
): { modules: string[]; edges: PlanningEdge[] } {
  const modules = Array.from({ length: count }, (_, i) => `m${i}`);
  const edge = (from: number, to: number): PlanningEdge => {
    const f = fanout();
    return f === 1 ? { from: `m${from}`, to: `m${to}` } : { from: `m${from}`, to: `m${to}`, fanout: f };
  };
  if (shape === 'fan-out') return { modules, edges: [edge(0, 1), edge(0, 2)] };
  if (shape === 'diamond') return { modules, edges: [edge(0, 1), edge(0, 2), edge(1, 3), edge(2, 3)] };
  return { modules, edges: modules.slice(1).map((_, i) => edge(i, i + 1)) };
}

/** The SLO at which the fastest configurations just fit the longest path, ms. */
export function tightestSloMs(problem: PlanningProblem): number {
  const app = problem.apps[0]!;
  const graph = appGraph(app);
  if (typeof graph === 'string') throw new Error(graph);
  const fastest = new Map(
    problem.modules.map((m) => [m.name, Math.min(...tupleConfigs(problem, m, 0.9).map((c) => c.latencyMs))]),
  );
  return Math.max(...graph.paths.map((p) => p.reduce((s, m) => s + fastest.get(m)!, 0)));
}

/** A small random pipeline; with `budgeted`, sometimes a $/h budget that may bind. Rate in req/s. */
export function randomSmallPipeline(
  rng: SeededRng,
  budgeted = true,
  rateRps: readonly [number, number] = [5, 150],
): PlanningProblem {
  const cores = distinct(rng, integer(rng, 2, 3), [1, 2, 3, 4, 6, 8]);
  const hardware: HardwareSpec[] = [
    {
      name: 'cpu',
      kind: 'cpu',
      pricePerHour: pick(rng, [0.04, 0.05, 0.08, 0.1]),
      maxCores: 8,
      coreOptions: cores,
    },
  ];
  if (rng.next() < 0.5)
    hardware.push({ name: 'gpu', kind: 'fixed', pricePerHour: uniform(rng, 0.3, 1.2), maxCores: 4 });
  const count = integer(rng, 2, 4);
  const shape: GraphShape =
    count === 4 && rng.next() < 0.4 ? 'diamond' : count === 3 && rng.next() < 0.4 ? 'fan-out' : 'chain';
  const graph = graphOf(shape, count, () => (rng.next() < 0.25 ? integer(rng, 2, 3) : 1));
  const modules: PlanningModule[] = graph.modules.map((name) => {
    const variants = rng.next() < 0.2 ? 2 : 1;
    const batches = distinct(rng, integer(rng, 2, variants === 2 ? 3 : 4), [1, 2, 4, 8, 16]);
    return {
      name,
      maxBatch: batches[batches.length - 1]!,
      batchOptions: batches,
      variants: Array.from({ length: variants }, (_, v) => randomVariant(rng, `v${v}`, hardware, 1)),
    };
  });
  const problem: PlanningProblem = {
    objective: { kind: 'min-cost' },
    hardware,
    modules,
    apps: [
      {
        name: 'app',
        modules: graph.modules,
        edges: graph.edges,
        sloMs: 1,
        rateRps: uniform(rng, rateRps[0], rateRps[1]),
      },
    ],
  };
  const sloMs = tightestSloMs(problem) * uniform(rng, 1.05, 5);
  const withSlo = { ...problem, apps: [{ ...problem.apps[0]!, sloMs }] };
  if (!budgeted || rng.next() > 0.3) return withSlo;
  return { ...withSlo, budget: { costPerHour: uniform(rng, 0.2, 3) } };
}

/** A variant whose latency on each kind is Sponge's four-term model; `scale` multiplies it. */
export function randomVariant(
  rng: SeededRng,
  name: string,
  hardware: readonly HardwareSpec[],
  scale: number,
): PlanningVariant {
  const latency: Record<string, LatencyModel> = {};
  for (const h of hardware) {
    if (h.kind === 'cpu')
      latency[h.name] = {
        kind: 'sponge4',
        gamma: scale * uniform(rng, 2, 30),
        delta: scale * uniform(rng, 0, 1),
        epsilon: scale * uniform(rng, 0, 10),
        eta: scale * uniform(rng, 0.5, 5),
      };
    else if (rng.next() < 0.85)
      latency[h.name] = {
        kind: 'sponge4',
        gamma: 0,
        delta: scale * uniform(rng, 0.2, 2),
        epsilon: 0,
        eta: scale * uniform(rng, 2, 10),
      };
  }
  if (Object.keys(latency).length === 0) return randomVariant(rng, name, hardware, scale);
  return { name, accuracy: uniform(rng, 0.6, 0.95), latency };
}

/**
 * A realistic problem: 5 variants x 3 kinds x 16 core options x 8 batch sizes; the kinds are
 * `cpuKinds` CPU kinds and (with 2) a GPU, which has one core option.
 */
export function randomRealisticPipeline(rng: SeededRng, count: number, cpuKinds = 2): PlanningProblem {
  const cores = Array.from({ length: 16 }, (_, i) => i + 1);
  const cpu = (name: string, pricePerHour: number): HardwareSpec => ({
    name,
    kind: 'cpu',
    pricePerHour,
    maxCores: 16,
    coreOptions: cores,
  });
  const hardware: HardwareSpec[] = [cpu('cpu-a', 0.048), cpu('cpu-b', 0.062)];
  hardware.push(
    cpuKinds >= 3 ? cpu('cpu-c', 0.055) : { name: 'gpu', kind: 'fixed', pricePerHour: 0.9, maxCores: 8 },
  );
  const batches = [1, 2, 4, 8, 16, 32, 64, 128];
  const graph = graphOf(count === 4 && rng.next() < 0.5 ? 'diamond' : 'chain', count, () => 1);
  const modules: PlanningModule[] = graph.modules.map((name) => ({
    name,
    maxBatch: 128,
    batchOptions: batches,
    variants: Array.from({ length: 5 }, (_, v) => randomVariant(rng, `v${v}`, hardware, 1 + v * 0.6)),
  }));
  const problem: PlanningProblem = {
    objective: { kind: 'min-cost' },
    hardware,
    modules,
    apps: [
      { name: 'app', modules: graph.modules, edges: graph.edges, sloMs: 1, rateRps: uniform(rng, 50, 500) },
    ],
  };
  const sloMs = tightestSloMs(problem) * uniform(rng, 1.5, 6);
  return { ...problem, apps: [{ ...problem.apps[0]!, sloMs }] };
}
