/**
 * The port between the control loop's decisions and the instances that carry them out (DESIGN.md §1):
 * start an instance of a variant on a hardware kind with some cores, resize one in place, stop one.
 * The local actuator runs real processes (cgroup quota, thread count), the simulated one applies the
 * profiled delays on a virtual clock, the Kubernetes one patches pods. Each reports exactly once, when
 * the action has taken effect (the instance can take batches, runs at the new size, or is gone), or
 * that it failed.
 */

export type InstanceAction =
  | {
      readonly kind: 'start';
      readonly instanceId: string;
      /** `module/variant`. */
      readonly group: string;
      readonly hardware: string;
      /** Per instance, in (fractional) cores. */
      readonly cores: number;
    }
  | { readonly kind: 'resize'; readonly instanceId: string; readonly cores: number }
  | { readonly kind: 'stop'; readonly instanceId: string };

export type ActionOutcome =
  | {
      readonly ok: true;
      /** From the request to the effect, on the actuator's clock, ms. */ readonly tookMs: number;
    }
  | { readonly ok: false; readonly error: string };

export interface Actuator {
  /** Carries out `action`; calls `done` exactly once, never synchronously. */
  apply(action: InstanceAction, done: (outcome: ActionOutcome) => void): void;
}
