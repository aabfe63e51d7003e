/**
 * The "what explains the difference" paragraph of one profile source, computed from its runs: where
 * InfAdapter's and the best VPA run's violations fall (reconfiguring, load above the plan in force, the
 * rest), how the load moved, why the costs differ (InfAdapter's α prices the whole budget below the
 * family's accuracy span; VPA's usage cannot exceed its allocation), and, where the paper's figures are
 * not reached, which runs stand in the way and why.
 */
import type { PolicyMetrics, Reduction } from './policy-metrics.js';
import type { PolicyRun } from './policy-runs.js';

export interface ExplainInputs {
  readonly runs: readonly PolicyRun[];
  readonly metrics: readonly PolicyMetrics[];
  readonly best: PolicyMetrics;
  readonly reductions: readonly Reduction[];
  readonly alpha: number;
  /** The paper's figures: violation and cost reductions. */
  readonly claimed: { readonly violations: number; readonly cost: number };
}

/** Markdown paragraphs (see the file comment). */
export function explainDifference(inputs: ExplainInputs): string {
  const { runs, metrics, best, reductions, alpha, claimed } = inputs;
  const infadapter = metrics.find((m) => m.policy === 'infadapter');
  const infadapterRun = runs.find((r) => r.policy === 'infadapter');
  const bestRun = runs.find((r) => r.policy === best.policy);
  if (infadapter === undefined || infadapterRun === undefined || bestRun === undefined) return '';
  const parts: string[] = [];

  const jump = largestRise(infadapterRun);
  // A rise worth naming: the 30-s mean at least 1.5 times the one before.
  const steep = jump !== undefined && jump.toRps >= 1.5 * jump.fromRps ? jump : undefined;
  parts.push(
    `**Violations.** InfAdapter missed the SLO for ${count(infadapter.violations)} of ` +
      `${count(infadapter.requests)} requests (${pct(infadapter.violationRate, 2)})${causes(infadapter)}. ` +
      startsNote(infadapter, infadapterRun) +
      (infadapter.causes.overCapacity <= 0
        ? ''
        : 'It re-plans every 30 s for the highest 30-s mean rate of the last minute + 10%, so a rise within ' +
          'an interval outruns its plan until the next decision' +
          (steep === undefined
            ? '.'
            : `; the steepest rise here took the 30-s mean from ${round(steep.fromRps)} to ` +
              `${round(steep.toRps)} req/s at ${steep.atS} s, and ${count(steep.violations)} of its ` +
              `violations (${pct(share(steep.violations, infadapter.violations), 0)}) fall in the minute after it.`)),
  );
  const restarts = best.causes.restarts;
  const restartNote =
    restarts === 0
      ? ''
      : `It restarted its pod ${restarts === 1 ? 'once' : `${restarts} times`}, ${restarts === 1 ? 'an' : 'each an'} ` +
        `outage of the variant's ${seconds(bestRun.changeMs)}-s cold start. `;
  const climb = longestClimb(bestRun);
  parts.push(
    `${best.label}, the best single variant, missed ${count(best.violations)} ` +
      `(${pct(best.violationRate, 2)})${causes(best)}. ${restartNote}` +
      'VPA sizes the pod to the p90 of its CPU usage + 15%, and a saturated pod cannot use more than it has' +
      (climb === undefined
        ? '.'
        : ', so under a rise the recommendation only creeps up: its longest climb went from ' +
          `${round(climb.fromCores)} to ${round(climb.toCores)} cores over ${climb.steps} consecutive ` +
          `one-minute decisions (from ${climb.atS} s), and its largest plan had ${round(best.largestPlanCores)} ` +
          'cores.'),
  );

  const accuracies = infadapterRun.problem.modules[0]?.variants.map((v) => v.accuracy) ?? [];
  const span = Math.max(...accuracies) - Math.min(...accuracies);
  const cheaper = metrics.filter((m) => m.variant !== undefined && m.averageCores < infadapter.averageCores);
  const allWorse = cheaper.every((m) => m.violations > infadapter.violations);
  parts.push(
    `**Cost.** InfAdapter held ${round(infadapter.averageCores)} cores on average (plans of up to ` +
      `${round(infadapter.largestPlanCores)}) and served accuracy ${infadapter.accuracy.toFixed(3)}; ${best.label} ` +
      `held ${round(best.averageCores)} at ${best.accuracy.toFixed(3)}. InfAdapter's objective prices the ` +
      `whole 20-core budget at α = ${alpha} accuracy points while the family spans ${span.toFixed(3)}, so it ` +
      'spends cores on the more accurate variants whenever they fit' +
      (cheaper.length === 0
        ? ', and is still cheaper than every VPA run.'
        : `: ${cheaper.map((m) => `${m.label} (${round(m.averageCores)} cores, ${pct(m.violationRate, 1)} violations)`).join(', ')} ` +
          `cost${cheaper.length === 1 ? 's' : ''} less${allWorse ? ', and violate' + (cheaper.length === 1 ? 's' : '') + ' more: they under-provision' : ''}.`),
  );

  const shortfalls: string[] = [];
  const bestViolation = maxBy(reductions, (r) => r.violationReduction ?? -Infinity);
  const bestCost = maxBy(reductions, (r) => r.costReduction);
  if (bestViolation !== undefined && (bestViolation.violationReduction ?? -Infinity) < claimed.violations)
    shortfalls.push(
      `the largest violation reduction is ${pct(bestViolation.violationReduction ?? 0, 0)} (against ` +
        `${labelOf(metrics, bestViolation.vs)}), short of ${pct(claimed.violations, 0)}: ${dominantCause(infadapter)}`,
    );
  if (bestCost !== undefined && bestCost.costReduction < claimed.cost)
    shortfalls.push(
      (bestCost.costReduction >= 0
        ? `the largest cost reduction is ${pct(bestCost.costReduction, 0)} (against ` +
          `${labelOf(metrics, bestCost.vs)}), short of ${pct(claimed.cost, 0)}`
        : `InfAdapter costs more than every VPA run (at best ${pct(-bestCost.costReduction, 0)} more, against ` +
          `${labelOf(metrics, bestCost.vs)}) where the paper has it ${pct(claimed.cost, 0)} cheaper`) +
        `: ${cheaperVerdict(cheaper, infadapter)}, and InfAdapter spends the budget on accuracy (above)`,
    );
  if (shortfalls.length > 0) parts.push(`**Against the paper.** ${capitalise(shortfalls.join('; '))}.`);
  return parts.join('\n\n');
}

/** Whether the VPA runs cheaper than InfAdapter pay for it in violations. */
function cheaperVerdict(cheaper: readonly PolicyMetrics[], infadapter: PolicyMetrics): string {
  if (cheaper.length === 0) return 'no VPA run is cheaper than InfAdapter';
  const least = Math.min(...cheaper.map((m) => m.violationRate));
  return least > infadapter.violationRate
    ? `every VPA run that costs less violates more (at least ${pct(least, 1)} against ` +
        `InfAdapter's ${pct(infadapter.violationRate, 1)}): it saves cores by under-provisioning`
    : `some VPA runs cost less without violating more (the fewest: ${pct(least, 1)} against ` +
        `InfAdapter's ${pct(infadapter.violationRate, 1)})`;
}

/** The longest run of consecutive applied decisions that each raised the plan's cores. */
function longestClimb(
  run: PolicyRun,
): { atS: number; fromCores: number; toCores: number; steps: number } | undefined {
  let best: { atS: number; fromCores: number; toCores: number; steps: number } | undefined;
  let current: typeof best;
  let cores = run.bootstrap.cores;
  for (const d of run.result.decisions) {
    if (d.outcome !== 'applied') {
      current = undefined;
      continue;
    }
    if (d.plan.cores > cores) {
      current =
        current === undefined
          ? { atS: d.atMs / 1000, fromCores: cores, toCores: d.plan.cores, steps: 1 }
          : { ...current, toCores: d.plan.cores, steps: current.steps + 1 };
      if (best === undefined || current.steps > best.steps) best = current;
    } else current = undefined;
    cores = d.plan.cores;
  }
  return best !== undefined && best.steps > 1 ? best : undefined;
}

/** The larger share of InfAdapter's own violations, as a reason it cannot do better. */
function dominantCause(m: PolicyMetrics): string {
  const c = m.causes;
  const total = c.reconfiguring + c.overCapacity + c.other;
  if (m.violations === 0 || total <= 0) return 'InfAdapter itself had no violation';
  if (c.reconfiguring >= c.overCapacity && c.reconfiguring >= c.other)
    return `${pct(c.reconfiguring / total, 0)} of InfAdapter's own violations come from its changes taking effect`;
  if (c.overCapacity >= c.other)
    return `${pct(c.overCapacity / total, 0)} of InfAdapter's own violations come from load above its plan`;
  return `${pct(c.other / total, 0)} of InfAdapter's own violations come from queueing within its plan`;
}

/** What the changes that started instances cost InfAdapter, when they cost anything. */
function startsNote(m: PolicyMetrics, run: PolicyRun): string {
  const c = m.causes;
  if (c.starts === 0 || c.afterStarts <= 0 || m.violations === 0) return '';
  const loads = run.problem.modules[0]?.variants.map((v) => v.loadMs ?? 0) ?? [0];
  // Attribution by second is approximate at the edges: never more than the violations themselves.
  const after = Math.min(c.afterStarts, m.violations);
  return (
    `About ${count(after)} (${pct(share(after, m.violations), 0)}) follow the ${c.starts} ` +
    `change${c.starts === 1 ? '' : 's'} that started a variant's instance: until it has loaded ` +
    `(${seconds(Math.min(...loads))}-${seconds(Math.max(...loads))} s) the instances already serving carry its ` +
    "share, and a variant the change dropped has left service at once (Sluice's deployment stops an unwanted " +
    'instance before its replacement is ready). '
  );
}

/** ": 54% while ..., 46% in ..., 0% otherwise", or "" without violations. */
function causes(m: PolicyMetrics): string {
  const c = m.causes;
  const total = c.reconfiguring + c.overCapacity + c.other;
  if (m.violations === 0 || total <= 0) return '';
  const changes = `${c.reconfigurations} change${c.reconfigurations === 1 ? '' : 's'}`;
  return (
    `: ${pct(c.reconfiguring / total, 0)} while a change was taking effect (${changes}), ` +
    `${pct(c.overCapacity / total, 0)} in the ${c.overCapacitySeconds} s whose load exceeded the plan in force, ` +
    `${pct(c.other / total, 0)} otherwise`
  );
}

/** The largest rise between consecutive 30-s means of the arrivals, and the violations of the minute after. */
function largestRise(
  run: PolicyRun,
): { atS: number; fromRps: number; toRps: number; violations: number } | undefined {
  const s = run.result.series;
  const windowS = 30;
  let best: { atS: number; fromRps: number; toRps: number } | undefined;
  for (let i = windowS; i + windowS <= s.length; i += windowS) {
    const mean = (from: number): number =>
      s.slice(from, from + windowS).reduce((sum, p) => sum + p.arrivals, 0) / windowS;
    const fromRps = mean(i - windowS);
    const toRps = mean(i);
    if (best === undefined || toRps - fromRps > best.toRps - best.fromRps)
      best = { atS: s[i]?.tS ?? i, fromRps, toRps };
  }
  if (best === undefined || best.toRps <= best.fromRps) return undefined;
  const start = best.atS;
  const violations = s
    .filter((p) => p.tS >= start && p.tS < start + 60)
    .reduce((sum, p) => sum + p.arrivals - p.withinSlo, 0);
  return { ...best, violations: Math.max(0, violations) };
}

function maxBy<T>(items: readonly T[], key: (t: T) => number): T | undefined {
  return items.reduce<T | undefined>((a, b) => (a === undefined || key(b) > key(a) ? b : a), undefined);
}

function labelOf(metrics: readonly PolicyMetrics[], policy: string): string {
  return metrics.find((m) => m.policy === policy)?.label ?? policy;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

function pct(x: number, decimals: number): string {
  return `${(100 * x).toFixed(decimals)}%`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function round(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
