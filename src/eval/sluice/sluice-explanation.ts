/**
 * The "what explains the difference" section of the `sluice` report, computed from the runs: the misses
 * by cause for every policy and the mechanisms behind Sluice's own (variant switches, reshaping, the
 * change cap), the cost ranking at the claim's bar with what Sluice's objective bought (accuracy) and the
 * sensitivity rows without that price, and what each single technique ran in the busiest minute.
 */
import { markdownTable } from '../../report/markdown-table.js';
import { busiestMinute, type BusiestMinute } from './busiest-minute.js';
import { SLUICE_DEFAULT_ALPHA } from './sluice-policies.js';
import type { PolicySummary, SluiceRuns } from './sluice-runs.js';
import type { SluiceSetup } from './sluice-setup.js';
import type { SluiceVerdict } from './sluice-verdict.js';

export interface SluiceExplanation {
  readonly markdown: string;
  readonly figures: {
    /** accuracy − α · average cores / budget per policy (Sluice's default objective, run-wide). */
    readonly objectiveValue: Readonly<Record<string, number>>;
    readonly busiestMinute: BusiestMinute;
  };
}

/** The section's Markdown and the figures behind it. */
export function explainSluice(
  setup: SluiceSetup,
  runs: SluiceRuns,
  verdict: SluiceVerdict,
): SluiceExplanation {
  const summaries = runs.runs.map((r) => r.summary);
  const main = summaries.filter((s) => s.role !== 'sensitivity');
  const objectiveValue = Object.fromEntries(
    summaries.map((s) => [s.id, s.accuracy - (SLUICE_DEFAULT_ALPHA * s.averageCores) / setup.budgetCores]),
  );
  const minute = busiestMinute(
    setup,
    runs.runs.filter((r) => r.policy.role !== 'sensitivity'),
  );
  const markdown = [
    attainmentParagraph(runs, verdict),
    '',
    causesTable(summaries),
    '',
    sluiceMechanisms(setup, verdict.sluice, main),
    '',
    costParagraph(setup, verdict, summaries, objectiveValue),
    '',
    minuteParagraph(
      minute,
      main,
      new Set(runs.runs.filter((r) => r.policy.variants === 'deployed').map((r) => r.policy.id)),
    ),
  ].join('\n');
  return { markdown, figures: { objectiveValue, busiestMinute: minute } };
}

function attainmentParagraph(runs: SluiceRuns, verdict: SluiceVerdict): string {
  const requests = verdict.sluice.requests;
  const s = verdict.sluice;
  const best = verdict.bestTechnique;
  const own = (p: PolicySummary): number => p.violations - p.causes.unmeetable;
  return (
    `**Attainment.** ${count(runs.unmeetable)} of ${count(requests)} requests (${pct(runs.unmeetable / requests, 2)}) ` +
    `arrived with a budget below ${ms(runs.fastestMs)} ms, the fastest execution there is (${runs.fastestVariant} at ` +
    `batch 1 on ${runs.fastestCores} cores): their upload took (nearly) the whole SLO, and every policy ` +
    `misses them. Beyond those, ${s.label} missed ${count(own(s))} and ${best.label}, the best single technique, ` +
    `${count(own(best))}; the table gives every policy's misses by cause (a miss counts once, under the first ` +
    'cause that applies, in the order of the columns).'
  );
}

function causesTable(summaries: readonly PolicySummary[]): string {
  return markdownTable(
    [
      'policy',
      'missed',
      'budget < fastest execution',
      'routed variant still starting',
      'other change taking effect',
      'load above the plan',
      'other',
    ],
    summaries.map((p) => [
      p.label,
      p.violations,
      p.causes.unmeetable,
      p.causes.variantStart,
      p.causes.reconfiguring,
      p.causes.overCapacity,
      p.causes.other,
    ]),
  ).trimEnd();
}

/** Why Sluice misses what the others do not, from its own decisions. */
function sluiceMechanisms(setup: SluiceSetup, sluice: PolicySummary, main: readonly PolicySummary[]): string {
  const c = sluice.causes;
  const own = sluice.violations - c.unmeetable;
  const changes = c.variantStart + c.reconfiguring;
  const loads = setup.family.variants.map((v) => (v.loadMs ?? 0) / 1000);
  const others = main.filter((p) => p.role !== 'sluice' && p.role !== 'baseline');
  const fewest = others.reduce<PolicySummary | undefined>(
    (a, p) => (a === undefined || p.planChanges < a.planChanges ? p : a),
    undefined,
  );
  const most = others.reduce<PolicySummary | undefined>(
    (a, p) => (a === undefined || p.planChanges > a.planChanges ? p : a),
    undefined,
  );
  const d = sluice.decisions;
  const parts = [
    `**Sluice's own misses.** ${count(changes)} of Sluice's ${count(own)} (${pct(share(changes, own), 0)}) ` +
      'arrived while one of its changes was taking effect.',
  ];
  if (c.variantStart > 0)
    parts.push(
      `${count(c.variantStart)} of them while a variant it had just switched traffic to had no instance in ` +
        `service (${c.variantStartWindows} such window${c.variantStartWindows === 1 ? '' : 's'}, ` +
        `${c.variantStartS.toFixed(1)} s in all): the deployment routes the new plan's split at once, while the ` +
        `new variant's instances load for ${loads.length > 0 ? `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}` : '?'} s, ` +
        'and the old variant’s instances, kept serving until then (make before break), get no traffic.' +
        swappers(others),
    );
  if (c.reconfiguring > 0)
    parts.push(
      `${count(c.reconfiguring)} while other changes took effect (instances starting beside serving ones, ` +
        `or resizing): ${count(d.reshapes)} of its changes both started and stopped instances, against ` +
        `${count(Math.max(0, ...others.map((p) => p.decisions.reshapes)))} at most for a single technique; a ` +
        'stopped instance leaves service at once while its replacement takes a cold start.',
    );
  parts.push(
    `Sluice applied ${count(d.applied)} plans (the single techniques ` +
      `${fewest === undefined || most === undefined ? '?' : `${count(fewest.planChanges)}-${count(most.planChanges)}`}); ` +
      `${count(d.sameInstances)} of them touched no instance (the same instances, only their tuples split ` +
      'differently between budget classes: a new plan shape to the loop), yet each counts against its cap of ' +
      `12 changes a minute, which held back ${count(d.rateCapped)} decisions, ${count(d.rateCappedScaleUps)} of ` +
      'them asking for more capacity than the plan in force.',
  );
  if (c.other > 0)
    parts.push(
      `The remaining ${count(c.other)} arrived with a median budget of ${ms(c.otherMedianBudgetMs)} ms against ` +
        `${ms(c.medianBudgetMs)} ms over all requests: the budget classes Sluice plans for are the last ` +
        'second’s, and its accuracy-bought variants take longer per batch.',
    );
  return parts.join(' ');
}

/** " InfAdapter also started new variants (5 windows, 3.4 s) and missed 0 requests in them." */
function swappers(others: readonly PolicySummary[]): string {
  const also = others.filter((p) => p.causes.variantStartWindows > 0);
  if (also.length === 0) return '';
  const list = also.map(
    (p) =>
      `${p.label} (${p.causes.variantStartWindows} window${p.causes.variantStartWindows === 1 ? '' : 's'}, ` +
      `${p.causes.variantStartS.toFixed(1)} s, ${count(p.causes.variantStart)} missed)`,
  );
  return ` Among the single techniques, new variants started for ${list.join(', ')}.`;
}

function costParagraph(
  setup: SluiceSetup,
  verdict: SluiceVerdict,
  summaries: readonly PolicySummary[],
  objectiveValue: Readonly<Record<string, number>>,
): string {
  const s = verdict.sluice;
  const atBar = [...verdict.rivals, s].sort((a, b) => a.coreSeconds - b.coreSeconds);
  const rank = atBar.findIndex((p) => p.id === s.id) + 1;
  const list = atBar
    .map((p) => `${p.label} ${count(p.coreSeconds)} (accuracy ${p.accuracy.toFixed(4)})`)
    .join(', ');
  const ranked = summaries
    .filter((p) => p.role !== 'sensitivity')
    .sort((a, b) => (objectiveValue[b.id] ?? 0) - (objectiveValue[a.id] ?? 0));
  const top = ranked[0];
  const cheapest = verdict.cheapestRival;
  const perCore = SLUICE_DEFAULT_ALPHA / setup.budgetCores;
  const parts = [
    `**Cost.** At the bar (${pct(verdict.bar, 2)}), the policies by core-seconds: ${list}; Sluice is ` +
      `${ordinal(rank)} of ${atBar.length}.`,
  ];
  if (cheapest !== undefined && cheapest.coreSeconds < s.coreSeconds)
    parts.push(
      `Its default objective prices a core at ${perCore.toFixed(4)} accuracy (α = ${SLUICE_DEFAULT_ALPHA} for ` +
        `the whole ${setup.budgetCores}-core budget), so it runs the deeper variants whenever the load leaves ` +
        `room: it served accuracy ${s.accuracy.toFixed(4)} against ${cheapest.label}'s ` +
        `${cheapest.accuracy.toFixed(4)}, +${points(s.accuracy - cheapest.accuracy)} points for ` +
        `${(s.averageCores - cheapest.averageCores).toFixed(2)} more cores on average ` +
        `(${pct(s.coreSeconds / cheapest.coreSeconds - 1, 0)} more core-seconds).`,
    );
  parts.push(
    `Valued by that objective over the run (accuracy − ${SLUICE_DEFAULT_ALPHA} · average cores / ` +
      `${setup.budgetCores}), ${ranked
        .slice(0, 3)
        .map((p) => `${p.label} scores ${(objectiveValue[p.id] ?? 0).toFixed(4)}`)
        .join(
          ', ',
        )}${top?.id === s.id ? ': Sluice is the highest' : `: ${top?.label ?? '?'} is the highest, not Sluice`}.`,
  );
  const minCost = summaries.find((p) => p.id === 'sluice-min-cost');
  const deployed = summaries.find((p) => p.id === 'sluice-min-cost-resnet50');
  const sameModel = summaries
    .filter((p) => p.role === 'technique' && Math.abs(p.accuracy - (deployed?.accuracy ?? -1)) < 1e-9)
    .sort((a, b) => a.coreSeconds - b.coreSeconds)[0];
  if (minCost !== undefined && cheapest !== undefined)
    parts.push(
      `Without the price on accuracy (sensitivity rows): min-cost over the family, Sluice serves ` +
        `${servedVariants(setup, minCost.accuracy)} at ${pct(minCost.attainment, 2)} with ` +
        `${count(minCost.coreSeconds)} core-seconds, ${pct(1 - minCost.coreSeconds / cheapest.coreSeconds, 0)} ` +
        `fewer than ${cheapest.label}.`,
    );
  if (deployed !== undefined && sameModel !== undefined) {
    const change = deployed.coreSeconds / sameModel.coreSeconds - 1;
    parts.push(
      `On ResNet-50 alone, the single-variant systems' model, min-cost Sluice holds ${count(deployed.coreSeconds)} ` +
        `core-seconds at ${pct(deployed.attainment, 2)} against ${sameModel.label}'s ${count(sameModel.coreSeconds)} ` +
        `at ${pct(sameModel.attainment, 2)}, the cheapest single technique on that model` +
        (Math.abs(change) < 0.02
          ? ': the two agree within 2%, so on one variant and one module Sluice’s extra knobs (budget ' +
            'classes, tuple mixes) buy nothing measurable here.'
          : ` (${signedPct(change)}).`),
    );
  }
  return parts.join(' ');
}

/** "resnet18 alone (accuracy 0.6976)" when one variant's accuracy is the one served, else the accuracy. */
function servedVariants(setup: SluiceSetup, accuracy: number): string {
  const alone = setup.family.variants.find((v) => Math.abs(v.accuracy - accuracy) < 5e-5);
  return alone === undefined
    ? `a mix of variants (accuracy ${accuracy.toFixed(4)})`
    : `${alone.name} alone (accuracy ${accuracy.toFixed(4)})`;
}

function minuteParagraph(
  minute: BusiestMinute,
  main: readonly PolicySummary[],
  deployedIds: ReadonlySet<string>,
): string {
  const views = minute.views.map(
    (v) => `${v.label} ${v.cores.toFixed(1)} cores (${v.plan}, capacity ${Math.round(v.capacityRps)} req/s)`,
  );
  const perCore = minute.perCore.map((p) => `${p.config} ${p.rpsPerCore.toFixed(1)}`).join(', ');
  const best = [...minute.perCore].sort((a, b) => b.rpsPerCore - a.rpsPerCore)[0];
  const worst = [...minute.perCore].sort((a, b) => a.rpsPerCore - b.rpsPerCore)[0];
  const sameModel = minute.views
    .filter((v) => deployedIds.has(v.id) && v.id !== 'triton')
    .sort((a, b) => a.cores - b.cores)
    .map((v) => `${v.label} ${v.cores.toFixed(1)}`);
  const triton = main.find((p) => p.id === 'triton');
  const tritonNote =
    triton === undefined || triton.causes.overCapacity === 0
      ? ''
      : ` Triton's one instance is sized once: in ${count(triton.causes.overCapacityS)} s the load exceeded its ` +
        `capacity, and ${count(triton.causes.overCapacity)} of its misses fall there.`;
  return (
    `**The knobs at the busiest minute** (t = ${minute.fromS}-${minute.fromS + 60} s, mean ` +
    `${minute.meanRps.toFixed(1)} req/s, peak ${minute.peakRps} req/s): ${views.join('; ')}. ResNet-50's fitted ` +
    `batch time has ${minute.serialMs.toFixed(1)} ms per request (δ + η at batch 1) that no core shortens, so its ` +
    `throughput per core at full use depends on the configuration (req/s per core): ${perCore}` +
    (best === undefined || worst === undefined
      ? '.'
      : `; ${best.config} carries ${(best.rpsPerCore / worst.rpsPerCore).toFixed(1)}x what ${worst.config} ` +
        'does per core.') +
    (sameModel.length === 0
      ? ''
      : ` Serving ResNet-50 alone, by cores in that minute: ${sameModel.join(', ')}.`) +
    tritonNote
  );
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function pct(x: number, decimals: number): string {
  return `${(100 * x).toFixed(decimals)}%`;
}

function signedPct(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%`;
}

function points(x: number): string {
  return (100 * x).toFixed(2);
}

function ms(x: number): string {
  return x.toFixed(0);
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n !== 11
      ? 'st'
      : n % 10 === 2 && n !== 12
        ? 'nd'
        : n % 10 === 3 && n !== 13
          ? 'rd'
          : 'th';
  return `${n}${suffix}`;
}
