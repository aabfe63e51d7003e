/**
 * The engine's side of assignment dispatch: the queue and the group's instances as the assignment
 * policies (src/policy: KAIROS's minimum-cost matching, or first-come-first-served) see them, and their
 * decision as queue positions paired with instances.
 */
import type { QueuedEntry } from '../policy/request-queue.js';
import { fcfsAssignment } from '../policy/fcfs-assignment.js';
import { minCostMatching } from '../policy/min-cost-matching.js';
import type { AssignableInstance } from '../policy/query-assignment.js';

export interface AssignInput {
  readonly nowMs: number;
  readonly mode: 'min-cost-matching' | 'fcfs';
  /** The group's queue, in queue order. */
  readonly queue: readonly QueuedEntry[];
  /** The group's instances in service, in a stable order. */
  readonly instances: readonly Omit<AssignableInstance, 'hardware'>[];
}

/** Queue positions to dispatch now, each to one idle instance. */
export function assignQueued(
  input: AssignInput,
): { readonly position: number; readonly instanceId: string }[] {
  const positions = new Map<string, number>();
  // The policies look at the oldest 2N queued requests (N instances): select those, not the whole queue.
  const oldestFirst = oldest(input.queue, Math.max(1, 2 * input.instances.length));
  const queued = oldestFirst.map(({ entry, position }) => {
    const id = String(entry.seq);
    positions.set(id, position);
    return { id, rows: entry.rows, arrivalMs: entry.arrivalMs, deadlineMs: entry.deadlineMs };
  });
  const context = {
    nowMs: input.nowMs,
    queued,
    instances: input.instances.map((i) => ({ ...i, hardware: i.id })),
  };
  const decision = input.mode === 'fcfs' ? fcfsAssignment(context) : minCostMatching(context);
  return decision.assignments.flatMap((a) => {
    const position = positions.get(a.queryId);
    return position === undefined ? [] : [{ position, instanceId: a.instanceId }];
  });
}

/** The `k` oldest entries (arrival, then sequence) with their queue positions, oldest first. */
function oldest(queue: readonly QueuedEntry[], k: number): { entry: QueuedEntry; position: number }[] {
  const older = (a: QueuedEntry, b: QueuedEntry): boolean =>
    a.arrivalMs < b.arrivalMs || (a.arrivalMs === b.arrivalMs && a.seq < b.seq);
  if (queue.length <= k) {
    return queue
      .map((entry, position) => ({ entry, position }))
      .sort((a, b) => (older(a.entry, b.entry) ? -1 : 1));
  }
  // A max-heap (by age: the youngest kept on top) of the k oldest seen so far.
  const heap: { entry: QueuedEntry; position: number }[] = [];
  const swap = (i: number, j: number): void => {
    const t = heap[i];
    const u = heap[j];
    if (t === undefined || u === undefined) return;
    heap[i] = u;
    heap[j] = t;
  };
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const a = heap[i];
      const b = heap[parent];
      if (a === undefined || b === undefined || !older(b.entry, a.entry)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      let top = i;
      for (const c of [2 * i + 1, 2 * i + 2]) {
        const child = heap[c];
        const best = heap[top];
        if (child !== undefined && best !== undefined && older(best.entry, child.entry)) top = c;
      }
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  queue.forEach((entry, position) => {
    if (heap.length < k) {
      heap.push({ entry, position });
      up(heap.length - 1);
      return;
    }
    const youngest = heap[0];
    if (youngest !== undefined && older(entry, youngest.entry)) {
      heap[0] = { entry, position };
      down(0);
    }
  });
  return heap.sort((a, b) => (older(a.entry, b.entry) ? -1 : 1));
}
