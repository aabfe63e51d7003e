/**
 * First-come-first-served query assignment, KAIROS's baseline: the oldest waiting query goes to the
 * first idle instance (in the context's order), the next to the next, until one or the other runs out.
 * It ignores query sizes, instance speeds and deadlines.
 */
import {
  isIdle,
  type AssignmentContext,
  type AssignmentDecision,
  type QueryAssignment,
} from './query-assignment.js';

export function fcfsAssignment(context: AssignmentContext): AssignmentDecision {
  const idle = context.instances.filter((instance) => isIdle(instance, context.nowMs));
  const assignments: QueryAssignment[] = [];
  for (const [i, query] of context.queued.entries()) {
    const instance = idle[i];
    if (instance === undefined) break;
    assignments.push({ queryId: query.id, instanceId: instance.id });
  }
  return { assignments };
}
