// Harpagon's planning time at realistic sizes (5 variants x 3 hardware kinds x 16 core options x 8
// batch sizes per module; pipelines of 3-6 modules; 50-500 req/s): median and p99 of harpagon and
// harpagon-exact, printed. The goals (greedy p99 ≤ 5 ms, exact ≤ 50 ms) are benchmark goals: nothing
// here asserts on time (DESIGN §7); it asserts that the plans are feasible and that exact ≤ greedy.
// CPU time is printed beside wall time: on a shared machine wall time mostly measures the others.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { harpagonExactPlanner } from '../../../src/planner/harpagon/harpagon-exact-planner.js';
import { harpagonPlanner } from '../../../src/planner/harpagon/harpagon-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { Solver } from '../../../src/ports/solver.js';
import { randomRealisticPipeline } from './harpagon-random-problems.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('Harpagon needs no solver');
  },
};

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** Process CPU time since `start` in ms: less sensitive than wall time to other work on a shared machine. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function summary(wallMs: readonly number[], cpuMs: readonly number[]): string {
  const f = (x: number): string => x.toFixed(2);
  return `${f(quantile(wallMs, 0.5))} / ${f(quantile(wallMs, 0.99))} (${f(quantile(cpuMs, 0.5))} / ${f(quantile(cpuMs, 0.99))})`;
}

describe('harpagon at realistic sizes', () => {
  it('plans 3-6 module pipelines of 1,320-1,920 configurations per module (times printed)', () => {
    const shapes = [
      { label: '2 cpu kinds + 1 gpu', cpuKinds: 2, counts: [3, 4, 5, 6] },
      { label: '3 cpu kinds', cpuKinds: 3, counts: [6] },
    ];
    // Warm the JIT first: the first plans of a process are several times slower.
    for (let seed = 1; seed <= 10; seed++) {
      const problem = randomRealisticPipeline(SeededRng.stream(seed, 'harpagon-warm-up'), 4);
      harpagonPlanner(problem, { solver: noSolver });
      harpagonExactPlanner(problem, { solver: noSolver });
    }
    for (const shape of shapes) {
      for (const count of shape.counts) {
        const PER_SIZE = 50;
        const greedyMs: number[] = [];
        const exactMs: number[] = [];
        const greedyCpuMs: number[] = [];
        const exactCpuMs: number[] = [];
        let savedShare = 0;
        for (let seed = 1; seed <= PER_SIZE; seed++) {
          const rng = SeededRng.stream(seed, `harpagon-timing-${shape.cpuKinds}-${count}`);
          const problem = randomRealisticPipeline(rng, count, shape.cpuKinds);
          let start = performance.now();
          let cpu = process.cpuUsage();
          const greedy = harpagonPlanner(problem, { solver: noSolver });
          greedyMs.push(performance.now() - start);
          greedyCpuMs.push(cpuMsSince(cpu));
          start = performance.now();
          cpu = process.cpuUsage();
          const exact = harpagonExactPlanner(problem, { solver: noSolver });
          exactMs.push(performance.now() - start);
          exactCpuMs.push(cpuMsSince(cpu));
          expect(greedy.feasible, greedy.reason).toBe(true);
          expect(exact.feasible, exact.reason).toBe(true);
          expect(checkPlan(problem, exact)).toEqual([]);
          expect(exact.costPerHour).toBeLessThanOrEqual(greedy.costPerHour * (1 + 1e-9));
          savedShare += (greedy.costPerHour - exact.costPerHour) / greedy.costPerHour / PER_SIZE;
        }
        console.log(
          `harpagon timing, ${shape.label}, ${count} modules (${PER_SIZE} problems), median / p99 ms, wall (cpu): ` +
            `harpagon ${summary(greedyMs, greedyCpuMs)}; harpagon-exact ${summary(exactMs, exactCpuMs)}; ` +
            `exact saves ${(100 * savedShare).toFixed(2)}% on average`,
        );
      }
    }
  });
});
