// The live clock: monotonic time, timers that fire once, never before their time, and can be cancelled.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/runtime/system-clock.js';

/** Runs `code` as an ES module in a fresh Node process (TypeScript imports through tsx); resolves with its output. */
function runNode(code: string): Promise<{ code: number | null; stdout: string }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.on('close', (exitCode) => resolve({ code: exitCode, stdout })));
}

describe('SystemClock', () => {
  it('is monotonic', () => {
    const clock = new SystemClock();
    let last = clock.nowMs();
    for (let i = 0; i < 1000; i += 1) {
      const now = clock.nowMs();
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });

  it('fires each timer once, never before its time', async () => {
    const clock = new SystemClock({ keepAlive: true });
    const start = clock.nowMs();
    const fired: { label: string; atMs: number; nowMs: number }[] = [];
    const all = Promise.all(
      [7.3, 2.5, 0.2, 4.9].map(
        (offset) =>
          new Promise<void>((resolve) => {
            const atMs = start + offset;
            clock.setTimer(atMs, () => {
              fired.push({ label: String(offset), atMs, nowMs: clock.nowMs() });
              resolve();
            });
          }),
      ),
    );
    await all;
    // No order is asserted: timers already due when set (this process may be descheduled between two
    // setTimer calls) fire in the order they were set, not by time.
    expect(fired.map((f) => f.label).sort()).toEqual(['0.2', '2.5', '4.9', '7.3']);
    for (const f of fired) expect(f.nowMs).toBeGreaterThanOrEqual(f.atMs);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set in the past at once, and not a cleared one', async () => {
    const clock = new SystemClock();
    let cleared = 0;
    const id = clock.setTimer(clock.nowMs() + 1, () => (cleared += 1));
    clock.clearTimer(id);
    clock.clearTimer(id);
    clock.clearTimer(12345);
    // Fired after the cleared one was due: had it not been cleared, it would have run first.
    await new Promise<void>((resolve) => clock.setTimer(clock.nowMs() + 3, resolve));
    await new Promise<void>((resolve) => clock.setTimer(clock.nowMs() - 100, resolve));
    expect(cleared).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not keep the process alive with a pending timer, unless asked to', async () => {
    const module = pathToFileURL(
      fileURLToPath(new URL('../../src/runtime/system-clock.ts', import.meta.url)),
    ).href;
    const idle = await runNode(
      `import { SystemClock } from '${module}'; const c = new SystemClock(); ` +
        `c.setTimer(c.nowMs() + 3_600_000, () => console.log('fired')); console.log('set');`,
    );
    expect(idle).toEqual({ code: 0, stdout: 'set\n' });
    const kept = await runNode(
      `import { SystemClock } from '${module}'; const c = new SystemClock({ keepAlive: true }); ` +
        `c.setTimer(c.nowMs() + 20, () => console.log('fired')); console.log('set');`,
    );
    expect(kept).toEqual({ code: 0, stdout: 'set\nfired\n' });
  });
});
