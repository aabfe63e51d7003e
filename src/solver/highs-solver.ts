/**
 * The `Solver` port on HiGHS (npm `highs`, WebAssembly). Loading the WebAssembly is asynchronous, so
 * create the solver once with `HighsSolver.create()`; each `solve` is then synchronous, as the port
 * requires, and runs a fresh HiGHS instance on the model's LP text.
 */
import * as highsModule from 'highs';
import type { MilpModel, MilpSolution, Solver } from '../ports/solver.js';
import { toLpFormat } from './lp-format.js';

type Highs = highsModule.Highs;
// The package is CommonJS with an ES-module build: its typings describe the namespace, its .mjs
// default-exports the loader, which is what Node loads here.
const highsLoader = (
  highsModule as unknown as { default: (options?: highsModule.InitOptions) => Promise<Highs> }
).default;

export interface HighsSolverOptions {
  /** Wall-clock limit per solve, in seconds. Default 30. */
  readonly timeLimitS?: number;
  /** Relative MIP gap at which a solution counts as optimal. Default 1e-9 (exact planners compare costs). */
  readonly mipRelGap?: number;
}

export class HighsSolver implements Solver {
  private constructor(
    private readonly highs: Highs,
    private readonly options: HighsSolverOptions,
  ) {}

  static async create(options: HighsSolverOptions = {}): Promise<HighsSolver> {
    return new HighsSolver(await highsLoader(), options);
  }

  solve(model: MilpModel): MilpSolution {
    let text: string;
    try {
      text = toLpFormat(model);
    } catch (error) {
      return { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    const options = {
      output_flag: false,
      time_limit: this.options.timeLimitS ?? 30,
      mip_rel_gap: this.options.mipRelGap ?? 1e-9,
      // The planners' models are small; HiGHS's feasibility-jump heuristic costs more than it saves on
      // them (a 5-variant InfAdapter model: 10.5 ms with it, 2.7 ms without).
      mip_heuristic_run_feasibility_jump: false,
    };
    const result = this.highs.solve(text, options);
    switch (result.Status) {
      case 'Optimal': {
        const values: Record<string, number> = {};
        for (const v of model.variables) values[v.name] = result.Columns[v.name]?.Primal ?? 0;
        return { status: 'optimal', objective: result.ObjectiveValue + (model.objectiveOffset ?? 0), values };
      }
      case 'Infeasible':
        return { status: 'infeasible', message: 'HiGHS proved the model infeasible' };
      case 'Unbounded':
      case 'Primal infeasible or unbounded':
        return { status: 'unbounded', message: `HiGHS: ${result.Status}` };
      default:
        return { status: 'error', message: `HiGHS stopped: ${result.Status}` };
    }
  }
}
