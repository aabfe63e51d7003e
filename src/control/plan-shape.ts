/** Whether two plans run the same instances (variant, hardware, cores, batch, count per module), rates aside. */
import type { Plan } from '../planner/plan.js';

export function planShape(plan: Plan): string {
  return plan.modules
    .flatMap((m) =>
      m.tuples.map((t) => `${m.name}|${t.variant}|${t.hardware}|${t.cores}|${t.batch}|${t.instances}`),
    )
    .sort()
    .join('\n');
}

export function samePlanShape(a: Plan, b: Plan): boolean {
  return planShape(a) === planShape(b);
}
