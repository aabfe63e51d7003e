/**
 * Checks of a planning problem beyond its schema: unique names, references that resolve (apps to
 * modules, latency models to hardware kinds, edges to modules), shares that sum to 1, options within
 * their limits, and graphs without cycles. Each problem is a sentence naming the field.
 */
import { indexProblem } from './planning-model.js';
import type { PlanningProblem } from './planning-problem.js';

const SHARE_TOLERANCE = 1e-6;

export function problemIssues(problem: PlanningProblem): string[] {
  const issues: string[] = [];
  const duplicates = (what: string, names: readonly string[]): void => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) issues.push(`${what}: '${n}' is defined twice`);
      seen.add(n);
    }
  };
  duplicates(
    'hardware',
    problem.hardware.map((h) => h.name),
  );
  duplicates(
    'modules',
    problem.modules.map((m) => m.name),
  );
  duplicates(
    'apps',
    problem.apps.map((a) => a.name),
  );
  const hardware = new Set(problem.hardware.map((h) => h.name));
  problem.hardware.forEach((h, i) => {
    for (const c of h.coreOptions ?? []) {
      if (c > h.maxCores) issues.push(`hardware[${i}].coreOptions: ${c} exceeds maxCores ${h.maxCores}`);
    }
    if (h.kind === 'fixed' && h.coreOptions !== undefined)
      issues.push(`hardware[${i}].coreOptions: a fixed kind has exactly its maxCores`);
  });
  problem.modules.forEach((m, i) => {
    duplicates(
      `modules[${i}].variants`,
      m.variants.map((v) => v.name),
    );
    for (const b of m.batchOptions ?? []) {
      if (b > m.maxBatch) issues.push(`modules[${i}].batchOptions: ${b} exceeds maxBatch ${m.maxBatch}`);
    }
    m.variants.forEach((v, j) => {
      for (const h of Object.keys(v.latency)) {
        if (!hardware.has(h)) issues.push(`modules[${i}].variants[${j}].latency: no hardware named '${h}'`);
      }
    });
  });
  problem.apps.forEach((a, i) => {
    const sum = (xs: readonly { share: number }[]): number => xs.reduce((s, x) => s + x.share, 0);
    if (a.budgets !== undefined && Math.abs(sum(a.budgets) - 1) > SHARE_TOLERANCE)
      issues.push(`apps[${i}].budgets: shares sum to ${sum(a.budgets)}, not 1`);
    if (a.querySizes !== undefined && Math.abs(sum(a.querySizes) - 1) > SHARE_TOLERANCE)
      issues.push(`apps[${i}].querySizes: shares sum to ${sum(a.querySizes)}, not 1`);
    const rows = (a.querySizes ?? []).map((q) => q.rows);
    if (new Set(rows).size !== rows.length)
      issues.push(`apps[${i}].querySizes: each size (rows) may appear once`);
    if (a.querySizes !== undefined && a.modules.length !== 1)
      issues.push(`apps[${i}].querySizes: supported for one-module apps only`);
  });
  const index = indexProblem(problem);
  if (Array.isArray(index)) issues.push(...index);
  return issues;
}
