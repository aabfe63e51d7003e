/**
 * Registers a loaded module (its `config.yaml`, as a `ModuleSpec`) with an engine: the module's admission
 * settings and one instance group per variant, each with the variant's profiled latency model as prior.
 * The one place a `ModuleSpec` becomes engine settings, for the server, the simulator and tests alike.
 */
import { groupId, type ModuleSpec } from '../core/model-spec.js';
import type { Engine } from './engine.js';
import type { GroupSettings } from './types.js';

/**
 * Returns the group ids it added, in variant order. `dispatch` is how queued requests reach instances
 * (GroupSettings.dispatch; default the batcher).
 */
export function registerModule<P, R>(
  engine: Engine<P, R>,
  spec: ModuleSpec,
  options: { readonly dispatch?: GroupSettings['dispatch'] } = {},
): string[] {
  engine.addModule({
    name: spec.name,
    inputs: spec.inputs,
    batched: spec.maxBatch > 0,
    defaultSloMs: spec.defaultSloMs,
    variants: spec.variants.map((v) => v.name),
    defaultVariant: spec.defaultVariant,
  });
  return spec.variants.map((variant) => {
    engine.addGroup(
      {
        module: spec.name,
        variant: variant.name,
        maxBatch: Math.max(1, spec.maxBatch),
        batching: spec.batching,
        ...(options.dispatch === undefined ? {} : { dispatch: options.dispatch }),
      },
      variant.latency === undefined ? {} : { prior: variant.latency },
    );
    return groupId(spec.name, variant.name);
  });
}
