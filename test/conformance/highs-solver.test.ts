// The Solver port on the real HiGHS (WebAssembly): LP text from the model-as-data, integrality,
// ranges, equalities, infeasibility and unboundedness.
import { describe, expect, it } from 'vitest';
import type { MilpModel } from '../../src/ports/solver.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { toLpFormat } from '../../src/solver/lp-format.js';

const solver = await HighsSolver.create();

describe('HighsSolver', () => {
  it('solves a small MIP to its integer optimum', () => {
    const model: MilpModel = {
      sense: 'maximize',
      variables: [
        { name: 'chairs', type: 'integer', objective: 30 },
        { name: 'tables', type: 'integer', objective: 50 },
      ],
      constraints: [
        {
          name: 'carpentry',
          terms: [
            { variable: 'chairs', coefficient: 1 },
            { variable: 'tables', coefficient: 2 },
          ],
          upper: 40,
        },
        {
          name: 'finishing',
          terms: [
            { variable: 'chairs', coefficient: 2 },
            { variable: 'tables', coefficient: 1 },
          ],
          upper: 50,
        },
      ],
    };
    const solution = solver.solve(model);
    expect(solution).toEqual({ status: 'optimal', objective: 1100, values: { chairs: 20, tables: 10 } });
  });

  it('honours ranged and equality rows, bounds, binaries and the objective offset', () => {
    const model: MilpModel = {
      sense: 'minimize',
      objectiveOffset: 7,
      variables: [
        { name: 'x', type: 'continuous', lower: -5, upper: 5, objective: 1 },
        { name: 'y', type: 'binary', objective: 3 },
        { name: 'z', type: 'continuous', objective: 0.5 },
      ],
      constraints: [
        {
          name: 'range',
          terms: [
            { variable: 'x', coefficient: 1 },
            { variable: 'z', coefficient: 1 },
          ],
          lower: 2,
          upper: 4,
        },
        { name: 'pick', terms: [{ variable: 'y', coefficient: 1 }], lower: 1, upper: 1 },
      ],
    };
    const solution = solver.solve(model);
    expect(solution.status).toBe('optimal');
    if (solution.status !== 'optimal') return;
    // x as low as it may go (-5), z = 7 to reach the range's lower end: -5 + 3 + 3.5 + 7.
    expect(solution.values).toEqual({ x: -5, y: 1, z: 7 });
    expect(solution.objective).toBeCloseTo(8.5, 9);
  });

  it('reports infeasible and unbounded models as values', () => {
    const infeasible = solver.solve({
      sense: 'minimize',
      variables: [{ name: 'x', type: 'integer', upper: 3, objective: 1 }],
      constraints: [{ name: 'big', terms: [{ variable: 'x', coefficient: 1 }], lower: 4 }],
    });
    expect(infeasible.status).toBe('infeasible');
    const unbounded = solver.solve({
      sense: 'maximize',
      variables: [{ name: 'x', type: 'continuous', objective: 1 }],
      constraints: [{ name: 'low', terms: [{ variable: 'x', coefficient: 1 }], lower: 1 }],
    });
    expect(unbounded.status).toBe('unbounded');
  });

  it('refuses names LP text cannot carry, as an error value', () => {
    const bad = solver.solve({
      sense: 'minimize',
      variables: [{ name: 'a-b', type: 'continuous' }],
      constraints: [],
    });
    expect(bad).toEqual({ status: 'error', message: "variable name 'a-b' is not LP-safe" });
    expect(() =>
      toLpFormat({ sense: 'minimize', variables: [], constraints: [{ name: 'c', terms: [] }] }),
    ).toThrow(/no bound/);
  });
});
