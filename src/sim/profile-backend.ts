/**
 * The simulated `Backend`: a batch completes after a time drawn from its instance group's latency model
 * at the instance's current cores, times a log-normal factor with median 1 whose spread reproduces the
 * measured p99/p50 ratio. Time is the injected clock's (a `VirtualClock` in the simulator); randomness is
 * the injected `Rng`, so a run with the same seed draws the same batch times.
 */
import { SluiceError } from '../core/errors.js';
import { estimateLatencyMs, type LatencyModel } from '../core/latency-model.js';
import type { Backend, Batch, BatchResult } from '../ports/backend.js';
import type { Clock } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';

/** z of the 99th percentile of the standard normal. */
const Z99 = 2.3263478740408408;

/** The log-normal σ whose 99th percentile is `p99OverP50` times its median (0 for a ratio ≤ 1). */
export function spreadSigma(p99OverP50: number): number {
  return p99OverP50 > 1 ? Math.log(p99OverP50) / Z99 : 0;
}

export interface SimulatedGroup {
  /** Median batch latency of the group's variant on its hardware. */
  readonly latency: LatencyModel;
  /** Log-normal σ of the batch time around the median (see {@link spreadSigma}). */
  readonly sigma: number;
}

/** Simulated batches carry no outputs: each item completes with `null`. */
export class ProfileBackend<P> implements Backend<P, null> {
  private readonly groups = new Map<string, SimulatedGroup>();
  private readonly cores = new Map<string, number>();
  /** Per-instance models (an instance on another hardware kind than its group's default). */
  private readonly models = new Map<string, SimulatedGroup>();
  /** A normal deviate left over from the last Box-Muller pair. */
  private spare: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
  ) {}

  setGroup(group: string, settings: SimulatedGroup): void {
    this.groups.set(group, settings);
  }

  /** The instance's allocation from now on (batches in flight keep the time they were given). */
  setInstanceCores(instanceId: string, cores: number): void {
    this.cores.set(instanceId, cores);
  }

  /** The instance's own latency model (its hardware kind's), used instead of its group's. */
  setInstanceModel(instanceId: string, settings: SimulatedGroup): void {
    this.models.set(instanceId, settings);
  }

  /** Forgets a stopped instance. */
  removeInstance(instanceId: string): void {
    this.cores.delete(instanceId);
    this.models.delete(instanceId);
  }

  /** The time the next batch of `rows` on `instanceId` of `group` would take, drawn now. */
  drawBatchMs(group: string, instanceId: string, rows: number): number {
    const settings = this.models.get(instanceId) ?? this.groups.get(group);
    if (settings === undefined)
      throw new SluiceError('INTERNAL', `no latency model for instance '${instanceId}' of '${group}'`);
    const cores = this.cores.get(instanceId) ?? 1;
    const median = estimateLatencyMs(settings.latency, rows, cores);
    return settings.sigma > 0 ? median * Math.exp(settings.sigma * this.normal()) : median;
  }

  execute(batch: Batch<P>, done: (result: BatchResult<null>) => void): void {
    const computeMs = this.drawBatchMs(batch.group, batch.instanceId, batch.rows);
    this.clock.setTimer(this.clock.nowMs() + computeMs, () => {
      done({ ok: true, outputs: batch.items.map(() => null), computeMs });
    });
  }

  private normal(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    // Box-Muller; 1 - u keeps the logarithm finite (u is in [0, 1)).
    const u = 1 - this.rng.next();
    const v = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
