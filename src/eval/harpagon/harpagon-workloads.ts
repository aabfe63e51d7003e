/**
 * The workloads of the Harpagon experiment: the OCR pipeline at a few rates and seeded random graphs,
 * all on the experiment's hardware mix (harpagon-hardware.ts), plus (full runs) the OCR pipeline on the
 * measured CPU alone, which separates what the accelerator's coarse size does to the comparison from
 * what Harpagon's dispatch, multi-tuple configurations and split do.
 */
import { committedProfile } from '../committed-profile.js';
import type { PlanningProblem } from '../../planner/planning-problem.js';
import { CPU_KIND, hardwareMix, type HardwareMix } from './harpagon-hardware.js';
import { ocrProblem } from './ocr-pipeline.js';
import { randomGraphs } from './random-graphs.js';

export interface HarpagonWorkload {
  /** `ocr@100`, `ocr-cpu@100`, `g3`. */
  readonly name: string;
  readonly kind: 'ocr' | 'ocr-cpu' | 'graph';
  readonly problem: PlanningProblem;
  readonly description: string;
}

/** Batch sizes every module may use (the CPU tables extrapolate past the measured 4 or 8). */
export const BATCH_OPTIONS = [1, 2, 4, 8, 16, 32] as const;
/** OCR images per second: a fraction of one accelerator, about one, several. */
export const OCR_RATES_RPS = [30, 100, 300] as const;
export const QUICK_OCR_RATE_RPS = 100;
export const RANDOM_GRAPHS = 12;
export const QUICK_RANDOM_GRAPHS = 2;
/** Seed of the random graphs (the arrivals have their own, the run's). */
export const GRAPH_SEED = 2025;

/** <repo>/experiments/profiles, from src/eval/harpagon or dist/eval/harpagon alike. */

const RESNETS = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'] as const;

const readProfile = committedProfile;

export interface HarpagonWorkloads {
  readonly mix: HardwareMix;
  readonly workloads: readonly HarpagonWorkload[];
}

/** The workloads of a full or quick run; `shared` reads files under ../shared. */
export function harpagonWorkloads(shared: (path: string) => string, quick: boolean): HarpagonWorkloads {
  const mix = hardwareMix(shared('profiles/kairos-aws/latency.csv'), shared('profiles/kairos-aws/price.csv'));
  const ocr = {
    det: readProfile('ocr/ocr-det.json'),
    cls: readProfile('ocr/ocr-cls.json'),
    rec: readProfile('ocr/ocr-rec.json'),
  };
  const rates = quick ? [QUICK_OCR_RATE_RPS] : [...OCR_RATES_RPS];
  const workloads: HarpagonWorkload[] = rates.map((rate) => ({
    name: `ocr@${rate}`,
    kind: 'ocr',
    problem: ocrProblem(ocr, mix, BATCH_OPTIONS, rate),
    description: `OCR det → cls → rec, ${rate} images/s`,
  }));
  const profiles = [...RESNETS.map((r) => readProfile(`resnet-full/${r}.json`)), ocr.det, ocr.cls, ocr.rec];
  const graphs = randomGraphs(
    profiles,
    mix,
    BATCH_OPTIONS,
    quick ? QUICK_RANDOM_GRAPHS : RANDOM_GRAPHS,
    GRAPH_SEED,
  );
  for (const g of graphs)
    workloads.push({ name: g.name, kind: 'graph', problem: g.problem, description: g.description });
  if (!quick) {
    for (const rate of rates) {
      workloads.push({
        name: `ocr-cpu@${rate}`,
        kind: 'ocr-cpu',
        problem: cpuOnly(ocrProblem(ocr, mix, BATCH_OPTIONS, rate)),
        description: `OCR det → cls → rec, ${rate} images/s, measured CPU only`,
      });
    }
  }
  return { mix, workloads };
}

/** The problem with only the measured CPU kind (and only its variants). */
function cpuOnly(problem: PlanningProblem): PlanningProblem {
  return {
    ...problem,
    hardware: problem.hardware.filter((h) => h.name === CPU_KIND),
    modules: problem.modules.map((m) => ({
      ...m,
      variants: m.variants.filter((v) => v.latency[CPU_KIND] !== undefined),
    })),
  };
}
