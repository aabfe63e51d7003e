/**
 * Applications (pipelines of modules, Harpagon's world) on top of the engine: a request to an app enters
 * its source modules, and each module's output fans out into requests of the modules after it (one text
 * box per recognition request, say). Each module request carries a module budget derived from the app
 * request's own end-to-end deadline: the time left is shared among the modules still ahead in proportion
 * to the plan's module budgets, so a request that arrives late gets tighter module budgets, and one that
 * ran fast upstream gives the rest more. The app request is answered exactly once: completed when every
 * module request it caused has completed, or failed by the first module request that failed, named.
 */
import { SluiceError } from '../core/errors.js';
import { computeDeadline } from '../policy/deadline.js';
import type { Clock } from '../ports/clock.js';
import type { Engine } from './engine.js';
import type { BudgetHints, Outcome, SubmittedRequest } from './types.js';

export interface AppGraphSpec {
  readonly name: string;
  readonly modules: readonly string[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  readonly sloMs: number;
}

/**
 * The requests of `to` that one output of `from` causes (its payloads; an empty list: none). A throw
 * fails the app request, naming the edge.
 */
export type FanOut<P, R> = (
  edge: { readonly from: string; readonly to: string },
  output: R,
  payload: P,
) => P[];

export interface AppRunnerOptions<P> {
  /**
   * The input tensors' metadata of a module request, validated by the engine against the module's
   * declared inputs (and deciding which requests may share a batch); omitted in the simulator.
   */
  readonly inputsOf?: (module: string, payload: P) => SubmittedRequest<P>['inputs'];
}

export type AppOutcome<R, P = unknown> =
  | {
      readonly kind: 'completed';
      readonly arrivalMs: number;
      readonly deadlineMs: number;
      readonly finishedMs: number;
      /** The outputs of the requests that reached modules with no module after them, in completion order. */
      readonly outputs: readonly { readonly module: string; readonly output: R; readonly payload: P }[];
      /** Module requests the app request caused. */
      readonly moduleRequests: number;
    }
  | {
      readonly kind: 'rejected' | 'expired' | 'failed';
      readonly arrivalMs: number;
      readonly deadlineMs: number | undefined;
      readonly finishedMs: number;
      /** The module whose request failed. */
      readonly module: string;
      readonly error: SluiceError;
    };

interface AppState {
  readonly spec: AppGraphSpec;
  readonly sources: readonly string[];
  readonly next: ReadonlyMap<string, readonly string[]>;
  /** Per module, its plan budget (ms); default 1 each (an even split by path length). */
  budgets: ReadonlyMap<string, number>;
  /** Per module, the largest sum of budgets on a path from it to a sink (itself included). */
  ahead: ReadonlyMap<string, number>;
}

export class AppRunner<P, R> {
  private readonly apps = new Map<string, AppState>();

  constructor(
    private readonly engine: Engine<P, R>,
    private readonly clock: Clock,
    apps: readonly AppGraphSpec[],
    private readonly fanOut: FanOut<P, R>,
    private readonly options: AppRunnerOptions<P> = {},
  ) {
    for (const spec of apps) {
      const targets = new Set(spec.edges.map((e) => e.to));
      const next = new Map<string, string[]>(spec.modules.map((m) => [m, []]));
      for (const e of spec.edges) next.get(e.from)?.push(e.to);
      const state: AppState = {
        spec,
        sources: spec.modules.filter((m) => !targets.has(m)),
        next,
        budgets: new Map(spec.modules.map((m) => [m, 1])),
        ahead: new Map(),
      };
      state.ahead = aheadOf(state);
      this.apps.set(spec.name, state);
    }
  }

  /** The plan's module budgets for `app`: only their proportions along each path matter. */
  setBudgets(app: string, budgetsMs: Readonly<Record<string, number>>): void {
    const state = this.apps.get(app);
    if (state === undefined) throw new Error(`unknown app '${app}'`);
    state.budgets = new Map(state.spec.modules.map((m) => [m, Math.max(1e-6, budgetsMs[m] ?? 1)]));
    state.ahead = aheadOf(state);
  }

  /** Submits an app request; `respond` is called exactly once. */
  submit(
    app: string,
    request: {
      readonly arrivalMs: number;
      readonly budget: BudgetHints;
      readonly payload: P;
      readonly rows?: number;
    },
    respond: (outcome: AppOutcome<R, P>) => void,
  ): void {
    const state = this.apps.get(app);
    const arrivalMs = request.arrivalMs;
    const nowMs = this.clock.nowMs();
    if (state === undefined) {
      respond({
        kind: 'rejected',
        arrivalMs,
        deadlineMs: undefined,
        finishedMs: nowMs,
        module: app,
        error: new SluiceError('UNKNOWN_MODEL', `no application named '${app}'`),
      });
      return;
    }
    const deadline = computeDeadline(arrivalMs, request.budget, state.spec.sloMs);
    if (deadline instanceof SluiceError) {
      respond({
        kind: 'rejected',
        arrivalMs,
        deadlineMs: undefined,
        finishedMs: nowMs,
        module: state.sources[0] ?? app,
        error: deadline,
      });
      return;
    }
    const deadlineMs = deadline.deadlineMs;
    const outputs: { module: string; output: R; payload: P }[] = [];
    let outstanding = 0;
    let caused = 0;
    let answered = false;
    const finish = (outcome: AppOutcome<R, P>): void => {
      if (answered) return;
      answered = true;
      respond(outcome);
    };
    const send = (module: string, payload: P, rows: number): void => {
      outstanding += 1;
      caused += 1;
      const startMs = this.clock.nowMs();
      // The time left, shared among the modules ahead in proportion to their plan budgets.
      const share = (state.budgets.get(module) ?? 1) / (state.ahead.get(module) ?? 1);
      const budgetMs = Math.max(0, deadlineMs - startMs) * share;
      const inputs = this.options.inputsOf?.(module, payload);
      this.engine.submit(
        {
          module,
          version: undefined,
          arrivalMs: startMs,
          budget: { sloMs: budgetMs },
          rows,
          payload,
          ...(inputs === undefined ? {} : { inputs }),
        },
        (outcome: Outcome<R>) => {
          outstanding -= 1;
          if (answered) return;
          if (outcome.kind !== 'completed') {
            finish({
              kind: outcome.kind,
              arrivalMs,
              deadlineMs,
              finishedMs: outcome.finishedMs,
              module,
              error: moduleError(module, outcome.error),
            });
            return;
          }
          const after = state.next.get(module) ?? [];
          if (after.length === 0) outputs.push({ module, output: outcome.output, payload });
          for (const to of after) {
            let caused: P[];
            try {
              caused = this.fanOut({ from: module, to }, outcome.output, payload);
            } catch (error) {
              finish({
                kind: 'failed',
                arrivalMs,
                deadlineMs,
                finishedMs: this.clock.nowMs(),
                module,
                error: stepError(`module '${module}' -> '${to}'`, error),
              });
              return;
            }
            for (const next of caused) send(to, next, 1);
          }
          if (outstanding === 0)
            finish({
              kind: 'completed',
              arrivalMs,
              deadlineMs,
              finishedMs: outcome.finishedMs,
              outputs,
              moduleRequests: caused,
            });
        },
      );
    };
    for (const source of state.sources) send(source, request.payload, request.rows ?? 1);
  }
}

function aheadOf(state: AppState): Map<string, number> {
  const memo = new Map<string, number>();
  const visit = (m: string): number => {
    const known = memo.get(m);
    if (known !== undefined) return known;
    const after = state.next.get(m) ?? [];
    const value = (state.budgets.get(m) ?? 1) + Math.max(0, ...after.map(visit));
    memo.set(m, value);
    return value;
  };
  for (const m of state.spec.modules) visit(m);
  return memo;
}

/** A step's throw as an error naming where it happened; a SluiceError keeps its code. */
export function stepError(where: string, error: unknown): SluiceError {
  if (error instanceof SluiceError) return new SluiceError(error.code, `${where}: ${error.message}`);
  return new SluiceError('INTERNAL', `${where}: ${error instanceof Error ? error.message : String(error)}`);
}

function moduleError(module: string, error: SluiceError): SluiceError {
  return new SluiceError(error.code, `module '${module}': ${error.message}`);
}
