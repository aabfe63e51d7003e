// Starts `sluice serve` (the compiled CLI) as its own process, as a user would, and returns its URL once
// it listens. Benchmarks drive it from their own process, so client and server do not share an event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli/main.js');

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGINT (graceful drain), then wait for exit. */
  stop(): Promise<void>;
}

export async function spawnServe(
  args: readonly string[],
  options: { log?: boolean } = {},
): Promise<ServeProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--policy', 'static', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let text = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      text += chunk;
      if (options.log === true) process.stderr.write(chunk);
      const match = /serving .* at (http:\/\/[^\s]+)/.exec(text);
      if (match?.[1] !== undefined) resolveUrl(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`sluice serve exited (${String(code)}) before listening:\n${text}`)),
    );
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGINT');
      }),
  };
}
