// How long Sluice takes at realistic sizes: 5 variants × 3 hardware kinds (two cpu with 16 core
// options, one fixed) × 8 batch sizes, pipelines of 3-6 modules at a rate of about 20 typical
// instances. Prints wall and CPU time (median and p99) per shape; asserts only that every plan is
// feasible under the planning model (timing is for BENCHMARKS.md, not a test). The MILP shapes run on
// the tuned HiGHS with a 2 s limit per solve, so a slow MILP shows as "not proven optimal".
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/planner/planning-model.js';
import { sluicePlanner } from '../../../src/planner/sluice/sluice-planner.js';
import { randomProblem, type RandomProblemKnobs } from './random-problems.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';

const solver = await HighsSolver.create({ timeLimitS: 2 });
const realistic: RandomProblemKnobs = {
  variants: 5,
  hardware: 3,
  kinds: 'mixed',
  coreOptions: 16,
  batchOptions: 8,
  load: 20,
};

function measure(label: string, count: number, knobs: (seed: number) => RandomProblemKnobs): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  let unproven = 0;
  let infeasible = 0;
  for (let seed = 1; seed <= count; seed++) {
    const problem = randomProblem(7000 + seed, { ...realistic, ...knobs(seed) });
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const plan = sluicePlanner(problem, { solver });
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    if (!plan.feasible) infeasible++;
    else expect(checkPlan(problem, plan)).toEqual([]);
    if (plan.reason.includes('not proven optimal')) unproven++;
  }
  const at = (xs: number[], q: number): string => {
    const sorted = [...xs].sort((a, b) => a - b);
    return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  };
  console.log(
    `${label}: ${count} plans, wall median ${at(wall, 0.5)} ms p99 ${at(wall, 0.99)} ms; CPU median ${at(cpu, 0.5)} ms p99 ${at(cpu, 0.99)} ms; ${infeasible} infeasible, ${unproven} not proven optimal`,
  );
}

describe('sluice at realistic sizes (prints timings)', () => {
  it('min-cost pipelines of 3-6 modules (exact decomposition, no MILP)', () => {
    measure('min-cost pipelines', 24, (seed) => ({ objective: 'min-cost', modules: 3 + (seed % 4) }));
  });

  it('min-cost pipelines with a core budget (relaxation, Lagrangian plan, MILP)', () => {
    measure('min-cost pipelines + core budget', 6, (seed) => ({
      objective: 'min-cost',
      modules: 3 + (seed % 4),
      coreBudget: true,
    }));
  });

  it('accuracy-cost of one model under a core budget (InfAdapter-like, MILP)', () => {
    measure('accuracy-cost single model', 6, () => ({
      objective: 'accuracy-cost',
      hardware: 1,
      coreBudget: true,
      current: true,
    }));
  });

  it('max-throughput with query sizes on a mix of kinds (KAIROS-like, MILP)', () => {
    measure('max-throughput query sizes', 6, () => ({
      objective: 'max-throughput',
      variants: 1,
      querySizes: 4,
    }));
  });
});
