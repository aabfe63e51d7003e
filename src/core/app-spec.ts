/**
 * What an application (a pipeline of modules with one end-to-end SLO, Harpagon's world) looks like once
 * its `apps/<name>.yaml` is loaded and validated (format: docs/model-repository.md). Steps are named here
 * and implemented in TypeScript (`AppSteps`, app-steps.ts); the loader checks every name against them.
 */
import type { TensorSpec } from './model-spec.js';

/**
 * How the requests of an application's modules reach their instances: `batch` (default): the
 * deadline-aware batcher, whole batches to one instance; `per-request`: each request alone, oldest
 * first, to the next idle instance (Nexus-style round-robin over instances, no batching).
 */
export type AppDispatch = 'batch' | 'per-request';

export interface AppEdgeSpec {
  readonly from: string;
  readonly to: string;
  /** `each`: every item `post` returns becomes one request of `to`; `one`: exactly one request. */
  readonly fanout: 'each' | 'one';
  /** Requests of `to` per request of `from` the planner assumes (e.g. text lines per image); default 1. */
  readonly expectedFanout: number;
  /** Step turning `from`'s outputs (and the item that caused them) into the items for `to`; a name. */
  readonly post: string;
  /** Step turning one item into `to`'s input tensors; a name. */
  readonly pre: string;
}

export interface AppSpec {
  readonly name: string;
  /** Absolute path of its yaml file. */
  readonly file: string;
  readonly description: string;
  /** Module names (each a module of the repository), in the file's order. */
  readonly modules: readonly string[];
  /** A DAG over `modules`; the modules without incoming edges receive the application's requests. */
  readonly edges: readonly AppEdgeSpec[];
  /** End-to-end latency objective when the request states none, ms. */
  readonly sloMs: number;
  /** The application's own inputs and outputs (full shapes, no batch dimension: one request, one item). */
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Step turning the request's input tensors into the first item (and input tensors) of the sources. */
  readonly input: string;
  /** Step assembling the sinks' outputs into the application's outputs. */
  readonly output: string;
  readonly dispatch: AppDispatch;
}
