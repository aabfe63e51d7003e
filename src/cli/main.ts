#!/usr/bin/env node
/**
 * `sluice <command> [options]`: the only place concrete adapters are chosen. Each command lives in
 * `commands/<name>.ts` and exports a `Command`; they are loaded lazily so `sluice --help` stays fast.
 */
import { UsageError, type Command } from './command.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  serve: {
    summary: 'serve a model repository over the Open Inference Protocol',
    load: () => import('./commands/serve.js'),
  },
  zoo: {
    summary: 'generate a family of ONNX image-classification variants',
    load: () => import('./commands/zoo.js'),
  },
  profile: {
    summary: 'measure variants and fit the latency models the planners use',
    load: () => import('./commands/profile.js'),
  },
  plan: {
    summary: 'run a planner on a planning problem and print the plan',
    load: () => import('./commands/plan.js'),
  },
  simulate: {
    summary: 'run a scenario through the engine, control loop and planners on a virtual clock',
    load: () => import('./commands/simulate.js'),
  },
  eval: {
    summary: "reproduce each paper's headline comparison (reports with tables and charts)",
    load: () => import('./commands/eval.js'),
  },
  load: {
    summary: 'open-loop load with per-request deadlines (Poisson or a trace)',
    load: () => import('./commands/load.js'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: sluice <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n'sluice <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    process.stderr.write(`sluice: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sluice ${name}: ${error.message}\n\n${command.help}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sluice: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
