/**
 * The OCR pipeline of the Harpagon experiment: PP-OCRv4 detection → direction classification →
 * recognition, as profiled on this machine at 320-px inputs (experiments/profiles/ocr), on the
 * experiment's hardware mix. Each image yields `TEXT_BOXES_PER_IMAGE` text boxes (det → cls fan-out);
 * each box is classified and then recognised once (cls → rec fan-out 1).
 */
import type { Profile } from '../../core/profile.js';
import type { PlanningProblem } from '../../planner/planning-problem.js';
import { moduleOnMix, type HardwareMix } from './harpagon-hardware.js';

/** Text boxes per image: the det → cls fan-out (a short receipt or sign; our choice). */
export const TEXT_BOXES_PER_IMAGE = 3;

/** End-to-end objective of one image, ms. */
export const OCR_SLO_MS = 600;

/** The OCR application at `rateRps` images per second, from the three stage profiles. */
export function ocrProblem(
  profiles: { readonly det: Profile; readonly cls: Profile; readonly rec: Profile },
  mix: HardwareMix,
  batchOptions: readonly number[],
  rateRps: number,
): PlanningProblem {
  const modules = [
    moduleOnMix('ocr-det', profiles.det, mix.accelerator, batchOptions),
    moduleOnMix('ocr-cls', profiles.cls, mix.accelerator, batchOptions),
    moduleOnMix('ocr-rec', profiles.rec, mix.accelerator, batchOptions),
  ];
  return {
    objective: { kind: 'min-cost' },
    hardware: mix.hardware,
    modules,
    apps: [
      {
        name: 'ocr',
        modules: modules.map((m) => m.name),
        edges: [
          { from: 'ocr-det', to: 'ocr-cls', fanout: TEXT_BOXES_PER_IMAGE },
          { from: 'ocr-cls', to: 'ocr-rec' },
        ],
        sloMs: OCR_SLO_MS,
        rateRps,
      },
    ],
  };
}
