/**
 * `sluice profile`: measures every chosen variant on real instances and writes its profile.json; with
 * --report renders profiles as SVG charts; with --import turns published measurements into profiles.
 */
import { parseArgs } from 'node:util';
import type { LatencyPercentile } from '../../core/profile.js';
import { loadModelRepository } from '../../runtime/model-repository.js';
import { defaultDemoRepositoryDir, ensureDemoRepository } from '../../runtime/zoo/demo-repository.js';
import { UsageError, type Command } from '../command.js';
import { list, nonNegativeInteger, oneOf, positive, positiveInteger } from '../option-parsers.js';
import { formatProgress } from '../profile-progress.js';
import { importProfiles, IMPORT_SOURCES } from '../profile-import.js';
import { reportProfiles } from '../profile-report.js';
import { profileVariants } from '../profile-variants.js';
import { progressLine } from '../progress-line.js';

const help = `usage: sluice profile [--repository DIR] [--module M] [--variant V] [grid and sampling options]
       sluice profile --report [--repository DIR] [--module M] [--variant V] [--out FILE.svg]
       sluice profile --import ${IMPORT_SOURCES.join('|')} [--from DIR] [--out DIR] [--slo-ms MS]

Measures each variant on real instance processes (the same onnxruntime workers and CPU confinement as
'sluice serve'): batch latency at fractional core allocations, throughput of co-located instances, cold
start and in-place resize times; fits l(b,c) = γ·b/c + δ·b + ε/c + η by non-negative least squares;
states DNNScaler's batching-or-co-location verdict and InfAdapter's capacity per core count (derived on
Sluice's engine, checked by a short live run). Writes <module>/<variant>/profile.json (docs/profile.md).

what:
  --repository DIR        model repository (default: the built-in demo repository)
  --module M              profile this module only (default: every module)
  --variant V             this variant only (comma-separated list allowed; default: every variant)
grid (defaults finish in minutes on this machine):
  --batches LIST          batch sizes (default 1,2,4,8 up to the module's max batch)
  --cores LIST            CPU allocations per instance, fractional allowed (default 0.5,1,<all cores>)
  --instances LIST        co-located instance counts at batch 1 (default 1,2)
  --colocation-cores C    total cores co-location and batching are compared on (default: all cores)
sampling:
  --min-samples N         at least this many timed batches per point (default 10)
  --max-samples N         at most this many (default 300)
  --point-seconds S       stop a point after this long once --min-samples are in (default 2)
  --warmup N              untimed batches before each point (default 2)
  --percentile p99|p50    what the fit and the capacity are held to (default p99)
  --latency-target-ms MS  DNNScaler's target for the verdict (default: the module's defaultSloMs)
  --slo-ms MS             InfAdapter's SLO for the capacity (default: the module's defaultSloMs)
  --shape NAME=DxDxD      one request's shape of an input with dynamic dimensions (repeatable)
  --dynamic-dim N         size of any other dynamic dimension (default 64)
  --threads N             onnxruntime intra-op threads per instance (default ceil(cores))
  --no-resize             skip the in-place resize and cold-start measurement
  --no-capacity-check     skip the live capacity check
  --no-cgroup             confine by thread count and affinity instead of cgroup CPU quotas
output:
  --out PATH              profile: write here (one variant only); --report: the SVG file;
                          --import: the folder (default profiles/<source>)
  --report                render profile.json files as SVG charts (beside them, as profile.svg)
  --import SOURCE         ${IMPORT_SOURCES.join(', ')}: import ../shared/profiles measurements
  --from DIR              folder of the published files (default ../shared/profiles/<source>)
  --json                  print the profiles as JSON on stdout
  --quiet                 no progress
  -h, --help              show this help`;

export const command: Command = {
  help,
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          repository: { type: 'string' },
          module: { type: 'string' },
          variant: { type: 'string' },
          batches: { type: 'string' },
          cores: { type: 'string' },
          instances: { type: 'string' },
          'colocation-cores': { type: 'string' },
          'min-samples': { type: 'string' },
          'max-samples': { type: 'string' },
          'point-seconds': { type: 'string' },
          warmup: { type: 'string' },
          percentile: { type: 'string' },
          'latency-target-ms': { type: 'string' },
          'slo-ms': { type: 'string' },
          shape: { type: 'string', multiple: true },
          'dynamic-dim': { type: 'string' },
          threads: { type: 'string' },
          'no-resize': { type: 'boolean', default: false },
          'no-capacity-check': { type: 'boolean', default: false },
          'no-cgroup': { type: 'boolean', default: false },
          out: { type: 'string' },
          report: { type: 'boolean', default: false },
          import: { type: 'string' },
          from: { type: 'string' },
          json: { type: 'boolean', default: false },
          quiet: { type: 'boolean', default: false },
        },
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const log = values.quiet
      ? () => undefined
      : (line: string) => process.stderr.write(`sluice profile: ${line}\n`);
    const sloMs = values['slo-ms'] === undefined ? undefined : positive(values['slo-ms'], '--slo-ms');

    if (values.import !== undefined) {
      const source = oneOf(values.import, '--import', IMPORT_SOURCES);
      const written = await importProfiles({
        source,
        ...(values.from === undefined ? {} : { from: values.from }),
        ...(values.out === undefined ? {} : { out: values.out }),
        ...(sloMs === undefined ? {} : { sloMs }),
        log,
      });
      if (values.json)
        process.stdout.write(
          `${JSON.stringify(
            written.map((w) => w.profile),
            null,
            2,
          )}\n`,
        );
      return 0;
    }

    const repository = values.repository ?? defaultDemoRepositoryDir();
    if (values.repository === undefined) ensureDemoRepository(repository);
    const all = await loadModelRepository(repository);
    const modules = values.module === undefined ? all : all.filter((m) => m.name === values.module);
    if (modules.length === 0) {
      throw new UsageError(
        `--module: no module '${values.module}' in ${repository} (${all.map((m) => m.name).join(', ')})`,
      );
    }
    const variants = values.variant === undefined ? undefined : list(values.variant, '--variant', (v) => v);
    if (variants !== undefined) {
      const known = new Set(modules.flatMap((m) => m.variants.map((v) => v.name)));
      const unknown = variants.filter((v) => !known.has(v));
      if (unknown.length > 0)
        throw new UsageError(`--variant: no variant ${unknown.join(', ')} (${[...known].join(', ')})`);
    }

    if (values.report) {
      const reported = await reportProfiles({
        modules,
        ...(variants === undefined ? {} : { variants }),
        ...(values.out === undefined ? {} : { out: values.out }),
        log,
      });
      return reported > 0 ? 0 : 1;
    }

    const chosenCount = modules.reduce(
      (n, m) => n + m.variants.filter((v) => variants === undefined || variants.includes(v.name)).length,
      0,
    );
    if (values.out !== undefined && chosenCount !== 1)
      throw new UsageError(
        `--out writes one profile, but ${chosenCount} variants are chosen: pick one with --module and --variant`,
      );
    const shapes = Object.fromEntries((values.shape ?? []).map(parseShape));
    const progress = values.quiet ? undefined : progressLine();
    const results = await profileVariants({
      modules,
      ...(variants === undefined ? {} : { variants }),
      grid: {
        ...(values.batches === undefined
          ? {}
          : { batches: list(values.batches, '--batches', positiveInteger) }),
        ...(values.cores === undefined ? {} : { cores: list(values.cores, '--cores', positive) }),
        ...(values.instances === undefined
          ? {}
          : { instances: list(values.instances, '--instances', positiveInteger) }),
        ...(values['colocation-cores'] === undefined
          ? {}
          : { colocationCores: positive(values['colocation-cores'], '--colocation-cores') }),
      },
      sampling: {
        minSamples: positiveInteger(values['min-samples'] ?? '10', '--min-samples'),
        maxSamples: positiveInteger(values['max-samples'] ?? '300', '--max-samples'),
        budgetMs: 1000 * positive(values['point-seconds'] ?? '2', '--point-seconds'),
        warmup: nonNegativeInteger(values.warmup ?? '2', '--warmup'),
      },
      shapes: {
        shapes,
        ...(values['dynamic-dim'] === undefined
          ? {}
          : { dynamicDim: positiveInteger(values['dynamic-dim'], '--dynamic-dim') }),
      },
      percentile: oneOf<LatencyPercentile>(values.percentile ?? 'p99', '--percentile', ['p99', 'p50']),
      ...(values['latency-target-ms'] === undefined
        ? {}
        : { latencyTargetMs: positive(values['latency-target-ms'], '--latency-target-ms') }),
      ...(sloMs === undefined ? {} : { sloMs }),
      ...(values.threads === undefined ? {} : { threads: positiveInteger(values.threads, '--threads') }),
      resize: !values['no-resize'],
      capacityCheck: !values['no-capacity-check'],
      noCgroup: values['no-cgroup'],
      ...(values.out === undefined ? {} : { out: values.out }),
      command: ['sluice', 'profile', ...argv].join(' '),
      ...(progress === undefined ? {} : { onProgress: (p) => progress.write(formatProgress(p)) }),
      log: (line) => {
        progress?.end();
        log(line);
      },
    });
    progress?.end();
    if (values.json)
      process.stdout.write(
        `${JSON.stringify(
          results.map((r) => r.profile),
          null,
          2,
        )}\n`,
      );
    return 0;
  },
};

/** `NAME=3x640x640` (or `NAME=3,640,640`). */
function parseShape(text: string): [string, number[]] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--shape must be NAME=DxDxD, not '${text}'`);
  const dims = text
    .slice(eq + 1)
    .split(/[x,]/)
    .map((d) => positiveInteger(d, `--shape ${text.slice(0, eq)}`));
  return [text.slice(0, eq), dims];
}
