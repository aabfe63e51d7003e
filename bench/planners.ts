// Planner benchmark: (1) runtime of every planner on problems of its own family at realistic sizes
// (5 variants x 3 hardware kinds x 16 core options x 8 batch sizes; pipelines of 3-6 modules), median and
// p99 ms over two timed passes of seeded random problems after three untimed warm-up passes, and the slowest
// problem's best run; (2) on small random problems of each family, the share on which the
// planner reaches the brute-force optimum of the planning model (test/unit/planner/planning-oracle.ts).
// Goals: exact planners 100% at p99 <= 50 ms; Harpagon's heuristic >= 95% at p99 <= 5 ms.
//
//   npm run bench:planners [-- --problems 60 --small 300 --family pipelines]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { plannerByName } from '../src/planner/planner-registry.js';
import type { PlanningProblem } from '../src/planner/planning-problem.js';
import { HighsSolver } from '../src/solver/highs-solver.js';
import { planningOracle } from '../test/unit/planner/planning-oracle.js';
import { randomProblem, type RandomProblemKnobs } from '../test/unit/planner/random-problems.js';
import { machine, percentile, table } from './lib/stats.js';

const { values } = parseArgs({
  options: { problems: { type: 'string' }, small: { type: 'string' }, family: { type: 'string' } },
});
const PROBLEMS = Number(values.problems ?? 60);
const SMALL = Number(values.small ?? 300);
const TIMED_PASSES = 2;
/** Untimed passes first: the JIT is still optimising the planner's code after one. */
const WARM_UP_PASSES = 3;
const solver = await HighsSolver.create();

/** Each planner's own problem family: realistic and small knobs. */
const FAMILIES: readonly {
  planners: readonly string[];
  family: string;
  realistic: RandomProblemKnobs;
  small: RandomProblemKnobs;
}[] = [
  {
    family: 'one model, vertical scaling (min-cost, 1 variant, budget classes)',
    planners: ['sponge', 'sluice', 'hpa', 'static'],
    realistic: {
      objective: 'min-cost',
      modules: 1,
      variants: 1,
      hardware: 1,
      kinds: 'cpu',
      coreOptions: 16,
      batchOptions: 8,
      budgetClasses: 3,
    },
    small: {
      objective: 'min-cost',
      modules: 1,
      variants: 1,
      hardware: 1,
      kinds: 'cpu',
      coreOptions: 3,
      batchOptions: 3,
      budgetClasses: 2,
    },
  },
  {
    family: 'variants, accuracy - cost (core budget)',
    planners: ['infadapter', 'sluice'],
    realistic: {
      objective: 'accuracy-cost',
      modules: 1,
      variants: 5,
      hardware: 1,
      kinds: 'cpu',
      coreOptions: 16,
      batchOptions: 8,
      coreBudget: true,
      current: true,
    },
    small: {
      objective: 'accuracy-cost',
      modules: 1,
      variants: 3,
      hardware: 1,
      kinds: 'cpu',
      coreOptions: 3,
      batchOptions: 2,
      coreBudget: true,
      current: true,
    },
  },
  {
    family: 'pipelines of 3-6 modules (min-cost, mixed hardware)',
    planners: ['harpagon', 'harpagon-exact', 'sluice', 'nexus', 'nexus-dp'],
    realistic: {
      objective: 'min-cost',
      modules: 6,
      branching: true,
      variants: 5,
      hardware: 3,
      kinds: 'mixed',
      coreOptions: 16,
      batchOptions: 8,
    },
    small: {
      objective: 'min-cost',
      modules: 3,
      branching: true,
      variants: 1,
      hardware: 2,
      kinds: 'mixed',
      coreOptions: 2,
      batchOptions: 3,
    },
  },
  {
    family: 'hardware mix, max throughput under $/h, query sizes',
    planners: ['kairos', 'sluice', 'kairos-homogeneous'],
    realistic: {
      objective: 'max-throughput',
      modules: 1,
      variants: 1,
      hardware: 4,
      kinds: 'fixed',
      querySizes: 8,
      costBudget: true,
      instanceLimits: true,
    },
    small: {
      objective: 'max-throughput',
      modules: 1,
      variants: 1,
      hardware: 2,
      kinds: 'fixed',
      querySizes: 3,
      costBudget: true,
      instanceLimits: true,
    },
  },
  {
    family: 'batching or co-location on fixed cores (max throughput)',
    planners: ['dnnscaler', 'sluice'],
    realistic: {
      objective: 'max-throughput',
      modules: 1,
      variants: 1,
      hardware: 1,
      kinds: 'cpu',
      coreOptions: 16,
      batchOptions: 8,
      coreBudget: true,
    },
    small: {
      objective: 'max-throughput',
      modules: 1,
      variants: 1,
      hardware: 1,
      kinds: 'cpu',
      coreOptions: 3,
      batchOptions: 3,
      coreBudget: true,
    },
  },
];

function time(
  name: string,
  problems: readonly PlanningProblem[],
): { median: number; p99: number; worst: number; feasible: number } {
  const planner = plannerByName(name);
  if (planner === undefined) throw new Error(`no planner ${name}`);
  // A planner in a running server plans again and again: untimed passes over every problem warm it
  // up (JIT), then TIMED_PASSES timed passes; the percentiles are over every timed run, `worst` is
  // the slowest problem's best run (the tail without the machine's and the collector's pauses).
  for (let pass = 0; pass < WARM_UP_PASSES; pass++)
    for (const problem of problems) planner.plan(problem, { solver });
  const ms: number[] = [];
  const best = problems.map(() => Number.POSITIVE_INFINITY);
  let feasible = 0;
  for (let pass = 0; pass < TIMED_PASSES; pass++) {
    problems.forEach((problem, i) => {
      const began = performance.now();
      const plan = planner.plan(problem, { solver });
      const took = performance.now() - began;
      ms.push(took);
      best[i] = Math.min(best[i] ?? took, took);
      if (pass === 0 && plan.feasible) feasible += 1;
    });
  }
  ms.sort((a, b) => a - b);
  return { median: percentile(ms, 50), p99: percentile(ms, 99), worst: Math.max(...best), feasible };
}

const sameObjective = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

const rows: (string | number)[][] = [];
for (const f of FAMILIES.filter((f) => f.family.includes(values.family ?? ''))) {
  const realistic = Array.from({ length: PROBLEMS }, (_, i) => randomProblem(10_000 + i, f.realistic));
  // Pipelines: alternate 3 to 6 modules.
  const sized =
    f.realistic.modules === 6
      ? realistic.map((_, i) => randomProblem(10_000 + i, { ...f.realistic, modules: 3 + (i % 4) }))
      : realistic;
  // Every planner timed before the brute-force oracle runs: its garbage is not collected, and
  // charged, inside the planners' timings.
  const timings = f.planners.map((name) => time(name, sized));
  const small = Array.from({ length: SMALL }, (_, i) => randomProblem(20_000 + i, f.small));
  const optima = small.map((p) => {
    try {
      return planningOracle(p);
    } catch {
      return { feasible: false, objective: Number.NaN }; // too large to enumerate: not compared
    }
  });
  for (const [k, name] of f.planners.entries()) {
    const t = timings[k]!;
    const entry = plannerByName(name)!;
    let reached = 0;
    let comparable = 0;
    small.forEach((problem, i) => {
      const oracle = optima[i]!;
      if (!oracle.feasible) return;
      comparable += 1;
      const plan = entry.plan(problem, { solver });
      if (plan.feasible && sameObjective(plan.objectiveValue, oracle.objective)) reached += 1;
    });
    rows.push([
      f.family,
      name,
      entry.exact ? 'exact' : 'heuristic',
      t.median,
      t.p99,
      t.worst,
      `${t.feasible}/${sized.length}`,
      `${reached}/${comparable}`,
      comparable === 0 ? 0 : (100 * reached) / comparable,
    ]);
    process.stderr.write(
      `${name} on ${f.family}: p50 ${t.median.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms, worst problem ${t.worst.toFixed(2)} ms, optimum ${reached}/${comparable}\n`,
    );
  }
}
console.log(
  `\n${machine()}; ${PROBLEMS} realistic problems per family (${TIMED_PASSES} timed passes after ${WARM_UP_PASSES} warm-up passes) and ${SMALL} small ones\n`,
);
console.log(
  table(
    [
      'family',
      'planner',
      'kind',
      'p50 ms',
      'p99 ms',
      'worst problem ms',
      'feasible (realistic)',
      'optimum (small)',
      'optimum %',
    ],
    rows,
  ),
);
