// The simple baselines on hand-made problems: the tuples each one chooses, and the reasons.
import { describe, expect, it } from 'vitest';
import type { Solver } from '../../../src/ports/solver.js';
import { clipperNextBatch, clipperPlanner } from '../../../src/planner/baselines/clipper-planner.js';
import { hpaDesiredReplicas, hpaPlanner } from '../../../src/planner/baselines/hpa-planner.js';
import { moduleBudgets } from '../../../src/planner/baselines/module-budgets.js';
import { staticPlanner } from '../../../src/planner/baselines/static-planner.js';
import { tritonPlanner } from '../../../src/planner/baselines/triton-planner.js';
import { roundUpToOption, vpaPlanner, vpaTargetCores } from '../../../src/planner/baselines/vpa-planner.js';
import { infeasiblePlan, type Plan, type PlanTuple } from '../../../src/planner/plan.js';
import { checkPlan } from '../../../src/planner/planning-model.js';
import type { PlannerEntry } from '../../../src/planner/planner.js';
import type { PlanningObservations, PlanningProblem } from '../../../src/planner/planning-problem.js';

const noSolver: Solver = {
  solve: () => {
    throw new Error('baselines do not solve MILPs');
  },
};

// l(b, c) = 10·b/c + 2 ms on cpu (4 cores, $1 per core-hour), behind a fixed kind the baselines skip.
const base: PlanningProblem = {
  objective: { kind: 'min-cost' },
  hardware: [
    { name: 'gpu', kind: 'fixed', pricePerHour: 3, maxCores: 8 },
    { name: 'cpu', kind: 'cpu', pricePerHour: 1, maxCores: 4 },
  ],
  modules: [
    {
      name: 'det',
      maxBatch: 8,
      variants: [
        {
          name: 'v',
          accuracy: 0.9,
          latency: {
            gpu: { kind: 'sponge4', gamma: 0, delta: 0.1, epsilon: 0, eta: 1 },
            cpu: { kind: 'sponge4', gamma: 10, delta: 0, epsilon: 0, eta: 2 },
          },
        },
      ],
    },
  ],
  apps: [{ name: 'a', modules: ['det'], edges: [], sloMs: 100, rateRps: 200 }],
};

const at = (rateRps: number, rest: Partial<PlanningProblem> = {}): PlanningProblem => ({
  ...base,
  ...rest,
  apps: [{ ...base.apps[0]!, rateRps }],
});

const running = (...tuples: Omit<PlanTuple, 'variant' | 'hardware' | 'rateRps' | 'dummyRps'>[]): Plan => ({
  ...infeasiblePlan('earlier', ''),
  modules: [
    {
      name: 'det',
      budgetMs: 100,
      tuples: tuples.map((t) => ({ variant: 'v', hardware: 'cpu', rateRps: 0, dummyRps: 0, ...t })),
    },
  ],
});

const shape = (plan: Plan) => plan.modules[0]?.tuples.map((t) => [t.instances, t.cores, t.batch]);

function planned(entry: PlannerEntry, problem: PlanningProblem): Plan {
  const plan = entry.plan(problem, { solver: noSolver });
  if (plan.feasible) expect(checkPlan(problem, plan)).toEqual([]);
  return plan;
}

describe('static', () => {
  it('sizes one configuration once: first variant and cpu kind, all cores, the largest batch that fits', () => {
    const plan = planned(staticPlanner, at(200));
    expect(plan.feasible, plan.reason).toBe(true);
    expect(shape(plan)).toEqual([[1, 4, 8]]);
    expect(plan.modules[0]!.tuples[0]).toMatchObject({ variant: 'v', hardware: 'cpu', rateRps: 200 });
    // Within a 20 ms budget l(8, 4) = 22 ms does not fit, so batch 4 (12 ms); its batches fill in the
    // remaining 8 ms only at 375/s, so two instances (300/s each) carry 550/s.
    const tight: PlanningProblem = { ...base, apps: [{ ...base.apps[0]!, sloMs: 20, rateRps: 550 }] };
    expect(shape(planned(staticPlanner, tight))).toEqual([[2, 4, 4]]);
  });

  it('keeps the running tuples, spreading the new rate in proportion to their capacity', () => {
    const current = running({ cores: 2, batch: 4, instances: 2 }, { cores: 1, batch: 1, instances: 1 });
    const plan = planned(staticPlanner, at(200, { current }));
    expect(plan.feasible, plan.reason).toBe(true);
    // Capacities: 2 · 0.9·4000/22 = 327.3/s and 0.9·1000/12 = 75/s.
    const [big, small] = plan.modules[0]!.tuples;
    expect(big!.rateRps).toBeCloseTo((200 * 327.2727) / 402.2727, 2);
    expect(small!.rateRps).toBeCloseTo((200 * 75) / 402.2727, 2);
    expect(plan.costPerHour).toBe(5);
    expect(plan.reason).toMatch(/module 'det' keeps its 2 running tuples/);
    const over = planned(staticPlanner, at(500, { current }));
    expect(over.feasible).toBe(false);
    expect(over.reason).toMatch(/violates the planning model: .*throughput/);
  });
});

describe('vpa', () => {
  it.each([
    // p90 (nearest rank) of five samples is the largest; 2.6 · 1.15 = 2.99 → 3 cores.
    { samples: [0.5, 1.0, 1.2, 1.5, 2.6], implied: 0, cores: 2.99 },
    { samples: undefined, implied: 2.1, cores: 2.415 },
    { samples: [], implied: 0, cores: 0.025 }, // the recommender's 25-millicore floor
  ])('targets the p90 usage plus 15%: $cores cores', ({ samples, implied, cores }) => {
    expect(vpaTargetCores(samples, implied)).toBeCloseTo(cores, 9);
  });

  it('rounds up to a core option, and caps at the largest', () => {
    expect(roundUpToOption([0.5, 1, 2, 4], 1.2)).toBe(2);
    expect(roundUpToOption([0.5, 1, 2, 4], 2)).toBe(2);
    expect(roundUpToOption([0.5, 1, 2, 4], 9)).toBe(4);
  });

  const observed = (cpuUsageCores: number[]): PlanningObservations => ({
    cpuUsageCores: { det: cpuUsageCores },
  });

  it('sizes one pod at batch 1 from observed usage', () => {
    const plan = planned(vpaPlanner, at(150, { observations: observed([0.5, 1.0, 1.2, 1.5, 2.6]) }));
    // 3 cores at batch 1: l = 5.33 ms, 168.75/s at ρ 0.9.
    expect(plan.feasible, plan.reason).toBe(true);
    expect(shape(plan)).toEqual([[1, 3, 1]]);
    expect(plan.reason).toMatch(
      /p90 usage 2.6 cores \(observed\) \+ 15% -> 3 cores, one pod at batch 1, a new pod/,
    );
    // One pod cannot carry 200/s at batch 1 on 3 cores: VPA loses.
    expect(planned(vpaPlanner, at(200, { observations: observed([2.6]) })).feasible).toBe(false);
  });

  it('without samples, uses the usage the rate implies at the running cores, and restarts to resize', () => {
    // 150/s · l(1, 2) = 7 ms · 2 cores = 2.1 cores busy; · 1.15 = 2.415 → 3.
    const plan = planned(vpaPlanner, at(150, { current: running({ cores: 2, batch: 1, instances: 1 }) }));
    expect(shape(plan)).toEqual([[1, 3, 1]]);
    expect(plan.reason).toMatch(/\(implied by the rate\).*applied by restarting the pod \(from 2 cores\)/);
  });
});

describe('hpa', () => {
  it('starts from as many 1-core replicas at batch 1 as carry the rate at ρ', () => {
    // l(1, 1) = 12 ms: 75/s per replica at ρ 0.9; 200/s → 3 replicas.
    const plan = planned(hpaPlanner, at(200));
    expect(plan.feasible, plan.reason).toBe(true);
    expect(shape(plan)).toEqual([[3, 1, 1]]);
    expect(plan.costPerHour).toBe(3);
    expect(plan.reason).toMatch(
      /3 replicas x 1 core at batch 1 for 200 req\/s \(75 req\/s each at ρ = 0.9\); no usage observed yet/,
    );
    // A replica limit makes it lose.
    const limited = planned(hpaPlanner, at(200, { hardware: [{ ...base.hardware[1]!, maxInstances: 2 }] }));
    expect(limited.feasible).toBe(false);
    expect(limited.reason).toMatch(/3 instances, over its limit of 2/);
  });

  it.each([
    { current: 4, usage: 3.2, replicas: 4, bound: 'tolerance' }, // exactly at the target
    { current: 4, usage: 3.5, replicas: 4, bound: 'tolerance' }, // ratio 1.09: inside the 10% band
    { current: 4, usage: 4, replicas: 5, bound: 'rule' }, // saturated: ⌈4 · 1.25⌉
    { current: 1, usage: 1, replicas: 2, bound: 'rule' }, // ⌈1.25⌉
    { current: 2, usage: 2, replicas: 3, bound: 'rule' }, // ⌈2.5⌉: saturation grows it by 25% a period
    { current: 2, usage: 8, replicas: 6, bound: 'scale-up-cap' }, // ratio 5 → 10, capped at 2 + 4
    { current: 10, usage: 40, replicas: 20, bound: 'scale-up-cap' }, // capped at double
    { current: 6, usage: 1.2, replicas: 2, bound: 'rule' }, // ⌈6 · 0.25⌉
    { current: 3, usage: 0, replicas: 1, bound: 'min-replicas' },
  ])(
    'HPA rule: $current replicas using $usage cores → $replicas ($bound)',
    ({ current, usage, replicas, bound }) => {
      expect(
        hpaDesiredReplicas({ currentReplicas: current, usageCores: usage, coresPerReplica: 1 }),
      ).toMatchObject({ replicas, bound });
    },
  );

  it('stops at maxReplicas', () => {
    const d = hpaDesiredReplicas({ currentReplicas: 4, usageCores: 4, coresPerReplica: 1, maxReplicas: 4 });
    expect(d).toMatchObject({ replicas: 4, bound: 'max-replicas' });
  });

  it('scales the running replicas on the latest usage sample, not on the rate', () => {
    const current = running({ cores: 1, batch: 1, instances: 3 });
    // Latest sample 2.9 cores on 3 replicas: 96.7% vs 80% → ⌈3 · 1.208⌉ = 4, whatever the rate says.
    const observations: PlanningObservations = { cpuUsageCores: { det: [0.5, 2.9] } };
    const plan = planned(hpaPlanner, at(20, { current, observations }));
    expect(shape(plan)).toEqual([[4, 1, 1]]);
    expect(plan.reason).toMatch(
      /usage 2.9 cores on 3 replicas, 96.67% of the request vs the 80% target -> 4 replicas/,
    );
    // The rate alone would have asked for 1 replica; at 600/s the observed usage still decides.
    expect(shape(planned(hpaPlanner, at(600, { current, observations })))).toEqual([[4, 1, 1]]);
    expect(hpaPlanner.feedback).toBe(true);
  });
});

describe('clipper', () => {
  it.each([
    { batch: 4, p95: 50, next: 8 },
    { batch: 4, p95: 90, next: 4 },
    { batch: 4, p95: 120, next: 3 },
    { batch: 1, p95: 120, next: 1 },
    { batch: 30, p95: 10, next: 32 },
    { batch: 4, p95: undefined, next: 4 },
  ])('AIMD: batch $batch with p95 $p95 ms → $next', ({ batch, p95, next }) => {
    expect(clipperNextBatch(batch, p95, 100, 32)).toBe(next);
  });

  it('steps the running batch and keeps its instances', () => {
    const current = running({ cores: 4, batch: 4, instances: 1 });
    const step = (p95: number) =>
      planned(clipperPlanner, at(150, { current, observations: { latencyMs: { det: { p95 } } } }));
    expect(shape(step(50))).toEqual([[1, 4, 8]]);
    expect(shape(step(120))).toEqual([[1, 4, 3]]);
    expect(step(120).reason).toMatch(/batch 4 -> 3 \(p95 120 ms vs L 100 ms\), 1 x 4 cores/);
  });

  it('starts at batch 1 with as many instances as the rate needs', () => {
    // l(1, 4) = 4.5 ms: 200/s per instance at ρ 0.9.
    expect(shape(planned(clipperPlanner, at(350)))).toEqual([[2, 4, 1]]);
  });
});

describe('triton', () => {
  it('serves at max batch with one instance of all the cores, and does not adapt', () => {
    const plan = planned(tritonPlanner, at(200));
    expect(plan.feasible, plan.reason).toBe(true);
    expect(shape(plan)).toEqual([[1, 4, 8]]);
    const over = planned(tritonPlanner, at(400));
    expect(over.feasible).toBe(false);
    expect(over.reason).toMatch(
      /1 instance x 4 cores at max batch 8 carry 327.27 req\/s of the 400 req\/s needed within 100 ms/,
    );
    const most = planned(tritonPlanner, at(400, { objective: { kind: 'max-throughput' } }));
    expect(most.feasible, most.reason).toBe(true);
    expect(most.apps[0]!.servedRps).toBeCloseTo(7200 / 22, 6);
  });

  it('keeps the running instance group', () => {
    const plan = planned(tritonPlanner, at(400, { current: running({ cores: 2, batch: 4, instances: 3 }) }));
    expect(shape(plan)).toEqual([[3, 2, 4]]);
    expect(plan.feasible, plan.reason).toBe(true);
  });
});

describe('moduleBudgets', () => {
  it('splits the tightest objective evenly along the longest path through each module', () => {
    const problem: PlanningProblem = {
      ...base,
      modules: ['a', 'b', 'c', 'd'].map((name) => ({ ...base.modules[0]!, name })),
      apps: [
        {
          name: 'g',
          modules: ['a', 'b', 'c', 'd'],
          // a → b → d and a → c: a, b, d lie on a 3-long path; c only on a 2-long one.
          edges: [
            { from: 'a', to: 'b' },
            { from: 'b', to: 'd' },
            { from: 'a', to: 'c' },
          ],
          sloMs: 120,
          rateRps: 1,
          budgets: [
            { budgetMs: 90, share: 0.5 },
            { budgetMs: 120, share: 0.5 },
          ],
        },
      ],
    };
    expect(Object.fromEntries(moduleBudgets(problem))).toEqual({ a: 30, b: 30, c: 45, d: 30 });
  });
});

describe('every baseline on a pipeline', () => {
  const pipeline: PlanningProblem = {
    ...base,
    modules: [base.modules[0]!, { ...base.modules[0]!, name: 'rec' }],
    apps: [
      {
        name: 'ocr',
        modules: ['det', 'rec'],
        edges: [{ from: 'det', to: 'rec', fanout: 2 }],
        sloMs: 100,
        rateRps: 60,
      },
    ],
  };
  it.each([staticPlanner, vpaPlanner, hpaPlanner, clipperPlanner, tritonPlanner])(
    '$name plans both modules with half the SLO each, within the planning model',
    (entry) => {
      const plan = planned(entry, pipeline);
      expect(plan.modules.map((m) => [m.name, m.budgetMs])).toEqual([
        ['det', 50],
        ['rec', 50],
      ]);
      const carried = plan.modules.map((m) => m.tuples.reduce((s, t) => s + t.rateRps, 0));
      expect(carried[0]).toBeCloseTo(60, 9);
      expect(carried[1]).toBeCloseTo(120, 9);
      if (!plan.feasible) expect(plan.reason).toMatch(/violates the planning model/);
    },
  );
});
