/**
 * `sluice eval`: runs the experiments that reproduce each paper's headline comparison and writes each
 * one's report (Markdown with a side-by-side table and SVG charts, and its figures as JSON) under the
 * results folder.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EXPERIMENTS, experimentByName } from '../../eval/experiments.js';
import type { ExperimentReport } from '../../eval/experiment.js';
import { HighsSolver } from '../../solver/highs-solver.js';
import { UsageError, type Command } from '../command.js';

/** <repo>/../shared, from src/cli/commands or dist/cli/commands alike. */
const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../..', '../shared');

function help(): string {
  const width = Math.max(...EXPERIMENTS.map((e) => e.name.length), 8);
  return `usage: sluice eval [NAME...] [--quick] [--out DIR] [--json]

Reproduces each paper's headline comparison with Sluice's own simulator, planners and profiles, side by
side with the baseline it beat, and writes <out>/<name>/report.md (table, the paper's claim beside
Sluice's figure, charts as SVG) and figures.json. Without NAME, every experiment.

options:
  --quick        reduced runs (seconds each; what npm test runs)
  --out DIR      results folder (default results)
  --json         print every experiment's figures as JSON
  -h, --help     show this help

experiments:
${EXPERIMENTS.map((e) => `  ${e.name.padEnd(width)}  ${e.title}; paper: ${e.paperClaim}`).join('\n')}`;
}

export const command: Command = {
  get help() {
    return help();
  },
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: {
          quick: { type: 'boolean', default: false },
          out: { type: 'string', default: 'results' },
          json: { type: 'boolean', default: false },
        },
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    const chosen =
      positionals.length === 0
        ? EXPERIMENTS
        : positionals.map((n) => {
            const e = experimentByName(n);
            if (e === undefined)
              throw new UsageError(`no experiment '${n}' (${EXPERIMENTS.map((x) => x.name).join(', ')})`);
            return e;
          });
    const solver = await HighsSolver.create();
    const reports: ExperimentReport[] = [];
    for (const experiment of chosen) {
      const began = performance.now();
      process.stderr.write(
        `sluice eval: ${experiment.name}: ${experiment.title}${values.quick ? ' (quick)' : ''}\n`,
      );
      const report = experiment.run({
        quick: values.quick,
        solver,
        shared: (path) => readFileSync(join(SHARED, path), 'utf8'),
        log: (line) => process.stderr.write(`  ${experiment.name}: ${line}\n`),
      });
      const dir = join(values.out, experiment.name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'report.md'), report.markdown);
      await writeFile(join(dir, 'figures.json'), `${JSON.stringify(report.figures, null, 2)}\n`);
      for (const chart of report.charts) await writeFile(join(dir, `${chart.name}.svg`), chart.svg);
      process.stderr.write(
        `  ${experiment.name}: ${report.claim.met ? 'claim met' : 'claim NOT met'}: paper ${report.claim.paper}; Sluice ${report.claim.measured} (${((performance.now() - began) / 1000).toFixed(1)} s) → ${join(dir, 'report.md')}\n`,
      );
      reports.push(report);
    }
    if (values.json)
      process.stdout.write(
        `${JSON.stringify(
          reports.map((r) => ({ name: r.name, claim: r.claim, figures: r.figures })),
          null,
          2,
        )}\n`,
      );
    return 0;
  },
};
