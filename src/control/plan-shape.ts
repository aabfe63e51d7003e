/** Whether two plans run the same instances (variant, hardware, cores, batch, count per module), rates aside. */
import type { Plan } from '../planner/plan.js';

export function planShape(plan: Plan): string {
  // Counted per configuration: tuples that only split the same instances differently (budget classes,
  // query sizes) are the same deployment.
  const counts = new Map<string, number>();
  for (const m of plan.modules)
    for (const t of m.tuples) {
      if (t.instances <= 0) continue;
      const key = `${m.name}|${t.variant}|${t.hardware}|${t.cores}|${t.batch}`;
      counts.set(key, (counts.get(key) ?? 0) + t.instances);
    }
  return [...counts]
    .map(([key, n]) => `${key}|${n}`)
    .sort()
    .join('\n');
}

export function samePlanShape(a: Plan, b: Plan): boolean {
  return planShape(a) === planShape(b);
}
