/**
 * The policies the `sluice` experiment compares, each the documented behaviour of the system it stands
 * for, with its own knobs and the source of the reading. They share Sluice's control loop (its defaults),
 * engine, workload, seed and profiles; only the planner, the problem it is handed and (KAIROS) the
 * dispatch differ. Sensitivity rows vary Sluice's own settings and are never in the claim.
 */
import type { Objective } from '../../planner/planning-problem.js';
import { INFADAPTER_ALPHA, INFADAPTER_BETA } from '../infadapter/policy-runs.js';

/** Sluice's default objective (`sluice serve`, src/cli/start-control.ts): accuracy − 0.05 · cores/budget. */
export const SLUICE_DEFAULT_ALPHA = 0.05;

export interface SluicePolicy {
  /** Row key and chart series key. */
  readonly id: string;
  readonly label: string;
  /** For chart axes when the label is long. Default the label. */
  readonly shortLabel?: string;
  /** `sluice` is the subject; `technique` one of the five systems; `baseline` the anchor; `sensitivity` a variation. */
  readonly role: 'sluice' | 'technique' | 'baseline' | 'sensitivity';
  /** The registered planner (`plannerByName`). */
  readonly planner: string;
  /** All five variants, or the single-variant systems' model (ResNet-50). */
  readonly variants: 'family' | 'deployed';
  readonly objective: Objective;
  /** The module's largest batch when the system does not batch up to 8. */
  readonly maxBatch?: number;
  /** The fewest cores an instance may have (InfAdapter: 0 or at least 2). */
  readonly minCores?: number;
  /** KAIROS's query distribution instead of the batcher. */
  readonly dispatch?: 'min-cost-matching';
  /** False: no autoscaler, the first plan stays (Triton). */
  readonly adaptive: boolean;
  /** The knobs the planner turns, for the table. */
  readonly knobs: string;
  /** What it stands for and how it is configured, with sources. */
  readonly reading: string;
}

export const SLUICE_POLICIES: readonly SluicePolicy[] = [
  {
    id: 'sluice',
    label: 'Sluice',
    role: 'sluice',
    planner: 'sluice',
    variants: 'family',
    objective: { kind: 'accuracy-cost', costWeight: SLUICE_DEFAULT_ALPHA },
    adaptive: true,
    knobs: 'variants, cores, batch, instances, several tuples + dummies, budget classes',
    reading:
      'Sluice’s default planner (`sluice`, src/planner/sluice/sluice-planner.ts: one MILP over every knob ' +
      'of the planning model) with its default objective, accuracy − 0.05 · cores / budget (the default of ' +
      '`sluice serve`, src/cli/start-control.ts), over the five variants; a tuple may be held to one of the ' +
      'looser budget classes the loop observes (docs/planning.md, “Budget classes”).',
  },
  {
    id: 'sponge',
    label: 'Sponge',
    role: 'technique',
    planner: 'sponge',
    variants: 'deployed',
    objective: { kind: 'min-cost' },
    adaptive: true,
    knobs: 'cores, batch (one variant; then identical instances)',
    reading:
      'papers.md §1, src/planner/sponge/sponge-planner.ts: one vertically scaled instance of the deployed ' +
      'variant, the fewest cores then the smallest batch that carry the forecast within the worst request ' +
      'budget; when one 8-core instance cannot, the fewest identical instances.',
  },
  {
    id: 'infadapter',
    label: 'InfAdapter',
    role: 'technique',
    planner: 'infadapter',
    variants: 'family',
    objective: { kind: 'accuracy-cost', costWeight: INFADAPTER_ALPHA, reloadWeight: INFADAPTER_BETA },
    maxBatch: 1,
    minCores: 2,
    adaptive: true,
    knobs: 'variants, cores (0 or 2-8 each), traffic split; batch 1',
    reading:
      'papers.md §2, src/planner/infadapter/infadapter-planner.ts: the set of variants, one instance of ' +
      `each with 0 or 2-8 cores, and the traffic split, maximising accuracy − ${INFADAPTER_ALPHA} · cores / 20 ` +
      `− ${INFADAPTER_BETA} · load time of new variants; batch 1 (InfAdapter does not batch); planned for ` +
      'the tightest budget class.',
  },
  {
    id: 'dnnscaler',
    label: 'DNNScaler',
    role: 'technique',
    planner: 'dnnscaler',
    variants: 'deployed',
    objective: { kind: 'max-throughput' },
    adaptive: true,
    knobs: 'batching or co-located instances on a fixed 20 cores',
    reading:
      'papers.md §5, src/planner/dnnscaler/dnnscaler-planner.ts: its profiler’s verdict on a fixed ' +
      'allocation, the whole 20-core budget: batching (one instance of the largest size, batch b) or ' +
      'co-location (k batch-1 instances of 20/k cores), whichever carries more within the tightest budget; ' +
      'it maximises throughput on its allocation and never gives cores back.',
  },
  {
    id: 'harpagon',
    label: 'Harpagon',
    role: 'technique',
    planner: 'harpagon',
    variants: 'deployed',
    objective: { kind: 'min-cost' },
    adaptive: true,
    knobs: 'cores, batch, instances, several tuples + dummies (one variant)',
    reading:
      'papers.md §3, src/planner/harpagon/harpagon-planner.ts: the cheapest multi-tuple configuration of ' +
      'the deployed variant (batch-aware dispatch, several (cores, batch, instances) tuples, dummy requests ' +
      'for the lightly loaded one) within the tightest budget class. With one module the latency split is ' +
      'trivial: the module has the whole budget.',
  },
  {
    id: 'kairos',
    label: 'KAIROS',
    role: 'technique',
    planner: 'kairos',
    variants: 'deployed',
    objective: { kind: 'max-throughput' },
    dispatch: 'min-cost-matching',
    adaptive: true,
    knobs: 'whole 8-core instances, batch 1, min-cost matching',
    reading:
      'papers.md §4, src/planner/kairos/kairos-planner.ts. With one instance type its search over mixes ' +
      'of types reduces to its own homogeneous baseline: the fewest whole 8-core instances (the type’s ' +
      'full size) at batch 1 that serve the forecast within the tightest budget, at most what the 20-core ' +
      'budget allows (objective max-throughput); queries dispatched by its minimum-cost matching.',
  },
  {
    id: 'triton',
    label: 'Triton',
    role: 'baseline',
    planner: 'triton',
    variants: 'deployed',
    objective: { kind: 'min-cost' },
    adaptive: false,
    knobs: 'none: 1 instance × 8 cores, max batch 8',
    reading:
      'src/planner/baselines/triton-planner.ts: the model configuration’s static instance group, one ' +
      'instance at the kind’s largest allocation (8 cores), the dynamic batcher’s max batch (8); Triton ' +
      'has no autoscaler, so no control loop runs.',
  },
  {
    id: 'sluice-min-cost',
    label: 'Sluice, min-cost',
    shortLabel: 'Sluice min-cost',
    role: 'sensitivity',
    planner: 'sluice',
    variants: 'family',
    objective: { kind: 'min-cost' },
    adaptive: true,
    knobs: 'as Sluice',
    reading: 'The same planner and loop with objective min-cost: no price on accuracy.',
  },
  {
    id: 'sluice-min-cost-resnet50',
    label: 'Sluice, min-cost, ResNet-50',
    shortLabel: 'Sluice min-cost R50',
    role: 'sensitivity',
    planner: 'sluice',
    variants: 'deployed',
    objective: { kind: 'min-cost' },
    adaptive: true,
    knobs: 'as Sluice, one variant',
    reading:
      'Min-cost on the single-variant systems’ model, ResNet-50 alone: only the cores, batch, instance, ' +
      'tuple and budget-class knobs differ from theirs.',
  },
];
