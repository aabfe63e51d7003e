// Writes the example planning problems in examples/problems/ from the published measurements in
// ../shared/profiles (imported into Sluice's profile format, then into planning modules):
//   infadapter-resnet.json  InfAdapter's setting: ResNet18-152 on CPU, 20-core budget, 750 ms, accuracy − cost
//   kairos-<model>.json      KAIROS's setting: four AWS types, $2.5/h, 350 ms, the query-size mixture
//   sponge-resnet50.json     Sponge's setting: one variant, per-request budgets (SLO minus network time)
//   ocr-pipeline.json        Harpagon's setting: a three-module pipeline with fan-out, one end-to-end SLO
// Run: npx tsx scripts/make-example-problems.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  importInfadapterProfiles,
  INFADAPTER_NOMINAL_ACCURACY,
} from '../src/profiler/import/infadapter-capacity.js';
import { importKairosProfiles } from '../src/profiler/import/kairos-aws.js';
import { moduleFromProfiles } from '../src/planner/problem-from-profiles.js';
import type { PlanningProblem } from '../src/planner/planning-problem.js';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = resolve(ROOT, '../shared/profiles');
const OUT = join(ROOT, 'examples/problems');
const write = (name: string, problem: PlanningProblem, note: string): void => {
  writeFileSync(join(OUT, name), `${JSON.stringify(problem, null, 2)}\n`);
  process.stderr.write(`${name}: ${note}\n`);
};

// InfAdapter: measured capacities → a batch-1 table per core count (1..20) per variant.
const infadapter = importInfadapterProfiles(
  readFileSync(join(SHARED, 'infadapter-resnet-cpu/capacity.csv'), 'utf8'),
  {
    from: 'shared/profiles/infadapter-resnet-cpu/capacity.csv',
  },
);
write(
  'infadapter-resnet.json',
  {
    objective: { kind: 'accuracy-cost', costWeight: 0.05, reloadWeight: 0.001 },
    budget: { cores: 20 },
    hardware: [{ name: 'infadapter-cpu', kind: 'cpu', pricePerHour: 1, maxCores: 20 }],
    modules: [
      moduleFromProfiles('resnet', infadapter, {
        maxBatch: 1,
        accuracy: INFADAPTER_NOMINAL_ACCURACY,
        latency: 'table',
      }),
    ],
    apps: [{ name: 'classify', modules: ['resnet'], edges: [], sloMs: 750, rateRps: 150 }],
  },
  'accuracy − 0.05·cores/20 − 0.001·reload, 150 req/s within 750 ms on at most 20 cores',
);

// KAIROS: four instance types, priced per instance, p99 tables per query size.
const kairos = importKairosProfiles(
  readFileSync(join(SHARED, 'kairos-aws/latency.csv'), 'utf8'),
  readFileSync(join(SHARED, 'kairos-aws/price.csv'), 'utf8'),
  { from: 'shared/profiles/kairos-aws/latency.csv' },
);
// The README's caps, in its order of types: g4dn.xlarge, c5n.2xlarge, r5n.large, t3.xlarge.
const CAPS: Record<string, number> = { 'g4dn.xlarge': 5, 'c5n.2xlarge': 6, 'r5n.large': 17, 't3.xlarge': 15 };
// 8% in 1-100, 65% in 100-200, 22% in 200-600, 5% in 600-1000, as sizes rounded up to multiples of 10:
// each range is represented by evenly spaced sizes within it, sharing the range's weight.
const mixture = [
  { from: 10, to: 100, share: 0.08 },
  { from: 110, to: 200, share: 0.65 },
  { from: 210, to: 600, share: 0.22 },
  { from: 610, to: 1000, share: 0.05 },
].flatMap((r) => {
  const sizes = [0, 1, 2, 3].map((i) => Math.round((r.from + ((r.to - r.from) * i) / 3) / 10) * 10);
  return sizes.map((rows) => ({ rows, share: r.share / sizes.length }));
});
for (const model of ['dien', 'wnd']) {
  write(
    `kairos-${model}.json`,
    {
      objective: { kind: 'max-throughput' },
      budget: { costPerHour: 2.5 },
      hardware: kairos.hardware.map((h) => ({
        name: h.name,
        kind: h.kind,
        pricePerHour: h.pricePerHour,
        maxCores: h.maxCores,
        maxInstances: CAPS[h.name] ?? 1,
      })),
      modules: [
        moduleFromProfiles(model, kairos.profiles, { maxBatch: 1000, latency: 'table', percentile: 'p99' }),
      ],
      apps: [{ name: model, modules: [model], edges: [], sloMs: 350, rateRps: 100_000, querySizes: mixture }],
    },
    `the most ${model} queries per second within p99 350 ms on a mix of four AWS types under $2.5/h`,
  );
}

// Sponge: the full ResNet-50 measured here (bench/profile-fit.ts: 94.6·b/c + 6.98·b + 11.2 ms), per-request
// budgets from a wireless network: a share of requests arrive with less of the 1000 ms SLO left.
write(
  'sponge-resnet50.json',
  {
    objective: { kind: 'min-cost' },
    budget: { cores: 16 },
    hardware: [{ name: 'local', kind: 'cpu', pricePerHour: 1, maxCores: 16 }],
    modules: [
      {
        name: 'resnet',
        maxBatch: 8,
        variants: [
          {
            name: 'resnet50',
            accuracy: 0.7613,
            loadMs: 720,
            latency: { local: { kind: 'sponge4', gamma: 94.58, delta: 6.98, epsilon: 0, eta: 11.21 } },
          },
        ],
      },
    ],
    apps: [
      {
        name: 'classify',
        modules: ['resnet'],
        edges: [],
        sloMs: 1000,
        rateRps: 40,
        budgets: [
          { budgetMs: 900, share: 0.6 },
          { budgetMs: 700, share: 0.3 },
          { budgetMs: 450, share: 0.1 },
        ],
      },
    ],
  },
  '40 req/s of ResNet-50 whose budgets are 900/700/450 ms after the network (60/30/10%)',
);

// Harpagon: a detection → classification → recognition pipeline, 3 text boxes per image, 1 s end to end,
// on two CPU kinds of different price and a GPU-like fixed kind. Latency coefficients are illustrative
// (the OCR modules are profiled in their own issue); the shapes follow the measured ResNets'.
write(
  'ocr-pipeline.json',
  {
    objective: { kind: 'min-cost' },
    hardware: [
      { name: 'cpu-small', kind: 'cpu', pricePerHour: 0.04, maxCores: 4, coreOptions: [1, 2, 4] },
      { name: 'cpu-large', kind: 'cpu', pricePerHour: 0.05, maxCores: 16, coreOptions: [4, 8, 16] },
      { name: 'gpu', kind: 'fixed', pricePerHour: 0.526, maxCores: 4, maxInstances: 4 },
    ],
    modules: [
      {
        name: 'det',
        maxBatch: 8,
        variants: [
          {
            name: 'ppocrv4-det',
            accuracy: 1,
            latency: {
              'cpu-small': { kind: 'sponge4', gamma: 60, delta: 2, epsilon: 5, eta: 3 },
              'cpu-large': { kind: 'sponge4', gamma: 60, delta: 2, epsilon: 5, eta: 3 },
              gpu: { kind: 'sponge4', gamma: 0, delta: 1.5, epsilon: 0, eta: 6 },
            },
          },
        ],
      },
      {
        name: 'cls',
        maxBatch: 16,
        variants: [
          {
            name: 'ppocr-mobile-v2-cls',
            accuracy: 1,
            latency: {
              'cpu-small': { kind: 'sponge4', gamma: 1.2, delta: 0.2, epsilon: 0.5, eta: 0.5 },
              'cpu-large': { kind: 'sponge4', gamma: 1.2, delta: 0.2, epsilon: 0.5, eta: 0.5 },
            },
          },
        ],
      },
      {
        name: 'rec',
        maxBatch: 16,
        variants: [
          {
            name: 'ppocrv4-rec',
            accuracy: 1,
            latency: {
              'cpu-small': { kind: 'sponge4', gamma: 8, delta: 0.5, epsilon: 2, eta: 1 },
              'cpu-large': { kind: 'sponge4', gamma: 8, delta: 0.5, epsilon: 2, eta: 1 },
              gpu: { kind: 'sponge4', gamma: 0, delta: 0.4, epsilon: 0, eta: 3 },
            },
          },
        ],
      },
    ],
    apps: [
      {
        name: 'ocr',
        modules: ['det', 'cls', 'rec'],
        edges: [
          { from: 'det', to: 'cls', fanout: 3 },
          { from: 'cls', to: 'rec' },
        ],
        sloMs: 1000,
        rateRps: 60,
      },
    ],
  },
  '60 images/s through det → cls → rec (3 boxes per image) within 1000 ms, at minimum $/h',
);
