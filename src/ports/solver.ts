/**
 * The port planners hand their optimisation models to. A model is data (variables with bounds, types
 * and objective coefficients; linear constraints with bounds), so planners can be unit-tested by looking
 * at the model they build, without any solver; `HighsSolver` (src/solver/) solves it with HiGHS.
 * Synchronous: the simulator's control loop plans inside virtual time.
 */

export type MilpVariableType = 'continuous' | 'integer' | 'binary';

export interface MilpVariable {
  /** Unique in the model; letters, digits and `_` only (solvers' file formats are picky). */
  readonly name: string;
  /** Default 0. */
  readonly lower?: number;
  /** Default +∞ (1 for binaries). */
  readonly upper?: number;
  readonly type: MilpVariableType;
  /** Coefficient in the objective; default 0. */
  readonly objective?: number;
}

export interface MilpTerm {
  readonly variable: string;
  readonly coefficient: number;
}

/** `lower ≤ Σ coefficient·variable ≤ upper`; at least one bound must be given. */
export interface MilpConstraint {
  /** Unique in the model; letters, digits and `_` only. Infeasibility reasons name it. */
  readonly name: string;
  readonly terms: readonly MilpTerm[];
  readonly lower?: number;
  readonly upper?: number;
}

export interface MilpModel {
  readonly sense: 'minimize' | 'maximize';
  /** Constant added to the objective. */
  readonly objectiveOffset?: number;
  readonly variables: readonly MilpVariable[];
  readonly constraints: readonly MilpConstraint[];
}

export type MilpSolution =
  | {
      readonly status: 'optimal';
      readonly objective: number;
      /** Every variable's value, by name. */
      readonly values: Readonly<Record<string, number>>;
    }
  | { readonly status: 'infeasible' | 'unbounded' | 'error'; readonly message: string };

export interface Solver {
  solve(model: MilpModel): MilpSolution;
}
