import type { LatencyModel } from '../core/latency-model.js';

/**
 * What the control loop changes in the serving engine (the `Engine` implements it): which instances
 * serve, at which cores and batch size, and how a module's traffic is split over its variants. The
 * control loop never sees requests; the engine never sees plans.
 */

export interface ServedInstance {
  readonly id: string;
  /** `module/variant`. */
  readonly group: string;
  readonly cores: number;
  /** The largest batch it runs; default its group's. */
  readonly maxBatch?: number;
  /** Its hardware kind's latency model (assignment dispatch across mixed hardware). */
  readonly latency?: LatencyModel;
}

export interface ServingControl {
  /** Puts a ready instance into service. */
  addInstance(registration: ServedInstance): void;
  /** Takes an instance out of service: it finishes its batch in flight, then receives nothing. */
  removeInstance(id: string): void;
  /** Records an instance's new allocation (after the actuator resized it). */
  resizeInstance(id: string, cores: number): void;
  /** Sets an instance's largest batch from its next batch on. */
  setInstanceBatch(id: string, maxBatch: number | undefined): void;
  /** Splits a module's traffic over its variants by weight. */
  setRoute(module: string, weightsByVariant: Readonly<Record<string, number>>): void;
}
