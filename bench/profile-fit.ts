// Profiler benchmark: fit error of Sponge's l(b,c) = γ·b/c + δ·b + ε/c + η on the `full` ResNet family
// (median and worst relative error across the grid, for the p99 fit the planners use and, for reference,
// a p50 fit of the same points), and the profiler's own wall time per variant. Also prints each variant's
// resize-versus-cold-start timing, verdict and capacity check, as `sluice profile` measured them.
//
//   npm run bench:profile [-- --variants resnet18,resnet50] [--cores 0.5,1,2] [--batches 1,2,4,8]
import { parseArgs } from 'node:util';
import { profileVariants } from '../src/cli/profile-variants.js';
import { formatProgress } from '../src/cli/profile-progress.js';
import { progressLine } from '../src/cli/progress-line.js';
import { fitSponge4 } from '../src/profiler/fit-sponge.js';
import { loadModelRepository } from '../src/runtime/model-repository.js';
import { RESNET_VARIANTS, type ResnetVariant } from '../src/runtime/zoo/resnet.js';
import { writeZoo } from '../src/runtime/zoo/write-zoo.js';
import { ROOT } from './lib/serve-process.js';
import { machine, table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    variants: { type: 'string' },
    cores: { type: 'string' },
    batches: { type: 'string' },
  },
});
const variants = (values.variants?.split(',') ?? [...RESNET_VARIANTS]) as ResnetVariant[];
const numbers = (text: string | undefined): number[] | undefined => text?.split(',').map(Number);
const repository = `${ROOT}/bench/out/full-models`;

writeZoo({
  dir: repository,
  scale: 'full',
  variants,
  onFile: (f) => process.stderr.write(`zoo: ${f.path} ${f.status}\n`),
});
const modules = (await loadModelRepository(repository)).filter((m) => m.name === 'resnet');
const cores = numbers(values.cores);
const batches = numbers(values.batches);
const progress = progressLine();
const results = await profileVariants({
  modules,
  variants,
  grid: { ...(cores ? { cores } : {}), ...(batches ? { batches } : {}) },
  sampling: { minSamples: 10, maxSamples: 300, budgetMs: 2000, warmup: 2 },
  shapes: {},
  percentile: 'p99',
  resize: true,
  capacityCheck: true,
  noCgroup: false,
  command: `bench/profile-fit.ts ${process.argv.slice(2).join(' ')}`,
  onProgress: (p) => progress.write(formatProgress(p)),
  log: (line) => {
    progress.end();
    process.stderr.write(`${line}\n`);
  },
});
progress.end();

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
console.log(`\n${machine()}\n`);
console.log(
  table(
    [
      'variant',
      'points',
      'samples/point',
      'γ',
      'δ',
      'ε',
      'η',
      'p99 fit: median err',
      'worst err',
      'p50 fit: median err',
      'worst err',
      'wall s',
    ],
    results.map(({ profile, wallMs }) => {
      const single = profile.points.filter((p) => p.instances === 1);
      const p50 = fitSponge4(
        single.map((p) => ({ batch: p.batch, cores: p.cores, latencyMs: p.p50Ms })),
        { percentile: 'p50' },
      );
      const m = profile.fit.model;
      const samples = single.map((p) => p.samples);
      return [
        profile.variant,
        single.length,
        `${Math.min(...samples)}-${Math.max(...samples)}`,
        m.gamma,
        m.delta,
        m.epsilon,
        m.eta,
        pct(profile.fit.medianRelativeError),
        pct(profile.fit.maxRelativeError),
        pct(p50.medianRelativeError),
        pct(p50.maxRelativeError),
        wallMs / 1000,
      ];
    }),
  ),
);
console.log('');
console.log(
  table(
    [
      'variant',
      'cold start ms',
      'resize',
      'resize effective ms',
      'speed-up',
      'verdict',
      'batching gain',
      'co-location gain',
      'capacity check',
    ],
    results.map(({ profile }) => {
      const r = profile.resize;
      const v = profile.verdict;
      const check = profile.capacity?.checks[0];
      return [
        profile.variant,
        profile.coldStart?.coldStartMs ?? Number.NaN,
        r ? `${r.fromCores}->${r.toCores} cores` : '-',
        r?.effectiveMs ?? Number.NaN,
        r ? `${r.speedupOverColdStart.toFixed(1)}x` : '-',
        profile.resizeQuotaOnly?.effectiveMs ?? Number.NaN,
        profile.resizeQuotaOnly ? `${profile.resizeQuotaOnly.speedupOverColdStart.toFixed(1)}x` : '-',
        v?.choice ?? '-',
        v ? `${v.batching.gain.toFixed(2)}x (b=${v.batching.batch})` : '-',
        v ? `${v.colocation.gain.toFixed(2)}x (k=${v.colocation.instances})` : '-',
        check
          ? `${check.rateRps.toFixed(1)} req/s on ${check.cores} core: p99 ${check.measuredMs.toFixed(0)} ms, ${pct(check.attainment)} within ${profile.capacity?.sloMs} ms`
          : '-',
      ];
    }),
  ),
);
