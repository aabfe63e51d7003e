// The hand-made InfAdapter problem the unit tests share, and helpers that unwrap refusals.
import {
  infadapterCandidates,
  type InfadapterScope,
} from '../../../src/planner/infadapter/infadapter-candidates.js';
import {
  buildInfadapterModel,
  type InfadapterModel,
} from '../../../src/planner/infadapter/infadapter-model.js';
import type { PlanningProblem } from '../../../src/planner/planning-problem.js';
import type { Solver } from '../../../src/ports/solver.js';

// small: l(b, c) = (20·b + 80)/c ms; large: twice that. ρ = 0.9. cpu at $0.05 per core-hour, 2 or 4 cores.
export const base: PlanningProblem = {
  objective: { kind: 'accuracy-cost', costWeight: 0.1, reloadWeight: 0.01 },
  budget: { cores: 8 },
  hardware: [
    { name: 'cpu', kind: 'cpu', pricePerHour: 0.05, maxCores: 4, coreOptions: [2, 4] },
    { name: 'gpu', kind: 'fixed', pricePerHour: 1, maxCores: 8 },
  ],
  modules: [
    {
      name: 'cls',
      maxBatch: 8,
      variants: [
        {
          name: 'small',
          accuracy: 0.7,
          loadMs: 2000,
          latency: {
            cpu: { kind: 'sponge4', gamma: 20, delta: 0, epsilon: 80, eta: 0 },
            gpu: { kind: 'sponge4', gamma: 0, delta: 0.1, epsilon: 0, eta: 1 },
          },
        },
        {
          name: 'large',
          accuracy: 0.9,
          loadMs: 8000,
          latency: { cpu: { kind: 'sponge4', gamma: 40, delta: 0, epsilon: 160, eta: 0 } },
        },
      ],
    },
  ],
  apps: [{ name: 'a', modules: ['cls'], edges: [], sloMs: 300, rateRps: 50 }],
};

/** A solver the code under test must not call. */
export const noSolver: Solver = {
  solve: () => {
    throw new Error('no solve expected');
  },
};

export function scopeOf(problem: PlanningProblem): InfadapterScope {
  const scope = infadapterCandidates(problem);
  if (typeof scope === 'string') throw new Error(scope);
  return scope;
}

export function modelOf(problem: PlanningProblem): InfadapterModel {
  const built = buildInfadapterModel(problem);
  if (typeof built === 'string') throw new Error(built);
  return built;
}
