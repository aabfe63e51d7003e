// Simulator speed: (1) the 21-minute InfAdapter Twitter slice (day 15, minutes 82-103, ~120,000 requests)
// under the InfAdapter planner deciding every 30 s (its own interval) and under a static plan; (2) one
// million requests over 100 instances (static plan, 2000 req/s for 500 s). Wall time of runSimulation
// alone (the trace is parsed and the solver loaded first), on one core; each run twice, and the event
// logs' hashes compared (the same seed must give the same log).
//
//   npm run bench:simulator
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseProblem } from '../src/cli/plan-file.js';
import type { PlanningProblem } from '../src/planner/planning-problem.js';
import { runSimulation } from '../src/sim/run-simulation.js';
import { compileScenario, type Scenario } from '../src/sim/scenario.js';
import { TwitterTrace } from '../src/sim/workload/twitter-trace.js';
import { HighsSolver } from '../src/solver/highs-solver.js';
import { machine, table } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const TRACES = resolve(ROOT, '../shared/traces');
const solver = await HighsSolver.create();
const twitter = TwitterTrace.parse(readFileSync(join(TRACES, 'twitter-2021-08-rps.txt'), 'utf8'));
const infadapter = parseProblem(
  readFileSync(join(ROOT, 'examples/problems/infadapter-resnet.json'), 'utf8'),
  'infadapter',
);

function run(name: string, problem: PlanningProblem, scenario: Scenario, eventLog: boolean) {
  const spec = compileScenario(scenario, { problem, trace: () => twitter, solver, eventLog });
  const began = performance.now();
  const result = runSimulation(spec);
  const wallS = (performance.now() - began) / 1000;
  const hash = eventLog
    ? createHash('sha256')
        .update((result.eventLog ?? []).join('\n'))
        .digest('hex')
        .slice(0, 16)
    : '-';
  return {
    name,
    requests: result.requests,
    instances: Math.max(...result.series.map((p) => p.cores)),
    wallS,
    hash,
    attainment: result.attainment,
  };
}

const slice: Scenario = {
  workloads: { classify: 'twitter:15.01.22:15.01.43' },
  control: { intervalMs: 30_000, variantIntervalMs: 30_000 },
  seed: 1,
};
// 100 one-core instances of the ResNet-18 table at 20 req/s each.
const million: PlanningProblem = {
  ...infadapter,
  objective: { kind: 'min-cost' },
  budget: { cores: 100 },
  hardware: [{ name: 'infadapter-cpu', kind: 'cpu', pricePerHour: 1, maxCores: 1 }],
  modules: infadapter.modules.map((m) => ({ ...m, variants: m.variants.slice(0, 1) })),
  apps: infadapter.apps.map((a) => ({ ...a, rateRps: 2000 })),
};

const rows = [];
for (const eventLog of [false, true]) {
  for (const [name, problem, scenario] of [
    ['InfAdapter slice, infadapter planner every 30 s', infadapter, { ...slice, policy: 'infadapter' }],
    ['InfAdapter slice, static plan', infadapter, { ...slice, policy: 'static' }],
    [
      '1,000,000 requests, 100 instances, static plan',
      million,
      { workloads: { classify: 'poisson:2000:500' }, policy: 'static', seed: 1 },
    ],
  ] as const) {
    const a = run(name, problem, scenario, eventLog);
    const b = eventLog ? run(name, problem, scenario, eventLog) : a;
    rows.push([
      a.name,
      eventLog ? 'yes' : 'no',
      a.requests,
      a.instances,
      a.wallS,
      b.wallS,
      a.hash,
      a.hash === b.hash ? 'identical' : 'DIFFERENT',
      (100 * a.attainment).toFixed(2),
    ]);
    process.stderr.write(`${name}${eventLog ? ' (event log)' : ''}: ${a.wallS.toFixed(2)} s\n`);
  }
}
console.log(`\n${machine()}\n`);
console.log(
  table(
    [
      'run',
      'event log',
      'requests',
      'peak cores',
      'wall s',
      'again s',
      'log sha256',
      'same log twice',
      'attainment %',
    ],
    rows,
  ),
);
