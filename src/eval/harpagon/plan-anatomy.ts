/**
 * What a plan spends per module and how much of what it buys it uses: the numbers behind the report's
 * "what explains the difference". A module's capacity is what its instances carry running full batches
 * back to back (ρ = 1), so its utilisation is its rate over that: a machine bought for a residual load
 * shows up as low utilisation, a plan sized without room for queueing as utilisation near 1.
 */
import type { Plan, PlanTuple } from '../../planner/plan.js';
import { tupleLatencyMs } from '../../planner/planning-model.js';
import { tupleCostPerHour, type PlanningProblem } from '../../planner/planning-problem.js';

export interface ModuleAnatomy {
  readonly name: string;
  readonly budgetMs: number;
  /** Requests per second the module receives (fan-out included). */
  readonly rateRps: number;
  readonly costPerHour: number;
  /** At ρ = 1, requests per second. */
  readonly capacityRps: number;
  /** rateRps / capacityRps. */
  readonly utilisation: number;
  /** The longest batch latency l(b, c) of its tuples, ms: its budget less this is its room to queue. */
  readonly slowestBatchMs: number;
  /** Rate-weighted mean batch size of its tuples. */
  readonly meanBatch: number;
  /** `2×t4-like b32 + 1×epyc 0.5c b1`. */
  readonly tuples: string;
  /** Instances on fixed (per-instance priced) kinds. */
  readonly fixedInstances: number;
  /** Cores of instances on cpu kinds. */
  readonly cpuCores: number;
  /** $ per hour of those cores. */
  readonly cpuCostPerHour: number;
  /** Its tuples' hardware kinds, distinct, in plan order. */
  readonly kinds: readonly string[];
  readonly tupleCount: number;
}

/** Per module of `plan`, in plan order. */
export function planAnatomy(problem: PlanningProblem, plan: Plan): ModuleAnatomy[] {
  return plan.modules.map((m) => {
    const module = problem.modules.find((x) => x.name === m.name);
    let costPerHour = 0;
    let capacityRps = 0;
    let rateRps = 0;
    let slowestBatchMs = 0;
    let batchRate = 0;
    let fixedInstances = 0;
    let cpuCores = 0;
    let cpuCostPerHour = 0;
    for (const t of m.tuples) {
      const hardware = problem.hardware.find((h) => h.name === t.hardware);
      const variant = module?.variants.find((v) => v.name === t.variant);
      if (hardware !== undefined) {
        costPerHour += tupleCostPerHour(hardware, t.cores, t.instances);
        if (hardware.kind === 'fixed') fixedInstances += t.instances;
        else {
          cpuCores += t.instances * t.cores;
          cpuCostPerHour += tupleCostPerHour(hardware, t.cores, t.instances);
        }
      }
      const latencyMs =
        variant === undefined ? undefined : tupleLatencyMs(variant, t.hardware, t.batch, t.cores);
      if (latencyMs !== undefined && latencyMs > 0) {
        capacityRps += (t.instances * 1000 * t.batch) / latencyMs;
        slowestBatchMs = Math.max(slowestBatchMs, latencyMs);
      }
      rateRps += t.rateRps;
      batchRate += t.batch * t.rateRps;
    }
    return {
      name: m.name,
      budgetMs: m.budgetMs,
      rateRps,
      costPerHour,
      capacityRps,
      utilisation: capacityRps > 0 ? rateRps / capacityRps : 0,
      slowestBatchMs,
      meanBatch: rateRps > 0 ? batchRate / rateRps : 0,
      tuples: m.tuples.map(describeTuple).join(' + '),
      fixedInstances,
      cpuCores,
      cpuCostPerHour,
      kinds: [...new Set(m.tuples.map((t) => t.hardware))],
      tupleCount: m.tuples.length,
    };
  });
}

/** `3×epyc 1c b8` or `1×t4-like b32`. */
export function describeTuple(t: PlanTuple): string {
  const cores = t.hardware.startsWith('epyc') ? ` ${t.cores}c` : '';
  return `${t.instances}×${t.hardware}${cores} b${t.batch}`;
}

/**
 * Dollars per hour of capacity a plan pays for and leaves unused: Σ over modules of cost × (1 − utilisation).
 */
export function idleCostPerHour(modules: readonly ModuleAnatomy[]): number {
  return modules.reduce((s, m) => s + m.costPerHour * Math.max(0, 1 - m.utilisation), 0);
}
