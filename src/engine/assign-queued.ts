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
  const oldestFirst = input.queue
    .map((entry, position) => ({ entry, position }))
    .sort((a, b) => a.entry.arrivalMs - b.entry.arrivalMs || a.entry.seq - b.entry.seq);
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
