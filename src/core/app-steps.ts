/**
 * The TypeScript steps an application's yaml names (`input`, edges' `post` and `pre`, `output`): the
 * pre- and post-processing between its modules. An `AppItem` is what travels between two modules: the
 * input tensors of the next module's request and whatever the later steps need to remember about it
 * (`carry`: a crop, a box, its index). Steps are pure functions; a throw is a failure of that step
 * (a `SluiceError` keeps its code, anything else is `INTERNAL`).
 */
import type { Tensor } from './tensor.js';

/** One request of a module and what the steps after it need to remember. */
export interface AppItem {
  /** The module's input tensors, with the batch dimension (one row). */
  readonly inputs: readonly Tensor[];
  /** Opaque to everything but the steps. */
  readonly carry: unknown;
}

/** The request's tensors (validated against the app's declared inputs) → the sources' first item. */
export type AppInputStep = (inputs: ReadonlyMap<string, Tensor>) => AppItem;

/** A module's outputs and the item that caused them → the carries of the next module's requests. */
export type AppPostStep = (outputs: readonly Tensor[], item: AppItem) => readonly unknown[];

/** One carry → the next module's input tensors (one row). */
export type AppPreStep = (carry: unknown) => readonly Tensor[];

/** One finished request of a sink module. */
export interface AppSinkResult {
  readonly module: string;
  readonly outputs: readonly Tensor[];
  readonly item: AppItem;
}

/** Every sink request's result (in completion order) → the application's output tensors. */
export type AppOutputStep = (results: readonly AppSinkResult[]) => readonly Tensor[];

/** Steps by kind and name; names are conventionally `<family>.<what>` (`ocr.text-crops`). */
export interface AppSteps {
  readonly input: ReadonlyMap<string, AppInputStep>;
  readonly post: ReadonlyMap<string, AppPostStep>;
  readonly pre: ReadonlyMap<string, AppPreStep>;
  readonly output: ReadonlyMap<string, AppOutputStep>;
}

/** The names of each kind of step, which is all the config loader needs to know of them. */
export type AppStepNames = { readonly [K in keyof AppSteps]: readonly string[] };

/** Built-in steps that need nothing: `forward` hands outputs on as they are / a carry of tensors in. */
export const FORWARD_STEP = 'forward';

/** The names of `steps`, by kind. */
export function stepNames(steps: AppSteps): AppStepNames {
  return {
    input: [...steps.input.keys()],
    post: [...steps.post.keys()],
    pre: [...steps.pre.keys()],
    output: [...steps.output.keys()],
  };
}

/**
 * `steps` plus the built-in `forward` post step (one item carrying the module's outputs) and `forward`
 * pre step (a carry that is a list of tensors, sent as they are): what an edge uses when it names none.
 */
export function withForwardSteps(steps: AppSteps): AppSteps {
  const forwardPre: AppPreStep = (carry) => {
    if (!Array.isArray(carry)) throw new Error(`step '${FORWARD_STEP}': the item carries no tensors`);
    return carry as Tensor[];
  };
  return {
    input: steps.input,
    post: new Map([[FORWARD_STEP, (outputs: readonly Tensor[]) => [outputs]], ...steps.post]),
    pre: new Map([[FORWARD_STEP, forwardPre], ...steps.pre]),
    output: steps.output,
  };
}
