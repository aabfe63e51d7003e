/**
 * The planning problem of a live server: each served application (`apps/<name>.yaml`: its modules, edges
 * with their expected fan-out, end-to-end SLO) and one one-module application per other module (its
 * default SLO),
 * the machine as one `cpu` hardware kind (allocations from half a core, or a quarter when half a core per
 * module would not fit, up to all its cores),
 * the machine's cores as the budget, and each variant's latency from its profile on this machine or,
 * without one, from a start-up calibration. The control loop replaces the rates each interval.
 */
import type { LatencyModel } from '../core/latency-model.js';
import type { ModuleSpec } from '../core/model-spec.js';
import type { Objective, PlanningProblem } from './planning-problem.js';

export interface LiveProblemOptions {
  readonly machineCores: number;
  /**
   * Per-instance allocations a plan may use; default quarter cores below one core (from 0.5 unless half a
   * core per module would not fit), then half cores up to the machine's cores (a CFS quota of q < 1 cores can hold a batch for up to (1 − q) of the quota period,
   * so small allocations suit idle modules, not loaded ones; the profiles' p99 shows it).
   */
  readonly coreOptions?: readonly number[];
  /** Default 1: cost is then counted in core-hours. */
  readonly pricePerCoreHour?: number;
  readonly objective: Objective;
  /** Per `module/variant`, its latency model here. Variants without one are left out of planning. */
  readonly latency: ReadonlyMap<string, LatencyModel>;
  /** Per `module/variant`, its cold start, ms. */
  readonly loadMs?: ReadonlyMap<string, number>;
  readonly utilisationCap?: number;
  /** Applications over the modules; a module belongs to at most one. Default none. */
  readonly apps?: readonly LiveApp[];
}

/** An application as the planner sees it. */
export interface LiveApp {
  readonly name: string;
  readonly modules: readonly string[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly expectedFanout: number }[];
  readonly sloMs: number;
}

export const LOCAL_HARDWARE = 'local';

export function liveProblem(modules: readonly ModuleSpec[], options: LiveProblemOptions): PlanningProblem {
  const cores = options.machineCores;
  // A quarter core only where half a core per module would not fit the machine: under a CFS quota that
  // small, batches run slow and uneven (live, the engine's estimate for resnet50 at 0.25 cores reached 1035 ms
  // against 396 ms from l(b, c)), so it suits idle modules, not loaded ones.
  const smallest = modules.length * 0.5 > cores ? [0.25, 0.5, 0.75] : [0.5, 0.75];
  const coreOptions = options.coreOptions ?? [
    ...smallest.filter((c) => c < cores),
    ...Array.from({ length: Math.max(1, Math.floor(cores * 2) - 1) }, (_, i) => 1 + i / 2).filter(
      (c) => c <= cores,
    ),
  ];
  const planned = modules
    .map((m) => ({
      name: m.name,
      maxBatch: Math.max(1, m.maxBatch),
      variants: m.variants.flatMap((v) => {
        const latency = options.latency.get(`${m.name}/${v.name}`);
        const loadMs = options.loadMs?.get(`${m.name}/${v.name}`);
        return latency === undefined
          ? []
          : [
              {
                name: v.name,
                accuracy: v.accuracy,
                ...(loadMs === undefined ? {} : { loadMs }),
                latency: { [LOCAL_HARDWARE]: latency },
              },
            ];
      }),
    }))
    .filter((m) => m.variants.length > 0);
  const slo = new Map(modules.map((m) => [m.name, m.defaultSloMs]));
  const plannedNames = new Set(planned.map((m) => m.name));
  // An app is planned as one when every module of it can be; otherwise its modules stand alone.
  const apps = (options.apps ?? []).filter((a) => a.modules.every((m) => plannedNames.has(m)));
  const inApp = new Set(apps.flatMap((a) => a.modules));
  return {
    objective: options.objective,
    budget: { cores },
    hardware: [
      {
        name: LOCAL_HARDWARE,
        kind: 'cpu',
        pricePerHour: options.pricePerCoreHour ?? 1,
        maxCores: cores,
        coreOptions,
      },
    ],
    modules: planned,
    apps: [
      ...apps.map((a) => ({
        name: a.name,
        modules: [...a.modules],
        edges: a.edges.map((e) => ({ from: e.from, to: e.to, fanout: e.expectedFanout })),
        sloMs: a.sloMs,
        rateRps: 1,
      })),
      ...planned
        .filter((m) => !inApp.has(m.name))
        .map((m) => ({
          name: m.name,
          modules: [m.name],
          edges: [],
          sloMs: slo.get(m.name) ?? 1000,
          rateRps: 1,
        })),
    ],
    ...(options.utilisationCap === undefined ? {} : { utilisationCap: options.utilisationCap }),
  };
}

/**
 * A latency model from a start-up calibration (batch-1 and batch-k times at `cores`), for a variant with
 * no profile: l(b, c) = (γ·b + ε)·cores/c, the fit through both points assuming the work parallelises
 * over cores. Optimistic for more cores than calibrated; a profile replaces it.
 */
export function calibratedModel(
  points: readonly { readonly rows: number; readonly computeMs: number }[],
  cores: number,
): LatencyModel | undefined {
  const one = points.find((p) => p.rows === 1);
  const big = [...points].filter((p) => p.rows > 1).sort((a, b) => b.rows - a.rows)[0];
  if (one === undefined) return undefined;
  const perRow =
    big === undefined ? one.computeMs : Math.max(0, (big.computeMs - one.computeMs) / (big.rows - 1));
  const fixed = Math.max(0, one.computeMs - perRow);
  return { kind: 'sponge4', gamma: perRow * cores, delta: 0, epsilon: fixed * cores, eta: 0 };
}
