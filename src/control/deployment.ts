/**
 * The running deployment and the one place a plan becomes actions: per (module, variant, hardware) the
 * plan's tuples are instance slots (cores, batch); running instances are matched to slots largest first
 * and resized in place where their cores differ, extra instances are drained and stopped, missing ones
 * started, and each module's traffic is split over its variants by the plan's rates. Instances enter
 * service only once the actuator reports them ready, and leave it before they are stopped, so no
 * request is sent to an instance that cannot take it.
 */
import type { LatencyModel } from '../core/latency-model.js';
import type { Plan } from '../planner/plan.js';
import type { Actuator, InstanceAction } from '../ports/actuator.js';
import type { Clock } from '../ports/clock.js';
import type { ServingControl } from '../ports/serving-control.js';

export type InstancePhase = 'starting' | 'ready' | 'resizing' | 'stopping';

export interface DeployedInstance {
  readonly id: string;
  readonly module: string;
  readonly variant: string;
  readonly hardware: string;
  /** Cores in force (for a resizing instance: the old allocation until the resize takes effect). */
  cores: number;
  /** Cores asked for. */
  targetCores: number;
  maxBatch: number;
  phase: InstancePhase;
  /** Not wanted by the plan, serving until its module's new instances are ready. */
  retiring?: boolean;
}

export interface DeploymentEvent {
  readonly atMs: number;
  readonly kind: 'start-asked' | 'started' | 'resize-asked' | 'resized' | 'stop-asked' | 'stopped' | 'failed';
  readonly instanceId: string;
  readonly detail: string;
}

export interface DeploymentDeps {
  readonly clock: Clock;
  readonly actuator: Actuator;
  readonly serving: ServingControl;
  readonly onEvent?: (event: DeploymentEvent) => void;
  /**
   * Change an instance's cores by replacing it (stop, then start anew: Kubernetes VPA's recreate mode)
   * instead of resizing it in place. Default false.
   */
  readonly resizeByRestart?: boolean;
  /** The latency model of a variant on a hardware kind, handed to the engine with each instance. */
  readonly latencyOf?: (module: string, variant: string, hardware: string) => LatencyModel | undefined;
}

/** What `apply` asked for. */
export interface DeploymentChange {
  readonly started: number;
  readonly resized: number;
  readonly stopped: number;
  readonly rebatched: number;
}

export class Deployment {
  private readonly records = new Map<string, DeployedInstance>();
  private seq = 0;
  /** Per module, the traffic split of the plan in force (req/s by variant). */
  private readonly plannedRoutes = new Map<string, Record<string, number>>();
  /** Per module, the split last given to the serving side, and its canonical form. */
  private readonly appliedRoutes = new Map<string, Record<string, number>>();
  private readonly appliedRouteKeys = new Map<string, string>();

  constructor(private readonly deps: DeploymentDeps) {}

  /** Every instance not yet stopped, in start order. */
  get instances(): readonly DeployedInstance[] {
    return [...this.records.values()];
  }

  /** Instances in service (ready or resizing) and their cores: what is being paid for and serving. */
  get serving(): readonly DeployedInstance[] {
    return this.instances.filter((i) => i.phase === 'ready' || i.phase === 'resizing');
  }

  /** Moves the deployment toward `plan` (see the file's header). */
  apply(plan: Plan): DeploymentChange {
    let started = 0;
    let resized = 0;
    let stopped = 0;
    let rebatched = 0;
    const wanted = new Map<
      string,
      { module: string; variant: string; hardware: string; slots: { cores: number; batch: number }[] }
    >();
    for (const m of plan.modules) {
      for (const t of m.tuples) {
        const key = slotKey(m.name, t.variant, t.hardware);
        const entry = wanted.get(key) ?? {
          module: m.name,
          variant: t.variant,
          hardware: t.hardware,
          slots: [],
        };
        for (let i = 0; i < t.instances; i++) entry.slots.push({ cores: t.cores, batch: t.batch });
        wanted.set(key, entry);
      }
    }
    const extras: DeployedInstance[] = [];
    const live = new Map<string, DeployedInstance[]>();
    for (const r of this.records.values()) {
      if (r.phase === 'stopping' || r.retiring === true) continue;
      const key = slotKey(r.module, r.variant, r.hardware);
      live.set(key, [...(live.get(key) ?? []), r]);
    }
    for (const key of new Set([...wanted.keys(), ...live.keys()])) {
      const want = wanted.get(key);
      const slots = [...(want?.slots ?? [])].sort((a, b) => b.cores - a.cores || b.batch - a.batch);
      const have = [...(live.get(key) ?? [])].sort((a, b) => b.targetCores - a.targetCores);
      const pairs = Math.min(slots.length, have.length);
      for (let i = 0; i < pairs; i++) {
        const slot = slots[i];
        const record = have[i];
        if (slot === undefined || record === undefined) continue;
        if (record.maxBatch !== slot.batch) {
          record.maxBatch = slot.batch;
          if (record.phase !== 'starting') this.deps.serving.setInstanceBatch(record.id, slot.batch);
          rebatched += 1;
        }
        if (record.targetCores !== slot.cores && record.phase !== 'starting') {
          if (this.deps.resizeByRestart === true) {
            this.stop(record);
            this.start(record.module, record.variant, record.hardware, slot.cores, slot.batch);
            stopped += 1;
            started += 1;
          } else {
            this.resize(record, slot.cores);
            resized += 1;
          }
        }
      }
      for (const record of have.slice(pairs)) {
        extras.push(record);
        stopped += 1;
      }
      if (want !== undefined) {
        for (const slot of slots.slice(pairs)) {
          this.start(want.module, want.variant, want.hardware, slot.cores, slot.batch);
          started += 1;
        }
      }
    }
    // Make before break: an instance whose module gets new instances in this change keeps serving until
    // they are ready (a variant swap must not lose the old variant's capacity for a cold start).
    for (const record of extras) this.retire(record);
    for (const m of plan.modules) {
      const weights: Record<string, number> = {};
      for (const t of m.tuples) weights[t.variant] = (weights[t.variant] ?? 0) + t.rateRps;
      if (Object.values(weights).some((w) => w > 0)) {
        this.plannedRoutes.set(m.name, weights);
        this.refreshRoute(m.name);
      }
    }
    return { started, resized, stopped, rebatched };
  }

  private start(module: string, variant: string, hardware: string, cores: number, batch: number): void {
    this.seq += 1;
    const group = `${module}/${variant}`;
    const record: DeployedInstance = {
      id: `${group}@${hardware}#${this.seq}`,
      module,
      variant,
      hardware,
      cores,
      targetCores: cores,
      maxBatch: batch,
      phase: 'starting',
    };
    this.records.set(record.id, record);
    this.act(
      { kind: 'start', instanceId: record.id, group, hardware, cores },
      `${cores} cores, batch ${batch}`,
      (ok) => {
        if (!ok) {
          this.records.delete(record.id);
          this.retireIfReplaced(module);
          return;
        }
        if (record.phase === 'stopping') {
          // Not wanted any more by the time it was ready.
          this.act({ kind: 'stop', instanceId: record.id }, 'unwanted once ready', () =>
            this.records.delete(record.id),
          );
          return;
        }
        record.phase = 'ready';
        const latency = this.deps.latencyOf?.(module, variant, hardware);
        this.deps.serving.addInstance({
          id: record.id,
          group,
          cores: record.cores,
          maxBatch: record.maxBatch,
          ...(latency === undefined ? {} : { latency }),
        });
        this.retireIfReplaced(module);
        this.refreshRoute(module);
      },
    );
  }

  private resize(record: DeployedInstance, cores: number): void {
    record.targetCores = cores;
    record.phase = 'resizing';
    this.act({ kind: 'resize', instanceId: record.id, cores }, `${record.cores} -> ${cores} cores`, (ok) => {
      if (record.phase === 'stopping') return;
      if (ok) {
        record.cores = cores;
        this.deps.serving.resizeInstance(record.id, cores);
      } else {
        record.targetCores = record.cores;
      }
      record.phase = 'ready';
    });
  }

  /** Stops `record` now, or once the module's instances being started are ready. */
  private retire(record: DeployedInstance): void {
    if (record.phase === 'starting') {
      this.stop(record);
      return;
    }
    record.retiring = true;
    this.retireIfReplaced(record.module);
  }

  /** Stops the module's retiring instances once none of its instances is still starting. */
  private retireIfReplaced(module: string): void {
    const starting = [...this.records.values()].some((r) => r.module === module && r.phase === 'starting');
    if (starting) return;
    for (const r of [...this.records.values()]) {
      if (r.module === module && r.retiring === true && r.phase !== 'stopping') this.stop(r);
    }
  }

  private stop(record: DeployedInstance): void {
    const wasStarting = record.phase === 'starting';
    record.phase = 'stopping';
    // A starting instance is stopped once its start completes (see start); anything else leaves service now.
    if (wasStarting) return;
    this.deps.serving.removeInstance(record.id);
    this.act({ kind: 'stop', instanceId: record.id }, 'drained', () => this.records.delete(record.id));
    this.refreshRoute(record.module);
  }

  /**
   * Routes the module's traffic as the plan splits it, but only to variants with an instance in service: a
   * variant whose instances are still starting gets its share once one is ready, and until then the
   * variants still serving (the old route's, retiring or not) carry it, instead of requests being refused.
   */
  private refreshRoute(module: string): void {
    const planned = this.plannedRoutes.get(module);
    if (planned === undefined) return;
    const serving = new Map<string, number>();
    for (const r of this.records.values())
      if (r.module === module && (r.phase === 'ready' || r.phase === 'resizing'))
        serving.set(r.variant, (serving.get(r.variant) ?? 0) + r.cores);
    const inService = (weights: Readonly<Record<string, number>>): Record<string, number> =>
      Object.fromEntries(Object.entries(weights).filter(([v, w]) => w > 0 && serving.has(v)));
    const total = (weights: Readonly<Record<string, number>>): number =>
      Object.values(weights).reduce((a, b) => a + b, 0);
    let weights = inService(planned);
    if (total(weights) <= 0) weights = inService(this.appliedRoutes.get(module) ?? {});
    if (total(weights) <= 0) weights = Object.fromEntries(serving);
    // Nothing in service yet (start-up): route as planned, requests wait for the first ready instance.
    if (total(weights) <= 0) weights = { ...planned };
    const key = JSON.stringify(Object.entries(weights).sort());
    if (this.appliedRouteKeys.get(module) === key) return;
    this.appliedRouteKeys.set(module, key);
    this.appliedRoutes.set(module, weights);
    this.deps.serving.setRoute(module, weights);
  }

  private act(action: InstanceAction, detail: string, then: (ok: boolean) => void): void {
    const kind = action.kind;
    this.emit(`${kind}-asked` as DeploymentEvent['kind'], action.instanceId, detail);
    this.deps.actuator.apply(action, (outcome) => {
      if (outcome.ok) {
        const done = kind === 'start' ? 'started' : kind === 'resize' ? 'resized' : 'stopped';
        this.emit(done, action.instanceId, `${detail} in ${outcome.tookMs.toFixed(0)} ms`);
      } else {
        this.emit('failed', action.instanceId, `${kind}: ${outcome.error}`);
      }
      then(outcome.ok);
    });
  }

  private emit(kind: DeploymentEvent['kind'], instanceId: string, detail: string): void {
    this.deps.onEvent?.({ atMs: this.deps.clock.nowMs(), kind, instanceId, detail });
  }
}

function slotKey(module: string, variant: string, hardware: string): string {
  return `${module}\u0000${variant}\u0000${hardware}`;
}
