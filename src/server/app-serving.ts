/**
 * Serving applications (`apps/<name>.yaml`) live: the glue between a request's tensors, the
 * application's TypeScript steps and the engine's `AppRunner`. A request is checked against the app's
 * declared inputs and turned into the source module's request by the `input` step; each module's outputs
 * go through the edge's `post` step (the fan-out: one item per text line, say) and `pre` step (the next
 * module's input tensors); the sinks' outputs are assembled by the `output` step. Every module request
 * is an ordinary engine request of that module (EDF queue, batching, admission), with a module budget
 * the runner derives from the app request's own deadline and the plan's budgets (`applyPlan`).
 *
 * Errors name where they happened: a bad request fails at the first module (`module 'ocr-det' (step
 * 'ocr.decode-image'): PNG: ...`, 400), a later failure names its module or edge; each app request is
 * answered exactly once.
 */
import type { AppSpec } from '../core/app-spec.js';
import { withForwardSteps, type AppItem, type AppSteps } from '../core/app-steps.js';
import { SluiceError } from '../core/errors.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import { dataLength, type Tensor } from '../core/tensor.js';
import { AppRunner, stepError, type AppOutcome } from '../engine/app-runner.js';
import type { Engine } from '../engine/engine.js';
import type { BudgetHints } from '../engine/types.js';
import type { Clock } from '../ports/clock.js';

/** How module budgets are shared out: by the plan's module budgets, or evenly along each path. */
export type AppSplit = 'plan' | 'even';

export interface AppServingDeps {
  readonly engine: Engine<InferencePayload, InferenceResult>;
  readonly clock: Clock;
  readonly apps: readonly AppSpec[];
  /** Every step the apps name (checked at load time, so a missing one here is a bug). */
  readonly steps: AppSteps;
  /** Default `plan`. */
  readonly split?: AppSplit;
}

/** What an app request comes to. */
export type AppAnswer =
  | {
      readonly kind: 'completed';
      readonly outputs: readonly Tensor[];
      readonly moduleRequests: number;
      readonly latencyMs: number;
    }
  | { readonly kind: 'failed'; readonly error: SluiceError };

/** A plan as far as the apps care: each module's budget. */
export interface PlanBudgets {
  readonly modules: readonly { readonly name: string; readonly budgetMs: number }[];
}

export class AppServing {
  private readonly apps: ReadonlyMap<string, AppSpec>;
  private readonly steps: AppSteps;
  private readonly runner: AppRunner<InferencePayload, InferenceResult>;
  /** What each module request's payload carries for the steps after it. */
  private readonly items = new WeakMap<InferencePayload, AppItem>();
  private readonly split: AppSplit;

  constructor(private readonly deps: AppServingDeps) {
    this.apps = new Map(deps.apps.map((a) => [a.name, a]));
    this.steps = withForwardSteps(deps.steps);
    this.split = deps.split ?? 'plan';
    const edges = new Map(deps.apps.flatMap((a) => a.edges.map((e) => [`${a.name}:${e.from}>${e.to}`, e])));
    const appOf = new Map(deps.apps.flatMap((a) => a.modules.map((m) => [m, a.name])));
    this.runner = new AppRunner<InferencePayload, InferenceResult>(
      deps.engine,
      deps.clock,
      deps.apps.map((a) => ({ name: a.name, modules: a.modules, edges: a.edges, sloMs: a.sloMs })),
      (edge, output, payload) => {
        const spec = edges.get(`${appOf.get(edge.from) ?? ''}:${edge.from}>${edge.to}`);
        const item = this.items.get(payload);
        if (spec === undefined || item === undefined) throw new Error('an edge or item went missing');
        const post = this.steps.post.get(spec.post);
        const pre = this.steps.pre.get(spec.pre);
        if (post === undefined || pre === undefined) throw new Error(`edge steps ${spec.post}, ${spec.pre}`);
        const carries = post(output.outputs, item);
        if (spec.fanout === 'one' && carries.length !== 1)
          throw new SluiceError(
            'INTERNAL',
            `step '${spec.post}' gave ${carries.length} items on an edge with fanout: one`,
          );
        return carries.map((carry) => {
          let inputs: readonly Tensor[];
          try {
            inputs = pre(carry);
          } catch (error) {
            throw stepError(`step '${spec.pre}'`, error);
          }
          return this.payload({ inputs, carry });
        });
      },
      { inputsOf: (_module, payload) => payload.inputs.map((t) => ({ ...t, elements: dataLength(t.data) })) },
    );
  }

  /** The served applications, by name order. */
  get specs(): readonly AppSpec[] {
    return [...this.apps.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  spec(name: string): AppSpec | undefined {
    return this.apps.get(name);
  }

  /** Every module of the app has a ready instance. */
  isReady(name: string): boolean {
    const app = this.apps.get(name);
    return app !== undefined && app.modules.every((m) => this.deps.engine.isReady(m));
  }

  /** Takes the plan's module budgets as the apps' split (with split `even`, keeps the even split). */
  applyPlan(plan: PlanBudgets): void {
    if (this.split === 'even') return;
    const budgets = new Map(plan.modules.map((m) => [m.name, m.budgetMs]));
    for (const app of this.apps.values()) {
      if (app.modules.length < 2 || !app.modules.every((m) => budgets.has(m))) continue;
      this.runner.setBudgets(app.name, Object.fromEntries(app.modules.map((m) => [m, budgets.get(m) ?? 1])));
    }
  }

  /** Runs one app request; `respond` is called exactly once, possibly synchronously. */
  submit(
    name: string,
    request: { readonly arrivalMs: number; readonly budget: BudgetHints; readonly inputs: readonly Tensor[] },
    respond: (answer: AppAnswer) => void,
  ): void {
    const app = this.apps.get(name);
    if (app === undefined) {
      respond({ kind: 'failed', error: new SluiceError('UNKNOWN_MODEL', `no application named '${name}'`) });
      return;
    }
    const source = app.modules.find((m) => !app.edges.some((e) => e.to === m)) ?? app.name;
    const where = `app '${app.name}', module '${source}' (step '${app.input}')`;
    let first: AppItem;
    try {
      const inputs = checkInputs(app, request.inputs);
      const step = this.steps.input.get(app.input);
      if (step === undefined) throw new Error(`no input step '${app.input}'`);
      first = step(inputs);
    } catch (error) {
      respond({ kind: 'failed', error: stepError(where, error) });
      return;
    }
    this.runner.submit(
      app.name,
      { arrivalMs: request.arrivalMs, budget: request.budget, payload: this.payload(first) },
      (outcome) => respond(this.answer(app, outcome)),
    );
  }

  private payload(item: AppItem): InferencePayload {
    const payload: InferencePayload = { inputs: item.inputs, outputs: undefined };
    this.items.set(payload, item);
    return payload;
  }

  private answer(app: AppSpec, outcome: AppOutcome<InferenceResult, InferencePayload>): AppAnswer {
    if (outcome.kind !== 'completed')
      return { kind: 'failed', error: stepError(`app '${app.name}'`, outcome.error) };
    const last = outcome.outputs[outcome.outputs.length - 1]?.module ?? app.modules[app.modules.length - 1];
    try {
      const step = this.steps.output.get(app.output);
      if (step === undefined) throw new Error(`no output step '${app.output}'`);
      const outputs = step(
        outcome.outputs.map((r) => ({
          module: r.module,
          outputs: r.output.outputs,
          item: this.items.get(r.payload) ?? { inputs: [], carry: undefined },
        })),
      );
      const missing = app.outputs.filter((o) => !outputs.some((t) => t.name === o.name));
      if (missing.length > 0)
        throw new SluiceError('INTERNAL', `gave no output ${missing.map((o) => o.name).join(', ')}`);
      return {
        kind: 'completed',
        outputs: app.outputs.flatMap((o) => outputs.filter((t) => t.name === o.name)),
        moduleRequests: outcome.moduleRequests,
        latencyMs: outcome.finishedMs - outcome.arrivalMs,
      };
    } catch (error) {
      return {
        kind: 'failed',
        error: stepError(`app '${app.name}', module '${last ?? ''}' (step '${app.output}')`, error),
      };
    }
  }
}

/** The request's tensors by name, exactly the app's declared inputs (datatype and shape). */
function checkInputs(app: AppSpec, tensors: readonly Tensor[]): Map<string, Tensor> {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const t of tensors)
    if (!app.inputs.some((i) => i.name === t.name))
      throw new SluiceError(
        'INVALID_INPUT',
        `unknown input '${t.name}' (the app takes ${app.inputs.map((i) => i.name).join(', ')})`,
      );
  for (const spec of app.inputs) {
    const t = byName.get(spec.name);
    if (t === undefined) throw new SluiceError('INVALID_INPUT', `missing input '${spec.name}'`);
    if (t.datatype !== spec.datatype)
      throw new SluiceError(
        'INVALID_INPUT',
        `input '${spec.name}' is ${t.datatype}, the app takes ${spec.datatype}`,
      );
    const fits =
      t.shape.length === spec.shape.length && spec.shape.every((d, i) => d === -1 || d === t.shape[i]);
    if (!fits)
      throw new SluiceError(
        'INVALID_INPUT',
        `input '${spec.name}' has shape [${t.shape.join(',')}], the app takes [${spec.shape.join(',')}]`,
      );
  }
  return byName;
}
