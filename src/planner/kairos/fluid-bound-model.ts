/**
 * The fluid bound of one pool (fluid-bound.ts) stated as an LP for the `Solver` port: the reference the
 * fast column-generation solver is tested against, and a way to solve one pool through any solver.
 *   maximise R
 *   class_s:  Σ_h y_s_h − p_s · R = 0          for every class with p_s > 0
 *   type_h:   Σ_s l_h(s) · y_s_h ≤ C_h          for every type with C_h > 0
 * with y_s_h ≥ 0 (requests/s of class s on type h) only where class s meets the target on type h.
 */
import type { MilpConstraint, MilpModel, MilpVariable } from '../../ports/solver.js';
import type { FluidPool } from './fluid-bound.js';

/** Name of the total-rate variable (requests/s) in `fluidBoundModel`'s LP. */
export const FLUID_RATE_VARIABLE = 'R';

/** Name of the variable carrying class `s` on type `h` (requests/s) in `fluidBoundModel`'s LP. */
export function fluidRateVariable(s: number, h: number): string {
  return `y_${s}_${h}`;
}

/** The LP whose optimum is the fluid bound of `pool` (same indices as `FluidPool`). */
export function fluidBoundModel(pool: FluidPool): MilpModel {
  const variables: MilpVariable[] = [{ name: FLUID_RATE_VARIABLE, type: 'continuous', objective: 1 }];
  const constraints: MilpConstraint[] = [];
  const usage = pool.capacityMsPerS.map(() => [] as { variable: string; coefficient: number }[]);
  pool.shares.forEach((share, s) => {
    if (!(share > 0)) return;
    const terms = [{ variable: FLUID_RATE_VARIABLE, coefficient: -share }];
    pool.capacityMsPerS.forEach((capacity, h) => {
      const l = pool.latencyMs[s]?.[h] ?? Number.NaN;
      if (!(capacity > 0) || !Number.isFinite(l)) return;
      const name = fluidRateVariable(s, h);
      variables.push({ name, type: 'continuous' });
      terms.push({ variable: name, coefficient: 1 });
      usage[h]?.push({ variable: name, coefficient: l });
    });
    constraints.push({ name: `class_${s}`, terms, lower: 0, upper: 0 });
  });
  pool.capacityMsPerS.forEach((capacity, h) => {
    const terms = usage[h] ?? [];
    if (capacity > 0 && terms.length > 0) constraints.push({ name: `type_${h}`, terms, upper: capacity });
  });
  return { sense: 'maximize', variables, constraints };
}
