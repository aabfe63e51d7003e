/**
 * The simulated `Actuator`: actions take effect after the delays a real one would need, on the virtual
 * clock: a new instance serves after its cold start (process start, model load, warm-up: from the
 * profile), an in-place resize after the resize time, a stop at once (the deployment drained it first).
 * Instances it starts get their hardware kind's latency model in the simulated backend.
 */
import type { ActionOutcome, Actuator, InstanceAction } from '../ports/actuator.js';
import type { Clock } from '../ports/clock.js';
import type { ProfileBackend, SimulatedGroup } from './profile-backend.js';

export interface SimulatedTimings {
  /** Cold start of an instance of `group` on `hardware` with `cores`, ms. */
  startMs(group: string, hardware: string, cores: number): number;
  /** Time for an in-place resize of an instance of `group` to take effect, ms. */
  resizeMs(group: string, hardware: string, fromCores: number, toCores: number): number;
  /** The latency model of `group`'s variant on `hardware`. */
  model(group: string, hardware: string): SimulatedGroup;
}

interface SimulatedInstance {
  readonly group: string;
  readonly hardware: string;
  cores: number;
}

export class SimulatedActuator implements Actuator {
  private readonly instances = new Map<string, SimulatedInstance>();
  /** While true, every action takes effect at once (the deployment a run starts with). */
  instant = false;

  constructor(
    private readonly clock: Clock,
    private readonly backend: ProfileBackend<unknown>,
    private readonly timings: SimulatedTimings,
  ) {}

  apply(action: InstanceAction, done: (outcome: ActionOutcome) => void): void {
    const askedMs = this.clock.nowMs();
    const after = (delayMs: number, effect: () => void): void => {
      this.clock.setTimer(askedMs + (this.instant ? 0 : Math.max(0, delayMs)), () => {
        effect();
        done({ ok: true, tookMs: this.clock.nowMs() - askedMs });
      });
    };
    switch (action.kind) {
      case 'start': {
        const { instanceId, group, hardware, cores } = action;
        after(this.timings.startMs(group, hardware, cores), () => {
          this.instances.set(instanceId, { group, hardware, cores });
          this.backend.setInstanceModel(instanceId, this.timings.model(group, hardware));
          this.backend.setInstanceCores(instanceId, cores);
        });
        return;
      }
      case 'resize': {
        const instance = this.instances.get(action.instanceId);
        if (instance === undefined) {
          this.clock.setTimer(askedMs, () =>
            done({ ok: false, error: `no instance '${action.instanceId}'` }),
          );
          return;
        }
        after(this.timings.resizeMs(instance.group, instance.hardware, instance.cores, action.cores), () => {
          instance.cores = action.cores;
          this.backend.setInstanceCores(action.instanceId, action.cores);
        });
        return;
      }
      case 'stop':
        after(0, () => {
          this.instances.delete(action.instanceId);
          this.backend.removeInstance(action.instanceId);
        });
        return;
    }
  }

  /** Instances running now, with their cores (what is being paid for). */
  get running(): ReadonlyMap<string, Readonly<SimulatedInstance>> {
    return this.instances;
  }
}
