/**
 * The serving engine: arrival → admission → route → EDF queue → batcher → backend → outcome. It owns the
 * state (queues, instances, batches in flight) and drives the pure policies with time from the `Clock`
 * port, so the same engine runs live and in the simulator. Every submitted request gets exactly one
 * outcome: completed, rejected at admission, expired in the queue, or failed.
 */
import { SluiceError } from '../core/errors.js';
import { estimateLatencyMs, type LatencyModel } from '../core/latency-model.js';
import { groupId } from '../core/model-spec.js';
import type { Backend, BatchResult } from '../ports/backend.js';
import type { Clock, TimerId } from '../ports/clock.js';
import type { ServingControl } from '../ports/serving-control.js';
import { NO_METRICS, type MetricsSink } from '../ports/metrics-sink.js';
import { admit } from '../policy/admission.js';
import { assignQueued } from './assign-queued.js';
import { findExpired, nextExpiryMs, selectBatch } from '../policy/batcher.js';
import { computeDeadline } from '../policy/deadline.js';
import { LatencyEstimator, type LatencyEstimate } from '../policy/latency-estimator.js';
import { RequestQueue, type QueuedEntry } from '../policy/request-queue.js';
import { validateInputs } from '../policy/validate-inputs.js';
import { WeightedRouter } from '../policy/weighted-router.js';
import type { GroupSettings, GroupStats, ModuleSettings, Outcome, SubmittedRequest } from './types.js';

export interface EngineDeps<P, R> {
  readonly clock: Clock;
  readonly backend: Backend<P, R>;
  readonly metrics?: MetricsSink;
}

export interface InstanceRegistration {
  readonly id: string;
  /** Group id, `module/variant`. */
  readonly group: string;
  readonly cores: number;
  /** The largest batch this instance runs (a plan's tuple batch); default the group's max batch. */
  readonly maxBatch?: number;
  /** Its own latency model (its hardware kind's), for assignment dispatch; default the group's estimate. */
  readonly latency?: LatencyModel;
  /** Batch timings measured at start-up (warm-up), seeding the group's latency estimate. */
  readonly calibration?: readonly { readonly rows: number; readonly computeMs: number }[];
}

interface PendingRequest<P, R> extends QueuedEntry {
  readonly id: number;
  readonly module: string;
  readonly group: GroupState<P, R>;
  readonly payload: P;
  readonly respond: (outcome: Outcome<R>) => void;
  retried: boolean;
  dispatchedMs: number | undefined;
}

interface GroupState<P, R> {
  readonly id: string;
  readonly settings: GroupSettings;
  readonly queue: RequestQueue<PendingRequest<P, R>>;
  readonly estimator: LatencyEstimator;
  /** Instances in service (draining ones are not). */
  readonly instances: Set<string>;
  timer: TimerId | undefined;
  /** Cached `typicalCores`; undefined when the instances changed. */
  typicalCores: number | undefined;
}

interface InstanceState {
  readonly id: string;
  readonly group: string;
  cores: number;
  /** Undefined: the group's max batch. */
  maxBatch: number | undefined;
  readonly latency: LatencyModel | undefined;
  busyBatch: number | undefined;
  /** Ready to finish its batch but take no more; removed once idle. */
  draining: boolean;
  /** Lost and being restarted: takes no batches, but its group keeps admitting and queueing for it. */
  suspended: boolean;
}

interface BatchInFlight<P, R> {
  readonly instanceId: string;
  readonly dispatchedMs: number;
  /** When the batch should complete under the mean estimate at dispatch. */
  readonly expectedEndMs: number;
  readonly group: GroupState<P, R>;
  readonly items: readonly PendingRequest<P, R>[];
  readonly rows: number;
  readonly cores: number;
}

interface ModuleState {
  readonly settings: ModuleSettings;
  readonly router: WeightedRouter;
}

export class Engine<P, R> implements ServingControl {
  private readonly clock: Clock;
  private readonly backend: Backend<P, R>;
  private readonly metrics: MetricsSink;
  private readonly modules = new Map<string, ModuleState>();
  private readonly groups = new Map<string, GroupState<P, R>>();
  private readonly instances = new Map<string, InstanceState>();
  private readonly pending = new Map<number, PendingRequest<P, R>>();
  private readonly inFlight = new Map<number, BatchInFlight<P, R>>();
  private requestSeq = 0;
  private batchSeq = 0;
  private onDrained: (() => void) | undefined;
  private shuttingDown = false;

  constructor(deps: EngineDeps<P, R>) {
    this.clock = deps.clock;
    this.backend = deps.backend;
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  addModule(settings: ModuleSettings): void {
    if (this.modules.has(settings.name)) throw new Error(`module '${settings.name}' already added`);
    const router = new WeightedRouter({ [groupId(settings.name, settings.defaultVariant)]: 1 });
    this.modules.set(settings.name, { settings, router });
  }

  /** Adds a variant's instance group; `prior` is its profiled latency model, if any. */
  addGroup(settings: GroupSettings, options: { prior?: LatencyModel } = {}): void {
    const id = groupId(settings.module, settings.variant);
    if (!this.modules.has(settings.module))
      throw new Error(`group '${id}': unknown module '${settings.module}'`);
    if (this.groups.has(id)) throw new Error(`group '${id}' already added`);
    this.groups.set(id, {
      id,
      settings,
      queue: new RequestQueue(settings.batching.policy === 'fifo' ? 'fifo' : 'edf'),
      estimator: new LatencyEstimator(options.prior === undefined ? {} : { prior: options.prior }),
      instances: new Set(),
      timer: undefined,
      typicalCores: undefined,
    });
  }

  /** Sets the traffic split of a module over its variants (weights need not sum to 1). */
  setRoute(module: string, weightsByVariant: Readonly<Record<string, number>>): void {
    const state = this.modules.get(module);
    if (state === undefined) throw new Error(`unknown module '${module}'`);
    const weights: Record<string, number> = {};
    for (const [variant, weight] of Object.entries(weightsByVariant))
      weights[groupId(module, variant)] = weight;
    state.router.setWeights(weights);
  }

  addInstance(registration: InstanceRegistration): void {
    const group = this.groups.get(registration.group);
    if (group === undefined)
      throw new Error(`instance '${registration.id}': unknown group '${registration.group}'`);
    if (this.instances.has(registration.id)) throw new Error(`instance '${registration.id}' already added`);
    this.instances.set(registration.id, {
      id: registration.id,
      group: group.id,
      cores: registration.cores,
      maxBatch: registration.maxBatch,
      latency: registration.latency,
      busyBatch: undefined,
      draining: false,
      suspended: false,
    });
    group.instances.add(registration.id);
    group.typicalCores = undefined;
    for (const point of registration.calibration ?? []) {
      group.estimator.observe(point.rows, registration.cores, point.computeMs);
    }
    this.metrics.instanceAllocationChanged(registration.id, group.id, registration.cores);
    this.pump(group);
  }

  /** Takes an instance out of service: it finishes its batch in flight, if any, and receives no more. */
  removeInstance(id: string): void {
    const instance = this.instances.get(id);
    if (instance === undefined) return;
    if (instance.busyBatch === undefined) {
      this.forgetInstance(instance);
    } else {
      // Out of the group's service set at once (no routing, admission or batches to it); forgotten when idle.
      instance.draining = true;
      const from = this.groups.get(instance.group);
      from?.instances.delete(id);
      if (from !== undefined) from.typicalCores = undefined;
    }
  }

  /**
   * An instance was lost (its process died) and is being restarted: it takes no batches, but its group
   * keeps admitting and queueing requests for it (deadlines still apply) until `resumeInstance` or
   * `removeInstance`. A batch it held comes back as a retryable failure and is retried once.
   */
  suspendInstance(id: string): void {
    const instance = this.instances.get(id);
    if (instance !== undefined) instance.suspended = true;
  }

  /** A suspended instance is back (restarted), possibly with new timings. */
  resumeInstance(id: string, calibration: InstanceRegistration['calibration'] = []): void {
    const instance = this.instances.get(id);
    if (instance === undefined) throw new Error(`unknown instance '${id}'`);
    instance.suspended = false;
    const group = this.groups.get(instance.group);
    if (group === undefined) return;
    for (const point of calibration) group.estimator.observe(point.rows, instance.cores, point.computeMs);
    this.pump(group);
  }

  /** Records a new CPU allocation of a running instance (in-place resize). */
  resizeInstance(id: string, cores: number): void {
    const instance = this.instances.get(id);
    if (instance === undefined) throw new Error(`unknown instance '${id}'`);
    instance.cores = cores;
    const resized = this.groups.get(instance.group);
    if (resized !== undefined) resized.typicalCores = undefined;
    this.metrics.instanceAllocationChanged(id, instance.group, cores);
  }

  /** Sets the largest batch an instance runs from its next batch on (undefined: the group's max batch). */
  setInstanceBatch(id: string, maxBatch: number | undefined): void {
    const instance = this.instances.get(id);
    if (instance === undefined) throw new Error(`unknown instance '${id}'`);
    instance.maxBatch = maxBatch;
    const group = this.groups.get(instance.group);
    if (group !== undefined) this.pump(group);
  }

  /** Answers every request queued for a group with `error` (e.g. its instances could not be restarted). */
  failQueued(group: string, error: SluiceError): void {
    const state = this.groups.get(group);
    if (state === undefined) return;
    for (const entry of state.queue.clear()) this.finishFailed(entry, 'failed', error);
    this.metrics.queueDepthChanged(state.id, 0);
  }

  /**
   * Submits a request; `respond` is called exactly once with its outcome, synchronously for a request
   * refused at once. Returns the engine's id for the request.
   */
  submit(request: SubmittedRequest<P>, respond: (outcome: Outcome<R>) => void): number {
    const id = ++this.requestSeq;
    const nowMs = this.clock.nowMs();
    const refuse = (error: SluiceError, group?: string, deadlineMs?: number): number => {
      this.metrics.requestArrived({
        module: request.module,
        arrivalMs: request.arrivalMs,
        budgetMs: deadlineMs === undefined ? undefined : deadlineMs - request.arrivalMs,
      });
      respond({
        kind: 'rejected',
        requestId: id,
        module: request.module,
        arrivalMs: request.arrivalMs,
        deadlineMs,
        finishedMs: nowMs,
        error,
        group,
      });
      this.reportFinished(request.module, group, 'rejected', error.code, nowMs - request.arrivalMs, false);
      return id;
    };

    if (this.shuttingDown) return refuse(new SluiceError('NOT_READY', 'the server is shutting down'));
    const module = this.modules.get(request.module);
    if (module === undefined)
      return refuse(new SluiceError('UNKNOWN_MODEL', `no model named '${request.module}'`));
    const group = this.route(module, request.version);
    if (group instanceof SluiceError) return refuse(group);

    let rows = request.rows ?? 1;
    let shapeKey = '';
    if (request.inputs !== undefined) {
      const fit = validateInputs(
        module.settings.name,
        module.settings.inputs,
        module.settings.batched,
        group.settings.maxBatch,
        request.inputs,
      );
      if (fit instanceof SluiceError) return refuse(fit, group.id);
      rows = fit.rows;
      shapeKey = fit.shapeKey;
    }

    const deadline = computeDeadline(request.arrivalMs, request.budget, module.settings.defaultSloMs);
    if (deadline instanceof SluiceError) return refuse(deadline, group.id);

    const decision = admit({
      nowMs,
      deadlineMs: deadline.deadlineMs,
      rows,
      rowsAhead: group.queue.rowsAhead(deadline.deadlineMs, request.arrivalMs, id),
      queuedRows: group.queue.rows,
      queueLength: group.queue.length,
      maxQueueLength: group.settings.batching.maxQueueLength,
      instanceFreeInMs: this.freeInMs(group, nowMs),
      batchRows: Math.min(group.settings.batching.preferredBatch, group.settings.maxBatch),
      latencyMs: (r) => this.estimate(group, r).meanMs,
      mode: group.settings.batching.admission,
    });
    if (!decision.admitted) return refuse(decision.error, group.id, deadline.deadlineMs);

    const entry: PendingRequest<P, R> = {
      seq: id,
      id,
      arrivalMs: request.arrivalMs,
      deadlineMs: deadline.deadlineMs,
      rows,
      shapeKey,
      module: module.settings.name,
      group,
      payload: request.payload,
      respond,
      retried: false,
      dispatchedMs: undefined,
    };
    this.metrics.requestArrived({
      module: request.module,
      arrivalMs: request.arrivalMs,
      budgetMs: deadline.deadlineMs - request.arrivalMs,
    });
    this.pending.set(id, entry);
    group.queue.push(entry);
    this.pump(group);
    return id;
  }

  /** A module (or one of its variants) has at least one instance in service. */
  isReady(module: string, version?: string): boolean {
    const state = this.modules.get(module);
    if (state === undefined) return false;
    const variants = version === undefined ? state.settings.variants : [version];
    return variants.some((v) => (this.groups.get(groupId(module, v))?.instances.size ?? 0) > 0);
  }

  stats(): GroupStats[] {
    return [...this.groups.values()].map((g) => ({
      group: g.id,
      queueLength: g.queue.length,
      queuedRows: g.queue.rows,
      instances: g.instances.size,
      busyInstances: [...g.instances].filter((i) => this.instances.get(i)?.busyBatch !== undefined).length,
    }));
  }

  /** Requests admitted and not yet answered. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Stops admitting (later submits are refused NOT_READY) and calls `onDrained` once every admitted request is answered. */
  shutdown(onDrained: () => void): void {
    this.shuttingDown = true;
    this.onDrained = onDrained;
    this.checkDrained();
  }

  private route(module: ModuleState, version: string | undefined): GroupState<P, R> | SluiceError {
    const name = module.settings.name;
    if (version !== undefined) {
      if (!module.settings.variants.includes(version)) {
        return new SluiceError('UNKNOWN_VERSION', `model '${name}' has no version '${version}'`);
      }
      const group = this.groups.get(groupId(name, version));
      if (group === undefined || group.instances.size === 0) {
        return new SluiceError(
          'NOT_READY',
          `version '${version}' of model '${name}' has no instance in service`,
        );
      }
      return group;
    }
    const picked = module.router.pick((g) => (this.groups.get(g)?.instances.size ?? 0) > 0);
    const group = picked === undefined ? undefined : this.groups.get(picked);
    if (group === undefined)
      return new SluiceError('NOT_READY', `model '${name}' has no instance in service`);
    return group;
  }

  private estimate(group: GroupState<P, R>, rows: number, cores?: number): LatencyEstimate {
    return group.estimator.estimate(rows, cores ?? this.typicalCores(group));
  }

  /** The most cores of the group's instances (cached: it is read for every estimate). */
  private typicalCores(group: GroupState<P, R>): number {
    if (group.typicalCores !== undefined) return group.typicalCores;
    let cores = 0;
    for (const id of group.instances) cores = Math.max(cores, this.instances.get(id)?.cores ?? 0);
    group.typicalCores = cores > 0 ? cores : 1;
    return group.typicalCores;
  }

  /** For each instance in service, ms until it is free under the mean estimate (0 when idle). */
  private freeInMs(group: GroupState<P, R>, nowMs: number): number[] {
    const free: number[] = [];
    for (const id of group.instances) {
      const instance = this.instances.get(id);
      if (instance === undefined || instance.suspended) continue;
      const batch = instance.busyBatch === undefined ? undefined : this.inFlight.get(instance.busyBatch);
      if (batch === undefined) {
        free.push(0);
        continue;
      }
      free.push(Math.max(0, batch.expectedEndMs - nowMs));
    }
    return free;
  }

  /** Expires what can no longer make it, then dispatches to idle instances until the batcher says wait. */
  private pump(group: GroupState<P, R>): void {
    if (group.timer !== undefined) {
      this.clock.clearTimer(group.timer);
      group.timer = undefined;
    }
    const nowMs = this.clock.nowMs();
    const { batching, maxBatch } = group.settings;
    if (batching.admission !== 'serve' && group.queue.length > 0) {
      const expired = findExpired(nowMs, group.queue.entries, batching.policy, (r) =>
        this.estimate(group, r),
      );
      for (const entry of group.queue.take(expired)) {
        const passed = entry.deadlineMs < nowMs;
        const message = passed
          ? `deadline passed ${(nowMs - entry.deadlineMs).toFixed(1)} ms ago while queued`
          : `deadline can no longer be met: ${(entry.deadlineMs - nowMs).toFixed(1)} ms left`;
        this.finishFailed(entry, 'expired', new SluiceError('DEADLINE_EXCEEDED', message));
      }
    }
    let wakeMs: number | undefined;
    const dispatchMode = group.settings.dispatch ?? 'batch';
    if (dispatchMode !== 'batch' && group.queue.length > 0) this.assign(group, dispatchMode, nowMs);
    while (dispatchMode === 'batch' && group.queue.length > 0) {
      const idle = this.idleInstances(group);
      const fastest = idle[0];
      if (fastest === undefined) break;
      const instanceMax = Math.max(1, Math.min(maxBatch, fastest.maxBatch ?? maxBatch));
      const decision = selectBatch({
        nowMs,
        queue: group.queue.entries,
        idleInstances: idle.length,
        preferredBatch: Math.min(batching.preferredBatch, instanceMax),
        maxBatch: instanceMax,
        maxQueueDelayMs: batching.maxQueueDelayMs,
        policy: batching.policy,
        latency: (r) => this.estimate(group, r, fastest.cores),
      });
      if (decision.kind === 'dispatch') {
        this.dispatch(group, fastest, group.queue.take(decision.positions), nowMs);
        continue;
      }
      if (decision.kind === 'wait') wakeMs = decision.untilMs;
      break;
    }
    if (batching.admission !== 'serve') {
      const expiry = nextExpiryMs(group.queue.entries, batching.policy, (r) => this.estimate(group, r));
      if (expiry !== undefined) wakeMs = wakeMs === undefined ? expiry : Math.min(wakeMs, expiry);
    }
    if (wakeMs !== undefined) {
      group.timer = this.clock.setTimer(wakeMs, () => {
        group.timer = undefined;
        this.pump(group);
      });
    }
    this.metrics.queueDepthChanged(group.id, group.queue.length);
  }

  /** Assignment dispatch (see GroupSettings.dispatch): one request per batch, to the instance the policy picks. */
  private assign(group: GroupState<P, R>, mode: 'min-cost-matching' | 'fcfs', nowMs: number): void {
    const instances: InstanceState[] = [];
    for (const id of group.instances) {
      const instance = this.instances.get(id);
      if (instance !== undefined && !instance.suspended) instances.push(instance);
    }
    // Only an idle instance can be given a request now.
    if (!instances.some((i) => i.busyBatch === undefined)) return;
    const free = this.freeInMs(group, nowMs);
    const pairs = assignQueued({
      nowMs,
      mode,
      queue: group.queue.entries,
      instances: instances.map((instance, i) => ({
        id: instance.id,
        freeAtMs: instance.busyBatch === undefined ? nowMs : nowMs + (free[i] ?? 0),
        latencyMs: (rows) =>
          instance.latency === undefined
            ? this.estimate(group, rows, instance.cores).meanMs
            : estimateLatencyMs(instance.latency, rows, instance.cores),
      })),
    });
    if (pairs.length === 0) return;
    const taken = group.queue.take(pairs.map((p) => p.position));
    const byPosition = [...pairs].sort((a, b) => a.position - b.position);
    byPosition.forEach((pair, i) => {
      const entry = taken[i];
      const instance = instances.find((x) => x.id === pair.instanceId);
      if (entry !== undefined && instance !== undefined) this.dispatch(group, instance, [entry], nowMs);
    });
  }

  /** Idle instances of the group in service, most cores first. */
  private idleInstances(group: GroupState<P, R>): InstanceState[] {
    const idle: InstanceState[] = [];
    for (const id of group.instances) {
      const instance = this.instances.get(id);
      if (instance !== undefined && instance.busyBatch === undefined && !instance.suspended)
        idle.push(instance);
    }
    return idle.sort((a, b) => b.cores - a.cores);
  }

  private dispatch(
    group: GroupState<P, R>,
    instance: InstanceState,
    items: readonly PendingRequest<P, R>[],
    nowMs: number,
  ): void {
    const batchId = ++this.batchSeq;
    let rows = 0;
    for (const item of items) {
      item.dispatchedMs = nowMs;
      rows += item.rows;
    }
    instance.busyBatch = batchId;
    const expectedEndMs = nowMs + this.estimate(group, rows, instance.cores).meanMs;
    this.inFlight.set(batchId, {
      instanceId: instance.id,
      dispatchedMs: nowMs,
      group,
      items,
      rows,
      cores: instance.cores,
      expectedEndMs,
    });
    this.metrics.batchDispatched({ group: group.id, instanceId: instance.id, rows, items: items.length });
    this.backend.execute(
      {
        batchId,
        group: group.id,
        instanceId: instance.id,
        items: items.map((item) => ({ requestId: String(item.id), rows: item.rows, payload: item.payload })),
        rows,
      },
      (result) => this.batchDone(batchId, result),
    );
  }

  private batchDone(batchId: number, result: BatchResult<R>): void {
    const batch = this.inFlight.get(batchId);
    if (batch === undefined) return; // a backend answering twice: the first answer stands
    this.inFlight.delete(batchId);
    const { group } = batch;
    const instance = this.instances.get(batch.instanceId);
    if (instance !== undefined && instance.busyBatch === batchId) {
      instance.busyBatch = undefined;
      if (instance.draining) this.forgetInstance(instance);
    }
    const nowMs = this.clock.nowMs();
    this.metrics.batchCompleted({
      group: group.id,
      instanceId: batch.instanceId,
      rows: batch.rows,
      busyMs: nowMs - batch.dispatchedMs,
      ok: result.ok,
    });
    if (result.ok) {
      group.estimator.observe(batch.rows, batch.cores, result.computeMs);
      batch.items.forEach((item, index) => {
        const output = result.outputs[index];
        if (output === undefined) {
          this.finishFailed(
            item,
            'failed',
            new SluiceError('INTERNAL', `backend returned no output for item ${index}`),
          );
          return;
        }
        this.finishCompleted(item, output, batch, result.computeMs, nowMs);
      });
    } else if (result.retryable) {
      // The instance is gone. A suspended one is being restarted and stays; any other is forgotten.
      if (instance !== undefined && !instance.suspended) this.forgetInstance(instance);
      for (const item of batch.items) {
        if (item.retried) {
          this.finishFailed(
            item,
            'failed',
            new SluiceError('INSTANCE_FAILED', `${result.error.message} (after one retry)`),
          );
        } else {
          item.retried = true;
          item.dispatchedMs = undefined;
          group.queue.push(item);
        }
      }
    } else {
      for (const item of batch.items) this.finishFailed(item, 'failed', result.error);
    }
    this.pump(group);
  }

  private forgetInstance(instance: InstanceState): void {
    this.instances.delete(instance.id);
    const group = this.groups.get(instance.group);
    group?.instances.delete(instance.id);
    if (group !== undefined) group.typicalCores = undefined;
    this.metrics.instanceAllocationChanged(instance.id, instance.group, undefined);
  }

  private finishCompleted(
    item: PendingRequest<P, R>,
    output: R,
    batch: BatchInFlight<P, R>,
    computeMs: number,
    nowMs: number,
  ): void {
    if (!this.pending.delete(item.id)) return;
    const queueMs = (item.dispatchedMs ?? nowMs) - item.arrivalMs;
    item.respond({
      kind: 'completed',
      requestId: item.id,
      module: item.module,
      arrivalMs: item.arrivalMs,
      deadlineMs: item.deadlineMs,
      finishedMs: nowMs,
      output,
      group: batch.group.id,
      variant: batch.group.settings.variant,
      instanceId: batch.instanceId,
      queueMs,
      computeMs,
      batchRows: batch.rows,
    });
    this.metrics.requestFinished({
      module: item.module,
      group: batch.group.id,
      outcome: 'completed',
      code: undefined,
      latencyMs: nowMs - item.arrivalMs,
      queueMs,
      computeMs,
      withinDeadline: nowMs <= item.deadlineMs,
    });
    this.checkDrained();
  }

  private finishFailed(item: PendingRequest<P, R>, kind: 'expired' | 'failed', error: SluiceError): void {
    if (!this.pending.delete(item.id)) return;
    const nowMs = this.clock.nowMs();
    item.respond({
      kind,
      requestId: item.id,
      module: item.module,
      arrivalMs: item.arrivalMs,
      deadlineMs: item.deadlineMs,
      finishedMs: nowMs,
      error,
      group: item.group.id,
    });
    this.reportFinished(item.module, item.group.id, kind, error.code, nowMs - item.arrivalMs, false);
    this.checkDrained();
  }

  private reportFinished(
    module: string,
    group: string | undefined,
    outcome: 'rejected' | 'expired' | 'failed',
    code: string,
    latencyMs: number,
    withinDeadline: boolean,
  ): void {
    this.metrics.requestFinished({
      module,
      group,
      outcome,
      code,
      latencyMs,
      queueMs: undefined,
      computeMs: undefined,
      withinDeadline,
    });
  }

  private checkDrained(): void {
    if (!this.shuttingDown || this.pending.size > 0 || this.onDrained === undefined) return;
    const callback = this.onDrained;
    this.onDrained = undefined;
    callback();
  }
}
