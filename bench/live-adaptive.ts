// The live experiment of adaptive serving: a Twitter slice damped to this machine's capacity, served by
// the `full` ResNet family under five policies, one after the other, each by a fresh `sluice serve`
// process with the same workload and seed:
//   - sluice: the default planner and objective (accuracy − 0.05 · cores / machine cores), interval 1 s;
//   - sluice-min-cost: the same planner under the min-cost objective (`--objective min-cost`);
//   - static: peak provisioning, the instances the sluice planner would choose at the slice's peak, fixed;
//   - vpa, hpa: the Kubernetes baselines on the same control loop (interval 1 s: neither planner defines
//     an interval of its own, they leave the sync period to the loop).
// Each policy first serves a minute of the slice's opening rate (a warm-up, not measured), then the slice.
// Per policy: SLO attainment and latency percentiles (the load generator's report, latency from each
// request's scheduled send time), core-seconds (GET /metrics every second: the sum of
// sluice_instance_cpu_cores, integrated over the workload), served accuracy (sluice_completions_total per
// variant × the variant's accuracy in config.yaml), plan changes (GET /sluice/decisions). Then the same
// scenario in the simulator (the planning problem built from the same profiles as the live server builds
// it, the same arrivals), simulated against live attainment and p99; and, from the live servers' logs, how
// long in-place resizes took against the cold starts of new instances. SVG time series per policy (load,
// allocation, p99 against the SLO) go to bench/out/live-adaptive/.
//
//   npm run bench:live [-- --seconds 600] [--policies sluice,static,vpa,hpa] [--seed 42] [--sim-only]
//                         [--start SECOND] [--damping D] [--peak-share 0.75] [--sim-spread 1.1]
//
// Shorter runs (--seconds S < 600) keep the damping of the full slice and cut a window of S seconds that
// starts S/3 before the burst, so a validation run still sees the rise.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TRACES_DIR } from '../src/cli/scenario-file.js';
import { estimateLatencyMs, type LatencyModel } from '../src/core/latency-model.js';
import { groupId, type ModuleSpec } from '../src/core/model-spec.js';
import type { Profile } from '../src/core/profile.js';
import { SeededRng } from '../src/core/seeded-rng.js';
import type { LoadReport } from '../src/loadgen/load-report.js';
import type { RequestLog } from '../src/loadgen/request-log.js';
import { runLoad } from '../src/loadgen/run-load.js';
import { LOCAL_HARDWARE, liveProblem } from '../src/planner/live-problem.js';
import type { Plan } from '../src/planner/plan.js';
import { plannerByName } from '../src/planner/planner-registry.js';
import type { PlanningProblem } from '../src/planner/planning-problem.js';
import { latencyFromProfile } from '../src/planner/problem-from-profiles.js';
import type { LineSeries } from '../src/report/plot-area.js';
import { stackCharts } from '../src/report/stack-charts.js';
import { renderTimeSeriesChart, type TimeSeriesPanel } from '../src/report/time-series-chart.js';
import { loadModelRepository } from '../src/runtime/model-repository.js';
import { attachProfiles } from '../src/runtime/variant-profiles.js';
import { RESNET_VARIANTS } from '../src/runtime/zoo/resnet.js';
import { writeZoo } from '../src/runtime/zoo/write-zoo.js';
import { compileScenario, type Scenario } from '../src/sim/scenario.js';
import { runSimulation } from '../src/sim/run-simulation.js';
import type { SimulationResult } from '../src/sim/simulation-types.js';
import { buildWorkload } from '../src/sim/workload/build-workload.js';
import { TwitterTrace } from '../src/sim/workload/twitter-trace.js';
import { parseWorkloadSpec, TRACE_FILES } from '../src/sim/workload/workload-spec.js';
import { HighsSolver } from '../src/solver/highs-solver.js';
import { ROOT } from './lib/serve-process.js';
import { machine, percentile, table } from './lib/stats.js';

// ---------------------------------------------------------------------------------------------------
// The scenario.

/**
 * Day 1 of the trace, 15:00:00-15:10:00 (trace seconds 140,400-141,000): about 45 req/s, then one of the
 * trace's half-hourly bursts, rising at +320 s to a 10-s peak of 203 req/s (4.4x) within 40 s, back to
 * the base by +430 s, and 170 s of base load after it: a clear rise and fall, with time before it for
 * the control loop to settle and after it to scale down.
 */
const SLICE_START_S = 140_400;
const SLICE_SECONDS = 600;
/** Where the burst begins, s into the slice (short runs are cut around it). */
const BURST_OFFSET_S = 320;
/** The variant whose capacity the damping is computed from (the family's cheapest, the default). */
const CAPACITY_VARIANT = 'resnet18';
const MODULE = 'resnet';
const ALL_POLICIES = ['sluice', 'sluice-min-cost', 'static', 'vpa', 'hpa'] as const;
/** `sluice-min-cost`: the sluice planner under the min-cost objective (`--objective min-cost`). */
const plannerOf = (policy: string): string => (policy === 'sluice-min-cost' ? 'sluice' : policy);
const objectiveArgs = (policy: string): string[] =>
  policy === 'sluice-min-cost' ? ['--objective', 'min-cost'] : [];
const OUT = `${ROOT}/bench/out/live-adaptive`;
const REPOSITORY = `${ROOT}/bench/out/full-models`;
const PROFILES = `${ROOT}/experiments/profiles/resnet-full`;
const CLI = resolve(ROOT, 'dist/cli/main.js');
const INTERVAL_MS = 1000;
/** The live server's objective when none is given (start-control.ts), spelled out for the simulator. */
const OBJECTIVE = { kind: 'accuracy-cost', costWeight: 0.05 } as const;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    policies: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    damping: { type: 'string' },
    'peak-share': { type: 'string' },
    'sim-spread': { type: 'string' },
    'sim-only': { type: 'boolean' },
    traces: { type: 'string' },
  },
  strict: true,
});
const seconds = positive(values.seconds ?? String(SLICE_SECONDS), '--seconds');
const seed = Math.round(positive(values.seed ?? '42', '--seed'));
const peakShare = positive(values['peak-share'] ?? '0.75', '--peak-share');
const simSpread = positive(values['sim-spread'] ?? '1.1', '--sim-spread');
const simOnly = values['sim-only'] === true;
const policies = (values.policies ?? ALL_POLICIES.join(',')).split(',').map((p) => p.trim());
for (const p of policies) {
  if (!(ALL_POLICIES as readonly string[]).includes(p))
    throw new Error(`--policies: '${p}' is not one of ${ALL_POLICIES.join(', ')}`);
}

mkdirSync(OUT, { recursive: true });
const log = (line: string): void => void process.stderr.write(`live: ${line}\n`);

// The repository: the zoo's `full` family (same seed, same bytes as profiled), every profile copied in.
writeZoo({
  dir: REPOSITORY,
  scale: 'full',
  onFile: (f) => {
    if (f.status !== 'kept') log(`zoo: ${f.path} ${f.status}`);
  },
});
for (const variant of RESNET_VARIANTS) {
  const from = join(PROFILES, `${variant}.json`);
  const to = join(REPOSITORY, MODULE, variant, 'profile.json');
  if (!existsSync(to) || readFileSync(to, 'utf8') !== readFileSync(from, 'utf8')) copyFileSync(from, to);
}
const attached = await attachProfiles(
  (await loadModelRepository(REPOSITORY)).filter((m) => m.name === MODULE),
);
if (attached.problems.length > 0)
  throw new Error(
    `profiles refused (the live server would refuse them too):\n${attached.problems.join('\n')}`,
  );
const module = attached.modules[0];
if (module === undefined) throw new Error(`${REPOSITORY}: no module '${MODULE}'`);
const sloMs = module.defaultSloMs;
const profileOf = (variant: string): Profile => {
  const p = attached.profiles.get(groupId(MODULE, variant));
  if (p === undefined) throw new Error(`no profile for ${MODULE}/${variant}`);
  return p;
};

// The planning problem exactly as start-control.ts builds it for `sluice serve` on this machine.
const machineCores = availableParallelism();
const latency = new Map<string, LatencyModel>();
const loadMs = new Map<string, number>();
for (const v of module.variants) {
  const profile = profileOf(v.name);
  latency.set(groupId(MODULE, v.name), latencyFromProfile(profile));
  if (profile.coldStart !== undefined) loadMs.set(groupId(MODULE, v.name), profile.coldStart.coldStartMs);
}
const problem = liveProblem([module], { machineCores, objective: OBJECTIVE, latency, loadMs });
const solver = await HighsSolver.create();

// Damping: the slice's 10-s peak brought to `peakShare` of what this machine serves of resnet18 within
// the SLO (the profile's derived capacity at all cores, batch 1: every policy can serve at batch 1).
const capacityProfile = profileOf(CAPACITY_VARIANT);
const capacityRps =
  capacityProfile.capacity?.points.find((p) => p.cores === machineCores && p.maxBatch === 1)?.rateRps ??
  1000 / estimateLatencyMs(capacityProfile.fit.model, 1, machineCores);
const tracesDir = values.traces ?? DEFAULT_TRACES_DIR;
const trace = TwitterTrace.parse(readFileSync(join(tracesDir, TRACE_FILES.twitter), 'utf8'));
const fullStart = values.start === undefined ? SLICE_START_S : Math.round(positive(values.start, '--start'));
const raw = trace.slice({ startS: fullStart, endS: fullStart + Math.max(SLICE_SECONDS, seconds) }).countsRps;
const rawPeak = Math.max(...movingMean(raw, 10));
const damping =
  values.damping === undefined
    ? Math.ceil((10 * rawPeak) / (peakShare * capacityRps)) / 10
    : positive(values.damping, '--damping');
const startS =
  seconds >= SLICE_SECONDS || values.start !== undefined
    ? fullStart
    : fullStart + BURST_OFFSET_S - Math.min(BURST_OFFSET_S, Math.round(seconds / 3));
const endS = startS + Math.round(seconds);
const workloadSpec = `twitter:${startS}:${endS}:${damping}`;
const workload = buildWorkload(parseWorkloadSpec(workloadSpec), trace);
const damped = trace.slice({ startS: fullStart, endS: fullStart + SLICE_SECONDS, damping }).countsRps;
const dampedPeakRps = Math.max(...movingMean(damped, 10));
const dampedMaxRps = Math.max(...damped);
/** Before each policy's measured window: its opening rate (the mean of its first minute) for a minute. */
const WARMUP_S = 60;
const opening = trace.slice({ startS, endS: startS + WARMUP_S, damping }).countsRps;
const warmupRps = Math.max(1, opening.reduce((s, x) => s + x, 0) / Math.max(1, opening.length));
const warmup = buildWorkload(parseWorkloadSpec(`poisson:${warmupRps.toFixed(2)}:${WARMUP_S}`), trace);

// The static baseline: peak provisioning as the sluice planner would provision the peak (its plan for the
// slice's highest one-second rate): the same total cores, as one instance (the config's instances, as a
// Triton-style server runs them) of the variant carrying most of the peak plan's traffic.
const peakPlan = plannerByName('sluice')!.plan(withRate(problem, dampedMaxRps), { solver });
const peakModule = peakPlan.modules.find((m) => m.name === MODULE);
if (peakModule === undefined || peakModule.tuples.length === 0)
  throw new Error(
    `the sluice planner finds no plan for the peak (${dampedMaxRps} req/s): ${peakPlan.reason}`,
  );
const rateByVariant = new Map<string, number>();
for (const t of peakModule.tuples)
  rateByVariant.set(t.variant, (rateByVariant.get(t.variant) ?? 0) + t.rateRps);
const staticVariant = [...rateByVariant].sort((a, b) => b[1] - a[1])[0]![0];
const staticCores = peakPlan.cores;
if (staticVariant !== module.defaultVariant)
  throw new Error(
    `the peak plan's main variant is ${staticVariant}, not the default ${module.defaultVariant}: ` +
      'sluice serve --policy static --variants default would serve another variant',
  );
const staticArgs = [
  '--policy',
  'static',
  '--variants',
  'default',
  '--instances',
  '1',
  '--cores',
  String(staticCores),
];
// The same configuration as a plan, for the simulator: the static planner keeps a running plan as it is.
const staticPlan = plannerByName('static')!.plan(
  {
    ...withRate(problem, dampedMaxRps),
    current: {
      ...peakPlan,
      modules: [
        {
          name: MODULE,
          budgetMs: peakModule.budgetMs,
          tuples: [
            {
              variant: staticVariant,
              hardware: LOCAL_HARDWARE,
              cores: staticCores,
              batch: Math.max(1, module.maxBatch),
              instances: 1,
              rateRps: dampedMaxRps,
              dummyRps: 0,
            },
          ],
        },
      ],
    },
  },
  { solver },
);

console.log(`# Live adaptive serving: ${MODULE} (full family) on ${machineCores} cores (${machine()})\n`);
console.log(
  `workload ${workloadSpec} (${workload.expectedCount} requests over ${(workload.durationMs / 1000).toFixed(0)} s; ` +
    `slice ${fullStart}-${fullStart + SLICE_SECONDS}: raw 10-s peak ${rawPeak.toFixed(0)} req/s, ÷${damping} -> ` +
    `${dampedPeakRps.toFixed(1)} req/s (1-s max ${dampedMaxRps}) = ${((100 * dampedPeakRps) / capacityRps).toFixed(0)}% ` +
    `of ${CAPACITY_VARIANT}'s capacity at ${machineCores} cores, batch 1, within ${sloMs} ms (${capacityRps.toFixed(1)} req/s, profile))`,
);
console.log(
  `SLO ${sloMs} ms (config.yaml defaultSloMs), binary tensors, open loop, seed ${seed}\n` +
    `the sluice plan for the 1-s peak (${dampedMaxRps} req/s): ${describePlan(peakPlan)} (${peakPlan.cores} cores); ` +
    `static peak provisioning: the same cores as one instance of its main variant: ${describePlan(staticPlan)}`,
);
const minCostPeak = plannerByName('sluice')!.plan(
  withRate({ ...problem, objective: { kind: 'min-cost' } }, dampedMaxRps),
  { solver },
);
console.log(
  `(for comparison, the min-cost plan for the same peak: ${describePlan(minCostPeak)} (${minCostPeak.cores} cores))\n`,
);

// ---------------------------------------------------------------------------------------------------
// Live runs.

interface LiveRun {
  readonly policy: string;
  readonly report: LoadReport;
  readonly requestLog: RequestLog;
  /** Allocation samples on the load's time line (ms from the first scheduled send). */
  readonly cores: readonly { readonly tMs: number; readonly cores: number }[];
  readonly coreSeconds: number;
  readonly completions: ReadonlyMap<string, number>;
  readonly accuracy: number;
  readonly planChanges: number | undefined;
  readonly serverLog: readonly string[];
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});
const interrupted = new AbortController();
process.once('SIGINT', () => {
  log('SIGINT: stopping the load and the server');
  interrupted.abort();
});

const live = new Map<string, LiveRun>();
if (!simOnly) {
  for (const policy of policies) {
    if (interrupted.signal.aborted) break;
    live.set(policy, await runPolicy(policy));
  }
}

/** Completions so far per variant group (`sluice_completions_total`). */
async function completionsOf(url: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of metricLines(await getText(`${url}/metrics`), 'sluice_completions_total')) {
    const group = m.labels.group;
    if (group !== undefined) out.set(group, (out.get(group) ?? 0) + m.value);
  }
  return out;
}

/** Plans applied so far (GET /sluice/decisions). */
async function appliedPlans(url: string): Promise<number> {
  const decisions = JSON.parse(await getText(`${url}/sluice/decisions?limit=10000`)) as {
    outcome: string;
  }[];
  return decisions.filter((d) => d.outcome === 'applied').length;
}

/** The load generator's settings shared by the warm-up and the measured run. */
function loadOptions(url: string) {
  return {
    target: { url: new URL(url), model: MODULE, version: undefined },
    budgets: undefined,
    sloMs,
    binary: true,
    deadlineAs: 'slo' as const,
    batch: 1,
    dim: 224,
    bodyVariants: 4,
    maxRequests: 10_000_000,
    requestTimeoutMs: 30_000,
    connections: 256,
    keepAlive: true,
  };
}

async function runPolicy(policy: string): Promise<LiveRun> {
  const decisionLog = join(OUT, `${policy}-decisions.jsonl`);
  rmSync(decisionLog, { force: true });
  const args = [
    '--repository',
    REPOSITORY,
    '--models',
    MODULE,
    ...(policy === 'static'
      ? staticArgs
      : [
          '--policy',
          plannerOf(policy),
          ...objectiveArgs(policy),
          '--interval-ms',
          String(INTERVAL_MS),
          '--decision-log',
          decisionLog,
        ]),
  ];
  log(`${policy}: sluice serve ${args.join(' ')}`);
  const server = await startServe(args, join(OUT, `${policy}.log`));
  try {
    const refused = server.lines.filter((l) => /profile\.json: .*not used/.test(l));
    if (refused.length > 0) throw new Error(`${policy}: the server refused profiles:\n${refused.join('\n')}`);
    // Warm-up, not measured: the slice's opening rate for WARMUP_S, so every policy starts the measured
    // window from a settled state rather than from the plan it made before seeing any traffic.
    const warm = await runLoad({
      ...loadOptions(server.url),
      workload: warmup,
      maxSeconds: WARMUP_S + 5,
      drainSeconds: 5,
      seed: seed + 1,
    });
    log(
      `${policy}: warm-up ${WARMUP_S} s at ${warmupRps.toFixed(1)} req/s: ${(100 * warm.report.sloAttainment).toFixed(2)}% within the SLO (not counted)`,
    );
    const warmCompletions = await completionsOf(server.url);
    const warmPlans = policy === 'static' ? undefined : await appliedPlans(server.url);
    const samples: { atMs: number; cores: number }[] = [];
    const poll = async (): Promise<void> => {
      const text = await getText(`${server.url}/metrics`).catch(() => undefined);
      if (text !== undefined)
        samples.push({ atMs: performance.now(), cores: sumMetric(text, 'sluice_instance_cpu_cores') });
    };
    await poll();
    const poller = setInterval(() => void poll(), 1000);
    let t0: number | undefined;
    let result;
    try {
      result = await runLoad({
        ...loadOptions(server.url),
        workload,
        maxSeconds: seconds + 5,
        drainSeconds: 10,
        seed,
        // The open loop's time line starts at its first call of the clock: remember it, to put the
        // allocation samples on the same line.
        now: () => {
          const t = performance.now();
          t0 ??= t;
          return t;
        },
        onProgress: (p) => {
          if (Math.round(p.elapsedS) % 15 !== 0) return;
          const cores = samples.at(-1)?.cores ?? Number.NaN;
          log(
            `${policy}: ${p.elapsedS.toFixed(0)} s: sent ${p.sent}, ok ${p.ok}, failed ${p.failed}, in flight ${p.inFlight}, ${cores} cores`,
          );
        },
        signal: interrupted.signal,
      });
    } finally {
      clearInterval(poller);
    }
    const start = t0 ?? 0;
    const cores = samples.map((s) => ({ tMs: s.atMs - start, cores: s.cores }));
    // Completions and plan changes of the measured window: the totals less the warm-up's.
    const completions = await completionsOf(server.url);
    for (const [group, n] of warmCompletions) completions.set(group, (completions.get(group) ?? 0) - n);
    const planChanges = policy === 'static' ? undefined : (await appliedPlans(server.url)) - (warmPlans ?? 0);
    const run: LiveRun = {
      policy,
      report: result.report,
      requestLog: result.log,
      cores,
      coreSeconds: integrate(cores, 0, workload.durationMs),
      completions,
      accuracy: servedAccuracy(module!, completions),
      planChanges,
      serverLog: server.lines,
    };
    const r = run.report;
    log(
      `${policy}: attainment ${(100 * r.sloAttainment).toFixed(2)}%, p99 ${r.latencyMs?.p99.toFixed(0) ?? '-'} ms, ` +
        `${run.coreSeconds.toFixed(0)} core-s, accuracy ${run.accuracy.toFixed(4)}, plan changes ${planChanges ?? '-'}`,
    );
    return run;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// The same scenario in the simulator.

const simulated = new Map<string, SimulationResult>();
for (const policy of policies) {
  const scenario: Scenario = {
    name: `live-adaptive ${policy}`,
    workloads: { [MODULE]: workloadSpec },
    policy: plannerOf(policy),
    control: { intervalMs: INTERVAL_MS, minRateRps: 1 },
    batching: {
      policy: module.batching.policy,
      admission: module.batching.admission,
      maxQueueDelayMs: module.batching.maxQueueDelayMs,
      maxQueueLength: module.batching.maxQueueLength,
    },
    spread: simSpread,
    seed,
  };
  const objective = policy === 'sluice-min-cost' ? ({ kind: 'min-cost' } as const) : problem.objective;
  // The first plan for the warm-up's rate: the simulated run starts where the live one's warm-up ends.
  const compiled = compileScenario(scenario, {
    problem: withRate({ ...problem, objective }, warmupRps),
    trace: () => trace,
    solver,
  });
  const spec = {
    ...compiled,
    // The very arrivals the load generator sent (its stream of the same seed), not the simulator's own draw.
    arrivals: new Map([[MODULE, workload.arrivals(SeededRng.stream(seed, 'arrivals'))]]),
    ...(policy === 'static' ? { fixedPlan: staticPlan } : {}),
  };
  const result = runSimulation(spec);
  simulated.set(policy, result);
  writeFileSync(
    join(OUT, `sim-${policy}.json`),
    `${JSON.stringify({ series: result.series, decisions: result.decisions }, null, 1)}\n`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Report.

const staticLive = live.get('static');
const staticCoreSeconds = staticLive?.coreSeconds ?? staticCores * (workload.durationMs / 1000);
const staticSource = staticLive === undefined ? `computed: ${staticCores} cores × duration` : 'measured';
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

if (live.size > 0) {
  console.log(
    table(
      [
        'policy',
        'sent',
        'attainment',
        'p50 ms',
        'p99 ms',
        'core-seconds',
        `share of static peak's core-s`,
        'accuracy',
        'plan changes',
        'refused (429)',
        '504',
        '200 late',
      ],
      [...live.values()].map((run) => {
        const r = run.report;
        return [
          run.policy,
          r.sent,
          pct(r.sloAttainment),
          r.latencyMs?.p50 ?? Number.NaN,
          r.latencyMs?.p99 ?? Number.NaN,
          run.coreSeconds,
          pct(run.coreSeconds / staticCoreSeconds),
          run.accuracy.toFixed(4),
          run.planChanges ?? '-',
          r.outcomes.DEADLINE_UNMEETABLE ?? 0,
          r.outcomes.DEADLINE_EXCEEDED ?? 0,
          r.completedOk - r.okWithinDeadline,
        ];
      }),
    ),
  );
  console.log(`\nstatic peak's core-seconds: ${staticCoreSeconds.toFixed(0)} (${staticSource})`);
  for (const name of ['sluice', 'sluice-min-cost']) {
    const sluice = live.get(name);
    if (sluice === undefined) continue;
    const attainment = sluice.report.sloAttainment;
    const share = sluice.coreSeconds / staticCoreSeconds;
    const met = attainment >= 0.99 && share <= 0.6;
    console.log(
      `${name}: ${pct(attainment)} attainment with ${pct(share)} of static peak's core-seconds: goal ${met ? 'met' : 'not met'} (≥ 99% with ≤ 60%)`,
    );
  }
  console.log(
    `\nserved variants (completions): ${[...live.values()]
      .map(
        (run) =>
          `${run.policy}: ${[...run.completions].map(([g, n]) => `${g.slice(MODULE.length + 1)} ${n}`).join(', ') || '-'}`,
      )
      .join('; ')}`,
  );
}

console.log('\n## Fidelity: the same scenario in the simulator\n');
console.log(
  `The planning problem start-control.ts builds from these profiles (${machineCores} cores, objective ` +
    `accuracy-cost:${OBJECTIVE.costWeight}), the same arrivals (seed ${seed}), control interval ${INTERVAL_MS} ms, ` +
    `batch-time spread p99/p50 ${simSpread}, cold starts from the profiles, resize 50 ms (the simulator's default).\n`,
);
console.log(
  table(
    [
      'policy',
      'sim attainment',
      'live attainment',
      'rel. diff',
      'sim p99 ms',
      'live p99 ms',
      'rel. diff',
      'within 10%',
      'sim core-s',
      'live core-s',
      'sim accuracy',
      'sim plan changes',
    ],
    policies.map((policy) => {
      const sim = simulated.get(policy)!;
      const run = live.get(policy);
      const liveP99 = run?.report.latencyMs?.p99;
      const dA = run === undefined ? undefined : relDiff(sim.attainment, run.report.sloAttainment);
      const dP = liveP99 === undefined ? undefined : relDiff(sim.latencyMs.p99, liveP99);
      return [
        policy,
        pct(sim.attainment),
        run === undefined ? '-' : pct(run.report.sloAttainment),
        dA === undefined ? '-' : signedPct(dA),
        sim.latencyMs.p99,
        liveP99 ?? '-',
        dP === undefined ? '-' : signedPct(dP),
        dA === undefined || dP === undefined
          ? '-'
          : Math.abs(dA) <= 0.1 && Math.abs(dP) <= 0.1
            ? 'yes'
            : 'no',
        sim.cost.coreSeconds,
        run?.coreSeconds ?? '-',
        sim.accuracy.toFixed(4),
        sim.planChanges,
      ];
    }),
  ),
);
const sluiceLive = live.get('sluice');
const sluiceSim = simulated.get('sluice');
if (sluiceLive !== undefined && sluiceSim !== undefined) {
  const dA = relDiff(sluiceSim.attainment, sluiceLive.report.sloAttainment);
  const dP = relDiff(sluiceSim.latencyMs.p99, sluiceLive.report.latencyMs?.p99 ?? Number.NaN);
  console.log(
    `\nfidelity (sluice): simulated attainment ${pct(sluiceSim.attainment)} vs live ${pct(sluiceLive.report.sloAttainment)} (${signedPct(dA)}), ` +
      `p99 ${sluiceSim.latencyMs.p99.toFixed(0)} vs ${sluiceLive.report.latencyMs?.p99.toFixed(0) ?? '-'} ms (${signedPct(dP)}): ` +
      `${Math.abs(dA) <= 0.1 && Math.abs(dP) <= 0.1 ? 'within' : 'not within'} 10%`,
  );
}
if (policies.includes('vpa'))
  console.log(
    'note: the simulator applies a vpa resize by restarting the instance (the planner says so); the live ' +
      'server (adaptive-serving.ts) resizes in place for every planner.',
  );

if (live.size > 0) {
  console.log('\n## In-place resize against cold start (live server logs)\n');
  console.log(
    table(
      [
        'policy',
        'in-place resizes',
        'median ms',
        'max ms',
        'cold starts',
        'median ms',
        'max ms',
        'cold start / resize (medians)',
      ],
      [...live.values()]
        .filter((run) => run.policy !== 'static')
        .map((run) => {
          const { resizes, starts } = actuationTimes(run.serverLog);
          const rs = [...resizes].sort((a, b) => a - b);
          const ss = [...starts].sort((a, b) => a - b);
          const rMed = percentile(rs, 50);
          const sMed = percentile(ss, 50);
          return [
            run.policy,
            rs.length,
            rMed,
            rs.at(-1) ?? Number.NaN,
            ss.length,
            sMed,
            ss.at(-1) ?? Number.NaN,
            rs.length === 0 || ss.length === 0
              ? '-'
              : `${(sMed / Math.max(1, rMed)).toFixed(0)}x${rMed < 1 ? ' (resize < 1 ms)' : ''}`,
          ];
        }),
    ),
  );
  const sluiceTimes = sluiceLive === undefined ? undefined : actuationTimes(sluiceLive.serverLog);
  if (sluiceTimes !== undefined && sluiceTimes.resizes.length > 0 && sluiceTimes.starts.length > 0) {
    const ratio =
      percentile(
        [...sluiceTimes.starts].sort((a, b) => a - b),
        50,
      ) /
      Math.max(
        1,
        percentile(
          [...sluiceTimes.resizes].sort((a, b) => a - b),
          50,
        ),
      );
    console.log(
      `\nsluice: in-place resize ${ratio.toFixed(0)}x faster than a cold start (medians): goal (≥ 10x) ${ratio >= 10 ? 'met' : 'not met'}` +
        ' (cold starts include the start of the first plan; "in N ms" is until the action took effect)',
    );
  } else if (sluiceLive !== undefined) {
    console.log('\nsluice: not enough resizes and starts in this run to compare them');
  }

  // Charts: one per policy, and all of them stacked.
  const charts = [...live.values()].map((run) => {
    const chart = renderChart(run, simulated.get(run.policy));
    writeFileSync(join(OUT, `${run.policy}.svg`), chart);
    return chart;
  });
  writeFileSync(join(OUT, 'all.svg'), stackCharts(charts, { title: 'Live adaptive serving' }));
  console.log(
    `\ncharts: ${[...live.keys(), 'all'].map((p) => `bench/out/live-adaptive/${p}.svg`).join(', ')}`,
  );
}

writeFileSync(
  join(OUT, 'results.json'),
  `${JSON.stringify(
    {
      machine: machine(),
      workload: workloadSpec,
      sloMs,
      seed,
      damping,
      capacityRps,
      peakPlan: describePlan(peakPlan),
      staticPlan: describePlan(staticPlan),
      staticCoreSeconds,
      live: [...live.values()].map((run) => ({
        policy: run.policy,
        report: run.report,
        coreSeconds: run.coreSeconds,
        accuracy: run.accuracy,
        completions: Object.fromEntries(run.completions),
        planChanges: run.planChanges,
        ...actuationTimes(run.serverLog),
      })),
      simulated: [...simulated].map(([policy, r]) => ({
        policy,
        attainment: r.attainment,
        latencyMs: r.latencyMs,
        coreSeconds: r.cost.coreSeconds,
        accuracy: r.accuracy,
        planChanges: r.planChanges,
      })),
    },
    null,
    2,
  )}\n`,
);
process.exit(interrupted.signal.aborted ? 130 : 0);

// ---------------------------------------------------------------------------------------------------
// Helpers.

interface Serve {
  readonly url: string;
  /** Every line the server wrote to stderr so far (also in its log file). */
  readonly lines: string[];
  stop(): Promise<void>;
}

/**
 * `sluice serve` (the compiled CLI) in its own process, as bench/lib/serve-process.ts starts it, but with
 * every stderr line kept (and written to `logFile`): the start-up lines say whether a profile was
 * refused, and the deployment's lines how long each resize and start took.
 */
async function startServe(args: readonly string[], logFile: string): Promise<Serve> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const file = createWriteStream(logFile);
  const lines: string[] = [];
  let partial = '';
  child.stderr.setEncoding('utf8');
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`sluice serve did not listen within 180 s:\n${lines.join('\n')}`));
    }, 180_000);
    child.stderr.on('data', (chunk: string) => {
      file.write(chunk);
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const match = /serving .* at (http:\/\/\S+)/.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sluice serve exited (${String(code)}) before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    url,
    lines,
    stop: () =>
      new Promise<void>((done) => {
        const finish = (): void => {
          file.end();
          done();
        };
        if (child.exitCode !== null || child.signalCode !== null) return finish();
        // Graceful first (drain, then stop the instances); killed if it takes over a minute.
        const force = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', () => {
          clearTimeout(force);
          finish();
        });
        child.kill('SIGINT');
      }),
  };
}

async function getText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.text();
}

/** The samples of a metric in the Prometheus text format, with their labels. */
function metricLines(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const labels: Record<string, string> = {};
    const close = line.lastIndexOf('}');
    if (line[name.length] === '{') {
      for (const m of line.slice(name.length + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[m[1]!] = m[2]!;
    }
    out.push({ labels, value: Number(line.slice(close < 0 ? name.length : close + 1).trim()) });
  }
  return out;
}

function sumMetric(text: string, name: string): number {
  return metricLines(text, name).reduce((s, m) => s + m.value, 0);
}

/** ∫ cores dt over [fromMs, toMs] in core-seconds, each sample holding until the next. */
function integrate(samples: readonly { tMs: number; cores: number }[], fromMs: number, toMs: number): number {
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const next = samples[i + 1]?.tMs ?? toMs;
    const a = Math.max(fromMs, s.tMs);
    const b = Math.min(toMs, next);
    if (b > a) total += (s.cores * (b - a)) / 1000;
  }
  return total;
}

/** Completions-weighted accuracy of the variants (config.yaml's accuracies). */
function servedAccuracy(spec: ModuleSpec, completions: ReadonlyMap<string, number>): number {
  let n = 0;
  let sum = 0;
  for (const [group, count] of completions) {
    const variant = spec.variants.find((v) => groupId(spec.name, v.name) === group);
    if (variant === undefined) continue;
    n += count;
    sum += count * variant.accuracy;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** In-place resizes and cold starts as the deployment logged them ("... in N ms": until in effect). */
function actuationTimes(lines: readonly string[]): { resizes: number[]; starts: number[] } {
  const resizes: number[] = [];
  const starts: number[] = [];
  for (const line of lines) {
    const resized = /instance \S+ resized: [\d.]+ -> [\d.]+ cores in (\d+) ms/.exec(line);
    if (resized !== null) resizes.push(Number(resized[1]));
    const started = /instance \S+ started: .* in (\d+) ms/.exec(line);
    if (started !== null) starts.push(Number(started[1]));
  }
  return { resizes, starts };
}

/** Per second of the load: sent, within the SLO (by scheduled second), p99 of 200s (by completion second). */
function perSecond(run: LiveRun): { t: number; sent: number; within: number; p99: number | undefined }[] {
  const n = Math.ceil(workload.durationMs / 1000);
  const sent = new Array<number>(n).fill(0);
  const within = new Array<number>(n).fill(0);
  const latencies = Array.from({ length: n + 30 }, () => [] as number[]);
  for (const r of run.requestLog.records()) {
    const s = Math.floor(r.scheduledMs / 1000);
    if (s < n) sent[s]! += 1;
    if (r.status !== 200) continue;
    const latencyMs = r.doneMs - r.scheduledMs;
    if (latencyMs <= r.budgetMs && s < n) within[s]! += 1;
    latencies[Math.min(latencies.length - 1, Math.floor(r.doneMs / 1000))]!.push(latencyMs);
  }
  return Array.from({ length: n }, (_, t) => {
    const l = latencies[t]!.sort((a, b) => a - b);
    return { t, sent: sent[t]!, within: within[t]!, p99: l.length === 0 ? undefined : percentile(l, 99) };
  });
}

function renderChart(run: LiveRun, sim: SimulationResult | undefined): string {
  const series = perSecond(run);
  const r = run.report;
  const coresSeries: LineSeries[] = [
    {
      name: 'allocated (live)',
      points: run.cores
        .filter((c) => c.tMs >= 0 && c.tMs <= workload.durationMs)
        .map((c) => ({ x: c.tMs / 1000, y: c.cores })),
    },
  ];
  const p99Series: LineSeries[] = [
    {
      name: 'p99 of the second (live)',
      points: series.filter((s) => s.p99 !== undefined).map((s) => ({ x: s.t, y: s.p99! })),
    },
  ];
  if (sim !== undefined) {
    coresSeries.push({
      name: 'simulated',
      points: sim.series.map((p) => ({ x: p.tS, y: p.cores })),
      dashed: true,
    });
    p99Series.push({
      name: 'simulated',
      points: sim.series.filter((p) => p.completed > 0).map((p) => ({ x: p.tS, y: p.p99Ms })),
      dashed: true,
    });
  }
  const panels: TimeSeriesPanel[] = [
    {
      yLabel: 'requests/s',
      series: [
        { name: 'sent', points: series.map((s) => ({ x: s.t, y: s.sent })) },
        { name: 'within SLO', points: series.map((s) => ({ x: s.t, y: s.within })) },
      ],
      yMin: 0,
    },
    { yLabel: 'cores allocated', series: coresSeries, yMin: 0 },
    {
      yLabel: 'p99 latency (ms)',
      series: p99Series,
      yMin: 0,
      horizontalLines: [{ y: sloMs, label: `SLO ${sloMs} ms` }],
    },
  ];
  return renderTimeSeriesChart({
    title: `${run.policy}: ${workloadSpec}`,
    subtitle:
      `attainment ${pct(r.sloAttainment)}, p99 ${r.latencyMs?.p99.toFixed(0) ?? '-'} ms, ` +
      `${run.coreSeconds.toFixed(0)} core-s (${pct(run.coreSeconds / staticCoreSeconds)} of static peak), ` +
      `accuracy ${run.accuracy.toFixed(3)}, ${run.planChanges ?? 0} plan changes`,
    panels,
    xMin: 0,
    xMax: workload.durationMs / 1000,
  });
}

function withRate(p: PlanningProblem, rateRps: number): PlanningProblem {
  return { ...p, apps: p.apps.map((a) => ({ ...a, rateRps })) };
}

function describePlan(plan: Plan): string {
  return plan.modules
    .flatMap((m) => m.tuples.map((t) => `${t.instances}x ${t.variant} ${t.cores} cores b${t.batch}`))
    .join(' + ');
}

function movingMean(counts: ArrayLike<number>, window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]!;
    if (i >= window) sum -= counts[i - window]!;
    if (i >= window - 1) out.push(sum / window);
  }
  return out;
}

function relDiff(simulatedValue: number, liveValue: number): number {
  return (simulatedValue - liveValue) / liveValue;
}

function signedPct(x: number): string {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%` : '-';
}

function positive(text: string, option: string): number {
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${option} must be a positive number, not '${text}'`);
  return n;
}
