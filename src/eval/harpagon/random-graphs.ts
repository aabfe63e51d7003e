/**
 * Seeded random applications for the Harpagon comparison: graphs of 3-6 modules, each module one of the
 * models profiled on this machine (ResNet-18…152 and the three PP-OCR stages), on the experiment's
 * hardware mix. Module 1 is the only source; every later module hangs off a random earlier one and, with
 * probability 0.3, also receives the output of a second earlier one (a join: both streams add up), so
 * the graphs are trees with some diamonds. Fan-outs are 1 (70%), 2 (20%) or 3 (10%). The source rate is
 * log-uniform in [20, 400] requests/s (from a fraction of one accelerator to several), lowered where
 * needed so that the modules together receive at most `MAX_MODULE_RPS` (fan-outs multiply: this keeps
 * every simulation to seconds), and the SLO is k times the longest path's batch-1 latency on one core,
 * k uniform in [2.5, 5] (tight enough that the split matters, loose enough that batches help).
 */
import { estimateLatencyMs } from '../../core/latency-model.js';
import type { Profile } from '../../core/profile.js';
import { SeededRng } from '../../core/seeded-rng.js';
import { appGraph } from '../../planner/app-graph.js';
import type { PlanningEdge, PlanningModule, PlanningProblem } from '../../planner/planning-problem.js';
import { CPU_KIND, moduleOnMix, type HardwareMix } from './harpagon-hardware.js';

export interface RandomGraph {
  /** `g1`, `g2`, …: also the app's name. */
  readonly name: string;
  readonly problem: PlanningProblem;
  /** One line: modules, edges with fan-outs, SLO and rate. */
  readonly description: string;
}

const MIN_MODULES = 3;
const MAX_MODULES = 6;
const JOIN_PROBABILITY = 0.3;
const MIN_RATE_RPS = 20;
const MAX_RATE_RPS = 400;
const MIN_SLO_FACTOR = 2.5;
const MAX_SLO_FACTOR = 5;
/** Module requests per second of one graph, all modules together, at most. */
const MAX_MODULE_RPS = 1000;

/** `count` random applications (one per problem) drawn from `profiles` with stream `seed`. */
export function randomGraphs(
  profiles: readonly Profile[],
  mix: HardwareMix,
  batchOptions: readonly number[],
  count: number,
  seed: number,
): RandomGraph[] {
  if (profiles.length === 0) throw new RangeError('random graphs need at least one profile');
  const rng = SeededRng.stream(seed, 'harpagon:random-graphs');
  const out: RandomGraph[] = [];
  for (let g = 1; g <= count; g++) {
    const name = `g${g}`;
    const size = MIN_MODULES + Math.floor(rng.next() * (MAX_MODULES - MIN_MODULES + 1));
    const modules: PlanningModule[] = [];
    for (let i = 1; i <= size; i++) {
      const profile = profiles[Math.floor(rng.next() * profiles.length)] ?? profiles[0];
      if (profile === undefined) continue;
      modules.push(moduleOnMix(`${name}-m${i}-${profile.variant}`, profile, mix.accelerator, batchOptions));
    }
    const edges: PlanningEdge[] = [];
    for (let i = 1; i < modules.length; i++) {
      const parent = Math.floor(rng.next() * i);
      edges.push(edgeOf(modules, parent, i, fanout(rng)));
      if (i >= 2 && rng.next() < JOIN_PROBABILITY) {
        let other = Math.floor(rng.next() * (i - 1));
        if (other >= parent) other += 1;
        edges.push(edgeOf(modules, other, i, fanout(rng)));
      }
    }
    const drawnRps = MIN_RATE_RPS * (MAX_RATE_RPS / MIN_RATE_RPS) ** rng.next();
    const factor = MIN_SLO_FACTOR + rng.next() * (MAX_SLO_FACTOR - MIN_SLO_FACTOR);
    const graph = appGraph({ name, modules: modules.map((m) => m.name), edges, sloMs: 1, rateRps: 1 });
    if (typeof graph === 'string') throw new Error(`random graph ${name}: ${graph}`);
    const perRequest = Object.values(graph.multiplier).reduce((s, x) => s + x, 0);
    const rateRps = Math.max(1, Math.round(Math.min(drawnRps, MAX_MODULE_RPS / perRequest)));
    const app = { name, modules: modules.map((m) => m.name), edges, rateRps };
    const oneCoreMs = new Map(modules.map((m) => [m.name, batchOneMs(m)]));
    const longestMs = Math.max(
      ...graph.paths.map((path) => path.reduce((s, m) => s + (oneCoreMs.get(m) ?? 0), 0)),
    );
    const sloMs = Math.round(factor * longestMs);
    const problem: PlanningProblem = {
      objective: { kind: 'min-cost' },
      hardware: mix.hardware,
      modules,
      apps: [{ ...app, sloMs }],
    };
    const shortName = (m: string): string => m.slice(name.length + 1);
    const described = edges
      .map((e) => `${shortName(e.from)}→${shortName(e.to)}${(e.fanout ?? 1) === 1 ? '' : ` ×${e.fanout}`}`)
      .join(', ');
    out.push({
      name,
      problem,
      description: `${modules.length} modules (${described}), SLO ${sloMs} ms, ${rateRps} req/s`,
    });
  }
  return out;
}

function edgeOf(modules: readonly PlanningModule[], from: number, to: number, fan: number): PlanningEdge {
  const edge = { from: modules[from]?.name ?? '', to: modules[to]?.name ?? '' };
  return fan === 1 ? edge : { ...edge, fanout: fan };
}

function fanout(rng: SeededRng): number {
  const u = rng.next();
  return u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
}

/** Batch-1 latency of the module's variant on one core of the CPU kind, ms. */
function batchOneMs(module: PlanningModule): number {
  const model = module.variants[0]?.latency[CPU_KIND];
  return model === undefined ? 0 : estimateLatencyMs(model, 1, 1);
}
