/** Plans as a person reads them: a summary line, the reason, and the tuples per module as a table. */
import type { Plan } from '../planner/plan.js';
import { markdownTable } from '../report/markdown-table.js';

const fixed = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function formatPlan(plan: Plan, objectiveKind: string): string {
  const head =
    `${plan.planner}: ${plan.feasible ? 'feasible' : 'INFEASIBLE'}; ${fixed(plan.costPerHour, 4)} $/h, ` +
    `${fixed(plan.cores, 2)} cores, capacity ${fixed(plan.capacityRps, 1)} req/s, accuracy ${fixed(plan.accuracy, 4)}; ` +
    `${objectiveKind} objective ${fixed(plan.objectiveValue, 4)}`;
  const apps = plan.apps.map(
    (a) =>
      `  app ${a.name}: serves ${fixed(a.servedRps, 1)} req/s of capacity ${fixed(a.capacityRps, 1)}, accuracy ${fixed(a.accuracy, 4)}`,
  );
  const rows = plan.modules.flatMap((m) =>
    m.tuples.map((t) => [
      m.name,
      m.budgetMs,
      t.variant,
      t.hardware,
      t.cores,
      t.batch,
      t.instances,
      t.rateRps,
      t.dummyRps,
      t.budgetMs ?? m.budgetMs,
      t.sizes?.map((s) => `${s.rows}:${fixed(s.rateRps, 1)}`).join(' ') ?? '',
    ]),
  );
  const table =
    rows.length === 0
      ? ''
      : markdownTable(
          [
            'module',
            'budget ms',
            'variant',
            'hardware',
            'cores',
            'batch',
            'instances',
            'req/s',
            'dummy req/s',
            'held to ms',
            'sizes (rows:req/s)',
          ],
          rows,
          { decimals: 2 },
        );
  return [head, ...apps, `reason: ${plan.reason}`, ...(table === '' ? [] : ['', table])].join('\n');
}

/** Several planners' plans for one problem, side by side. */
export function formatComparison(
  plans: readonly { readonly plan: Plan; readonly ms: number }[],
  objectiveKind: string,
): string {
  return markdownTable(
    [
      'planner',
      'feasible',
      'cost $/h',
      'cores',
      'capacity req/s',
      'accuracy',
      `objective (${objectiveKind})`,
      'planning ms',
      'reason',
    ],
    plans.map(({ plan, ms }) => [
      plan.planner,
      plan.feasible ? 'yes' : 'no',
      plan.costPerHour,
      plan.cores,
      plan.capacityRps,
      plan.accuracy,
      plan.objectiveValue,
      ms,
      plan.reason.length > 120 ? `${plan.reason.slice(0, 117)}...` : plan.reason,
    ]),
    { decimals: 3 },
  );
}
