/** A `sluice` sub-command: its `--help` text and its entry point, which returns the process exit code. */
export interface Command {
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

/** Thrown for a bad command line; main prints the message and the command's help, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
