// DNNScaler's planner: batching versus co-location on one allocation, the verdict and its numbers in the
// reason, serving min(offered, capacity) under max-throughput and the whole rate otherwise.
import { describe, expect, it } from 'vitest';
import type { Sponge4Model } from '../../../src/core/latency-model.js';
import type { Solver } from '../../../src/ports/solver.js';
import {
  batchingKnobs,
  colocationKnobs,
  dnnscalerVerdict,
} from '../../../src/planner/dnnscaler/dnnscaler-verdict.js';
import { dnnscalerPlanner } from '../../../src/planner/dnnscaler/dnnscaler-planner.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('DNNScaler enumerates its knobs; it must not call the solver');
  },
};

const sponge4 = (gamma: number, delta: number, epsilon: number, eta: number): Sponge4Model => ({
  kind: 'sponge4',
  gamma,
  delta,
  epsilon,
  eta,
});
// A serial per-item cost (δ) favours co-location; a parallel fixed cost (ε) favours batching.
const SMALL_NET = sponge4(10, 5, 0, 1);
const LARGE_NET = sponge4(10, 0, 20, 2);

const problemWith = (model: Sponge4Model, rest: Partial<PlanningProblem> = {}): PlanningProblem => ({
  objective: { kind: 'min-cost' },
  hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 0.05, maxCores: 4 }],
  modules: [{ name: 'm', maxBatch: 8, variants: [{ name: 'v', accuracy: 0.8, latency: { cpu: model } }] }],
  apps: [{ name: 'a', modules: ['m'], edges: [], sloMs: 100, rateRps: 100 }],
  ...rest,
});

const plan = (problem: PlanningProblem) => dnnscalerPlanner.plan(problem, { solver: noSolver });

describe('dnnscalerVerdict', () => {
  const input = (model: Sponge4Model, totalCores = 4) => {
    const problem = problemWith(model);
    return {
      module: problem.modules[0]!,
      variant: problem.modules[0]!.variants[0]!,
      hardware: problem.hardware[0]!,
      totalCores,
      targetMs: 100,
      rho: 0.9,
    };
  };

  it.each([
    // l(b, 4) = 7.5·b + 1: b = 8 cannot fill in time (59 + 61 ms), b = 4 carries 3600/31 = 116.1/s;
    // 4 instances of 1 core: l = 16 ms, 4 · 900/16 = 225/s.
    { model: SMALL_NET, approach: 'co-location', knob: { instances: 4, cores: 1, batch: 1 }, rps: 225 },
    // l(b, 4) = 2.5·b + 7: b = 8 carries 7200/27 = 266.7/s; the best co-location, 4 x 1 core, 112.5/s.
    { model: LARGE_NET, approach: 'batching', knob: { instances: 1, cores: 4, batch: 8 }, rps: 7200 / 27 },
  ])('$approach wins', ({ model, approach, knob, rps }) => {
    const verdict = dnnscalerVerdict(input(model));
    expect(verdict?.approach).toBe(approach);
    expect(verdict?.knob).toMatchObject(knob);
    expect(verdict?.knob.throughputRps).toBeCloseTo(rps, 6);
  });

  it('enumerates one instance on the largest core option within C, and k x C/k co-located', () => {
    expect(batchingKnobs(input(SMALL_NET, 3)).map((k) => [k.instances, k.cores, k.batch])).toEqual([
      [1, 3, 1],
      [1, 3, 2],
      [1, 3, 4],
      [1, 3, 8],
    ]);
    expect(colocationKnobs(input(SMALL_NET, 4)).map((k) => [k.instances, k.cores])).toEqual([
      [1, 4],
      [2, 2],
      [4, 1],
    ]);
  });
});

describe('dnnscalerPlanner', () => {
  it('states the verdict and the numbers', () => {
    const result = plan(problemWith(SMALL_NET));
    expect(result.feasible, result.reason).toBe(true);
    expect(result.reason).toBe(
      "module 'm': co-location: 4 instances x 1 core, 225 req/s vs batching b=4 on 4 cores at 116.13 req/s within 100 ms",
    );
    expect(result.modules[0]!.tuples[0]).toMatchObject({ instances: 4, cores: 1, batch: 1, rateRps: 100 });
    expect(result.costPerHour).toBeCloseTo(0.2, 9);
  });

  it('must carry the whole rate unless the objective is max-throughput', () => {
    const heavy = { apps: [{ name: 'a', modules: ['m'], edges: [], sloMs: 100, rateRps: 300 }] };
    const short = plan(problemWith(SMALL_NET, heavy));
    expect(short.feasible).toBe(false);
    expect(short.reason).toMatch(/^module 'm': the best knob carries 225 req\/s of the 300 req\/s needed/);
    const served = plan(problemWith(SMALL_NET, { ...heavy, objective: { kind: 'max-throughput' } }));
    expect(served.feasible, served.reason).toBe(true);
    expect(served.apps[0]!.servedRps).toBeCloseTo(225, 6);
    expect(served.objectiveValue).toBeCloseTo(225, 6);
    const problem = problemWith(SMALL_NET, { ...heavy, objective: { kind: 'max-throughput' } });
    expect(checkPlan(problem, served)).toEqual([]);
  });

  it('uses the core budget as its allocation, and finer co-location where core options allow', () => {
    const halves = problemWith(SMALL_NET, {
      hardware: [{ name: 'cpu', kind: 'cpu', pricePerHour: 0.05, maxCores: 4, coreOptions: [0.5, 1, 2, 4] }],
      budget: { cores: 2 },
    });
    // On 2 cores: 4 x 0.5 core, l = 20 + 5 + 1 = 26 ms: 138.5/s; 2 x 1 core: 112.5/s; batching b=4 on 2: 3600/51.
    const result = plan(halves);
    expect(result.modules[0]!.tuples[0]).toMatchObject({ instances: 4, cores: 0.5, batch: 1 });
    expect(result.cores).toBe(2);
  });

  it('splits a pipeline objective evenly along its longest path', () => {
    const problem: PlanningProblem = {
      ...problemWith(LARGE_NET),
      modules: [
        { name: 'm', maxBatch: 8, variants: [{ name: 'v', accuracy: 0.8, latency: { cpu: LARGE_NET } }] },
        { name: 'n', maxBatch: 8, variants: [{ name: 'v', accuracy: 0.9, latency: { cpu: LARGE_NET } }] },
      ],
      apps: [{ name: 'p', modules: ['m', 'n'], edges: [{ from: 'm', to: 'n' }], sloMs: 120, rateRps: 50 }],
    };
    const result = plan(problem);
    expect(result.feasible, result.reason).toBe(true);
    expect(result.modules.map((m) => m.budgetMs)).toEqual([60, 60]);
    expect(result.reason).toMatch(/module 'm': batching .* within 60 ms; module 'n': batching/);
  });

  it('says so when no knob meets the target', () => {
    const result = plan(
      problemWith(SMALL_NET, { apps: [{ name: 'a', modules: ['m'], edges: [], sloMs: 5, rateRps: 1 }] }),
    );
    expect(result.feasible).toBe(false);
    expect(result.reason).toMatch(
      /module 'm': neither batching nor co-location on 4 cores of cpu meets the 5 ms target/,
    );
  });
});
