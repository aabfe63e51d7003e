/**
 * The Harpagon report's Markdown: setup, the claim beside Sluice's figure, a table per workload family
 * (OCR at each rate; the random graphs one row each with the ratios; OCR on the CPU alone), the charts,
 * and what explains the difference.
 */
import { estimateLatencyMs } from '../../core/latency-model.js';
import type { PlanningModule } from '../../planner/planning-problem.js';
import { markdownTable, type TableCell } from '../../report/markdown-table.js';
import { ACCELERATOR_KIND, CPU_KIND, type HardwareMix } from './harpagon-hardware.js';
import { PLANNERS } from './harpagon-runs.js';
import type { Headline, PlannerFigures, WorkloadFigures } from './harpagon-summary.js';
import { TEXT_BOXES_PER_IMAGE } from './ocr-pipeline.js';

export interface ReportInputs {
  readonly quick: boolean;
  readonly mix: HardwareMix;
  /** The OCR pipeline's modules, for the table of their latencies on the mix. */
  readonly ocrModules: readonly PlanningModule[];
  readonly workloads: readonly WorkloadFigures[];
  readonly head: Headline;
  readonly target: number;
  readonly seconds: number;
  readonly seed: number;
  readonly rhos: readonly number[];
  readonly margins: readonly number[];
  readonly claimLine: { readonly paper: string; readonly measured: string; readonly met: boolean };
  readonly explanation: readonly string[];
  readonly charts: readonly { readonly name: string; readonly caption: string }[];
}

export function harpagonMarkdown(r: ReportInputs): string {
  const a = r.mix.accelerator;
  const ocr = r.workloads.filter((w) => w.kind === 'ocr');
  const graphs = r.workloads.filter((w) => w.kind === 'graph');
  const cpu = r.workloads.filter((w) => w.kind === 'ocr-cpu');
  const lines: string[] = [
    `# Harpagon vs Nexus: serving cost at equal attainment${r.quick ? ' (quick run)' : ''}`,
    '',
    '## Setup',
    '',
    `**Workloads.** The OCR pipeline PP-OCRv4 det → cls → rec, profiled on this machine at 320-px inputs ` +
      `(experiments/profiles/ocr), with ${TEXT_BOXES_PER_IMAGE} text boxes per image (det → cls fan-out ` +
      `${TEXT_BOXES_PER_IMAGE}, cls → rec 1) and an end-to-end SLO of ${ocr[0]?.sloMs ?? '—'} ms, at ` +
      `${ocr.map((w) => w.rateRps).join(', ')} images/s; and ${graphs.length} seeded random graphs of 3-6 ` +
      `modules drawn from the models profiled here (ResNet-18…152, experiments/profiles/resnet-full, and ` +
      `the three OCR stages), fan-outs 1-3, SLO 2.5-5× the longest path's batch-1 latency on one core. ` +
      `Arrivals are Poisson at the workload's rate for ${r.seconds} s, seed ${r.seed}, the same for every planner.`,
    '',
    `**Hardware.** \`${CPU_KIND}\`: this machine's CPU as profiled, 0.5, 1 or 2 cores per instance, ` +
      `$${r.mix.cpuPricePerCoreHour.toFixed(4)} per core-hour (one vCPU of c5a.2xlarge, the AMD EPYC type in ` +
      `KAIROS's price list). \`${ACCELERATOR_KIND}\`: a fixed, per-instance kind at $${a.pricePerHour}/h ` +
      `(g4dn.xlarge, NVIDIA T4) whose latency is derived from KAIROS's measurements of five models on ` +
      `g4dn.xlarge and c5n.2xlarge (shared/profiles/kairos-aws): per item ${a.perItemSpeedup.toFixed(1)}× ` +
      `as fast as one vCPU and a fixed cost per batch ${a.fixedCostRatio.toFixed(2)}× the CPU's (medians ` +
      `over the models), applied to each module's measured 1-core line. Batches 1-32; CPU tables are ` +
      `extended past the measured batches in proportion to the batch.`,
    '',
    `**Policies** (the registered planners, unchanged). \`harpagon\`: batch-aware dispatch ((b−1)/r + l(b) ≤ ` +
      `budget), multi-tuple configurations with dummy requests, SLO split greedily by latency-cost ` +
      `efficiency, latency reassigner (docs/papers.md §3). \`harpagon-exact\`: the same with the exact ` +
      `split. \`nexus\`: per module the configuration cheapest per request under Nexus's 2·l(b) ≤ budget ` +
      `rule, ⌈rate / capacity⌉ instances of it, round-robin, no dummies, SLO split evenly along the ` +
      `longest path (the "Nexus-like" baseline of docs/papers.md §3; src/planner/nexus). \`nexus-dp\`: ` +
      `the same with Nexus's DP split on a 1 ms grid.`,
    '',
    `**Method: cost at equal attainment.** The planning model is fluid and ignores queueing, so a plan ` +
      `sized at ρ = 0.9 may miss its SLO when run. For each planner and workload, a plan is made at every ` +
      `utilisation cap ρ ∈ {${r.rhos.join(', ')}} and SLO margin m ∈ {${r.margins.join(', ')}} (planned ` +
      `for m·SLO, run against the SLO); the distinct plans are run as static deployments in Sluice's ` +
      `simulator, cheapest first, and the first with ≥ ${(100 * r.target).toFixed(0)}% of requests within ` +
      `the SLO is the planner's cost. The runs execute exactly the instances and batch sizes a plan buys, ` +
      `with greedy batching (an idle instance takes what is queued, up to its tuple's batch) and no early ` +
      `refusal: every request runs and counts only if it finishes within its end-to-end SLO. (Sluice's ` +
      `deadline-aware batcher is not used: without refusal it shrinks every batch to one request once ` +
      `the queue's head is late, so a plan that falls behind never recovers.) The chosen ` +
      `plans are also run with Sluice's admission control on (each module holds a request to its share of ` +
      `the time left, in proportion to the plan's module budgets, and refuses it early when it would ` +
      `miss), which tests the plan's budget split as well as its capacity. Each ` +
      `hardware kind is its own variant of a module (the engine keeps one latency estimate per module ` +
      `variant), so a plan's tuples on the two kinds become a weighted traffic split.`,
    '',
    'The OCR stages on the two kinds (the accelerator pays off only with large, full batches):',
    '',
    derivedLatencyTable(r.mix, r.ocrModules),
    '',
    '## Claim',
    '',
    `- Paper: ${r.claimLine.paper}.`,
    `- Sluice: ${r.claimLine.measured}.`,
    `- ${r.claimLine.met ? 'Met.' : 'Not met.'}`,
    '',
  ];
  if (ocr.length > 0) {
    lines.push('## OCR pipeline', '', plannerTable(ocr), '');
    lines.push(
      'Model alone: the ρ = 0.9, m = 1 plan and its attainment when run. Chosen: the cheapest plan ' +
        'reaching the target: its grid point, attainment, p99 latency, and its attainment with the ' +
        'module budgets enforced. The last row of each workload is the ratio nexus / harpagon.',
      '',
    );
  }
  if (graphs.length > 0) lines.push('## Random graphs', '', graphTable(graphs, r.head), '');
  if (cpu.length > 0) lines.push('## OCR on the measured CPU alone', '', plannerTable(cpu), '');
  lines.push('## Charts', '');
  for (const c of r.charts) lines.push(`![${c.caption}](${c.name}.svg)`, '');
  lines.push('## What explains the difference', '', ...r.explanation.flatMap((p) => [p, '']));
  return lines.join('\n');
}

function plannerTable(workloads: readonly WorkloadFigures[]): string {
  const rows: TableCell[][] = [];
  for (const w of workloads) {
    for (const p of PLANNERS) {
      const f = w.planners[p];
      const c = f.chosen;
      rows.push([
        w.name,
        p,
        money(f.modelOnly.costPerHour),
        pct(f.modelOnly.attainment),
        c === null ? `none (best ${pct(f.closestAttainment)})` : `ρ ${c.rho}, m ${c.margin}`,
        money(c?.costPerHour),
        c === null ? undefined : pct(c.attainment),
        c === null ? undefined : c.p99Ms.toFixed(0),
        f.chosenAttainmentBudgeted === null ? undefined : pct(f.chosenAttainmentBudgeted),
        c === null ? undefined : c.modules.map((m) => `${short(m.name)}: ${m.tuples}`).join('; '),
      ]);
    }
    rows.push([
      w.name,
      'nexus / harpagon',
      ratioCell(w.modelOnlyRatio),
      undefined,
      undefined,
      ratioCell(w.ratio),
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  }
  return markdownTable(
    [
      'workload',
      'planner',
      'model alone $/h',
      'its attainment',
      'chosen at',
      'chosen $/h',
      'attainment',
      'p99 ms',
      'with budgets enforced',
      'chosen plan',
    ],
    rows,
  );
}

function graphTable(graphs: readonly WorkloadFigures[], head: Headline): string {
  const rows: TableCell[][] = graphs.map((w) => [
    w.name,
    `${w.planners.harpagon.modelOnly.modules.length} modules, SLO ${w.sloMs} ms, ${w.rateRps} req/s`,
    ...PLANNERS.map((p) => money(w.planners[p].chosen?.costPerHour)),
    gridPoint(w.planners.harpagon),
    gridPoint(w.planners.nexus),
    ratioCell(w.ratio),
    ratioCell(w.ratioDpExact),
    ratioCell(w.modelOnlyRatio),
  ]);
  const g = head.graphs;
  const all = (xs: readonly (number | null)[]): string => {
    const ok = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    if (ok.length === 0) return '—';
    const mid = ok.length >> 1;
    const median = ok.length % 2 === 1 ? (ok[mid] ?? 0) : ((ok[mid - 1] ?? 0) + (ok[mid] ?? 0)) / 2;
    return `median ${median.toFixed(2)}x (${(ok[0] ?? 0).toFixed(2)}-${(ok[ok.length - 1] ?? 0).toFixed(2)})`;
  };
  rows.push([
    'summary',
    `${g.count} of ${graphs.length} with both sides at the target`,
    ...PLANNERS.map(() => undefined),
    undefined,
    undefined,
    all(graphs.map((w) => w.ratio)),
    all(graphs.map((w) => w.ratioDpExact)),
    all(graphs.map((w) => w.modelOnlyRatio)),
  ]);
  const table = markdownTable(
    [
      'graph',
      'size, SLO, rate',
      ...PLANNERS.map((p) => `${p} $/h`),
      'harpagon at',
      'nexus at',
      'nexus / harpagon',
      'nexus-dp / harpagon-exact',
      'model alone',
    ],
    rows,
  );
  const edges = graphs.map((w) => `- ${w.name}: ${w.description}`);
  return [
    table,
    'Costs at equal attainment (a dash: no plan on the grid reached the target); "at": the grid point of ' +
      'the chosen plan; "model alone": nexus / harpagon of the ρ = 0.9 plans before simulation. The graphs:',
    '',
    ...edges,
  ].join('\n');
}

/** Per OCR module: its 1-core CPU and derived accelerator batch latencies and $ per 10⁶ requests at full load. */
function derivedLatencyTable(mix: HardwareMix, modules: readonly PlanningModule[]): string {
  const cpuPrice = mix.hardware.find((h) => h.name === CPU_KIND)?.pricePerHour ?? 0;
  const acceleratorPrice = mix.hardware.find((h) => h.name === ACCELERATOR_KIND)?.pricePerHour ?? 0;
  const perMillion = (pricePerHour: number, batch: number, ms: number): string =>
    ((pricePerHour / ((3600 * 1000 * batch) / ms)) * 1e6).toFixed(2);
  const rows: TableCell[][] = modules.flatMap((m) => {
    const cpu = m.variants.map((v) => v.latency[CPU_KIND]).find((x) => x !== undefined);
    const acc = m.variants.map((v) => v.latency[ACCELERATOR_KIND]).find((x) => x !== undefined);
    if (cpu === undefined || acc === undefined) return [];
    const c1 = estimateLatencyMs(cpu, 1, 1);
    const c4 = estimateLatencyMs(cpu, 4, 1);
    const a1 = estimateLatencyMs(acc, 1, 1);
    const a32 = estimateLatencyMs(acc, 32, 1);
    return [
      [
        m.name,
        `${c1.toFixed(1)} / ${c4.toFixed(1)}`,
        `${a1.toFixed(1)} / ${a32.toFixed(1)}`,
        perMillion(cpuPrice, 4, c4),
        perMillion(acceleratorPrice, 32, a32),
      ],
    ];
  });
  return markdownTable(
    [
      'module',
      `${CPU_KIND} 1 core: l(1) / l(4) ms`,
      `${ACCELERATOR_KIND}: l(1) / l(32) ms`,
      `${CPU_KIND} $/10⁶ req (1 core, b4, busy)`,
      `${ACCELERATOR_KIND} $/10⁶ req (b32, busy)`,
    ],
    rows,
  );
}

function gridPoint(f: PlannerFigures): string {
  return f.chosen === null
    ? `none (best ${pct(f.closestAttainment)})`
    : `ρ ${f.chosen.rho}, m ${f.chosen.margin}`;
}

function money(x: number | undefined): TableCell {
  return x === undefined ? undefined : x.toFixed(3);
}

function short(module: string): string {
  return module.replace(/^g\d+-/, '');
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function ratioCell(x: number | null): TableCell {
  return x === null ? undefined : `${x.toFixed(2)}x`;
}
