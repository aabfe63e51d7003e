/**
 * What each policy ran in the busiest minute of the run, and why a configuration costs what it does:
 * the minute with the most arrivals, each policy's mean cores over it and the plan in force at its middle,
 * and the deployed variant's throughput per core at the configurations the single techniques choose
 * (one latency model, so the comparison is the knobs alone).
 */
import type { Decision } from '../../control/control-loop.js';
import { estimateLatencyMs } from '../../core/latency-model.js';
import type { Plan } from '../../planner/plan.js';
import type { PolicyRun } from './sluice-runs.js';
import type { SluiceSetup } from './sluice-setup.js';

export interface MinuteView {
  readonly id: string;
  readonly label: string;
  /** Mean cores allocated over the minute. */
  readonly cores: number;
  /** The plan in force at the minute's middle, e.g. `8× resnet50 1c b4`. */
  readonly plan: string;
  /** Its capacity under the planning model, req/s. */
  readonly capacityRps: number;
}

export interface BusiestMinute {
  readonly fromS: number;
  readonly meanRps: number;
  readonly peakRps: number;
  readonly views: readonly MinuteView[];
  /** The deployed variant's requests per second per core at full use, by configuration. */
  readonly perCore: readonly { readonly config: string; readonly rpsPerCore: number }[];
  /** Its batch time that does not shrink with cores, δ·b + η, at batch 1, ms. */
  readonly serialMs: number;
}

const WINDOW_S = 60;

/** The busiest minute over `runs` (the same arrivals in each). */
export function busiestMinute(setup: SluiceSetup, runs: readonly PolicyRun[]): BusiestMinute {
  const series = runs[0]?.result.series ?? [];
  let fromS = 0;
  let best = -1;
  for (let i = 0; i + WINDOW_S <= series.length; i++) {
    const n = series.slice(i, i + WINDOW_S).reduce((s, p) => s + p.arrivals, 0);
    if (n > best) {
      best = n;
      fromS = series[i]?.tS ?? i;
    }
  }
  const inMinute = (tS: number): boolean => tS >= fromS && tS < fromS + WINDOW_S;
  const arrivals = series.filter((p) => inMinute(p.tS)).map((p) => p.arrivals);
  const views = runs.map((run): MinuteView => {
    const cores = run.result.series.filter((p) => inMinute(p.tS)).map((p) => p.cores);
    const middleMs = (fromS + WINDOW_S / 2) * 1000;
    const inForce = planAt(run.result.decisions, run.bootstrap, middleMs);
    return {
      id: run.policy.id,
      label: run.policy.label,
      cores: cores.reduce((s, c) => s + c, 0) / Math.max(1, cores.length),
      plan: inForce.tuples,
      capacityRps: inForce.capacityRps,
    };
  });
  return {
    fromS,
    meanRps: arrivals.reduce((s, n) => s + n, 0) / Math.max(1, arrivals.length),
    peakRps: Math.max(0, ...arrivals),
    views,
    ...perCoreOf(setup),
  };
}

/** The plan in force at `atMs`: the bootstrap, then every plan applied or kept. */
function planAt(
  decisions: readonly Decision[],
  bootstrap: Plan,
  atMs: number,
): { tuples: string; capacityRps: number } {
  let tuples = bootstrap.modules.flatMap((m) =>
    m.tuples.map((t) => `${m.name}: ${t.instances}x ${t.variant}@${t.hardware} ${t.cores}c b${t.batch}`),
  );
  let capacityRps = bootstrap.capacityRps;
  for (const d of decisions) {
    if (d.atMs > atMs) break;
    if (d.outcome !== 'applied' && d.outcome !== 'unchanged') continue;
    tuples = [...d.plan.tuples];
    capacityRps = d.plan.capacityRps;
  }
  return { tuples: mergeTuples(tuples), capacityRps };
}

/** `resnet: 5x resnet50@local 1c b4`, `resnet: 3x resnet50@local 1c b4` → `8× resnet50 1c b4`. */
function mergeTuples(tuples: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of tuples) {
    const m = /^[^:]+: (\d+)x (\S+)@\S+ (\S+)c b(\d+)$/.exec(t);
    const key = m === null ? t : `${m[2]} ${m[3]}c b${m[4]}`;
    counts.set(key, (counts.get(key) ?? 0) + (m === null ? 1 : Number(m[1])));
  }
  return [...counts].map(([key, n]) => `${n}× ${key}`).join(' + ') || 'nothing';
}

/** Throughput per core of the deployed variant at the single techniques' typical configurations. */
function perCoreOf(setup: SluiceSetup): Pick<BusiestMinute, 'perCore' | 'serialMs'> {
  const variant = setup.deployed.variants[0];
  const model = variant?.latency[setup.hardware.name];
  if (variant === undefined || model === undefined) return { perCore: [], serialMs: 0 };
  const configs = [
    { cores: 1, batch: 1 },
    { cores: 1, batch: 4 },
    { cores: 4, batch: 4 },
    { cores: 8, batch: 1 },
    { cores: 8, batch: 8 },
  ];
  const perCore = configs.map(({ cores, batch }) => ({
    config: `${cores}c b${batch}`,
    rpsPerCore: (1000 * batch) / estimateLatencyMs(model, batch, cores) / cores,
  }));
  const serialMs = model.kind === 'sponge4' ? model.delta + model.eta : 0;
  return { perCore, serialMs };
}
