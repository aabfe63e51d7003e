// Seeded random single-model planning problems, small enough for brute force: one app of one module on
// one or two cpu kinds (sometimes behind a fixed kind the planners must skip), with random core and
// batch options, prices, instance limits, budgets, budget classes, utilisation caps, a running plan and
// observations. Shared by the Sponge, DNNScaler and baseline oracle tests.
import type { LatencyModel } from '../../../src/core/latency-model.js';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { infeasiblePlan, type Plan } from '../../../src/planner/plan.js';
import type {
  HardwareSpec,
  PlanningApp,
  PlanningModule,
  PlanningProblem,
  PlanningVariant,
} from '../../../src/planner/planning-problem.js';

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

class Draw {
  constructor(private readonly rng: SeededRng) {}
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rng.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.next() * (hi - lo + 1));
  }
  pick<T>(values: readonly T[]): T {
    const v = values[Math.floor(this.rng.next() * values.length)];
    if (v === undefined) throw new RangeError('pick from nothing');
    return v;
  }
}

function latency(d: Draw): LatencyModel {
  return {
    kind: 'sponge4',
    gamma: round(d.uniform(1, 40)),
    delta: round(d.uniform(0, 1)),
    epsilon: round(d.uniform(0, 10)),
    eta: round(d.uniform(0, 5)),
  };
}

export interface RandomProblemOptions {
  /** Probability of `max-throughput` instead of `min-cost`; default 0.2. */
  readonly maxThroughputShare?: number;
}

/** Problem number `index` of the stream seeded with `seed`. */
export function randomSingleModelProblem(
  seed: number,
  index: number,
  options: RandomProblemOptions = {},
): PlanningProblem {
  const d = new Draw(SeededRng.stream(seed, `problem-${index}`));
  const maxCores = d.int(1, 8);
  const cpu: HardwareSpec = {
    name: 'cpu',
    kind: 'cpu',
    pricePerHour: d.chance(0.15) ? 0 : d.chance(0.15) ? 1 : round(d.uniform(0.02, 0.1), 3),
    maxCores,
    ...(d.chance(0.4) ? { maxInstances: d.int(1, 6) } : {}),
    ...(d.chance(0.25) ? { coreOptions: [0.5, 1, 1.5, 2, 3, 4, 6, 8].filter((c) => c <= maxCores) } : {}),
  };
  const hardware: HardwareSpec[] = [cpu];
  if (d.chance(0.2)) hardware.unshift({ name: 'gpu', kind: 'fixed', pricePerHour: 1, maxCores: 4 });
  if (d.chance(0.15))
    hardware.push({ name: 'cpu2', kind: 'cpu', pricePerHour: round(d.uniform(0.01, 0.1), 3), maxCores: 4 });
  const maxBatch = d.pick([1, 4, 8, 16, 32]);
  const variants: PlanningVariant[] = Array.from({ length: d.int(1, 2) }, (_, i) => ({
    name: `v${i}`,
    accuracy: round(d.uniform(0.6, 0.95)),
    latency: Object.fromEntries(hardware.map((h) => [h.name, latency(d)])),
  }));
  const module: PlanningModule = {
    name: 'm',
    maxBatch,
    variants,
    ...(d.chance(0.2)
      ? { batchOptions: [...new Set([1, 3, 5, maxBatch])].filter((b) => b <= maxBatch) }
      : {}),
  };
  const sloMs = round(d.uniform(10, 300), 1);
  const app: PlanningApp = {
    name: 'a',
    modules: ['m'],
    edges: [],
    sloMs,
    rateRps: round(d.uniform(1, 400), 1),
    ...(d.chance(0.25)
      ? {
          budgets: [
            { budgetMs: round(sloMs * d.uniform(0.4, 0.9), 1), share: 0.3 },
            { budgetMs: sloMs, share: 0.7 },
          ],
        }
      : {}),
  };
  const maxThroughput = d.chance(options.maxThroughputShare ?? 0.2);
  const budget = {
    ...(d.chance(0.25) ? { cores: d.int(2, 24) } : {}),
    ...(d.chance(0.2) ? { costPerHour: round(d.uniform(0.1, 2)) } : {}),
  };
  let current: Plan | undefined;
  if (d.chance(0.25)) {
    const running = variants[variants.length - 1];
    current = {
      ...infeasiblePlan('earlier', ''),
      modules: [
        {
          name: 'm',
          budgetMs: sloMs,
          tuples: [
            {
              variant: running?.name ?? 'v0',
              hardware: 'cpu',
              cores: d.pick(cpu.coreOptions ?? [1, maxCores]),
              batch: d.int(1, maxBatch),
              instances: d.int(1, 3),
              rateRps: 1,
              dummyRps: 0,
            },
          ],
        },
      ],
    };
  }
  const observations = {
    ...(d.chance(0.3)
      ? { cpuUsageCores: { m: Array.from({ length: 10 }, () => round(d.uniform(0.1, maxCores), 2)) } }
      : {}),
    ...(d.chance(0.3) ? { latencyMs: { m: { p95: round(d.uniform(0.3, 1.5) * sloMs, 1) } } } : {}),
  };
  return {
    objective: maxThroughput ? { kind: 'max-throughput' } : { kind: 'min-cost' },
    ...(Object.keys(budget).length > 0 ? { budget } : {}),
    hardware,
    modules: [module],
    apps: [app],
    ...(d.chance(0.3) ? { utilisationCap: round(d.uniform(0.6, 1)) } : {}),
    ...(current === undefined ? {} : { current }),
    ...(Object.keys(observations).length > 0 ? { observations } : {}),
  };
}
