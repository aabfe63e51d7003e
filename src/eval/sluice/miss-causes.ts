/**
 * Why a run's requests missed their deadlines, one cause per missed request, from the run's event log:
 * - `unmeetable`: its budget at arrival (SLO − upload) was below the fastest execution there is;
 * - `variantStart`: it arrived while a variant the plan routes traffic to had no instance in service,
 *   its first instances still starting (the window from their start to the first one ready);
 * - `reconfiguring`: it arrived while some other change was taking effect (an instance starting beside
 *   ones of its variant already serving, or resizing);
 * - `overCapacity`: it arrived in a second whose arrivals exceeded the capacity of the plan in force;
 * - `other`: queueing and the spread of batch times within a plan that could carry the load.
 * The causes are checked in that order; their sum is the run's misses.
 */
import type { Decision } from '../../control/control-loop.js';

export interface MissCauses {
  readonly missed: number;
  readonly unmeetable: number;
  readonly variantStart: number;
  readonly reconfiguring: number;
  readonly overCapacity: number;
  readonly other: number;
  /** Windows in which a routed variant had no instance in service, and their total length, s. */
  readonly variantStartWindows: number;
  readonly variantStartS: number;
  /** Seconds whose arrivals exceeded the plan in force's capacity. */
  readonly overCapacityS: number;
  /** Median budget of the `other` misses, and of all requests, ms (0 without any). */
  readonly otherMedianBudgetMs: number;
  readonly medianBudgetMs: number;
}

export interface MissCauseInputs {
  readonly eventLog: readonly string[];
  /** Per request in arrival order (request id − 1): its budget at arrival, ms. */
  readonly budgetsMs: readonly number[];
  readonly fastestMs: number;
  readonly decisions: readonly Decision[];
  /** Capacity of the plan the run started with, req/s. */
  readonly bootstrapCapacityRps: number;
}

interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The causes of every miss in the run (see the file comment). */
export function missCauses(inputs: MissCauseInputs): MissCauses {
  const { eventLog, budgetsMs, fastestMs } = inputs;
  const arrivalMs = new Map<number, number>();
  const misses: { id: number; atMs: number }[] = [];
  for (const line of eventLog) {
    const [at, kind, idText, latencyText] = line.split(' ');
    const id = Number(idText);
    if (kind === 'arrive') {
      arrivalMs.set(id, Number(at));
      continue;
    }
    if (kind !== 'completed' && kind !== 'rejected' && kind !== 'expired' && kind !== 'failed') continue;
    const late = kind === 'completed' && Number(latencyText) > (budgetsMs[id - 1] ?? Infinity);
    if (kind !== 'completed' || late) misses.push({ id, atMs: arrivalMs.get(id) ?? 0 });
  }
  const { variantStarts: windows, changes } = changeWindows(eventLog);
  const arrivalsPerSecond = new Map<number, number>();
  for (const atMs of arrivalMs.values()) {
    const s = Math.floor(atMs / 1000);
    arrivalsPerSecond.set(s, (arrivalsPerSecond.get(s) ?? 0) + 1);
  }
  const capacityAt = capacityInForce(inputs.decisions, inputs.bootstrapCapacityRps);
  const over = new Set<number>();
  for (const [s, n] of arrivalsPerSecond) if (n > capacityAt(s * 1000)) over.add(s);
  let unmeetable = 0;
  let variantStart = 0;
  let reconfiguring = 0;
  let overCapacity = 0;
  const otherBudgets: number[] = [];
  for (const miss of misses) {
    if ((budgetsMs[miss.id - 1] ?? Infinity) < fastestMs) unmeetable += 1;
    else if (within(windows, miss.atMs)) variantStart += 1;
    else if (within(changes, miss.atMs)) reconfiguring += 1;
    else if (over.has(Math.floor(miss.atMs / 1000))) overCapacity += 1;
    else otherBudgets.push(budgetsMs[miss.id - 1] ?? 0);
  }
  return {
    missed: misses.length,
    unmeetable,
    variantStart,
    reconfiguring,
    overCapacity,
    other: otherBudgets.length,
    variantStartWindows: windows.length,
    variantStartS: windows.reduce((s, w) => s + (w.toMs - w.fromMs) / 1000, 0),
    overCapacityS: over.size,
    otherMedianBudgetMs: median(otherBudgets),
    medianBudgetMs: median(budgetsMs),
  };
}

/**
 * From the deployment events (`<ms> start-asked|started|resize-asked|resized|stopped <module>/<variant>@<hw>#<n>`):
 * the spans from asking for an instance of a variant with none in service to the first of them ready,
 * and every span in which an instance was starting or resizing.
 */
function changeWindows(eventLog: readonly string[]): { variantStarts: Window[]; changes: Window[] } {
  const ready = new Map<string, number>();
  const serving = new Set<string>();
  const openSince = new Map<string, number>();
  const pending = new Map<string, number>();
  const variantStarts: Window[] = [];
  const changes: Window[] = [];
  for (const line of eventLog) {
    const [at, kind, instance = ''] = line.split(' ');
    if (
      kind !== 'start-asked' &&
      kind !== 'started' &&
      kind !== 'resize-asked' &&
      kind !== 'resized' &&
      kind !== 'stopped' &&
      kind !== 'failed'
    )
      continue;
    const variant = variantOf(instance);
    const atMs = Number(at);
    if (kind === 'start-asked' || kind === 'resize-asked') pending.set(instance, atMs);
    else if (kind !== 'stopped') {
      const from = pending.get(instance);
      if (from !== undefined && atMs > from) changes.push({ fromMs: from, toMs: atMs });
      pending.delete(instance);
    }
    if (kind === 'start-asked') {
      if ((ready.get(variant) ?? 0) === 0 && !openSince.has(variant)) openSince.set(variant, atMs);
    } else if (kind === 'started') {
      ready.set(variant, (ready.get(variant) ?? 0) + 1);
      serving.add(instance);
      const from = openSince.get(variant);
      // The bootstrap's instances start in no time: no window.
      if (from !== undefined && atMs > from) variantStarts.push({ fromMs: from, toMs: atMs });
      openSince.delete(variant);
    } else if (kind === 'stopped' && serving.delete(instance)) {
      ready.set(variant, (ready.get(variant) ?? 1) - 1);
    }
  }
  return { variantStarts, changes };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function within(windows: readonly Window[], atMs: number): boolean {
  return windows.some((w) => atMs >= w.fromMs && atMs < w.toMs);
}

/** `resnet/resnet101@local#45` → `resnet/resnet101`. */
function variantOf(instanceId: string): string {
  return instanceId.split('@')[0] ?? instanceId;
}

/** The capacity of the plan in force at a time: the bootstrap's, then each plan applied or kept. */
function capacityInForce(decisions: readonly Decision[], bootstrapRps: number): (atMs: number) => number {
  const steps = decisions
    .filter((d) => d.outcome === 'applied' || d.outcome === 'unchanged')
    .map((d) => ({ atMs: d.atMs, capacityRps: d.plan.capacityRps }));
  return (atMs) => {
    let capacity = bootstrapRps;
    for (const s of steps) {
      if (s.atMs > atMs) break;
      capacity = s.capacityRps;
    }
    return capacity;
  };
}
