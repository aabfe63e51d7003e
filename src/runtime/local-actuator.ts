/**
 * The local `Actuator`: the control loop's actions on real instance processes of this machine, through
 * the worker pool: start an instance (process, cgroup quota, onnxruntime session, warm-up), resize it in
 * place (the CPU quota at once; the intra-op thread count only if it must change), stop it (batches in
 * flight finish first). Reports each action once, when it has taken effect.
 */
import { SluiceError } from '../core/errors.js';
import type { ActionOutcome, Actuator, InstanceAction } from '../ports/actuator.js';
import type { Clock } from '../ports/clock.js';
import type { InstanceHost } from '../ports/instance-host.js';

export interface LocalActuatorOptions {
  /** The model file of a group (`module/variant`). */
  readonly modelPathOf: (group: string) => string;
  /**
   * Intra-op threads of a new instance. Default: the most cores an instance may be given, so that later
   * resizes only change the CPU quota (a 1-3 ms write) instead of rebuilding the session.
   */
  readonly threads: number;
  /**
   * Start instances with at least this many cores and resize them down once loaded: loading a model is
   * CPU-bound, and a quarter-core quota would stretch a 1 s load to 4. Default 1.
   */
  readonly startCores?: number;
  /** Called once a started instance is ready (e.g. to calibrate it before it takes traffic). */
  readonly onStarted?: (instanceId: string, group: string) => Promise<void>;
}

export class LocalActuator implements Actuator {
  constructor(
    private readonly host: InstanceHost,
    private readonly clock: Clock,
    private readonly options: LocalActuatorOptions,
  ) {}

  apply(action: InstanceAction, done: (outcome: ActionOutcome) => void): void {
    const askedMs = this.clock.nowMs();
    const finish = (work: Promise<unknown>): void => {
      work.then(
        () => done({ ok: true, tookMs: this.clock.nowMs() - askedMs }),
        (error: unknown) =>
          done({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    };
    switch (action.kind) {
      case 'start':
        finish(
          (async () => {
            const boost = Math.max(action.cores, this.options.startCores ?? 1);
            await this.host.startInstance({
              instanceId: action.instanceId,
              group: action.group,
              modelPath: this.options.modelPathOf(action.group),
              cores: boost,
              intraOpThreads: this.options.threads,
            });
            if (boost !== action.cores) {
              await this.host.resizeInstance(action.instanceId, action.cores, this.options.threads);
            }
            await this.options.onStarted?.(action.instanceId, action.group);
          })(),
        );
        return;
      case 'resize':
        finish(this.host.resizeInstance(action.instanceId, action.cores, this.options.threads));
        return;
      case 'stop':
        finish(this.host.stopInstance(action.instanceId));
        return;
      default:
        done({ ok: false, error: new SluiceError('INTERNAL', 'unknown action').message });
    }
  }
}
